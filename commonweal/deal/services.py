"""Use cases that write the Deal: pledges and their updates, contributions, and the time valuation rate.

Views, commands, importers, the demo and tests all call these. Each runs in a transaction and
writes the audit trail; each raises `DealError` with a message a user can act on. The time bank's
use cases are in `timebank.py`.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record

from .errors import DealError
from .ledger import ResourcesIn, Totals, resources_in  # noqa: F401 (the account's entry point, found here too)
from .models import Contribution, LedgerAccount, MoneyPosting, Pledge, PledgeUpdate, Sector, ValuationRate
from .models import sector_of_organisation as _sector_of
from .models.ledger import CURRENCY, TIME_BASES, Basis
from .valuation import RateBook, time_rate_on, value_of_minutes

# --- Pledges -------------------------------------------------------------------------------------

PLEDGE_FIELDS = (
    "title",
    "description",
    "scope",
    "district",
    "neighbourhood",
    "group",
    "due_by",
    "progress_measure",
    "show_name",
    "is_public",
    "number",
)


def make_pledge(
    place: Any, *, by: Any, title: str, organisation: Any = None, user: Any = None, **fields: Any
) -> Pledge:
    """A party's pledge: an organisation's (made by someone acting for it) or a resident's own."""
    if (organisation is None) == (user is None):
        raise DealError(_("A pledge is made by one organisation or one resident."))
    sector = _sector_of(organisation) if organisation is not None else Sector.RESIDENTS
    pledge = Pledge(place=place, organisation=organisation, user=user, sector=sector, title=title.strip())
    _apply_pledge_fields(pledge, fields)
    with transaction.atomic():
        pledge.save()
        record(by, Action.CREATED, pledge, place=place, detail={"sector": sector})
    return pledge


def change_pledge(pledge: Pledge, *, by: Any, **fields: Any) -> Pledge:
    _apply_pledge_fields(pledge, fields)
    pledge.updated_at = timezone.now()
    with transaction.atomic():
        pledge.save()
        record(by, Action.UPDATED, pledge, place=pledge.place, detail={"fields": sorted(fields)})
    return pledge


def post_pledge_update(pledge: Pledge, *, by: Any, text: str, status: str | None = None) -> PledgeUpdate:
    """A public note on progress; it may also mark the pledge kept or withdrawn."""
    if not text.strip():
        raise DealError(_("Say how the pledge is going."), field="text")
    status = Pledge.Status(status or pledge.status)
    with transaction.atomic():
        update = PledgeUpdate.objects.create(pledge=pledge, text=text.strip(), status=status, author=by)
        pledge.status, pledge.updated_at = status, timezone.now()
        pledge.save(update_fields=["status", "updated_at"])
        record(by, Action.UPDATED, pledge, place=pledge.place, purpose="pledge update", detail={"status": status})
    return update


def _apply_pledge_fields(pledge: Pledge, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PLEDGE_FIELDS)
    if unknown:
        raise TypeError(f"unknown pledge fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(pledge, name, value)
    if not pledge.title:
        raise DealError(_("Say what is promised."), field="title")
    targets = {"district": pledge.district, "neighbourhood": pledge.neighbourhood}
    for name, target in targets.items():
        if target is not None and target.place_id != pledge.place_id:
            raise DealError(_("That is in another place."), field=name)
    needed = {
        Pledge.Scope.DISTRICT: "district",
        Pledge.Scope.NEIGHBOURHOOD: "neighbourhood",
        Pledge.Scope.GROUP: "group",
    }
    name = needed.get(Pledge.Scope(pledge.scope))
    if name and getattr(pledge, name) is None:
        raise DealError(_("Choose the %(what)s the pledge is made to.") % {"what": name}, field=name)


# --- Contributions -------------------------------------------------------------------------------


def plan_contribution(
    place: Any,
    *,
    kind: str,
    given_on: date,
    sector: str | None = None,
    contributor_organisation: Any = None,
    contributor_user: Any = None,
    contributor_label: str = "",
    minutes: int = 0,
    amount_pence: int | None = None,
    currency: str = CURRENCY,
    in_kind_category: str = "",
    valuation_basis: str | None = None,
    valuation_source: str = "",
    description: str = "",
    neighbourhood: Any = None,
    district: Any = None,
    supported_organisation: Any = None,
    supported_pledge: Any = None,
    supported_service: Any = None,
    source: str = Contribution.Source.MANUAL,
    external_id: str = "",
    rates: RateBook | None = None,
) -> Contribution:
    """Validate and value a contribution without saving it (importers save many together).

    Raises `DealError` naming the field: a currency other than GBP, a negative or missing amount, a
    sector that contradicts the contributor, a neighbourhood in another place, a date in the future.
    """
    kind = _choice(Contribution.Kind, kind, "kind")
    if (currency or "").strip().upper() != CURRENCY:
        raise DealError(
            _("Only pounds sterling (GBP) are recorded, not %(currency)s: convert the amount first.")
            % {"currency": currency or _("no currency")},
            field="currency",
        )
    if given_on > timezone.localdate():
        raise DealError(_("The date is in the future."), field="given_on")
    contribution = Contribution(
        place=place,
        kind=kind,
        given_on=given_on,
        sector=_sector(sector, contributor_organisation, contributor_user),
        contributor_organisation=contributor_organisation,
        contributor_user=contributor_user,
        contributor_label=contributor_label.strip()[:200],
        description=description.strip()[:300],
        currency=CURRENCY,
        supported_organisation=supported_organisation,
        supported_pledge=supported_pledge,
        supported_service=supported_service,
        source=source,
        external_id=external_id.strip()[:100],
    )
    _place_it(contribution, place, neighbourhood, district)
    if supported_pledge is not None and supported_pledge.place_id != place.pk:
        raise DealError(_("That pledge is in another place."), field="supported_pledge")
    if supported_service is not None and supported_service.place_id != place.pk:
        raise DealError(_("That offer is in another place."), field="supported_service")
    _value_it(contribution, minutes, amount_pence, in_kind_category, valuation_basis, valuation_source, rates)
    return contribution


def record_contribution(place: Any, *, by: Any, **fields: Any) -> Contribution:
    """Record one contribution, with its money postings where money moves. See `plan_contribution`."""
    contribution = plan_contribution(place, **fields)
    contribution.recorded_by = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        contribution.save()
        post_money(contribution)
        record(by, Action.CREATED, contribution, place=place, detail={"kind": contribution.kind})
    return contribution


def void_contribution(contribution: Contribution, *, by: Any, reason: str) -> Contribution:
    """Take a mistaken contribution out of the totals; money postings are reversed, nothing is deleted."""
    if not reason.strip():
        raise DealError(_("Say why the contribution is voided."), field="reason")
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.voided_at is not None:
            raise DealError(_("This contribution was voided already."))
        locked.voided_at, locked.void_reason = timezone.now(), reason.strip()[:300]
        locked.save(update_fields=["voided_at", "void_reason"])
        reversals = [
            MoneyPosting(contribution=locked, account_id=p.account_id, amount_pence=-p.amount_pence)
            for p in locked.postings.all()
        ]
        MoneyPosting.objects.bulk_create(reversals)
        record(by, Action.UPDATED, locked, place=locked.place, purpose="void", detail={"reason": locked.void_reason})
    return locked


def post_money(contribution: Contribution) -> list[MoneyPosting]:
    """The giver's account -amount, the receiver's +amount (the organisation supported, else the place)."""
    if contribution.kind != Contribution.Kind.MONEY:
        return []
    giver = account_for(contribution.place, contribution_giver_key(contribution))
    receiver = account_for(contribution.place, contribution_receiver_key(contribution))
    if giver.pk == receiver.pk:
        raise DealError(_("Money given to the giver itself does not move."), field="supported_organisation")
    amount = contribution.amount_pence or 0
    return MoneyPosting.objects.bulk_create(
        [
            MoneyPosting(contribution=contribution, account=giver, amount_pence=-amount),
            MoneyPosting(contribution=contribution, account=receiver, amount_pence=amount),
        ]
    )


def contribution_giver_key(contribution: Contribution) -> tuple[str, str, Any, Any]:
    if contribution.contributor_organisation_id:
        org = contribution.contributor_organisation
        return f"org:{org.pk}", org.name, org, None  # type: ignore[union-attr]
    if contribution.contributor_user_id:
        user = contribution.contributor_user
        return f"user:{user.pk}", user.get_full_name(), None, user  # type: ignore[union-attr]
    label = Sector(contribution.sector).label
    return f"pool:{contribution.sector}", str(_("Other givers: %(sector)s") % {"sector": label}), None, None


def contribution_receiver_key(contribution: Contribution) -> tuple[str, str, Any, Any]:
    if contribution.supported_organisation_id:
        org = contribution.supported_organisation
        return f"org:{org.pk}", org.name, org, None  # type: ignore[union-attr]
    return "place", str(contribution.place), None, None


def account_for(place: Any, key: tuple[str, str, Any, Any]) -> LedgerAccount:
    code, name, organisation, user = key
    account, _created = LedgerAccount.objects.get_or_create(
        place=place, key=code, defaults={"name": name[:200], "organisation": organisation, "user": user}
    )
    return account


def _choice(choices: Any, value: str, field: str) -> str:
    try:
        return str(choices(value))
    except ValueError:
        allowed = ", ".join(choices.values)
        message = _("%(value)r is not one of %(allowed)s.") % {"value": value, "allowed": allowed}
        raise DealError(message, field=field) from None


def _sector(sector: str | None, organisation: Any, user: Any) -> str:
    if organisation is not None and user is not None:
        raise DealError(_("A contribution comes from one organisation or one resident."), field="contributor")
    implied = _sector_of(organisation) if organisation is not None else (Sector.RESIDENTS if user else None)
    if sector:
        sector = _choice(Sector, sector, "sector")
        if implied is not None and sector != implied:
            raise DealError(
                _("%(party)s is in the %(implied)s sector, not %(sector)s.")
                % {"party": organisation or user, "implied": implied, "sector": sector},
                field="sector",
            )
        return sector
    if implied is None:
        raise DealError(_("Say which sector the contribution comes from."), field="sector")
    return str(implied)


def _place_it(contribution: Contribution, place: Any, neighbourhood: Any, district: Any) -> None:
    if neighbourhood is not None:
        if neighbourhood.place_id != place.pk:
            raise DealError(_("That neighbourhood is in another place."), field="neighbourhood")
        if district is not None and neighbourhood.district_id != district.pk:
            raise DealError(_("That neighbourhood is not in that district."), field="district")
        district = neighbourhood.district
    if district is not None and district.place_id != place.pk:
        raise DealError(_("That district is in another place."), field="district")
    contribution.neighbourhood, contribution.district = neighbourhood, district


def _value_it(
    contribution: Contribution,
    minutes: int,
    amount_pence: int | None,
    category: str,
    basis: str | None,
    source: str,
    rates: RateBook | None,
) -> None:
    if amount_pence is not None and amount_pence < 0:
        raise DealError(
            _("An amount cannot be negative: to correct a contribution, void it and record the right one."),
            field="amount_pence",
        )
    if minutes < 0:
        raise DealError(_("Time given cannot be negative."), field="minutes")
    kind = contribution.kind
    if kind == Contribution.Kind.MONEY:
        if not amount_pence:
            raise DealError(_("Enter the amount of money given."), field="amount_pence")
        contribution.amount_pence = contribution.value_pence = amount_pence
        contribution.valuation_basis, contribution.valuation_source = Basis.CASH, source or ""
    elif kind == Contribution.Kind.TIME:
        if not minutes:
            raise DealError(_("Enter the time given."), field="minutes")
        on = contribution.given_on
        rate = rates.on(on) if rates is not None else time_rate_on(contribution.place, on)
        contribution.minutes, contribution.rate_pence_per_hour = minutes, rate.pence_per_hour
        contribution.value_pence = value_of_minutes(minutes, rate.pence_per_hour)
        contribution.valuation_basis = rate.basis
        contribution.valuation_source = f"{rate.source} ({rate.price_year} prices)"
    else:
        if amount_pence is None:
            raise DealError(_("Enter what the gift is worth."), field="amount_pence")
        contribution.in_kind_category = _choice(Contribution.InKind, category or "other", "in_kind_category")
        basis = basis or Basis.STATED_VALUE
        if basis not in (Basis.MARKET_VALUE, Basis.STATED_VALUE):
            raise DealError(_("Value a gift in kind at its market value or its stated value."), field="valuation_basis")
        contribution.amount_pence = contribution.value_pence = amount_pence
        contribution.valuation_basis, contribution.valuation_source = basis, source or ""


# --- The council's time valuation rate -----------------------------------------------------------


def set_time_rate(
    place: Any, *, by: Any, pence_per_hour: int, basis: str, source: str, price_year: str, valid_from: date
) -> ValuationRate:
    """A new rate for valuing time from a date on. Earlier contributions keep the rate they were valued at."""
    if pence_per_hour <= 0:
        raise DealError(_("A rate is more than nothing per hour."), field="pence_per_hour")
    if basis not in [b.value for b in TIME_BASES]:
        raise DealError(_("Choose a basis for valuing time."), field="basis")
    if not source.strip():
        raise DealError(_("Say where the rate comes from."), field="source")
    with transaction.atomic():
        if ValuationRate.objects.filter(place=place, valid_from=valid_from).exists():
            raise DealError(_("A rate starts on that date already: choose another date."), field="valid_from")
        rate = ValuationRate.objects.create(
            place=place,
            pence_per_hour=pence_per_hour,
            basis=basis,
            source=source.strip(),
            price_year=price_year.strip(),
            valid_from=valid_from,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        record(by, Action.CREATED, rate, place=place, detail={"pence_per_hour": pence_per_hour, "basis": basis})
    return rate
