"""Charts in the Making Data Count visual language, as SVG (for pages) and PNG (for documents).

One layout feeds both renderers. The SVG carries ``<title>`` and ``<desc>`` (referenced by
``aria-labelledby``) and uses presentation attributes only: no ``style=`` attribute and no script,
so it can be inlined under a strict Content Security Policy.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .errors import SpcError
from .xmr import XmrChart

# NHSRplotthedots' colours (ptd_spc_colours), which follow the MDC tools.
COLOURS: dict[str, str] = {
    "common_cause": "#7B7D7D",
    "special_cause_improvement": "#289DE0",
    "special_cause_concern": "#FAB428",
    "special_cause_neutral": "#361475",
    "line": "#7B7D7D",
    "mean": "#000000",
    "limit": "#7B7D7D",
    "target": "#DE1B1B",
    "text": "#0B0C0C",
    "axis": "#505A5F",
    "grid": "#E5E6E7",
    "outline": "#0B0C0C",
}

_TYPE_WORDS = {
    "common_cause": "common cause",
    "special_cause_improvement": "special cause improvement",
    "special_cause_concern": "special cause concern",
    "special_cause_neutral_high": "special cause (neutral), high",
    "special_cause_neutral_low": "special cause (neutral), low",
}
_RULE_WORDS = {
    "outside_limits": "beyond a process limit",
    "trend": "part of a run of {trend} rising or falling points",
    "two_in_three": "two of three points beyond the 2-sigma line",
    "shift": "part of a run of {shift} points on one side of the mean",
}
_VARIATION_WORDS = {
    "common_cause": "common cause variation: no significant change",
    "improvement_high": "special cause improvement, from higher values",
    "improvement_low": "special cause improvement, from lower values",
    "concern_high": "special cause concern, from higher values",
    "concern_low": "special cause concern, from lower values",
    "neutral_high": "special cause variation (neither better nor worse), higher values",
    "neutral_low": "special cause variation (neither better nor worse), lower values",
}
_ASSURANCE_WORDS = {
    "pass": "the system is expected to consistently pass the target",
    "fail": "the system is expected to consistently fail the target",
    "hit_and_miss": "the system may hit or miss the target (the target lies between the process limits)",
}

Formatter = Callable[[float], str]


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return "not available"
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:,.4g}" if abs(value) >= 1000 else f"{value:.4g}"


def _date_text(date: dt.date | None, index: int) -> str:
    if date is None:
        return f"point {index + 1}"
    if isinstance(date, dt.datetime) and (date.hour or date.minute):
        return f"{date.day} {date:%B %Y %H:%M}"
    return f"{date.day} {date:%B %Y}"


def describe(chart: XmrChart, *, value_format: Formatter = _fmt) -> str:
    """Describe a chart in plain English, for screen readers and text alternatives.

    Parameters
    ----------
    chart : XmrChart
        The chart to describe.
    value_format : callable, optional
        Turns a number into text (default: up to 4 significant figures).

    Returns
    -------
    str
        A few sentences: the period, mean and limits, the latest point, signals and icons.

    Examples
    --------
    >>> from commonweal.engines.spc import xmr
    >>> describe(xmr([10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 25]))[:62]
    'XmR chart of 12 points, from point 1 to point 12; higher is be'
    """
    f = value_format
    first, last = chart.points[0], chart.latest
    better = {"increase": "higher is better", "decrease": "lower is better", "neutral": "neither direction is better"}
    parts = [
        f"XmR chart of {len(chart.points)} points, from {_date_text(first.date, 0)} to "
        f"{_date_text(last.date, last.index)}; {better[chart.improvement]}."
    ]
    segment = chart.segments[-1]
    if len(chart.segments) > 1:
        parts.append(f"The limits were recalculated {len(chart.segments) - 1} time(s).")
    if math.isfinite(segment.upl):
        parts.append(
            f"Mean {f(segment.mean)}, process limits {f(segment.lpl)} to {f(segment.upl)}"
            + (" (trial limits: fewer than 13 points)." if segment.short_group_warning else ".")
        )
    else:
        parts.append(f"Mean {f(segment.mean)}; too few points for process limits.")
    words = _TYPE_WORDS[last.point_type]
    reason = ""
    if last.special_cause_rule is not None:
        reason = (
            " ("
            + _RULE_WORDS[last.special_cause_rule].format(
                trend=chart.rules.trend_points, shift=chart.rules.shift_points
            )
            + ")"
        )
    parts.append(f"Latest value {f(last.value)} ({_date_text(last.date, last.index)}): {words}{reason}.")
    counts = {t: sum(p.point_type == t for p in chart.points) for t in _TYPE_WORDS}
    flagged = len(chart.points) - counts["common_cause"]
    if flagged:
        detail = ", ".join(f"{n} {_TYPE_WORDS[t]}" for t, n in counts.items() if n and t != "common_cause")
        parts.append(f"{flagged} point(s) show special cause variation: {detail}.")
    else:
        parts.append("No point shows special cause variation.")
    if chart.variation_icon is not None:
        parts.append(f"Variation: {_VARIATION_WORDS[chart.variation_icon]}.")
    if chart.target is not None:
        assurance = _ASSURANCE_WORDS.get(chart.assurance_icon or "", "no assurance icon")
        parts.append(f"Target {f(chart.target)}: {assurance}.")
    return " ".join(parts)


# Layout ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float
    dash: tuple[float, float] | None = None


@dataclass(frozen=True)
class _Dot:
    x: float
    y: float
    r: float
    fill: str
    outline: bool
    label: str


@dataclass(frozen=True)
class _Text:
    x: float
    y: float
    text: str
    size: float
    anchor: str  # "start", "middle" or "end"
    colour: str
    bold: bool = False


@dataclass(frozen=True)
class _Icon:
    cx: float
    cy: float
    r: float
    fill: str
    letter: str
    label: str
    kind: str  # "variation" or "assurance"
    common: bool = False


@dataclass(frozen=True)
class _Layout:
    width: int
    height: int
    lines: tuple[_Line, ...]
    dots: tuple[_Dot, ...]
    texts: tuple[_Text, ...]
    icons: tuple[_Icon, ...]
    polyline: tuple[tuple[float, float], ...]


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high, low = low + 1, low - 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.ceil(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        value += step
    return ticks


def _point_colour(point_type: str) -> str:
    if point_type.startswith("special_cause_neutral"):
        return COLOURS["special_cause_neutral"]
    return COLOURS[point_type]


def _variation_icon(name: str, cx: float, cy: float, r: float) -> _Icon:
    kind, _, side = name.partition("_")
    label = "Variation: " + _VARIATION_WORDS[name]
    if name == "common_cause":
        return _Icon(cx, cy, r, COLOURS["common_cause"], "", label, "variation", common=True)
    fill = {
        "improvement": COLOURS["special_cause_improvement"],
        "concern": COLOURS["special_cause_concern"],
        "neutral": COLOURS["special_cause_neutral"],
    }[kind]
    return _Icon(cx, cy, r, fill, "H" if side == "high" else "L", label, "variation")


def _assurance_icon(name: str, cx: float, cy: float, r: float) -> _Icon:
    fill = {
        "pass": COLOURS["special_cause_improvement"],
        "fail": COLOURS["special_cause_concern"],
        "hit_and_miss": COLOURS["common_cause"],
    }[name]
    letter = {"pass": "P", "fail": "F", "hit_and_miss": "?"}[name]
    return _Icon(cx, cy, r, fill, letter, "Assurance: " + _ASSURANCE_WORDS[name], "assurance")


def _layout(chart: XmrChart, width: int, height: int, title: str, value_format: Formatter) -> _Layout:
    if width < 240 or height < 160:
        raise SpcError(f"a chart needs at least 240 x 160 pixels to be legible; got {width} x {height}")
    icon_r = 22.0
    left, right, top, bottom = 64.0, 24.0, 48.0 + 2 * icon_r - 16, 72.0
    plot_w, plot_h = width - left - right, height - top - bottom
    if plot_h < 60:
        raise SpcError(f"the chart is too short for its plot; make it taller than {height} pixels")
    n = len(chart.points)
    finite = [v for p in chart.points for v in (p.value, p.lpl, p.upl) if math.isfinite(v)]
    if chart.target is not None:
        finite.append(chart.target)
    low, high = min(finite), max(finite)
    pad = (high - low) * 0.05 or abs(high) * 0.05 or 1.0
    ticks = _nice_ticks(low - pad, high + pad)
    y_min, y_max = min(ticks[0], low - pad), max(ticks[-1], high + pad)

    def x_of(i: float) -> float:
        return left + (plot_w / 2 if n == 1 else (i / (n - 1)) * plot_w)

    def y_of(v: float) -> float:
        return top + (y_max - v) / (y_max - y_min) * plot_h

    lines: list[_Line] = []
    texts: list[_Text] = [_Text(left, 28, title, 16, "start", COLOURS["text"], bold=True)]
    for tick in ticks:
        y = y_of(tick)
        lines.append(_Line(left, y, left + plot_w, y, COLOURS["grid"], 1))
        texts.append(_Text(left - 8, y + 4, value_format(tick), 11, "end", COLOURS["axis"]))
    lines.append(_Line(left, top + plot_h, left + plot_w, top + plot_h, COLOURS["axis"], 1))
    half_step = 0.0 if n == 1 else plot_w / (n - 1) / 2
    for segment in chart.segments:
        x1 = x_of(segment.start) - (half_step if segment.start else 0)
        x2 = x_of(segment.stop - 1) + (half_step if segment.stop < n else 0)
        if segment.start:
            lines.append(_Line(x1, top, x1, top + plot_h, COLOURS["axis"], 1, (2, 3)))
        lines.append(_Line(x1, y_of(segment.mean), x2, y_of(segment.mean), COLOURS["mean"], 1.5))
        for limit in (segment.lpl, segment.upl):
            if math.isfinite(limit):
                lines.append(_Line(x1, y_of(limit), x2, y_of(limit), COLOURS["limit"], 1.5, (6, 4)))
    if chart.target is not None:
        y = y_of(chart.target)
        lines.append(_Line(left, y, left + plot_w, y, COLOURS["target"], 1.5, (2, 3)))
    polyline = tuple((x_of(p.index), y_of(p.value)) for p in chart.points)
    radius = 3.5 if n <= 60 else 2.5
    dots = tuple(
        _Dot(
            x_of(p.index),
            y_of(p.value),
            radius + (1 if p.special_cause_flag else 0),
            _point_colour(p.point_type),
            p.special_cause_flag,
            f"{_date_text(p.date, p.index)}: {value_format(p.value)}, {_TYPE_WORDS[p.point_type]}",
        )
        for p in chart.points
    )
    label_every = max(1, math.ceil(n / max(1, int(plot_w // 90))))
    last_x = x_of(n - 1)
    for p in chart.points:
        is_last = p.index == n - 1
        if not is_last and (p.index % label_every or last_x - x_of(p.index) < 80):
            continue
        text = str(p.index + 1) if p.date is None else f"{p.date:%d %b %Y}".lstrip("0")
        anchor = "end" if is_last and n > 1 else "middle"
        x_text = x_of(p.index) + (6 if anchor == "end" else 0)
        texts.append(_Text(x_text, top + plot_h + 16, text, 11, anchor, COLOURS["axis"]))
    # legend
    legend_y = height - 18
    entries = [("dot", COLOURS["common_cause"], "Common cause")]
    if chart.improvement == "neutral":
        entries.append(("dot", COLOURS["special_cause_neutral"], "Special cause"))
    else:
        entries += [
            ("dot", COLOURS["special_cause_improvement"], "Improvement"),
            ("dot", COLOURS["special_cause_concern"], "Concern"),
        ]
    entries += [("line", COLOURS["mean"], "Mean"), ("dash", COLOURS["limit"], "Process limits")]
    if chart.target is not None:
        entries.append(("target", COLOURS["target"], "Target"))
    x = left
    legend_dots: list[_Dot] = []
    for kind, colour, label in entries:
        if kind == "dot":
            legend_dots.append(_Dot(x + 5, legend_y - 4, 4.5, colour, colour != COLOURS["common_cause"], ""))
        else:
            dash = None if kind == "line" else ((6.0, 4.0) if kind == "dash" else (2.0, 3.0))
            lines.append(_Line(x - 2, legend_y - 4, x + 14, legend_y - 4, colour, 1.5, dash))
        texts.append(_Text(x + 18, legend_y, label, 11, "start", COLOURS["text"]))
        x += 32 + 7 * len(label)
    icons: list[_Icon] = []
    icon_x = width - right - icon_r
    if chart.variation_icon is not None:
        shift = (2 * icon_r + 10) if chart.assurance_icon is not None else 0
        icons.append(_variation_icon(chart.variation_icon, icon_x - shift, 20 + icon_r, icon_r))
    if chart.assurance_icon is not None:
        icons.append(_assurance_icon(chart.assurance_icon, icon_x, 20 + icon_r, icon_r))
    return _Layout(width, height, tuple(lines), dots + tuple(legend_dots), tuple(texts), tuple(icons), polyline)


# SVG ---------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def render_svg(
    chart: XmrChart,
    *,
    title: str | None = None,
    description: str | None = None,
    width: int = 720,
    height: int = 400,
    id_prefix: str = "spc",
    value_format: Formatter = _fmt,
) -> str:
    """Draw a chart as an accessible SVG document in the MDC visual language.

    Parameters
    ----------
    chart : XmrChart
        The chart to draw.
    title : str, optional
        Shown above the chart and used as the SVG ``<title>`` (default "Statistical process control chart").
    description : str, optional
        The SVG ``<desc>``; default :func:`describe`.
    width, height : int
        Size in pixels (the SVG scales through its ``viewBox``).
    id_prefix : str
        Prefix for element ids, so several charts can share a page.
    value_format : callable, optional
        Turns a number into text for axis labels and descriptions.

    Returns
    -------
    str
        An ``<svg>`` element with ``role="img"``, ``<title>`` and ``<desc>``; no script, no ``style=``.

    Examples
    --------
    >>> from commonweal.engines.spc import xmr
    >>> svg = render_svg(xmr([3, 4, 3, 5, 4, 3, 4, 9]), title="Referrals a week")
    >>> svg.startswith("<svg") and "<title id=\\"spc-title\\">Referrals a week</title>" in svg
    True
    """
    if not id_prefix.replace("-", "").replace("_", "").isalnum():
        raise SpcError(f"id_prefix must be letters, digits, '-' or '_'; got {id_prefix!r}")
    heading = title or "Statistical process control chart"
    layout = _layout(chart, width, height, heading, value_format)
    desc = description if description is not None else describe(chart, value_format=value_format)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="Arial, Helvetica, sans-serif">',
        f'<title id="{id_prefix}-title">{escape(heading)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
        '<g aria-hidden="true">',
    ]
    for line in layout.lines:
        dash = f' stroke-dasharray="{_n(line.dash[0])} {_n(line.dash[1])}"' if line.dash else ""
        out.append(
            f'<line x1="{_n(line.x1)}" y1="{_n(line.y1)}" x2="{_n(line.x2)}" y2="{_n(line.y2)}" '
            f'stroke="{line.colour}" stroke-width="{_n(line.width)}"{dash}/>'
        )
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in layout.polyline)
    out.append(f'<polyline points="{points}" fill="none" stroke="{COLOURS["line"]}" stroke-width="1.5"/>')
    for text in layout.texts:
        weight = ' font-weight="bold"' if text.bold else ""
        out.append(
            f'<text x="{_n(text.x)}" y="{_n(text.y)}" font-size="{_n(text.size)}" text-anchor="{text.anchor}" '
            f'fill="{text.colour}"{weight}>{escape(text.text)}</text>'
        )
    out.append("</g>")
    out.append('<g aria-hidden="true">')
    for dot in layout.dots:
        stroke = f' stroke="{COLOURS["outline"]}" stroke-width="0.75"' if dot.outline else ""
        tip = f"<title>{escape(dot.label)}</title>" if dot.label else ""
        out.append(
            f'<circle cx="{_n(dot.x)}" cy="{_n(dot.y)}" r="{_n(dot.r)}" fill="{dot.fill}"{stroke}>{tip}</circle>'
        )
    out.append("</g>")
    for icon in layout.icons:
        out.append(_svg_icon(icon))
    out.append("</svg>")
    return "\n".join(out)


def _svg_icon(icon: _Icon) -> str:
    cx, cy, r = icon.cx, icon.cy, icon.r
    parts = [
        f'<g role="img" aria-label={quoteattr(icon.label)}>',
        f"<title>{escape(icon.label)}</title>",
        f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="#FFFFFF" stroke="{icon.fill}" stroke-width="3"/>',
    ]
    if icon.common:
        # a row of grey dots along a flat line: nothing unusual is happening
        parts.append(
            f'<line x1="{_n(cx - r * 0.6)}" y1="{_n(cy)}" x2="{_n(cx + r * 0.6)}" y2="{_n(cy)}" '
            f'stroke="{icon.fill}" stroke-width="1.5"/>'
        )
        for k in range(-2, 3):
            dy = (-1) ** k * r * 0.12
            parts.append(
                f'<circle cx="{_n(cx + k * r * 0.28)}" cy="{_n(cy + dy)}" r="{_n(r * 0.1)}" fill="{icon.fill}"/>'
            )
    else:
        parts.append(
            f'<text x="{_n(cx)}" y="{_n(cy + r * 0.36)}" font-size="{_n(r * 1.05)}" font-weight="bold" '
            f'text-anchor="middle" fill="{icon.fill}">{escape(icon.letter)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


# PNG ---------------------------------------------------------------------------------------------


def render_png(
    chart: XmrChart,
    *,
    title: str | None = None,
    description: str | None = None,
    width: int = 720,
    height: int = 400,
    scale: int = 2,
    value_format: Formatter = _fmt,
) -> bytes:
    """Draw a chart as a PNG image (with Pillow), the same layout as :func:`render_svg`.

    Parameters
    ----------
    chart : XmrChart
        The chart to draw.
    title, description : str, optional
        The heading, and the text alternative stored in the PNG's ``Title`` and ``Description``.
    width, height : int
        Size in layout pixels; the image is ``scale`` times larger for sharp printing.
    scale : int
        Pixel density (1 to 4).
    value_format : callable, optional
        Turns a number into text.

    Returns
    -------
    bytes
        The PNG file.

    Examples
    --------
    >>> from commonweal.engines.spc import xmr
    >>> render_png(xmr([3, 4, 3, 5, 4, 3, 4, 9]))[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    from PIL import Image, ImageDraw, ImageFont
    from PIL.PngImagePlugin import PngInfo

    if scale not in (1, 2, 3, 4):
        raise SpcError(f"scale must be 1, 2, 3 or 4; got {scale!r}")
    heading = title or "Statistical process control chart"
    layout = _layout(chart, width, height, heading, value_format)
    image = Image.new("RGB", (width * scale, height * scale), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    s = float(scale)

    def font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return ImageFont.load_default(size=size * s)

    for line in layout.lines:
        _png_line(draw, line, s)
    draw.line([(x * s, y * s) for x, y in layout.polyline], fill=COLOURS["line"], width=max(1, round(1.5 * s)))
    for dot in layout.dots:
        box = [(dot.x - dot.r) * s, (dot.y - dot.r) * s, (dot.x + dot.r) * s, (dot.y + dot.r) * s]
        draw.ellipse(
            box, fill=dot.fill, outline=COLOURS["outline"] if dot.outline else None, width=max(1, round(0.75 * s))
        )
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for text in layout.texts:
        draw.text(
            (text.x * s, text.y * s), text.text, fill=text.colour, font=font(text.size), anchor=anchors[text.anchor]
        )
    for icon in layout.icons:
        box = [(icon.cx - icon.r) * s, (icon.cy - icon.r) * s, (icon.cx + icon.r) * s, (icon.cy + icon.r) * s]
        draw.ellipse(box, fill="#FFFFFF", outline=icon.fill, width=round(3 * s))
        if icon.common:
            draw.line(
                [((icon.cx - icon.r * 0.6) * s, icon.cy * s), ((icon.cx + icon.r * 0.6) * s, icon.cy * s)],
                fill=icon.fill,
                width=round(1.5 * s),
            )
            for k in range(-2, 3):
                x, y, rr = icon.cx + k * icon.r * 0.28, icon.cy + (-1) ** k * icon.r * 0.12, icon.r * 0.1
                draw.ellipse([(x - rr) * s, (y - rr) * s, (x + rr) * s, (y + rr) * s], fill=icon.fill)
        else:
            draw.text((icon.cx * s, icon.cy * s), icon.letter, fill=icon.fill, font=font(icon.r * 1.05), anchor="mm")
    info = PngInfo()
    info.add_text("Title", heading)
    info.add_text("Description", description if description is not None else describe(chart, value_format=value_format))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, optimize=False)
    return buffer.getvalue()


def _png_line(draw: object, line: _Line, s: float) -> None:
    from PIL import ImageDraw

    assert isinstance(draw, ImageDraw.ImageDraw)
    width = max(1, round(line.width * s))
    if line.dash is None:
        draw.line([(line.x1 * s, line.y1 * s), (line.x2 * s, line.y2 * s)], fill=line.colour, width=width)
        return
    on, off = line.dash[0] * s, line.dash[1] * s
    length = math.hypot(line.x2 - line.x1, line.y2 - line.y1) * s
    if length == 0:
        return
    ux, uy = (line.x2 - line.x1) * s / length, (line.y2 - line.y1) * s / length
    position = 0.0
    while position < length:
        end = min(position + on, length)
        start_xy = (line.x1 * s + ux * position, line.y1 * s + uy * position)
        end_xy = (line.x1 * s + ux * end, line.y1 * s + uy * end)
        draw.line([start_xy, end_xy], fill=line.colour, width=width)
        position = end + off
