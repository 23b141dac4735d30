"""Small SVG charts for the account: readable without colour (every bar is labelled with its figure)
and by screen readers (a title and a description; the same figures are in a table beside it)."""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR = "#1d70b8"
SECOND = "#505a5f"


def bar_chart(
    title: str,
    description: str,
    rows: Sequence[tuple[str, float, str]],
    *,
    width: int = 640,
    label_width: int = 200,
    chart_id: str = "chart",
) -> SafeString:
    """Horizontal bars: (label, value, value shown as text)."""
    bar_height, gap = 22, 10
    height = len(rows) * (bar_height + gap) + 10
    largest = max((abs(v) for _l, v, _t in rows), default=0) or 1
    room = width - label_width - 110
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="cw-chart" font-family="GDS Transport, arial, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, (label, value, text) in enumerate(rows):
        y = 5 + i * (bar_height + gap)
        length = max(0.0, abs(value) / largest * room)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="14" fill="#0b0c0c">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{BAR}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" font-size="14" fill="#0b0c0c">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text in it passed through escape above)


def paired_bar_chart(
    title: str,
    description: str,
    rows: Sequence[tuple[str, float | None, float | None]],
    names: tuple[str, str],
    *,
    width: int = 640,
    chart_id: str = "pairs",
) -> SafeString:
    """Two shares per row (e.g. share of population and share of value by IMD decile), as percentages.

    The second bar is hatched as well as darker, so the pair reads without colour.
    """
    bar_height, gap, label_width = 12, 12, 90
    height = len(rows) * (2 * bar_height + gap) + 40
    room = width - label_width - 80
    largest = max((v or 0 for _l, a, b in rows for v in (a, b)), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="cw-chart" font-family="GDS Transport, arial, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{SECOND}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>',
        f'<rect x="{label_width}" y="4" width="12" height="12" fill="{BAR}"/>'
        f'<text x="{label_width + 18}" y="15" font-size="13">{escape(names[0])}</text>'
        f'<rect x="{label_width + 260}" y="4" width="12" height="12" fill="url(#{chart_id}-hatch)"/>'
        f'<text x="{label_width + 278}" y="15" font-size="13">{escape(names[1])}</text>',
    ]
    for i, (label, first, second) in enumerate(rows):
        y = 30 + i * (2 * bar_height + gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height + 4}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
        )
        for j, (value, fill) in enumerate(((first, BAR), (second, f"url(#{chart_id}-hatch)"))):
            if value is None:
                continue
            length = value / largest * room
            top = y + j * bar_height
            parts.append(
                f'<rect x="{label_width}" y="{top}" width="{length:.1f}" height="{bar_height - 1}" fill="{fill}"/>'
                f'<text x="{label_width + length + 4:.1f}" y="{top + 10}" font-size="11">{value * 100:.1f}%</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text in it passed through escape above)
