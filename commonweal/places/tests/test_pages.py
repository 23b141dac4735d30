import pytest
from django.urls import reverse

HOSTILE_TAG = "<script>alert('pwned')</script>"


def test_the_place_overview_shows_population_districts_and_deprivation(client, place):
    response = client.get(place.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "4,623" in text  # 1685 + 1438 + 1500
    assert "1 of 3 neighbourhoods" in text
    assert HOSTILE_TAG not in text
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in text
    assert "data-cw-map" in text


def test_the_home_page_goes_straight_to_the_only_place(client, place):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == place.get_absolute_url()


def test_the_home_page_lists_places_when_there_are_several(client, place, other_place):
    response = client.get("/")
    assert response.status_code == 200
    assert "Bolton" in response.content.decode()


def test_a_district_page_lists_its_neighbourhoods_most_deprived_first(client, place, django_assert_num_queries):
    district = place.districts.get(code="D1")
    # A fixed number of queries however many neighbourhoods the district has (no N+1).
    with django_assert_num_queries(4):
        response = client.get(district.get_absolute_url())
    text = response.content.decode()
    assert text.index("E01006213") < text.index("E01006212")
    assert "3,123" in text
    assert HOSTILE_TAG not in text


def test_a_neighbourhood_page_shows_every_domain_decile(client, place):
    neighbourhood = place.neighbourhoods.get(code="E01006212")
    response = client.get(neighbourhood.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "Barriers to housing and services" in text
    assert "14,456 of 32,844" in text


@pytest.mark.parametrize(
    "url",
    [
        "/places/NOPE/",
        "/places/E08000010/districts/NOPE/",
        "/places/E08000010/neighbourhoods/E01000001/",
    ],
)
def test_unknown_places_districts_and_neighbourhoods_are_not_found(client, place, url):
    assert client.get(url).status_code == 404


def test_another_places_neighbourhood_is_not_found_under_this_place(client, place, other_place):
    assert client.get(f"/places/{other_place.code}/neighbourhoods/E01006212/").status_code == 200
    assert client.get("/places/E08000099/neighbourhoods/E01006212/").status_code == 404


def test_the_geojson_gives_each_boundary_with_its_decile(client, place):
    import json

    from commonweal.places.services import import_place_text

    ring = [[-2.6, 53.5], [-2.5, 53.5], [-2.5, 53.6], [-2.6, 53.5]]
    features = [
        {"type": "Feature", "properties": {"lsoa11cd": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for code in ("E01006212", "E01006213")
    ]
    import_place_text(
        place, "boundaries", json.dumps({"type": "FeatureCollection", "features": features}), file="b", by=None
    )
    response = client.get(reverse("places:geojson", args=[place.code]))
    data = response.json()
    assert {f["properties"]["code"]: f["properties"]["imd_decile"] for f in data["features"]} == {
        "E01006212": 5,
        "E01006213": 1,
    }
    only = client.get(reverse("places:geojson", args=[place.code]), {"lsoa": "e01006213"}).json()
    assert [f["properties"]["code"] for f in only["features"]] == ["E01006213"]


def test_pages_send_the_security_headers(client, place):
    response = client.get(place.get_absolute_url())
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
