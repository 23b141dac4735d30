"""Who may do what: small predicates used by views and templates alike.

Roles are held per place, so every predicate is asked about a place (or a record that has one):
a worker in one place has no access to another place's records (views answer 404 there).
"""

from typing import Any

from .models import Membership, Role, Team

STAFF_ROLES = frozenset(
    {
        Role.CONNECTOR,
        Role.TEAM_LEAD,
        Role.PROVIDER,
        Role.COMMISSIONER,
        Role.PANEL_MEMBER,
        Role.ANALYST,
        Role.ADMINISTRATOR,
    }
)


def roles_in(user: Any, place_id: int) -> frozenset[str]:
    """The user's roles in a place, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[str]] | None = getattr(user, "_commonweal_roles", None)
    if cache is None:
        cache = {}
        for place, role in Membership.objects.filter(user=user).values_list("place_id", "role"):
            cache[place] = cache.get(place, frozenset()) | {role}
        user._commonweal_roles = cache
    return cache.get(place_id, frozenset())


def has_role(user: Any, place_id: int, *roles: str) -> bool:
    return bool(roles_in(user, place_id) & set(roles))


def is_staff_in(user: Any, place_id: int) -> bool:
    return bool(roles_in(user, place_id) & STAFF_ROLES)


def is_administrator(user: Any, place_id: int) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, place_id, Role.ADMINISTRATOR)


def can_view_team(user: Any, team: Team) -> bool:
    """Staff of the team's place see who is in which team; residents and other places do not."""
    return is_administrator(user, team.place_id) or is_staff_in(user, team.place_id)


def can_view_audit(user: Any, place_id: int) -> bool:
    return is_administrator(user, place_id)


def place_ids_of(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    roles_in(user, 0)  # fills the cache
    return set(user._commonweal_roles)
