"""CSV imports of contributions and of volunteer hours, with a per-row error report and idempotent re-runs.

Every row is checked first (through `services.plan_contribution`, the same rules as the pages) and
each rejected row is reported as `file:line: field: reason`. Rows are keyed by their `reference`:
running the same file again changes nothing; a row whose facts changed is updated and revalued
(money postings are reversed and posted again); a row whose facts did not change keeps its frozen
valuation even if the council's rate has changed since. Called through `services`-level wrappers
`import_contributions_text` below, which hold the transaction and write the audit trail.
"""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from commonweal.accounts.models import Organisation
from commonweal.audit.models import Action
from commonweal.audit.services import record
from commonweal.directory.models import Service
from commonweal.importing import Column, ImportReport, read_csv_rows

from .errors import DealError
from .models import Contribution, MoneyPosting, Pledge, Sector
from .services import plan_contribution, post_money
from .valuation import RateBook

CONTRIBUTION_COLUMNS = [
    Column("reference", ["reference", "ref", "id", "transaction_id"]),
    Column("date", ["date", "given_on", "date_given"]),
    Column("kind", ["kind", "type"]),
    Column("sector", ["sector"], required=False),
    Column("contributor", ["contributor", "organisation", "from", "giver"], required=False),
    Column("label", ["contributor_label", "given_by"], required=False),
    Column("amount", ["amount", "amount_gbp", "value", "value_gbp"], required=False),
    Column("currency", ["currency"], required=False),
    Column("hours", ["hours"], required=False),
    Column("category", ["category", "in_kind_category"], required=False),
    Column("basis", ["basis", "valuation_basis"], required=False),
    Column("description", ["description", "what"], required=False),
    Column("lsoa", ["lsoa", "lsoa_code", "lsoa11cd", "neighbourhood"], required=False),
    Column("district", ["district", "district_code"], required=False),
    Column("supported", ["supported", "supported_organisation", "recipient", "to"], required=False),
    Column("pledge", ["pledge", "pledge_id"], required=False),
    Column("offer", ["offer", "service", "service_id", "oruk_service_id"], required=False),
]
VOLUNTEER_COLUMNS = [
    Column("reference", ["reference", "ref", "id"]),
    Column("date", ["date", "given_on", "date_given"]),
    Column("hours", ["hours", "volunteer_hours"]),
    Column("supported", ["organisation", "supported_organisation", "group", "where"]),
    Column("contributor", ["volunteer", "volunteers", "contributor"], required=False),
    Column("sector", ["sector"], required=False),
    Column("description", ["description", "activity", "role"], required=False),
    Column("lsoa", ["lsoa", "lsoa_code", "lsoa11cd", "neighbourhood"], required=False),
    Column("district", ["district", "district_code"], required=False),
]
# The facts a row states; a re-run compares these, never the frozen valuation.
FACT_FIELDS = [
    "kind",
    "sector",
    "given_on",
    "minutes",
    "amount_pence",
    "in_kind_category",
    "description",
    "contributor_organisation_id",
    "contributor_label",
    "neighbourhood_id",
    "district_id",
    "supported_organisation_id",
    "supported_pledge_id",
    "supported_service_id",
]
VALUED_FIELDS = [*FACT_FIELDS, "value_pence", "rate_pence_per_hour", "valuation_basis", "valuation_source"]


class _Lookups:
    """Everything a row may name in the place, fetched once per import."""

    def __init__(self, place: Any) -> None:
        self.neighbourhoods = {n.code: n for n in place.neighbourhoods.select_related("district")}
        self.districts = {d.code.upper(): d for d in place.districts.all()}
        organisations = list(Organisation.objects.filter(Q(place=place) | ~Q(identifier="")))
        self.by_identifier = {o.identifier.upper(): o for o in organisations if o.identifier}
        self.by_name = {o.name.casefold(): o for o in organisations if o.place_id == place.pk}
        self.pledges = {str(p.pk): p for p in Pledge.objects.filter(place=place)}
        self.place = place
        self._services: dict[str, Any] | None = None

    def service(self, raw: str) -> Any:
        if not raw:
            return None
        if self._services is None:  # fetched only when a file names offers
            self._services = {
                s.oruk_id: s for s in Service.objects.filter(place=self.place).only("pk", "oruk_id", "place")
            }
        found = self._services.get(raw)
        if found is None:
            raise DealError(_("no offer with ORUK id %(raw)r in this place") % {"raw": raw}, field="offer")
        return found

    def organisation(self, raw: str, field: str) -> Organisation | None:
        if not raw:
            return None
        found = self.by_identifier.get(raw.upper()) or self.by_name.get(raw.casefold())
        if found is None:
            raise DealError(_("no organisation with identifier or name %(raw)r") % {"raw": raw}, field=field)
        return found

    def neighbourhood(self, raw: str) -> Any:
        if not raw:
            return None
        found = self.neighbourhoods.get(raw.upper())
        if found is None:
            raise DealError(_("%(raw)r is not a neighbourhood (LSOA) of this place") % {"raw": raw}, field="lsoa")
        return found

    def district(self, raw: str) -> Any:
        if not raw:
            return None
        found = self.districts.get(raw.upper())
        if found is None:
            raise DealError(_("%(raw)r is not a district of this place") % {"raw": raw}, field="district")
        return found

    def pledge(self, raw: str) -> Any:
        if not raw:
            return None
        found = self.pledges.get(raw)
        if found is None:
            raise DealError(_("no pledge %(raw)r in this place") % {"raw": raw}, field="pledge")
        return found


def parse_pence(raw: str, field: str = "amount") -> int | None:
    """'£1,250.5' -> 125050; blank -> None. Refuses negatives, fractions of a penny and non-numbers."""
    cleaned = raw.replace(",", "").replace("£", "").strip()
    if not cleaned:
        return None
    try:
        pounds = Decimal(cleaned)
    except InvalidOperation:
        raise DealError(_("%(raw)r is not an amount in pounds") % {"raw": raw}, field=field) from None
    if not pounds.is_finite():
        raise DealError(_("%(raw)r is not an amount in pounds") % {"raw": raw}, field=field)
    if pounds < 0:
        raise DealError(
            _("%(raw)s is negative: record corrections by voiding, not as negative rows") % {"raw": raw}, field=field
        )
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise DealError(_("%(raw)s has fractions of a penny") % {"raw": raw}, field=field)
    return int(pence)


def parse_minutes(raw: str) -> int:
    """'1.5' hours -> 90 minutes (to the nearest minute); refuses blanks, negatives and zero."""
    try:
        hours = Decimal(raw.replace(",", "").strip())
    except InvalidOperation:
        raise DealError(_("%(raw)r is not a number of hours") % {"raw": raw}, field="hours") from None
    if not hours.is_finite() or hours <= 0:
        raise DealError(_("%(raw)r is not a positive number of hours") % {"raw": raw}, field="hours")
    return int((hours * 60).to_integral_value())


def parse_date(raw: str) -> date:
    """ISO dates (2024-05-31) or UK dates (31/05/2024)."""
    text = raw.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise DealError(_("%(raw)r is not a date like 2024-05-31 or 31/05/2024") % {"raw": raw}, field="date") from None


def _contribution_fields(row: Mapping[str, str], lookups: _Lookups) -> dict[str, Any]:
    kind = row.get("kind", "").strip().lower().replace("-", "_").replace(" ", "_")
    hours = row.get("hours", "")
    return {
        "kind": kind,
        "given_on": parse_date(row["date"]),
        "sector": row.get("sector", "").strip().lower() or None,
        "contributor_organisation": lookups.organisation(row.get("contributor", ""), "contributor"),
        "minutes": parse_minutes(hours) if kind == "time" else 0,
        "amount_pence": parse_pence(row.get("amount", "")) if kind != "time" else None,
        "currency": row.get("currency", "").strip() or "GBP",
        "in_kind_category": row.get("category", "").strip().lower(),
        "valuation_basis": row.get("basis", "").strip().lower() or None,
        "description": row.get("description", ""),
        "neighbourhood": lookups.neighbourhood(row.get("lsoa", "")),
        "district": lookups.district(row.get("district", "")),
        "supported_organisation": lookups.organisation(row.get("supported", ""), "supported"),
        "supported_pledge": lookups.pledge(row.get("pledge", "").strip()),
        "supported_service": lookups.service(row.get("offer", "").strip()),
    }


def _volunteer_fields(row: Mapping[str, str], lookups: _Lookups) -> dict[str, Any]:
    return {
        "kind": Contribution.Kind.TIME,
        "given_on": parse_date(row["date"]),
        "sector": row.get("sector", "").strip().lower() or Sector.RESIDENTS,
        "minutes": parse_minutes(row["hours"]),
        "description": row.get("description", ""),
        "neighbourhood": lookups.neighbourhood(row.get("lsoa", "")),
        "district": lookups.district(row.get("district", "")),
        "supported_organisation": lookups.organisation(row["supported"], "supported"),
    }


def _label(row: Mapping[str, str], fields: dict[str, Any]) -> str:
    # `contributor` must name a known organisation (a typo is reported, not kept as text);
    # free text such as "Pantry volunteers" goes in `contributor_label`. Volunteer files keep the volunteer's label.
    if fields.get("contributor_organisation"):
        return ""
    return row.get("label", "") or (row.get("contributor", "") if "hours" in row and "kind" not in row else "")


IMPORTS: dict[str, tuple[list[Column], Callable[..., dict[str, Any]], str]] = {
    "contributions": (CONTRIBUTION_COLUMNS, _contribution_fields, Contribution.Source.CONTRIBUTIONS_CSV),
    "volunteer_hours": (VOLUNTEER_COLUMNS, _volunteer_fields, Contribution.Source.VOLUNTEER_HOURS_CSV),
}


def plan_rows(place: Any, text: str, *, file: str, kind: str, report: ImportReport) -> dict[str, Contribution]:
    """Check every row; return the good ones (unsaved, valued) by reference. Rejections go in the report."""
    columns, to_fields, source = IMPORTS[kind]
    lookups, rates, planned, seen = _Lookups(place), RateBook(place), {}, {}
    for line, row in read_csv_rows(text, columns, file=file):
        reference = row["reference"].strip()
        if not reference:
            report.reject(line, "reference", _("is empty: every row needs its own reference"))
            continue
        if reference in seen:
            report.reject(
                line,
                "reference",
                _("%(ref)s appears again (first on line %(first)d)") % {"ref": reference, "first": seen[reference]},
            )
            continue
        seen[reference] = line
        try:
            fields = to_fields(row, lookups)
            planned[reference] = plan_contribution(
                place,
                **fields,
                contributor_label=_label(row, fields),
                source=source,
                external_id=reference,
                rates=rates,
            )
        except DealError as error:
            report.reject(line, error.field or "", str(error))
    return planned


def import_contributions_text(
    place: Any, text: str, *, file: str, by: Any, kind: str = "contributions"
) -> ImportReport:
    """Import a CSV of contributions (`kind="contributions"`) or of volunteer hours (`"volunteer_hours"`).

    All good rows are written together, or none; the report lists every rejected row.
    Raises `ImportFileError` when the file cannot be read at all (required column missing).
    """
    report = ImportReport(file)
    planned = plan_rows(place, text, file=file, kind=kind, report=report)
    with transaction.atomic():
        _write(place, planned, IMPORTS[kind][2], report, by)
        record(by, Action.IMPORTED, place, place=place, purpose=f"import {kind}", detail=report.as_dict())
    return report


def _write(place: Any, planned: dict[str, Contribution], source: str, report: ImportReport, by: Any) -> None:
    existing = {
        c.external_id: c
        for c in Contribution.objects.select_for_update().filter(
            place=place, source=source, external_id__in=list(planned)
        )
    }
    recorder = by if getattr(by, "is_authenticated", False) else None
    new = [c for key, c in planned.items() if key not in existing]
    for contribution in new:
        contribution.recorded_by = recorder
    Contribution.objects.bulk_create(new, batch_size=500)
    changed = _changed(existing, planned, report)
    if changed:
        Contribution.objects.bulk_update(changed, VALUED_FIELDS, batch_size=500)
    _post_money(new, changed)
    report.created += len(new)
    report.updated += len(changed)


def _changed(existing: dict[str, Contribution], planned: dict[str, Contribution], report: ImportReport) -> list:
    changed = []
    for key, stored in existing.items():
        fresh = planned[key]
        if all(getattr(stored, f) == getattr(fresh, f) for f in FACT_FIELDS):
            report.unchanged += 1
            continue
        for name in VALUED_FIELDS:
            setattr(stored, name, getattr(fresh, name))
        changed.append(stored)
    return changed


def _post_money(new: list[Contribution], changed: list[Contribution]) -> None:
    """Post new money rows; for changed rows reverse what was posted, then post again."""
    if changed:
        nets = (
            MoneyPosting.objects.filter(contribution__in=changed)
            .values("contribution_id", "account_id")
            .annotate(net=Sum("amount_pence"))
        )
        MoneyPosting.objects.bulk_create(
            [
                MoneyPosting(contribution_id=n["contribution_id"], account_id=n["account_id"], amount_pence=-n["net"])
                for n in nets
                if n["net"]
            ]
        )
    for contribution in [*new, *changed]:
        if contribution.kind == Contribution.Kind.MONEY:
            post_money(contribution)
