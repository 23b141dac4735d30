"""Statistical process control the NHS "Making Data Count" way: XmR charts, signals, icons, pictures.

Pure Python + numpy (Pillow only for PNG). Tells signal from noise in a measure over time:
process limits at the mean +/- 2.66 mean moving ranges, four special-cause rules, the variation
icon for the latest point and the assurance icon against a target. Two modes: ``"mdc"`` (default;
the current NHS England Making Data Count tools) and ``"nhsrplotthedots"`` (the R package
NHSRplotthedots 0.2.2, reproduced exactly). The method is set out in ``docs/methods/spc.md``.

=================================  ====================================================================
Function                           What it does
=================================  ====================================================================
``xmr(values, *, dates, ...)``     one XmR chart: limits, rule flags, point types, icons, settings
``xmr_batch(table, ...)``          many equal-length series at once (vectorised), as arrays
``SpcRules(...)``                  the rules and their parameters; ``SpcRules.for_mode(mode)``
``describe(chart)``                the chart in plain English (a text alternative)
``render_svg(chart, ...)``         accessible SVG in the MDC visual language (no script, no ``style=``)
``render_png(chart, ...)``         the same picture as PNG bytes (Pillow)
=================================  ====================================================================

>>> chart = xmr([5, 6, 5, 7, 6, 5, 6, 5, 6, 7, 6, 5, 14], target=1)
>>> chart.latest.special_cause_type, chart.latest.point_type
('Above UCL', 'special_cause_improvement')
>>> chart.variation_icon, chart.assurance_icon
('improvement_high', 'pass')
>>> round(chart.mean, 3), round(chart.lpl, 3), round(chart.upl, 3)
(6.385, 1.73, 11.04)
>>> xmr_batch([[5, 6, 5, 7, 6, 5, 6, 20], [5, 6, 5, 6, 5, 6, 5, 6]]).variation_icon.tolist()
['improvement_high', 'common_cause']
>>> SpcRules.for_mode("nhsrplotthedots").two_in_three
'two_to_three_sigma'
>>> xmr([5, 3, 6, 4, 5, 6, 4, 4.5, 5, 5.5, 6, 6.5], rules=SpcRules(trend_points=6)).latest.special_cause_type
'6 Point Trend (Increasing)'
>>> describe(chart).split(". ")[0]
'XmR chart of 13 points, from point 1 to point 13; higher is better'
>>> svg = render_svg(chart, title="Visits a week")
>>> '<title id="spc-title">Visits a week</title>' in svg, 'role="img"' in svg, "style=" in svg
(True, True, False)
>>> render_png(chart)[1:4]
b'PNG'

Each point of a chart carries ``mean``, ``lpl``, ``upl``, the 2-sigma lines, the rule flags
(``outside_limits``, ``trend``, ``two_in_three``, ``shift``), the rule that names it
(``special_cause_type``, e.g. ``"7 Points Above CL"``) and ``point_type`` (``common_cause``,
``special_cause_improvement``, ``special_cause_concern``, ``special_cause_neutral_high|low``).
Every setting that made a chart (mode, rules, screening, baseline, rebase, target) is recorded on it.
Bad input raises :class:`SpcError`, a ``ValueError`` whose message says what to change.
"""

from .errors import SpcError
from .render import COLOURS, describe, render_png, render_svg
from .rules import SpcRules
from .xmr import (
    ASSURANCE_ICONS,
    POINT_TYPES,
    VARIATION_ICONS,
    SpcPoint,
    SpcSegment,
    XmrBatch,
    XmrChart,
    xmr,
    xmr_batch,
)

__all__ = [
    "ASSURANCE_ICONS",
    "COLOURS",
    "POINT_TYPES",
    "VARIATION_ICONS",
    "SpcError",
    "SpcPoint",
    "SpcRules",
    "SpcSegment",
    "XmrBatch",
    "XmrChart",
    "describe",
    "render_png",
    "render_svg",
    "xmr",
    "xmr_batch",
]
