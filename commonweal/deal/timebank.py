"""Use cases that write the time bank: joining, listing skills, proposing and confirming exchanges.

An exchange is proposed by one side (whose side is then confirmed) and confirmed by the other. On
the second confirmation the hours move as a double-entry transfer: the provider's account +minutes,
the recipient's -minutes. Both member rows are locked (`select_for_update`, in id order so two
transfers never deadlock), the limits are checked, and a database check constraint on each balance
refuses anything that slips past (SQLite has no row locks but serialises writers).
The hours given also enter the resources ledger as a time contribution, valued at the council's rate.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record

from .errors import BalanceLimitError, DealError
from .models import Contribution, Exchange, HourPosting, Listing, Sector, TimeBankMember, TimeBankPolicy
from .models import sector_of_organisation as _sector_of
from .services import plan_contribution


def policy_for(place: Any) -> TimeBankPolicy:
    policy, _created = TimeBankPolicy.objects.get_or_create(place=place)
    return policy


def current_policy(place: Any) -> TimeBankPolicy:
    """The place's policy, or (unsaved) the defaults until an administrator sets one: reading never writes."""
    return TimeBankPolicy.objects.filter(place=place).first() or TimeBankPolicy(place=place)


def set_time_bank_policy(
    place: Any, *, by: Any, floor_minutes: int, ceiling_minutes: int, max_exchange_minutes: int
) -> TimeBankPolicy:
    """New limits for members who join from now on (members keep the limits they joined with)."""
    if floor_minutes > 0:
        raise DealError(_("The lowest balance is zero or below."), field="floor_minutes")
    if ceiling_minutes <= 0:
        raise DealError(_("The highest balance is more than zero."), field="ceiling_minutes")
    if not 0 < max_exchange_minutes <= ceiling_minutes - floor_minutes:
        raise DealError(
            _("A single exchange is more than nothing and fits between the lowest and highest balance."),
            field="max_exchange_minutes",
        )
    with transaction.atomic():
        policy = policy_for(place)
        before = {f: getattr(policy, f) for f in POLICY_FIELDS}
        policy.floor_minutes, policy.ceiling_minutes = floor_minutes, ceiling_minutes
        policy.max_exchange_minutes, policy.updated_at = max_exchange_minutes, timezone.now()
        policy.save()
        after = {f: getattr(policy, f) for f in POLICY_FIELDS}
        record(by, Action.UPDATED, policy, place=place, detail={"before": before, "after": after})
    return policy


POLICY_FIELDS = ("floor_minutes", "ceiling_minutes", "max_exchange_minutes")


def join_time_bank(
    place: Any, *, by: Any, user: Any = None, organisation: Any = None, neighbourhood: Any = None
) -> TimeBankMember:
    """Membership for a resident or an organisation, with the place's limits (idempotent)."""
    if (user is None) == (organisation is None):
        raise DealError(_("A member is one resident or one organisation."))
    if neighbourhood is not None and neighbourhood.place_id != place.pk:
        raise DealError(_("That neighbourhood is in another place."), field="neighbourhood")
    party = {"user": user} if user is not None else {"organisation": organisation}
    with transaction.atomic():
        existing = TimeBankMember.objects.filter(place=place, **party).first()
        if existing is not None:
            return existing
        policy = policy_for(place)
        member = TimeBankMember.objects.create(
            place=place,
            neighbourhood=neighbourhood,
            floor_minutes=policy.floor_minutes,
            ceiling_minutes=policy.ceiling_minutes,
            **party,
        )
        record(by, Action.CREATED, member, place=place, object_repr=f"time bank member {member.pk}")
    return member


def add_listing(member: TimeBankMember, *, by: Any, kind: str, title: str, description: str = "") -> Listing:
    if not title.strip():
        raise DealError(_("Say what you offer or ask for."), field="title")
    with transaction.atomic():
        listing = Listing.objects.create(
            member=member, kind=Listing.Kind(kind), title=title.strip()[:200], description=description.strip()
        )
        record(by, Action.CREATED, listing, place=member.place)
    return listing


def close_listing(listing: Listing, *, by: Any) -> Listing:
    with transaction.atomic():
        listing.is_open = False
        listing.save(update_fields=["is_open"])
        record(by, Action.UPDATED, listing, place=listing.member.place, detail={"is_open": False})
    return listing


def propose_exchange(
    *,
    by: Any,
    proposer: TimeBankMember,
    provider: TimeBankMember,
    recipient: TimeBankMember,
    minutes: int,
    description: str,
    occurred_on: date,
    listing: Listing | None = None,
) -> Exchange:
    """Record that `provider` gave `recipient` some time; the proposer is one of them and confirms their side."""
    _check_exchange(proposer, provider, recipient, minutes, description, occurred_on)
    now = timezone.now()
    with transaction.atomic():
        exchange = Exchange.objects.create(
            place=provider.place,
            provider=provider,
            recipient=recipient,
            minutes=minutes,
            description=description.strip()[:300],
            occurred_on=occurred_on,
            listing=listing,
            proposed_by=proposer,
            provider_confirmed_at=now if proposer.pk == provider.pk else None,
            recipient_confirmed_at=now if proposer.pk == recipient.pk else None,
        )
        record(by, Action.CREATED, exchange, place=exchange.place, detail={"minutes": minutes})
    return exchange


def confirm_exchange(exchange: Exchange, *, by: Any, member: TimeBankMember) -> Exchange:
    """The other side confirms; the hours then move. Raises `BalanceLimitError` if a balance would break its limit."""
    try:
        with transaction.atomic():
            return _confirm(exchange.pk, by, member)
    except IntegrityError as error:
        # Only the balance constraints can fail here: another transfer got in first.
        raise BalanceLimitError(
            _("This exchange would take a balance beyond its limit, so the hours were not moved.")
        ) from error


def decline_exchange(exchange: Exchange, *, by: Any, member: TimeBankMember) -> Exchange:
    with transaction.atomic():
        locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
        _check_party(locked, member)
        if locked.status != Exchange.Status.PROPOSED:
            raise DealError(_("This exchange is settled already."))
        locked.status = Exchange.Status.DECLINED
        locked.save(update_fields=["status"])
        record(by, Action.UPDATED, locked, place=locked.place, detail={"status": "declined"})
    return locked


def _confirm(pk: int, by: Any, member: TimeBankMember) -> Exchange:
    exchange = Exchange.objects.select_for_update().get(pk=pk)
    _check_party(exchange, member)
    if exchange.status != Exchange.Status.PROPOSED:
        raise DealError(_("This exchange is settled already."))
    now = timezone.now()
    if member.pk == exchange.provider_id:
        exchange.provider_confirmed_at = exchange.provider_confirmed_at or now
    else:
        exchange.recipient_confirmed_at = exchange.recipient_confirmed_at or now
    if exchange.provider_confirmed_at and exchange.recipient_confirmed_at:
        transfer_hours(exchange)
        exchange.status, exchange.completed_at = Exchange.Status.COMPLETED, now
        _enter_in_ledger(exchange, by)
    exchange.save()
    record(by, Action.UPDATED, exchange, place=exchange.place, detail={"confirmed_by": member.pk})
    return exchange


def transfer_hours(exchange: Exchange) -> list[HourPosting]:
    """Move the hours: lock both members, check the limits, post both sides, update both balances."""
    members = _lock_members([exchange.provider_id, exchange.recipient_id])
    provider, recipient = members[exchange.provider_id], members[exchange.recipient_id]
    minutes = exchange.minutes
    if recipient.balance_minutes - minutes < recipient.floor_minutes:
        raise BalanceLimitError(
            _("%(who)s cannot receive %(hours)s hours: that would take their balance below its limit.")
            % {"who": recipient, "hours": f"{minutes / 60:g}"}
        )
    if provider.balance_minutes + minutes > provider.ceiling_minutes:
        raise BalanceLimitError(
            _("%(who)s cannot earn %(hours)s more hours: their balance is at its limit.")
            % {"who": provider, "hours": f"{minutes / 60:g}"}
        )
    # F() updates: the database applies each change to the current value and checks the constraint.
    TimeBankMember.objects.filter(pk=provider.pk).update(balance_minutes=F("balance_minutes") + minutes)
    TimeBankMember.objects.filter(pk=recipient.pk).update(balance_minutes=F("balance_minutes") - minutes)
    return HourPosting.objects.bulk_create(
        [
            HourPosting(exchange=exchange, member=provider, minutes=minutes),
            HourPosting(exchange=exchange, member=recipient, minutes=-minutes),
        ]
    )


def _lock_members(ids: list[int]) -> dict[int, TimeBankMember]:
    # In id order, so two transfers between the same members lock alike and never deadlock.
    rows = TimeBankMember.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {member.pk: member for member in rows}


def _enter_in_ledger(exchange: Exchange, by: Any) -> Contribution:
    """The provider's hours are a time contribution, placed where they went in (the recipient's neighbourhood)."""
    provider = exchange.provider
    sector = _sector_of(provider.organisation) if provider.organisation_id else Sector.RESIDENTS
    contribution = plan_contribution(
        exchange.place,
        kind=Contribution.Kind.TIME,
        given_on=exchange.occurred_on,
        sector=sector,
        contributor_organisation=provider.organisation,
        contributor_user=provider.user,
        minutes=exchange.minutes,
        description=exchange.description,
        neighbourhood=exchange.recipient.neighbourhood or provider.neighbourhood,
        supported_organisation=exchange.recipient.organisation,
        source=Contribution.Source.TIMEBANK,
        external_id=f"exchange:{exchange.pk}",
    )
    contribution.exchange = exchange
    contribution.recorded_by = by if getattr(by, "is_authenticated", False) else None
    contribution.save()
    return contribution


def _check_party(exchange: Exchange, member: TimeBankMember) -> None:
    if member.pk not in (exchange.provider_id, exchange.recipient_id):
        raise DealError(_("Only the two members of an exchange can confirm or decline it."))


def _check_exchange(
    proposer: TimeBankMember,
    provider: TimeBankMember,
    recipient: TimeBankMember,
    minutes: int,
    description: str,
    occurred_on: date,
) -> None:
    if provider.pk == recipient.pk:
        raise DealError(_("An exchange is between two members."), field="other")
    if proposer.pk not in (provider.pk, recipient.pk):
        raise DealError(_("You can only record exchanges you took part in."))
    if provider.place_id != recipient.place_id:
        raise DealError(_("That member is in another place's time bank."), field="other")
    if not (provider.is_active and recipient.is_active):
        raise DealError(_("That member has left the time bank."), field="other")
    limit = policy_for(provider.place).max_exchange_minutes
    if minutes <= 0 or minutes > limit:
        raise DealError(
            _("An exchange is between 1 minute and %(hours)s hours.") % {"hours": f"{limit / 60:g}"}, field="minutes"
        )
    if not description.strip():
        raise DealError(_("Say what was done."), field="description")
    if occurred_on > timezone.localdate():
        raise DealError(_("The date is in the future."), field="occurred_on")
