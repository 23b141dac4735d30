"""SVG and PNG charts: accessible, CSP-safe, escaped, in the MDC colours."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from commonweal.engines.spc import COLOURS, SpcError, describe, render_png, render_svg, xmr

SVG = "{http://www.w3.org/2000/svg}"
VALUES = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 25]


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed


def test_the_svg_has_a_title_and_description_that_screen_readers_announce():
    root = _tree(render_svg(xmr(VALUES, target=8), title="Referrals a week"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "spc-title spc-desc"
    assert root.find(f"{SVG}title").text == "Referrals a week"
    desc = root.find(f"{SVG}desc").text
    assert "Latest value 25" in desc
    assert "special cause improvement" in desc
    assert "may hit or miss the target" in desc


def test_the_svg_has_no_script_no_style_attribute_and_no_event_handlers():
    svg = render_svg(xmr(VALUES, target=8))
    root = _tree(svg)
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    assert "javascript:" not in svg


def test_hostile_titles_are_escaped(hostile):
    svg = render_svg(xmr(VALUES), title=hostile, description=hostile)
    assert "<script>" not in svg
    root = _tree(svg)
    assert root.find(f"{SVG}title").text == hostile
    assert root.find(f"{SVG}desc").text == hostile


def test_special_cause_points_are_coloured_and_the_icons_are_labelled():
    svg = render_svg(xmr(VALUES, target=8))
    root = _tree(svg)
    fills = [c.get("fill") for c in root.iter(f"{SVG}circle")]
    assert COLOURS["special_cause_improvement"] in fills
    assert fills.count(COLOURS["common_cause"]) >= 11
    icons = [g for g in root.iter(f"{SVG}g") if g.get("role") == "img"]
    labels = [g.get("aria-label") for g in icons]
    assert labels == [
        "Variation: special cause improvement, from higher values",
        "Assurance: the system may hit or miss the target (the target lies between the process limits)",
    ]


def test_concern_and_neutral_use_their_own_colours():
    concern = _tree(render_svg(xmr(VALUES, improvement="decrease")))
    assert COLOURS["special_cause_concern"] in [c.get("fill") for c in concern.iter(f"{SVG}circle")]
    neutral = _tree(render_svg(xmr(VALUES, improvement="neutral")))
    assert COLOURS["special_cause_neutral"] in [c.get("fill") for c in neutral.iter(f"{SVG}circle")]


def test_a_rebased_chart_draws_a_mean_for_each_segment():
    chart = xmr([1, 2, 1, 2, 1, 2, 5, 6, 5, 6, 5, 6], rebase=[6])
    root = _tree(render_svg(chart))
    means = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke") == COLOURS["mean"]]
    assert len(means) == 3  # two segments and the legend


def test_several_charts_on_one_page_get_their_own_ids():
    svg = render_svg(xmr(VALUES), id_prefix="chart-2")
    assert 'id="chart-2-title"' in svg
    with pytest.raises(SpcError, match="id_prefix"):
        render_svg(xmr(VALUES), id_prefix='x" onload="alert(1)')


def test_a_chart_too_small_to_read_is_refused():
    with pytest.raises(SpcError, match="at least 240 x 160"):
        render_svg(xmr(VALUES), width=100, height=100)


def test_short_segments_without_limits_still_render():
    from commonweal.engines.spc import SpcRules

    svg = render_svg(xmr([1, 2, 3], rules=SpcRules(min_points=13)))
    assert "too few points for process limits" in svg


def test_the_png_is_an_image_of_the_requested_size_carrying_its_description():
    data = render_png(xmr(VALUES, target=8), title="Referrals", width=600, height=300, scale=2)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (1200, 600)
    assert image.info["Title"] == "Referrals"
    assert "Latest value 25" in image.info["Description"]
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert (0x28, 0x9D, 0xE0) in colours  # the improvement blue is drawn


def test_png_scale_is_checked():
    with pytest.raises(SpcError, match="scale must be 1, 2, 3 or 4"):
        render_png(xmr(VALUES), scale=9)


def test_the_description_names_dates_when_there_are_dates():
    chart = xmr([1, 2, 3, 2], dates=["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"])
    assert describe(chart).startswith("XmR chart of 4 points, from 1 January 2024 to 1 April 2024")
