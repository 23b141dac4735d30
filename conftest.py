"""Fixtures shared by every test: reference data, hostile strings and the personas."""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

# Names and free text in tests carry markup, Welsh diacritics and emoji, so every page test also checks escaping.
HOSTILE = "<script>alert('pwned')</script> Siân Llŷr-Ŵyn 🌈 & \"Bethan\""


@pytest.fixture(scope="session")
def reference() -> Callable[..., Path]:
    """Return the path of a file in the shared reference data (`COMMONWEAL_REFERENCE_DATA`).

    Where the data is missing (a stranger's fresh clone) the test skips, saying what it needs;
    in CI (`CI=true`) missing reference data is a failure.
    """

    def find(*parts: str) -> Path:
        path = Path(settings.COMMONWEAL_REFERENCE_DATA).joinpath(*parts)
        if not path.exists():
            message = (
                f"needs reference data {path} (set COMMONWEAL_REFERENCE_DATA to the shared/data folder "
                "that sits beside the checkout; see its SOURCES.md files for where each file comes from)"
            )
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(message)
            pytest.skip(message)
        return path

    return find


@pytest.fixture(scope="session")
def hostile() -> str:
    return HOSTILE


# --- Places and personas, built through the real service functions -------------------------------

_DEPRIVATION_HEADER = ",".join(
    ["lsoa11cd", "lsoa11nm", "imd_score", "imd_rank", "imd_decile"]
    + [f"{d}_decile" for d in ("income", "employment", "education", "health", "crime", "barriers", "living_env")]
    + ["pop_total_mid2015"]
)
SMALL_DEPRIVATION = (
    _DEPRIVATION_HEADER
    + """
E01006213,{name} 024A,52.268,1834,1,1,1,1,1,1,7,7,1685
E01006212,{name} 026A,19.872,14456,5,6,4,3,3,3,8,9,1438
E01006214,{name} 024B,10.1,25000,8,8,8,8,8,8,8,8,1500
"""
)
SMALL_DISTRICTS = """lsoa11cd,district_code,district_name
E01006213,D1,{name} North
E01006212,D1,{name} North
E01006214,D2,{name} South
"""


def make_place(code: str, name: str) -> "object":
    from commonweal.places.services import create_place, import_place_text

    place = create_place(code, name, by=None)
    import_place_text(
        place, "deprivation", SMALL_DEPRIVATION.format(name=name.replace(",", " ")), file="t.csv", by=None
    )
    import_place_text(place, "districts", SMALL_DISTRICTS.format(name=name.replace(",", " ")), file="d.csv", by=None)
    return place


@pytest.fixture
def place(db):
    return make_place("E08000010", f"Wigan {HOSTILE}")


@pytest.fixture
def other_place(db):
    return make_place("E08000001", "Bolton")


def _person(place, handle: str, role: str | None, **scope):
    from commonweal.accounts.services import create_user, grant_role

    user = create_user(
        f"{handle}@{place.code.lower()}.test",
        f"{handle.title()} {HOSTILE}",
        by=None,
        password="pw-for-tests-1",
    )
    if role:
        grant_role(user, role, place=place, by=None, **scope)
    return user


@pytest.fixture
def organisations(place):
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation, create_team

    council = create_organisation(f"Council {HOSTILE}", Organisation.Kind.COUNCIL, place=place, by=None)
    vcse = create_organisation(
        f"Pantry {HOSTILE}", Organisation.Kind.VCSE, place=place, by=None, identifier="GB-CHC-1234567"
    )
    team_a = create_team(f"Team A {HOSTILE}", organisation=council, place=place, by=None)
    team_b = create_team("Team B", organisation=council, place=place, by=None)
    return {"council": council, "vcse": vcse, "team_a": team_a, "team_b": team_b}


@pytest.fixture
def resident(place):
    return _person(place, "resident", "resident")


@pytest.fixture
def connector(place, organisations):
    return _person(place, "connector", "connector", team=organisations["team_a"])


@pytest.fixture
def other_team_connector(place, organisations):
    return _person(place, "connector-b", "connector", team=organisations["team_b"])


@pytest.fixture
def team_lead(place, organisations):
    return _person(place, "lead", "team_lead", team=organisations["team_a"])


@pytest.fixture
def provider(place, organisations):
    return _person(place, "provider", "provider", organisation=organisations["vcse"])


@pytest.fixture
def commissioner(place, organisations):
    return _person(place, "commissioner", "commissioner", organisation=organisations["council"])


@pytest.fixture
def analyst(place, organisations):
    return _person(place, "analyst", "analyst", organisation=organisations["council"])


@pytest.fixture
def administrator(place, organisations):
    return _person(place, "admin", "administrator", organisation=organisations["council"])


@pytest.fixture
def outsider(place):
    """Signed in, but with no role anywhere."""
    return _person(place, "outsider", None)


@pytest.fixture
def other_place_connector(other_place):
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation, create_team

    council = create_organisation("Bolton Council", Organisation.Kind.COUNCIL, place=other_place, by=None)
    team = create_team("Bolton Connectors", organisation=council, place=other_place, by=None)
    return _person(other_place, "bolton-connector", "connector", team=team)


@pytest.fixture
def other_place_administrator(other_place):
    return _person(other_place, "bolton-admin", "administrator")
