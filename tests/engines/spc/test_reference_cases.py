"""NHSRplotthedots 0.2.2's own cases (shared/data/spc), end to end, in both modes.

In ``nhsrplotthedots`` mode every per-point output must match, bit for bit for the limits.
In ``mdc`` mode the same holds except where Making Data Count behaves differently on purpose;
those differences are listed in ``MDC_DIFFERENCES`` with the reason for each.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from commonweal.engines.spc import SpcRules, XmrChart, xmr

# Point numbers are 1-based, as in the reference files.
MDC_DIFFERENCES: dict[str, dict[str, Any]] = {
    # MDC tools since November 2023 count a point beyond the process limit towards two-in-three,
    # so point 28 (between 2 and 3 sigma, next to point 29 beyond the limit) becomes a signal.
    "two_in_three_with_point_beyond_limit": {
        "points": {28: "special_cause_improvement"},
        "icon": "common_cause",
    },
}


def _cases(reference: Callable[..., Path]) -> list[dict[str, Any]]:
    path = reference("spc", "nhsrplotthedots_series_cases.json")
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return cases


def _facets(case: dict[str, Any]) -> dict[str, list[int]]:
    inp = case["input"]
    facets: dict[str, list[int]] = defaultdict(list)
    for i in range(len(inp["value"])):
        facets[str(inp["facet"][i]) if "facet" in inp else "no facet"].append(i)
    return facets


def _chart(case: dict[str, Any], indices: list[int], mode: str, rules: SpcRules | None = None) -> XmrChart:
    """Chart one facet of a case, passing the R package's defaults where the case leaves them out."""
    inp = case["input"]
    options = inp.get("options", {})
    return xmr(
        [inp["value"][i] for i in indices],
        dates=[inp["date"][i] for i in indices],
        improvement=options.get("improvement_direction", "increase"),
        target=options.get("target"),
        rebase=[options["rebase"]] if "rebase" in options else None,
        fix_after_n_points=options.get("fix_after_n_points"),
        screen_outliers=options.get("screen_outliers", True),
        mode=mode,  # type: ignore[arg-type]
        rules=rules,
    )


def _mismatches(case: dict[str, Any], mode: str, *, labels: bool, rules: SpcRules | None = None) -> list[str]:
    expected_points = case["reference_points"]
    differences = MDC_DIFFERENCES.get(case["id"], {}) if mode == "mdc" and rules is None else {}
    found = []
    for facet, indices in _facets(case).items():
        chart = _chart(case, indices, mode, rules)
        fields = ["relative_to_mean", "outside_limits", "close_to_limits", "special_cause_flag", "point_type"]
        fields += ["short_group_warning"] + (["special_cause_type"] if labels else [])
        for j, i in enumerate(indices):
            point = chart.points[j]
            for name in fields:
                want = expected_points[name][i]
                if name == "point_type" and (i + 1) in differences.get("points", {}):
                    want = differences["points"][i + 1]
                if name == "special_cause_flag" and (i + 1) in differences.get("points", {}):
                    want = True
                if getattr(point, name) != want:
                    found.append(f"point {i + 1} {name}: want {want!r}, got {getattr(point, name)!r}")
            if point.segment != expected_points["rebase_group"][i]:
                found.append(f"point {i + 1} segment {point.segment} != {expected_points['rebase_group'][i]}")
        for group in (g for g in case["reference_groups"] if g["facet"] == facet):
            segment = chart.segments[group["rebase_group"]]
            for name in ("mean", "lpl", "upl"):
                if getattr(segment, name) != group[name]:
                    where = f"{facet}/{group['rebase_group']}"
                    found.append(f"{where} {name}: {getattr(segment, name)!r} != {group[name]!r}")
            if group["variation_icon"] is None:
                continue  # an earlier rebase group: icons belong to the latest one
            icon = differences.get("icon", group["variation_icon"].removesuffix(".svg"))
            if chart.variation_icon != icon:
                found.append(f"{facet} variation icon {chart.variation_icon!r} != {icon!r}")
            if chart.assurance_type != group["assurance_type"]:
                found.append(f"{facet} assurance {chart.assurance_type!r} != {group['assurance_type']!r}")
    return found


def test_every_reference_case_matches_nhsrplotthedots_exactly_in_its_mode(reference):
    assert len(_cases(reference)) == 37
    failures = {c["id"]: m for c in _cases(reference) if (m := _mismatches(c, "nhsrplotthedots", labels=True))}
    assert not failures, failures


def test_every_reference_case_matches_in_mdc_mode_apart_from_the_documented_differences(reference):
    failures = {c["id"]: m for c in _cases(reference) if (m := _mismatches(c, "mdc", labels=False))}
    assert not failures, failures


def test_mdc_mode_with_nhsrplotthedots_rules_reproduces_every_case_including_labels(reference):
    rules = SpcRules.for_mode("nhsrplotthedots")
    failures = {c["id"]: m for c in _cases(reference) if (m := _mismatches(c, "mdc", labels=True, rules=rules))}
    assert not failures, failures


def test_the_documented_mdc_differences_really_differ_from_nhsrplotthedots(reference):
    for case in _cases(reference):
        if case["id"] in MDC_DIFFERENCES:
            assert _mismatches(case, "nhsrplotthedots", labels=False) == []
            assert _mismatches(case, "mdc", labels=False, rules=SpcRules()) != [], case["id"]


def test_mode_dependent_cases_named_in_sources_behave_as_each_mode_says(reference):
    cases = {c["id"]: c for c in _cases(reference)}
    beyond = cases["two_in_three_with_point_beyond_limit"]
    indices = list(range(len(beyond["input"]["value"])))
    assert _chart(beyond, indices, "nhsrplotthedots").points[27].point_type == "common_cause"
    assert _chart(beyond, indices, "mdc").points[27].special_cause_type == "2 in 3 Above CL"

    trend6 = cases["trend_6_increasing_no_signal"]
    indices = list(range(len(trend6["input"]["value"])))
    six = SpcRules().with_changes(trend_points=6)
    assert _chart(trend6, indices, "mdc").variation_icon == "common_cause"
    assert _chart(trend6, indices, "mdc", six).variation_icon == "improvement_high"
    assert [p.trend for p in _chart(trend6, indices, "mdc", six).points][10:] == [True] * 6


def test_screening_default_follows_the_mode_on_the_vignette_data(reference):
    case = next(c for c in _cases(reference) if c["id"] == "vignette_outlier_unscreened")
    values, dates = case["input"]["value"], case["input"]["date"]
    unscreened = xmr(values, dates=dates, mode="mdc")
    screened = xmr(values, dates=dates, mode="nhsrplotthedots")
    assert not unscreened.screen_outliers
    assert screened.screen_outliers
    assert (round(unscreened.upl, 2), round(unscreened.mean, 2), round(unscreened.lpl, 2)) == (
        6.95,
        1.94,
        -3.06,
    )
    assert (round(screened.upl, 2), round(screened.mean, 2), round(screened.lpl, 2)) == (4.6, 1.94, -0.72)


def test_assertions_printed_in_the_r_tests_hold_at_their_precision(reference):
    checked = 0
    for case in _cases(reference):
        stated = case["assertions_from_source"]
        for facet, indices in _facets(case).items():
            chart = _chart(case, indices, "nhsrplotthedots")
            summary = stated.get(f"facet_{facet}", stated)
            for name, key in (("mean", "mean"), ("mean", "mean_col"), ("lpl", "lpl"), ("upl", "upl")):
                if key in summary:
                    digits = len(str(summary[key]).split(".")[1])
                    assert round(getattr(chart.segments[0], name), digits) == pytest.approx(summary[key]), (
                        case["id"],
                        key,
                    )
                    checked += 1
            if "common_cause" in summary:
                assert chart.segments[0].common_cause == summary["common_cause"]
            if "rebase_group" in summary:
                assert [p.segment for p in chart.points] == summary["rebase_group"]
            for icon in summary.get("icons", []):
                if str(icon.get("f", facet)) == facet:
                    got = chart.variation_icon if icon["type"] == "variation" else chart.assurance_icon
                    named = {"inconsistent": "hit_and_miss"}.get(
                        icon["icon"].removesuffix(".svg"), icon["icon"].removesuffix(".svg")
                    )
                    assert got == named, (case["id"], icon)
            if "last_two_point_type" in summary:
                assert [p.point_type for p in chart.points[-2:]] == summary["last_two_point_type"]
    assert checked >= 20


def test_the_flat_points_table_matches_to_the_bit(reference):
    cases = {c["id"]: c for c in _cases(reference)}
    with reference("spc", "nhsrplotthedots_points.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[(row["case_id"], row["facet"])].append(row)
    checked = 0
    for (case_id, _facet), facet_rows in groups.items():
        options = cases[case_id]["input"].get("options", {})
        chart = xmr(
            [float(r["value"]) for r in facet_rows],
            dates=[r["date"] for r in facet_rows],
            improvement=options.get("improvement_direction", "increase"),
            target=options.get("target"),
            rebase=[options["rebase"]] if "rebase" in options else None,
            fix_after_n_points=options.get("fix_after_n_points"),
            screen_outliers=options.get("screen_outliers", True),
            mode="nhsrplotthedots",
        )
        for point, row in zip(chart.points, facet_rows, strict=True):
            assert (point.mean, point.lpl, point.upl) == (
                float(row["mean"]),
                float(row["lpl"]),
                float(row["upl"]),
            )
            assert point.special_cause_type == row["special_cause_type"]
            assert point.point_type == row["point_type"]
            assert point.outside_limits == (row["outside_limits"] == "TRUE")
            assert point.close_to_limits == (row["close_to_limits"] == "TRUE")
            checked += 1
    assert checked == len(rows) == 753


def test_group_summary_counts_match(reference):
    cases = {c["id"]: c for c in _cases(reference)}
    with reference("spc", "nhsrplotthedots_group_summary.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        case = cases[row["case_id"]]
        chart = _chart(case, _facets(case)[row["facet"]], "nhsrplotthedots")
        segment = chart.segments[int(row["rebase_group"])]
        assert segment.n == int(row["n"])
        assert segment.common_cause == int(row["common_cause"])
        assert segment.special_cause_improvement == int(row["special_cause_improvement"])
        assert segment.special_cause_concern == int(row["special_cause_concern"])
        assert segment.special_cause_neutral == int(row["special_cause_neutral"])
        if row["assurance_icon"]:
            icon = {"pass.svg": "pass", "fail.svg": "fail", "inconsistent.svg": "hit_and_miss"}[row["assurance_icon"]]
            assert chart.assurance_icon == icon


def test_abspc_and_nhsrplotthedots_disagree_where_the_comparison_file_says(reference):
    """abspc follows MDC's rules on two points the file records: 6-point trends and flagged sets."""
    with reference("spc", "abspc_vs_nhsrplotthedots.csv").open(encoding="utf-8") as handle:
        rows = {r["case"]: r for r in csv.DictReader(handle)}
    cases = {c["id"]: c for c in _cases(reference)}
    for case_id, row in rows.items():
        case = cases[case_id]
        chart = _chart(case, list(range(len(case["input"]["value"]))), "nhsrplotthedots")
        flagged = [p.index + 1 for p in chart.points if p.special_cause_flag]
        expected = row["ptd_flagged_points"]
        if expected.endswith(" pts"):
            assert len(flagged) == int(expected.removesuffix(" pts"))
        else:
            assert flagged == json.loads(expected), case_id
        assert chart.variation_icon == row["ptd_variation_icon"]
