"""The worked example in docs/methods/valuation.md: its code runs and its numbers are these."""

import math
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "methods" / "valuation.md"


@pytest.fixture(scope="module")
def text():
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(text):
    return text.replace("| **", "| ").replace("** |", " |")  # bold table cells are emphasis


@pytest.fixture(scope="module")
def example(text):
    marker = text.index("<!-- worked-example")
    code = re.search(r"```python\n(.*?)```", text[marker:], re.DOTALL)
    assert code, "the worked example's python block is missing"
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)  # noqa: S102  (our own documentation)
    return namespace["result"]


def money(value):
    return f"£{value:,.0f}"


def test_worked_example_present_values_are_those_in_the_docs(example, doc):
    assert example.pv_social == pytest.approx(1_191_080, abs=1)
    for value in (
        example.pv_costs,
        example.pv_public_costs,
        example.pv_in_kind,
        example.pv_resources,
        example.pv_benefits,
        example.pv_social,
        example.pv_fiscal,
        example.pv_transfers,
        example.pv_welfare,
        example.npv,
        example.net_budget_impact,
        example.pv_welfare_weighted,
    ):
        assert money(value) in doc


def test_worked_example_ratios_and_their_intervals_are_those_in_the_docs(example, doc):
    for name in ("bcr", "sroi", "social_productivity_ratio", "financial_return", "public_value_return"):
        summary = example.uncertainty[name]
        row = f"| {getattr(example, name):.2f} | {summary.percentiles[5]:.2f} to {summary.percentiles[95]:.2f} |"
        assert row in doc, name
    npv = example.uncertainty["npv"]
    assert f"{money(npv.percentiles[5])} to {money(npv.percentiles[95])}" in doc
    assert f"{example.bcr_weighted:.2f}" in doc


def test_worked_example_breakdowns_are_those_in_the_docs(example, doc):
    for sector, value in example.resources_by_sector.items():
        assert f"{sector} {money(value)}" in doc
    for decile, value in example.value_by_decile.items():
        assert f"decile {decile} {money(value)}" in doc
    assert example.payback_year is None
    assert math.isinf(example.uncertainty["payback_year"].percentiles[50])
    assert example.probability_value_exceeds_cost == 1.0
