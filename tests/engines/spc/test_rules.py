"""The rule detectors against NHSRplotthedots' function-level test cases, and the rule settings."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from commonweal.engines.spc import SpcError, SpcRules, xmr
from commonweal.engines.spc.rules import (
    part_of_pattern,
    part_of_two_in_three,
    shift_markers,
    trend_markers,
    two_in_three_windows,
)
from commonweal.engines.spc.xmr import _assurance, _choose_rule, _point_type, rule_label


def _unit(reference: Callable[..., Path], name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(reference("spc", "nhsrplotthedots_unit_cases.json").read_text("utf-8"))
    return data[name]


def test_seven_points_on_one_side_of_the_mean_match_the_r_tests(reference):
    for case in _unit(reference, "seven_point_one_side_mean")["cases"]:
        got = shift_markers(np.asarray(case["input"]["relative_to_mean"], dtype=np.int8))
        assert np.abs(got).tolist() == case["expected"], case


def test_part_of_a_seven_point_pattern_matches_the_r_tests(reference):
    for case in _unit(reference, "part_of_seven_trend")["cases"]:
        got = part_of_pattern(np.asarray(case["input"]["marker"], dtype=np.int8))
        assert got.astype(int).tolist() == case["expected"], case


def test_seven_point_trends_match_the_r_tests(reference):
    for case in _unit(reference, "seven_point_trend")["cases"]:
        got = trend_markers(np.asarray(case["input"]["y"], dtype=float))
        assert got.tolist() == case["expected"], case


def test_two_in_three_windows_match_the_r_tests(reference):
    for case in _unit(reference, "two_in_three")["cases"]:
        close = case["input"]["close_to_limits"]
        side = case["input"]["relative_to_mean"]
        if len(side) != len(close):  # the R test's degenerate length-1 vector: read it as all zeros
            side = [0] * len(close)
        got = two_in_three_windows(np.asarray(close, dtype=bool), np.asarray(side, dtype=np.int8))
        assert got.astype(int).tolist() == case["expected"], case


def test_only_counted_points_of_a_two_in_three_are_flagged_as_in_the_r_tests(reference):
    for case in _unit(reference, "part_of_two_in_three")["cases"]:
        got = part_of_two_in_three(
            np.asarray(case["input"]["close_to_limits"], dtype=bool),
            np.asarray(case["input"]["relative_to_mean"], dtype=np.int8),
        )
        assert got.astype(int).tolist() == case["expected"], case


def test_rule_precedence_labels_points_as_the_r_test_does(reference):
    case = _unit(reference, "special_cause_type_precedence")["cases"][0]
    inp = case["input"]
    rtm = np.asarray(inp["relative_to_mean"], dtype=np.int8)
    flags = {
        "outside_limits": np.asarray(inp["outside_limits"]) != 0,
        "trend": np.asarray(inp["mocked_part_of_seven_trend_for_trend"]) != 0,
        "two_in_three": np.asarray(inp["mocked_part_of_two_in_three"]) != 0,
        "shift": np.asarray(inp["mocked_part_of_seven_trend_for_shift"]) != 0,
    }
    side = np.where(rtm > 0, 1, -1).astype(np.int8)
    # y rises throughout, so every trend point is labelled increasing
    signs = {"outside_limits": np.where(rtm == 1, 1, -1).astype(np.int8), "trend": np.ones(8, np.int8)}
    signs |= {"two_in_three": side, "shift": side}
    rules = SpcRules.for_mode("nhsrplotthedots")
    rule, sign = _choose_rule(flags, signs, rules, 1)
    names = [None, "outside_limits", "trend", "two_in_three", "shift"]
    labels = [rule_label(names[r], s, rules) for r, s in zip(rule.tolist(), sign.tolist(), strict=True)]  # type: ignore[arg-type]
    assert labels == case["expected"]


@pytest.mark.parametrize(
    ("direction", "sign", "expected"),
    [
        (1, 1, "special_cause_improvement"),
        (1, -1, "special_cause_concern"),
        (-1, 1, "special_cause_concern"),
        (-1, -1, "special_cause_improvement"),
        (0, 1, "special_cause_neutral_high"),
        (0, -1, "special_cause_neutral_low"),
    ],
)
def test_point_type_follows_the_side_and_the_improvement_direction(direction, sign, expected):
    from commonweal.engines.spc.xmr import POINT_TYPES

    code = _point_type(np.asarray([1], np.int8), np.asarray([sign], np.int8), direction)
    assert POINT_TYPES[int(code[0])] == expected


def test_assurance_matches_the_r_tests_for_each_direction(reference):
    from commonweal.engines.spc.xmr import ASSURANCE_TYPES

    direction = {"increase": 1, "decrease": -1, "neutral": 0}
    for case in _unit(reference, "assurance_type")["cases"]:
        inp = case["input"]
        if "rows" in inp and "lpl" in inp["rows"][0]:
            target = np.asarray([r["target"] for r in inp["rows"]], dtype=float)
            lpl = np.asarray([r["lpl"] for r in inp["rows"]], dtype=float)
            upl = np.asarray([r["upl"] for r in inp["rows"]], dtype=float)
        elif "rows_in_order" in inp:
            last = inp["rows_in_order"][-1]  # the latest row of the facet decides
            target, lpl, upl = (
                np.asarray([inp["target"]], float),
                np.asarray([last["lpl"]], float),
                np.asarray([last["upl"]], float),
            )
        else:
            target, lpl, upl = np.asarray([np.nan]), np.asarray([1.0]), np.asarray([3.0])
        codes = _assurance(target, lpl, upl, direction[inp["improvement_direction"]])
        got = [ASSURANCE_TYPES[c] if c >= 0 else None for c in codes.tolist()]
        assert got == case["expected"], case


def test_short_group_warning_threshold_matches_the_r_tests(reference):
    for case in _unit(reference, "short_group_warning")["cases"]:
        threshold = case["input"]["warning_threshold"]
        sizes = case["input"].get("group_sizes") or [g["n"] for g in case["input"]["groups"]]
        rules = SpcRules(short_group_threshold=threshold)
        values = np.tile([1.0, 3.0, 2.0], 20)
        got = []
        for n in sizes:
            chart = xmr(values[:n], rules=rules)
            got.append(chart.segments[0].short_group_warning)
            assert bool(chart.warnings) == chart.segments[0].short_group_warning
        assert got == case["expected"]["short_group_warning_by_group"]


def test_rule_settings_are_checked_with_a_helpful_message():
    with pytest.raises(SpcError, match="trend_points must be a whole number of at least 2"):
        SpcRules(trend_points=1)
    with pytest.raises(SpcError, match="two_in_three must be"):
        SpcRules(two_in_three="sometimes")  # type: ignore[arg-type]
    with pytest.raises(SpcError, match="precedence must name each"):
        SpcRules(precedence=("trend", "shift"))
    with pytest.raises(SpcError, match="conflict must be"):
        SpcRules(conflict="toss")  # type: ignore[arg-type]
    with pytest.raises(SpcError, match="mode must be one of"):
        SpcRules.for_mode("excel")  # type: ignore[arg-type]


def test_a_six_point_shift_is_a_signal_when_asked_for():
    values = [10, 12, 9, 11, 10, 12, 9, 11, 10, 9, 11.5, 11.5, 11.5, 11.5, 11.5, 11.5]
    assert xmr(values).variation_icon == "common_cause"
    six = xmr(values, rules=SpcRules(shift_points=6))
    assert six.variation_icon == "improvement_high"
    assert [p.shift for p in six.points][-6:] == [True] * 6
    assert six.latest.special_cause_type == "6 Points Above CL"
    assert six.rules.shift_points == 6


def test_switching_a_rule_off_removes_its_signals():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30]
    assert xmr(values).latest.outside_limits
    quiet = xmr(values, rules=SpcRules(outside_limits=False))
    assert quiet.latest.point_type == "common_cause"
    assert quiet.latest.outside_limits  # the fact is still recorded; only the signal is off


def test_a_custom_precedence_changes_the_label_not_the_flags():
    values = [5.0, 5.5, 4.5, 5.0, 5.5, 4.5, 5.0, 6.0, 6.1, 6.2, 6.3, 6.4, 6.5, 6.6]
    default = xmr(values)
    shift_first = xmr(values, rules=SpcRules(precedence=("shift", "outside_limits", "trend", "two_in_three")))
    assert default.latest.special_cause_rule == "trend"
    assert shift_first.latest.special_cause_rule == "shift"
    assert [p.trend for p in default.points] == [p.trend for p in shift_first.points]
