"""Demo organisations, teams and a user for every role, all with the same printed password."""

from typing import Any

from .models import Organisation, Role
from .services import create_organisation, create_team, create_user, grant_role

DOMAIN = "demo.commonweal.test"
DEMO_PASSWORD = "commonweal-demo"  # noqa: S105 (printed by build_demo; demo accounts exist only in the demo)


def build(context: Any) -> None:
    place = context.place
    districts = list(place.districts.order_by("code"))
    # Org-ids (org-id.guide) for the funders: 360Giving publishes every funder by its identifier.
    council = create_organisation(
        f"{place.name} Council", Organisation.Kind.COUNCIL, place=place, by=None, identifier="GB-LAE-NBD"
    )
    nhs = create_organisation(
        f"{place.name} Health and Care Partnership",
        Organisation.Kind.NHS,
        place=place,
        by=None,
        identifier="GB-NHS-NBD",
    )
    vcse = [
        create_organisation(name, Organisation.Kind.VCSE, place=place, by=None, identifier=identifier)
        for name, identifier in [
            ("Age Well Together", "GB-CHC-1190001"),
            ("Brackley Moss Community Pantry", "GB-CHC-1190002"),
            ("Tanners Brook Men's Shed", "GB-COH-09990003"),
        ]
    ]
    business = create_organisation(
        "Marsh Green Builders Ltd",
        Organisation.Kind.BUSINESS,
        place=place,
        by=None,
        identifier="GB-COH-09990004",
    )
    teams = [
        create_team(f"{d.name} Community Connectors", organisation=council, place=place, by=None, district=d)
        for d in districts[:2]
    ]
    people = [
        ("resident", "Rhiannon Evans", Role.RESIDENT, {}, "the Deal, pledges, time bank, voting"),
        ("connector", "Connor Walsh", Role.CONNECTOR, {"team": teams[0]}, "caseload of the first team"),
        (
            "connector2",
            "Priya Shah",
            Role.CONNECTOR,
            {"team": teams[1]},
            "another team: cannot see the first's",
        ),
        ("teamlead", "Tomasz Nowak", Role.TEAM_LEAD, {"team": teams[0]}, "leads the first team"),
        ("provider", "Grace Okafor", Role.PROVIDER, {"organisation": vcse[0]}, "a VCSE organisation's inbox"),
        (
            "commissioner",
            "Helen Marsh",
            Role.COMMISSIONER,
            {"organisation": council},
            "funds, grants, contracts",
        ),
        ("panel", "Dev Patel", Role.PANEL_MEMBER, {"organisation": council}, "grant panel decisions"),
        (
            "analyst",
            "Ana Lima",
            Role.ANALYST,
            {"organisation": nhs},
            "aggregates only, never identifiable records",
        ),
        (
            "admin",
            "Sam Ahmed",
            Role.ADMINISTRATOR,
            {"organisation": council},
            "the audit trail and the admin site",
        ),
    ]
    users = {}
    for handle, name, role, scope, hint in people:
        user = create_user(f"{handle}@{DOMAIN}", name, by=None, password=DEMO_PASSWORD)
        grant_role(user, role, place=place, by=None, **scope)
        users[handle] = user
        context.sign_ins.append((Role(role).label, user.email, hint))
    users["admin"].is_staff = True
    users["admin"].is_superuser = True
    users["admin"].save(update_fields=["is_staff", "is_superuser"])
    context.objects.update(
        {"council": council, "nhs": nhs, "vcse": vcse, "business": business, "teams": teams, "users": users}
    )
