"""A council's own everyday words (`SearchPhrase`): added to synonyms.txt for its place only, read at once when edited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.directory.models import SearchPhrase
from commonweal.directory.search import find_offers
from commonweal.directory.vocabulary import concepts_for

NOTE = "He's been proper mithered since the winter"
OFFER = "Daily Check-In Calls"


def names(place, text=NOTE):
    return [m.name for m in find_offers(place, text)]


def test_a_places_own_phrase_finds_an_offer_it_did_not_find_before(small_directory):
    assert OFFER not in names(small_directory)
    SearchPhrase.objects.create(place=small_directory, phrase="mithered, proper mithered", expands_to="check-in calls")
    matches = find_offers(small_directory, NOTE)
    assert matches[0].name == OFFER
    assert any("“proper mithered”" in reason for reason in matches[0].reasons)


def test_another_places_phrase_does_not_change_search_here(small_directory, other_place):
    SearchPhrase.objects.create(place=other_place, phrase="mithered", expands_to="check-in calls")
    assert OFFER not in names(small_directory)


def test_editing_or_switching_off_a_phrase_takes_effect_at_once(small_directory):
    phrase = SearchPhrase.objects.create(place=small_directory, phrase="mithered", expands_to="zebra crossing")
    assert OFFER not in names(small_directory)  # read (and cached) with words no offer uses
    phrase.expands_to = "check-in calls"
    phrase.save()
    assert names(small_directory)[0] == OFFER
    phrase.active = False
    phrase.save()
    assert OFFER not in names(small_directory)
    phrase.active = True
    phrase.save()
    assert names(small_directory)[0] == OFFER
    phrase.delete()
    assert OFFER not in names(small_directory)


def test_without_rows_a_place_reads_the_shipped_file_alone(small_directory):
    from commonweal.directory.phrases import load_concepts

    assert concepts_for(small_directory) is load_concepts()
    SearchPhrase.objects.create(place=small_directory, phrase="mithered", expands_to="check-in calls")
    assert concepts_for(small_directory)[: len(load_concepts())] == load_concepts()
    assert len(concepts_for(small_directory)) == len(load_concepts()) + 1


def test_a_phrase_needs_words_and_what_they_stand_for(place):
    with pytest.raises(ValidationError):
        SearchPhrase(place=place, phrase="mithered").full_clean()
    with pytest.raises(ValidationError):
        SearchPhrase(place=place, phrase=" , ", expands_to="check-in calls").full_clean()
    SearchPhrase(place=place, phrase="mithered", expands_to="check-in calls").full_clean()


def test_an_administrator_adds_a_phrase_in_the_django_admin(small_directory, admin_client):
    response = admin_client.post(
        reverse("admin:directory_searchphrase_add"),
        {"place": small_directory.pk, "phrase": "mithered", "expands_to": "check-in calls", "active": "on"},
    )
    assert response.status_code == 302, response.content[:2000]
    assert admin_client.get(reverse("admin:directory_searchphrase_changelist")).status_code == 200
    assert names(small_directory)[0] == OFFER
