"""Search that connects: everyday words, eligibility, distance and the place, on SQLite FTS5 and PostgreSQL."""

import dataclasses

import pytest

from commonweal.directory.models import Service
from commonweal.directory.search import OfferMatch, find_offers, parse_need, parse_synonyms


def test_everyday_words_find_offers_that_never_use_them(small_directory):
    matches = find_offers(small_directory, "she's on her own all day and has nobody to talk to")
    names = [m.name for m in matches]
    assert "Telephone Befriending for Older People" in names
    assert all("on her own" not in m.service.description.lower() for m in matches[:3])
    assert any("“on her own”" in reason for match in matches for reason in match.reasons)


def test_each_match_carries_its_oruk_id_organisation_score_and_reasons(small_directory):
    match = find_offers(small_directory, "lonely", limit=1)[0]
    assert isinstance(match, OfferMatch)
    assert dataclasses.is_dataclass(match)
    assert match.oruk_id == match.service.oruk_id
    assert match.organisation_name == match.service.organisation.name
    assert match.score > 0
    assert match.reasons
    assert match.distance_km is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.score = 2  # type: ignore[misc]


def test_offers_whose_age_rule_excludes_the_person_are_left_out(small_directory):
    young = find_offers(small_directory, "lonely", age=25, limit=50)
    assert young
    assert all(m.service.accepts_age(25) for m in young)
    assert "Telephone Befriending for Older People" not in {m.name for m in young}  # 55 and over
    older = find_offers(small_directory, "lonely", age=80, limit=50)
    assert "Telephone Befriending for Older People" in {m.name for m in older}
    assert "Connect 18-30: Befriending for Young Adults" not in {m.name for m in older}


def test_inactive_offers_are_never_suggested(small_directory):
    names = {m.name for m in find_offers(small_directory, "friendship calls befriending", limit=40)}
    assert "Friendship Calls (Covid response)" not in names


def test_a_postcode_ranks_nearer_offers_higher_and_says_how_far(small_directory):
    from commonweal.places.services import import_place_text

    shed = Service.objects.get(name="Leigh Shedders").service_at_locations.get().location
    row = f"pcds,lsoa11cd,lat,long\nWN7 4FT,E01006212,{shed.latitude},{shed.longitude}\n"
    import_place_text(small_directory, "postcodes", row, file="p", by=None)
    text = "likes making things in a shed"
    anywhere = [m.name for m in find_offers(small_directory, text, limit=10)]
    near = find_offers(small_directory, text, postcode="wn7 4ft", limit=10)
    assert [m.name for m in near].index("Leigh Shedders") <= anywhere.index("Leigh Shedders")
    leigh = next(m for m in near if m.name == "Leigh Shedders")
    assert leigh.distance_km == 0
    assert any("km from WN7 4FT" in r for r in leigh.reasons)
    assert all(m.distance_km is None for m in find_offers(small_directory, text, postcode="ZZ99 9ZZ"))


def test_search_stays_inside_the_place(small_directory, other_place):
    assert find_offers(other_place, "lonely") == []


def test_empty_or_meaningless_text_finds_nothing(small_directory):
    assert find_offers(small_directory, "") == []
    assert find_offers(small_directory, "the and of") == []
    assert find_offers(small_directory, "lonely", limit=0) == []


@pytest.mark.parametrize(
    "text", ['"unbalanced', "NEAR(a b)", "col:value", "a* OR -b", "'; DROP TABLE x; --", "🌈 Siân <script>"]
)
def test_search_syntax_in_the_note_is_just_words(small_directory, text):
    find_offers(small_directory, text)  # no error from FTS5 or tsquery syntax


def test_synonyms_are_data_with_phrases_and_taxonomy_codes():
    concepts = parse_synonyms("# comment\nskint, hard up => debt advice, benefits | money-advice\n")
    need = parse_need("Money is tight and he is hard up", concepts)
    assert [(c.expansions, said) for c, said in need.concepts] == [(("debt advice", "benefits"), "hard up")]
    with pytest.raises(ValueError, match="line 1"):
        parse_synonyms("no arrow here")


def test_an_offer_changed_by_a_service_function_is_found_by_its_new_words(small_directory, administrator):
    from commonweal.directory.services import approve_offer_change, propose_offer_change

    service = Service.objects.get(name="Daily Check-In Calls")
    change = propose_offer_change(
        small_directory,
        service.organisation,
        {"name": "Daily Check-In Calls", "description": "Zebra crossing patrol"},
        by=None,
        service=service,
    )
    approve_offer_change(change, by=administrator)
    assert [m.name for m in find_offers(small_directory, "zebra")] == ["Daily Check-In Calls"]
