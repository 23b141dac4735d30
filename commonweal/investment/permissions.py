"""Who may do what with funds, grants, PB and contracts: small predicates for views and templates.

Views answer 404 where a user has no access and 403 where they may read but not change.
Fund, round, award, PB and result pages are public; applications, notes, payments, reports
and contracts are not.
"""

from typing import Any

from commonweal.accounts.models import Membership, Role
from commonweal.accounts.permissions import has_role, is_administrator

from .models import Application, Award, Contract


def _officer(user: Any, place_id: int) -> bool:
    return is_administrator(user, place_id) or has_role(user, place_id, Role.COMMISSIONER)


def provider_organisation_ids(user: Any, place_id: int) -> set[int]:
    """The organisations a user acts for as a VCSE provider in a place."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = user.__dict__.setdefault("_investment_providers", {})
    if place_id not in cache:
        rows = Membership.objects.filter(user=user, place_id=place_id, role=Role.PROVIDER)
        cache[place_id] = set(rows.exclude(organisation=None).values_list("organisation_id", flat=True))
    return cache[place_id]


# --- Funds and grants ---------------------------------------------------------------------------


def can_manage_funds(user: Any, place_id: int) -> bool:
    """Create funds and rounds, record contributions and payments."""
    return _officer(user, place_id)


def can_view_applications(user: Any, place_id: int) -> bool:
    """Every application in the place: officers and the grant panel."""
    return _officer(user, place_id) or has_role(user, place_id, Role.PANEL_MEMBER)


def can_apply(user: Any, place_id: int) -> bool:
    return bool(provider_organisation_ids(user, place_id))


def can_view_application(user: Any, application: Application) -> bool:
    return can_view_applications(user, application.place_id) or (
        application.organisation_id in provider_organisation_ids(user, application.place_id)
    )


def can_decide(user: Any, application: Application) -> bool:
    """Panel members decide, but never on their own organisation's application."""
    if not has_role(user, application.place_id, Role.PANEL_MEMBER):
        return False
    own = Membership.objects.filter(user=user, organisation_id=application.organisation_id).exists()
    return not own


def can_add_note(user: Any, application: Application) -> bool:
    return can_view_application(user, application)


def can_view_award_details(user: Any, award: Award) -> bool:
    """Payments and reports: officers, the panel and the grantee (the award itself is public)."""
    return can_view_applications(user, award.place_id) or (
        award.recipient_id in provider_organisation_ids(user, award.place_id)
    )


def can_report(user: Any, award: Award) -> bool:
    return _officer(user, award.place_id) or award.recipient_id in provider_organisation_ids(user, award.place_id)


# --- Participatory budgeting ------------------------------------------------------------------------


def can_run_pb(user: Any, place_id: int) -> bool:
    """Set up processes, check proposals, open and close voting, publish results, track delivery."""
    return _officer(user, place_id)


def can_verify_residences(user: Any, place_id: int) -> bool:
    return _officer(user, place_id)


# --- Contracts ------------------------------------------------------------------------------------


def can_view_contracts(user: Any, place_id: int) -> bool:
    return _officer(user, place_id) or has_role(user, place_id, Role.ANALYST)


def can_view_contract(user: Any, contract: Contract) -> bool:
    if can_view_contracts(user, contract.place_id):
        return True
    mine = provider_organisation_ids(user, contract.place_id)
    return bool(mine) and contract.providers.filter(organisation_id__in=mine).exists()


def can_manage_contracts(user: Any, place_id: int) -> bool:
    return _officer(user, place_id)
