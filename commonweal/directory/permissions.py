"""Who may do what in the directory: small predicates used by views and templates alike.

Offers are public. Organisations propose their own offers and changes (a provider acts for its
organisation); a directory administrator (the place's administrator) checks them before they show.
Views answer 404 where someone has no access at all and 403 where they may look but not act.
"""

from typing import Any

from django.db.models import QuerySet

from commonweal.accounts.models import Membership, Organisation, Role
from commonweal.accounts.permissions import is_administrator, is_staff_in

from .models import OfferChange, Service


def can_review_offers(user: Any, place_id: int) -> bool:
    return is_administrator(user, place_id)


def can_set_offer_status(user: Any, service: Service) -> bool:
    """Closing and reopening an offer is for the place's directory administrators."""
    return can_review_offers(user, service.place_id)


def is_directory_staff(user: Any, place_id: int) -> bool:
    """Staff see closed and inactive offers too, and search by age as well as words and postcode."""
    return is_administrator(user, place_id) or is_staff_in(user, place_id)


def organisations_for(user: Any, place_id: int) -> QuerySet[Organisation]:
    """The organisations a user may list offers for in a place: their own, or any there for an administrator."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if is_administrator(user, place_id):
        return Organisation.objects.filter(place_id=place_id)
    own = Membership.objects.filter(user=user, place_id=place_id, role=Role.PROVIDER).values("organisation_id")
    return Organisation.objects.filter(pk__in=own)


def can_propose_for(user: Any, place_id: int, organisation_id: int) -> bool:
    return organisations_for(user, place_id).filter(pk=organisation_id).exists()


def can_propose_offers(user: Any, place_id: int) -> bool:
    return organisations_for(user, place_id).exists()


def can_change_offer(user: Any, service: Service) -> bool:
    return can_propose_for(user, service.place_id, service.organisation_id)


def can_view_change(user: Any, change: OfferChange) -> bool:
    return can_review_offers(user, change.place_id) or can_propose_for(user, change.place_id, change.organisation_id)
