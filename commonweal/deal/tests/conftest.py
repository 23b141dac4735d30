"""Fixtures of the deal app: a business, neighbourhoods, and helpers that record through the real services."""

from datetime import date

import pytest

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.deal import services

HOSTILE = "<script>alert('pwned')</script> Siân Llŷr-Ŵyn 🌈 & \"Bethan\""
DAY = date(2024, 6, 15)


@pytest.fixture
def business(place):
    return create_organisation(
        f"Builders {HOSTILE}", Organisation.Kind.BUSINESS, place=place, by=None, identifier="GB-COH-09990004"
    )


@pytest.fixture
def nhs(place):
    return create_organisation(f"NHS {HOSTILE}", Organisation.Kind.NHS, place=place, by=None)


@pytest.fixture
def hoods(place):
    """The three neighbourhoods of the test place by LSOA code (E01006213/12 in D1, E01006214 in D2)."""
    return {n.code: n for n in place.neighbourhoods.select_related("district")}


@pytest.fixture
def give(place):
    """Record a contribution in the test place through the service: give(kind, **fields)."""

    def record(kind: str, *, by=None, given_on=DAY, **fields):
        return services.record_contribution(place, by=by, kind=kind, given_on=given_on, **fields)

    return record


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas are created with passwords; the default hasher is slow by design and not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
