"""Use cases that write accounts data: users, organisations, teams and roles."""

from typing import Any

from django.db import transaction

from commonweal.audit.models import Action
from commonweal.audit.services import record

from .models import Membership, Organisation, Role, Team, User


def create_user(email: str, full_name: str, *, by: Any, password: str | None = None) -> User:
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        record(by, Action.CREATED, user, object_repr=f"user {user.pk}")
    return user


def create_organisation(
    name: str, kind: str, *, place: Any, by: Any, identifier: str = "", **fields: Any
) -> Organisation:
    organisation = Organisation(name=name, kind=kind, place=place, identifier=identifier, **fields)
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        record(by, Action.CREATED, organisation, place=place)
    return organisation


def create_team(name: str, *, organisation: Organisation, place: Any, by: Any, district: Any = None) -> Team:
    with transaction.atomic():
        team = Team.objects.create(name=name, organisation=organisation, place=place, district=district)
        record(by, Action.CREATED, team, place=place)
    return team


def grant_role(
    user: User,
    role: str,
    *,
    place: Any,
    by: Any,
    team: Team | None = None,
    organisation: Organisation | None = None,
) -> Membership:
    """Give a user a role in a place (idempotent: granting an existing role returns it)."""
    if team is not None and organisation is None:
        organisation = team.organisation
    membership = Membership(user=user, place=place, role=Role(role), team=team, organisation=organisation)
    membership.clean()
    with transaction.atomic():
        existing = Membership.objects.filter(
            user=user, place=place, role=role, team=team, organisation=organisation
        ).first()
        if existing:
            return existing
        membership.save()
        record(by, Action.GRANTED, membership, place=place, detail={"role": role, "user": user.pk})
    return membership


def revoke_role(membership: Membership, *, by: Any) -> None:
    with transaction.atomic():
        record(
            by,
            Action.REVOKED,
            membership,
            place=membership.place,
            detail={"role": membership.role, "user": membership.user_id},
        )
        membership.delete()
