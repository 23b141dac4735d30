"""Fixtures of the people app: people on two teams' caseloads, an offer of the VCSE and a linked resident.

All built through the real service functions, with hostile names and text (`<script>`, Welsh, emoji).
"""

from datetime import date

import pytest
from django.utils import timezone

from commonweal.people import services
from commonweal.people.instruments import ONS4
from commonweal.people.models import Connection, Instrument, LawfulBasis, Purpose
from commonweal.places.services import import_place_text

POSTCODES = """pcds,lsoa11cd,lat,long
WN1 1AA,E01006213,53.545,-2.632
WN1 2BB,E01006212,53.546,-2.630
WN2 3CC,E01006214,53.540,-2.640
"""


@pytest.fixture
def postcodes(place):
    import_place_text(place, "postcodes", POSTCODES, file="p.csv", by=None)
    return place


def make_person(place, team, worker, name, **fields):
    defaults = {
        "full_name": name,
        "date_of_birth": date(1950, 6, 1),
        "postcode": "WN1 1AA",
        "worker": worker,
    }
    return services.create_person(place, team, by=worker, **{**defaults, **fields})


@pytest.fixture
def person(place, postcodes, organisations, connector, hostile):
    return make_person(
        place,
        organisations["team_a"],
        connector,
        f"Mair {hostile}",
        preferred_name=f"Mair {hostile}",
        nhs_number="943 476 5919",
        phone="01942 000000",
        languages=f"Cymraeg {hostile}",
    )


@pytest.fixture
def other_person(place, postcodes, organisations, other_team_connector):
    return make_person(place, organisations["team_b"], other_team_connector, "Bob Other", postcode="WN2 3CC")


@pytest.fixture
def ons4(db):
    # A migration loads ONS4, but a transactional test elsewhere in the run may have flushed the table.
    return Instrument.objects.filter(code="ons4").first() or services.load_instrument(ONS4, by=None)


@pytest.fixture
def service(place, organisations):
    from commonweal.directory.models import Service

    return Service.objects.create(
        place=place,
        organisation=organisations["vcse"],
        oruk_id="svc-walk-1",
        name="Ashworth walking group",
        description="A friendly weekly walk for people who feel lonely or isolated. Tea afterwards.",
        search_text="walking walk lonely isolated friendship tea",
        last_modified=timezone.now(),
    )


@pytest.fixture
def sharing_consent(person, organisations, connector):
    return services.record_consent(
        person, Purpose.SHARING, by=connector, lawful_basis=LawfulBasis.CONSENT, organisation=organisations["vcse"]
    )


@pytest.fixture
def referral(person, service, sharing_consent, connector, hostile):
    return services.suggest_connection(
        person, by=connector, kind=Connection.Kind.OFFER, service=service, reason=f"Walks {hostile}", refer=True
    )


@pytest.fixture
def linked_person(person, resident, connector):
    return services.link_account(person, resident, by=connector)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas each get a password; the production hasher is slow on purpose, which tests do not need.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
