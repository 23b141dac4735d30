"""Finding offers for a person in one click, and wellbeing counted for the place with small numbers hidden."""

import importlib.util
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from commonweal.people import reports, services
from commonweal.people.models import Connection

from .conftest import make_person

needs_search = pytest.mark.skipif(
    importlib.util.find_spec("commonweal.directory.search") is None,
    reason="commonweal.directory.search (the directory app's find_offers) is not there yet",
)


@needs_search
def test_one_click_from_a_conversation_finds_offers_and_suggests_one(client, person, service, connector):
    conversation = services.record_conversation(
        person,
        by=connector,
        held_on=date(2025, 1, 1),
        setting="home",
        what_matters="She feels lonely since moving and would like to walk with others",
    )
    client.force_login(connector)
    page = client.get(conversation.get_absolute_url(), {"find": "1"})
    text = page.content.decode()
    assert "Ashworth walking group" in text
    response = client.post(
        reverse("people:connections", args=[person.place.code, person.pk]),
        {"kind": "offer", "service": service.pk, "reason": conversation.what_matters},
    )
    assert response.status_code == 302
    connection = Connection.objects.get()
    assert (connection.kind, connection.service, connection.provider) == ("offer", service, service.organisation)
    assert connection.status == "suggested"


def test_the_search_is_not_run_for_people_who_only_read_the_record(client, person, linked_person, resident, connector):
    conversation = services.record_conversation(
        person, by=connector, held_on=date(2025, 1, 1), setting="home", what_matters="walking"
    )
    client.force_login(resident)
    text = client.get(conversation.get_absolute_url(), {"find": "1"}).content.decode()
    assert "Offers that could help" not in text


def test_suppression_hides_small_counts_and_any_count_that_would_reveal_one():
    assert reports.suppress([25, 4, 30], 10) == [None, None, 30]
    assert reports.suppress([25, 4, 3], 10) == [25, None, None]
    # Zero is under the threshold too: the house rule (commonweal.suppression) never shows it.
    assert reports.suppress([0, 0, 12], 10) == [None, None, 12]


@override_settings(COMMONWEAL_SUPPRESSION_THRESHOLD=2)
def test_the_place_counts_who_got_better_on_each_question_by_deprivation(
    place, postcodes, organisations, connector, ons4
):
    base = {"life_satisfaction": 3, "worthwhile": 3, "happiness": 3, "anxiety": 7}
    for i in range(4):
        p = make_person(place, organisations["team_a"], connector, f"P{i}", postcode="WN1 1AA")  # IMD decile 1
        services.record_wellbeing(p, ons4, base, by=connector, taken_on=date(2025, 1, 1))
        services.record_wellbeing(
            p,
            ons4,
            {**base, "life_satisfaction": 8, "anxiety": 2 if i < 3 else 9},
            by=connector,
            taken_on=date(2025, 4, 1),
        )
    groups = reports.place_wellbeing(place, ons4)
    everyone = groups[0]
    assert everyone.people == 4
    life, anxiety = everyone.items[0], everyone.items[3]
    assert (life.better, life.same, life.worse) == (4, None, None)
    # One got worse and none stayed the same: both under the threshold, so both hidden, and neither can be
    # told from the total (together they make 1, in either cell).
    assert (anxiety.better, anxiety.same, anxiety.worse) == (3, None, None)
    assert groups[1].people == 4  # the most deprived fifth
    assert groups[5].people == 0
    assert dict(life.baseline_bands)["Low"] == 4
    assert dict(life.latest_bands)["High"] == 4


def test_the_place_page_shows_no_count_under_ten(client, place, postcodes, organisations, connector, analyst, ons4):
    base = {"life_satisfaction": 3, "worthwhile": 3, "happiness": 3, "anxiety": 7}
    for i in range(3):
        p = make_person(place, organisations["team_a"], connector, f"P{i}")
        services.record_wellbeing(p, ons4, base, by=connector, taken_on=date(2025, 1, 1))
        services.record_wellbeing(p, ons4, base, by=connector, taken_on=date(2025, 2, 1))
    client.force_login(analyst)
    text = client.get(reverse("people:place_wellbeing", args=[place.code])).content.decode()
    assert "fewer" in text
    assert ">3<" not in text
