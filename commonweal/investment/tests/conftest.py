"""Investment fixtures: funders with org-ids, a pooled fund, an open round, a panel member,
residents with verified homes, built through the real services with hostile text."""

import datetime
from decimal import Decimal

import pytest

from commonweal.accounts.models import Organisation, Role
from commonweal.accounts.services import create_organisation, create_user, grant_role
from commonweal.investment import services
from commonweal.places.services import import_place_text

HOSTILE_TAG = "<script>alert('pwned')</script>"
TODAY = datetime.date(2025, 4, 1)

# Two postcodes in each of the fixture place's three neighbourhoods (D1 North: 213, 212; D2 South: 214).
POSTCODES = """pcds,lsoa11cd,lat,long
WN1 1AA,E01006213,53.54,-2.63
WN1 1AB,E01006213,53.54,-2.63
WN2 2AA,E01006212,53.54,-2.62
WN3 3AA,E01006214,53.55,-2.61
"""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas have passwords; hashing them properly takes most of a test's time and proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def postcodes(place):
    import_place_text(place, "postcodes", POSTCODES, file="p.csv", by=None)
    return place


@pytest.fixture
def funders(place, organisations, hostile):
    """The council (with its org-id), an NHS body and a business: partners in a pooled fund."""
    council = organisations["council"]
    council.identifier = "GB-LAE-WGN"
    council.save(update_fields=["identifier"])
    nhs = create_organisation(f"NHS {hostile}", Organisation.Kind.NHS, place=place, by=None, identifier="GB-NHS-00T")
    business = create_organisation(
        "Builders Ltd", Organisation.Kind.BUSINESS, place=place, by=None, identifier="GB-COH-09990004"
    )
    return {"council": council, "nhs": nhs, "business": business}


@pytest.fixture
def fund(place, funders, commissioner, hostile):
    fund = services.create_fund(
        place,
        by=commissioner,
        name=f"Community Fund {hostile}",
        purpose=f"Trust-based grants {hostile}",
        managed_by=funders["council"],
        grant_id_prefix="360G-wigancouncil",
        outcomes_sought="People less lonely",
        districts=place.districts.filter(code="D1"),
    )
    services.add_contribution(fund, funders["council"], 6_000_000, by=commissioner, received_on=TODAY)
    services.add_contribution(fund, funders["nhs"], 4_000_000, by=commissioner, received_on=TODAY)
    return fund


@pytest.fixture
def open_round(fund, commissioner, hostile):
    round_ = services.create_round(
        fund, by=commissioner, title=f"Round one {hostile}", description="Small grants", max_amount_pence=5_000_000
    )
    return services.set_round_status(round_, "open", by=commissioner)


@pytest.fixture
def panel_member(place, organisations, hostile):
    user = create_user(f"panel@{place.code.lower()}.test", f"Panel {hostile}", by=None, password="pw-for-tests-1")
    grant_role(user, Role.PANEL_MEMBER, place=place, by=None, organisation=organisations["council"])
    return user


@pytest.fixture
def application(open_round, organisations, provider, hostile):
    return services.submit_application(
        open_round,
        organisations["vcse"],
        by=provider,
        title=f"Lunch club {hostile}",
        summary=f"A weekly lunch club {hostile}",
        amount_requested_pence=1_250_050,
        duration_months=24,
    )


@pytest.fixture
def award(application, panel_member):
    return services.decide_application(
        application, by=panel_member, award=True, reasons="Known and trusted", award_date=TODAY
    )


def make_resident(place, handle, postcode, *, verified=True, officer=None):
    """A resident with a home in the place (verified by an officer unless told otherwise)."""
    user = create_user(f"{handle}@{place.code.lower()}.test", f"{handle} {HOSTILE_TAG}", by=None)
    grant_role(user, Role.RESIDENT, place=place, by=None)
    residence = services.declare_residence(user, place, postcode, by=user)
    if verified:
        services.verify_residence(residence, by=officer)
    return user


@pytest.fixture
def voter(postcodes, resident):
    """The root `resident`, living in North (D1) with a verified postcode."""
    residence = services.declare_residence(resident, postcodes, "wn1 1aa", by=resident)
    services.verify_residence(residence, by=None)
    return resident


@pytest.fixture
def pb_process(postcodes, commissioner, hostile):
    return services.create_process(
        postcodes,
        by=commissioner,
        title=f"North decides {hostile}",
        description=f"Residents decide {hostile}",
        budget_pence=10_000_000,
        districts=postcodes.districts.filter(code="D1"),
    )


def money(value: str) -> Decimal:
    return Decimal(value)
