"""Who may do what in the Deal: small predicates used by views and templates alike.

The public Deal page and public pledges are open to everyone. The ledger (with its contributors'
names) is for commissioners, analysts and administrators of the place; recording, voiding and
importing is for commissioners and administrators (analysts read only: 403). The time bank is for
anyone with a role in the place. Another place's records look like no records at all (404).
"""

from typing import Any

from commonweal.accounts.models import Membership, Role
from commonweal.accounts.permissions import has_role, is_administrator, roles_in

LEDGER_READERS = (Role.COMMISSIONER, Role.ANALYST, Role.ADMINISTRATOR)
LEDGER_WRITERS = (Role.COMMISSIONER, Role.ADMINISTRATOR)


def is_in_place(user: Any, place_id: int) -> bool:
    return bool(roles_in(user, place_id)) or getattr(user, "is_superuser", False)


def organisations_acted_for(user: Any, place: Any) -> list[Any]:
    """The organisations a user may pledge for: those their roles in the place are held for."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = Membership.objects.filter(user=user, place=place, organisation__isnull=False).select_related("organisation")
    return list({m.organisation_id: m.organisation for m in rows}.values())


def can_make_pledge(user: Any, place_id: int) -> bool:
    return is_in_place(user, place_id)


def can_pledge_for(user: Any, organisation: Any, place: Any) -> bool:
    return any(o.pk == organisation.pk for o in organisations_acted_for(user, place))


def can_change_pledge(user: Any, pledge: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if pledge.user_id is not None:
        return pledge.user_id == user.pk
    return is_administrator(user, pledge.place_id) or can_pledge_for(user, pledge.organisation, pledge.place)


def can_view_pledge(user: Any, pledge: Any) -> bool:
    return pledge.is_public or can_change_pledge(user, pledge) or is_administrator(user, pledge.place_id)


def can_view_ledger(user: Any, place_id: int) -> bool:
    return is_administrator(user, place_id) or has_role(user, place_id, *LEDGER_READERS)


def can_record_contribution(user: Any, place_id: int) -> bool:
    return is_administrator(user, place_id) or has_role(user, place_id, *LEDGER_WRITERS)


def can_set_rate(user: Any, place_id: int) -> bool:
    return is_administrator(user, place_id)


def can_set_time_bank_policy(user: Any, place_id: int) -> bool:
    return is_administrator(user, place_id)


def can_use_time_bank(user: Any, place_id: int) -> bool:
    return is_in_place(user, place_id)


def can_view_exchange(user: Any, exchange: Any) -> bool:
    return member_side(user, exchange) is not None


def member_side(user: Any, exchange: Any) -> Any:
    """The user's own member record in an exchange (theirs or their organisation's), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    organisations = {o.pk for o in organisations_acted_for(user, exchange.place)}
    for member in (exchange.provider, exchange.recipient):
        if member.user_id == user.pk or (member.organisation_id and member.organisation_id in organisations):
            return member
    return None
