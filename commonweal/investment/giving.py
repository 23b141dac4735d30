"""Publishing awards as 360Giving data: a JSON package and the standard's flat CSV.

Only organisations receive grants here, so the data never carries an individual's personal details:
no applicant's name, no conversation notes, no reports. An award is published when its recipient
and at least one funder have an org-id identifier (GB-CHC-, GB-COH-, GB-LAE- ...); the rest are
listed by `unpublishable` so an officer can add the missing identifier.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from .models import Award, Fund
from .money import pounds_from_pence

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
VERSION = "1.4"


def publishable_awards(place: Any) -> QuerySet[Award]:
    return (
        Award.objects.filter(place=place)
        .exclude(recipient__identifier="")
        .select_related("fund__managed_by", "recipient", "application__round")
        .prefetch_related("fund__contributions__organisation", "payments")
        .order_by("award_date", "pk")
    )


def unpublishable(place: Any) -> QuerySet[Award]:
    return Award.objects.filter(place=place, recipient__identifier="").select_related("recipient")


def _organisation(org: Any) -> dict[str, str]:
    data = {"id": org.identifier, "name": org.name}
    scheme, _, number = org.identifier.partition("-")[2].partition("-")
    if scheme == "CHC":
        data["charityNumber"] = number
    elif scheme == "COH":
        data["companyNumber"] = number
    return data


def funders(fund: Fund) -> list[Any]:
    """The fund's manager first, then every partner who put money in (a pooled fund has several)."""
    seen = {fund.managed_by.pk: fund.managed_by}
    for contribution in fund.contributions.all():
        seen.setdefault(contribution.organisation.pk, contribution.organisation)
    return [org for org in seen.values() if org.identifier]


def _amount(pence: int) -> int | float:
    value = pounds_from_pence(pence)
    return int(value) if value == value.to_integral_value() else float(value)


def grant(award: Award) -> dict[str, Any] | None:
    """One award as a 360Giving grant, or None when no funder has an identifier."""
    funding = [_organisation(org) for org in funders(award.fund)]
    if not funding or not award.recipient.identifier:
        return None
    data: dict[str, Any] = {
        "id": award.grant_id,
        "title": award.title,
        "description": award.description,
        "currency": "GBP",
        "amountAppliedFor": _amount(award.application.amount_requested_pence),
        "amountAwarded": _amount(award.amount_pence),
        "awardDate": award.award_date.isoformat(),
        "plannedDates": [
            {
                "startDate": award.start_date.isoformat(),
                "endDate": award.end_date.isoformat(),
                "duration": award.duration_months,
            }
        ],
        "recipientOrganization": [_organisation(award.recipient)],
        "fundingOrganization": funding,
        "grantProgramme": [{"code": f"round-{award.application.round_id}", "title": award.application.round.title}],
        "fromOpenCall": "Yes",
        "classifications": [
            {
                "vocabulary": "commonweal:restriction",
                "code": "unrestricted" if award.unrestricted else "restricted",
                "title": "Unrestricted funding" if award.unrestricted else "Restricted funding",
            }
        ],
    }
    payments = list(award.payments.all())
    if payments:
        data["amountDisbursed"] = _amount(sum(p.amount_pence for p in payments))
    return data


def package(place: Any, *, publisher: Any = None) -> dict[str, Any]:
    """Every publishable award of the place as a 360Giving package (`{"grants": [...]}` and metadata)."""
    grants = [g for g in (grant(a) for a in publishable_awards(place)) if g is not None]
    data: dict[str, Any] = {
        "version": VERSION,
        "title": f"Grants made in {place.name}",
        "license": LICENCE,
        "grants": grants,
    }
    if publisher is not None and publisher.identifier:
        data["publisher"] = {"identifier": publisher.identifier, "name": publisher.name}
    return data


# The 360Giving flat CSV: one row per grant; the first funder and recipient take the standard's
# column titles (the tools that read 360Giving CSV know them), further funders go in numbered columns.
CSV_COLUMNS = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Applied For", ("amountAppliedFor",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Amount Disbursed", ("amountDisbursed",)),
    ("Award Date", ("awardDate",)),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate")),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate")),
    ("Planned Dates:Duration (months)", ("plannedDates", 0, "duration")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Recipient Org:Charity Number", ("recipientOrganization", 0, "charityNumber")),
    ("Recipient Org:Company Number", ("recipientOrganization", 0, "companyNumber")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("From An Open Call?", ("fromOpenCall",)),
]
MORE_FUNDERS = 4  # pooled funds with up to five partners fit one row


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError):
            return ""
    return data


def csv_text(grants: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    extra = [(f"Funding Org:{n}:Identifier", f"Funding Org:{n}:Name") for n in range(2, 2 + MORE_FUNDERS)]
    writer.writerow([title for title, _ in CSV_COLUMNS] + [t for pair in extra for t in pair])
    for g in grants:
        row = [_get(g, path) for _, path in CSV_COLUMNS]
        for n in range(1, 1 + MORE_FUNDERS):
            org = _get(g, ("fundingOrganization", n))
            row += [org.get("id", ""), org.get("name", "")] if org else ["", ""]
        writer.writerow(row)
    return out.getvalue()


def grants_from_csv(text: str) -> list[dict[str, Any]]:
    """Read the CSV back into grants (what 360Giving's tools do), so tests can validate the CSV too."""
    grants = []
    for row in csv.DictReader(io.StringIO(text)):
        data: dict[str, Any] = {}
        for title, path in CSV_COLUMNS:
            if row.get(title, "") != "":
                _put(data, path, row[title])
        for n in range(2, 2 + MORE_FUNDERS):
            if row.get(f"Funding Org:{n}:Identifier"):
                data["fundingOrganization"].append(
                    {"id": row[f"Funding Org:{n}:Identifier"], "name": row[f"Funding Org:{n}:Name"]}
                )
        grants.append(data)
    return grants


NUMBERS = {"amountAppliedFor", "amountAwarded", "amountDisbursed", "duration"}


def _put(data: Any, path: tuple[Any, ...], value: str) -> None:
    for i, step in enumerate(path[:-1]):
        if isinstance(step, int):
            data = data[step]
        elif isinstance(path[i + 1], int):
            data = data.setdefault(step, [{}])
        else:
            data = data.setdefault(step, {})
    key = path[-1]
    data[key] = float(Decimal(value)) if key in NUMBERS else value
