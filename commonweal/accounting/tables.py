"""The account's tables, formatted once for the page, the CSV/Parquet downloads and the PDF."""

from typing import Any

from django.utils.translation import gettext as _


def pounds(value: float | None) -> str | None:
    return None if value is None else f"£{value:,.0f}"


def share(value: float | None) -> str | None:
    return None if value is None else f"{value * 100:.1f}%"


def account_tables(account: dict[str, Any]) -> list[dict[str, Any]]:
    """Each table as {key, title, columns, rows} of display strings (None where suppressed)."""
    value = account["value"]
    ratio = value["ratio"]
    ratio_text = "-" if ratio is None else f"{ratio:.2f}"
    if value["ratio_low"] is not None and value["ratio_high"] is not None:
        ratio_text += " " + _("(90%% interval %(low).2f to %(high).2f)") % {
            "low": value["ratio_low"],
            "high": value["ratio_high"],
        }
    headline = {
        "key": "headline",
        "title": _("The account"),
        "columns": [_("Figure"), _("Value")],
        "rows": [
            [_("Social value created (present value)"), pounds(value["social"])],
            [_("Economic value"), pounds(value["economic"])],
            [_("Fiscal value (public bodies' savings)"), pounds(value["fiscal"])],
            [_("All value created"), pounds(value["total"])],
            [_("Resources put in, every sector"), pounds(value["resources"])],
            [_("Social productivity ratio (value per £1 put in)"), ratio_text],
            [_("Value weighted for fairness (Green Book weights)"), pounds(value["equity_weighted"])],
        ],
    }
    sectors = {
        "key": "sectors",
        "title": _("Resources put in by sector"),
        "columns": [_("Sector"), _("Value"), _("Of which into pooled funds"), _("Hours"), _("Ledger entries")],
        "rows": [
            [
                s["label"],
                pounds(s["pounds"]),
                pounds(s.get("funds_pounds", 0.0)),
                f"{s['hours']:,.0f}",
                _count(s["count"]),
            ]
            for s in account["resources"]["by_sector"]
        ],
    }
    activity = {
        "key": "activity",
        "title": _("What happened"),
        "columns": [_("Activity"), _("Count")],
        "rows": [[a["label"], None if a["count"] is None else f"{a['count']:,.0f}"] for a in account["activity"]],
    }
    fairness = {
        "key": "deciles",
        "title": _("Fairness: by deprivation decile (1 = most deprived)"),
        "columns": [
            _("Decile"),
            _("Population"),
            _("Share of people"),
            _("Resources per head"),
            _("Share of resources"),
            _("Value per head"),
            _("Share of value"),
        ],
        "rows": [
            [
                str(r["decile"]),
                f"{r['population']:,}",
                share(r["population_share"]),
                None if r["resources_per_head"] is None else f"£{r['resources_per_head']:,.2f}",
                share(r["resources_share"]),
                None if r["value_per_head"] is None else f"£{r['value_per_head']:,.2f}",
                share(r["value_share"]),
            ]
            for r in account["fairness"]["deciles"]
        ],
    }
    assumptions = {
        "key": "assumptions",
        "title": _("Assumptions"),
        "columns": [_("Assumption"), _("Value"), _("Source")],
        "rows": [[a["label"], str(a["value"]), a["source"]] for a in account["assumptions"]],
    }
    return [headline, sectors, activity, fairness, assumptions]


def _count(n: int) -> str | None:
    return None if n < 10 else f"{n:,}"
