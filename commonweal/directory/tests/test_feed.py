"""The ORUK read API: every response is validated against the Open Referral UK 3.0 schemas."""

import json

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from commonweal.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@pytest.fixture(scope="session")
def schemas(reference):
    folder = reference("directory", "schema", "oruk-validator", "V3.0-UK")
    openapi = json.loads((folder / "open_api.json").read_text())
    page = openapi["components"]["schemas"]["Page"]

    def load(name):
        return Draft202012Validator(json.loads((folder / name).read_text()), format_checker=FormatChecker())

    validators = {
        name: load(f"{name}.json")
        for name in (
            "api_details",
            "service",
            "service_list",
            "taxonomy",
            "taxonomy_list",
            "taxonomy_term",
            "taxonomy_term_list",
            "organization",
            "organization_list",
            "service_at_location",
            "service_at_location_list",
        )
    }
    validators["page"] = Draft202012Validator({**page, "required": sorted(PAGE_KEYS - {"contents"})})
    return validators


def valid(schemas, name, data):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schemas[name].iter_errors(data)]
    assert not errors, errors[:5]
    return data


def valid_page(schemas, list_schema, data, *, item_schema=None):
    assert set(data) == PAGE_KEYS
    valid(schemas, "page", data)
    if item_schema:  # organization_list.json describes one item, not a page
        for item in data["contents"]:
            valid(schemas, item_schema, item)
    else:
        valid(schemas, list_schema, data)
    return data


def get(client, path, **params):
    response = client.get(f"/api/oruk/{path}", params)
    assert response.status_code == 200, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_the_index_names_the_version_profile_and_openapi_document(client, small_directory, schemas):
    data = valid(schemas, "api_details", get(client, ""))
    assert data["version"] == "HSDS-UK-3.0"
    assert data["openapi_url"].endswith("/api/oruk/openapi.json")
    document = get(client, "openapi.json")
    assert {"/services", "/services/{id}", "/service_at_locations"} <= set(document["paths"])


def test_services_are_paged_and_each_page_passes_the_schema(client, small_directory, schemas):
    first = valid_page(schemas, "service_list", get(client, "services", per_page=15))
    assert (first["total_items"], first["total_pages"], first["size"]) == (40, 3, 15)
    assert first["first_page"]
    assert not first["last_page"]
    last = valid_page(schemas, "service_list", get(client, "services", per_page=15, page=3))
    assert last["last_page"]
    assert last["size"] == 10
    beyond = valid_page(schemas, "service_list", get(client, "services", per_page=15, page=4))
    assert beyond["empty"]
    assert beyond["contents"] == []


def test_full_services_and_each_service_by_id_pass_the_schema(
    client, small_directory, schemas, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):  # a fixed number of queries for a page of any size
        page = get(client, "services", full="true", per_page=40)
    for service in page["contents"]:
        valid(schemas, "service", service)
    ids = [s["id"] for s in page["contents"]]
    for oruk_id in ids:
        valid(schemas, "service", get(client, f"services/{oruk_id}"))
    one = get(client, f"services/{ids[0]}")
    assert one["organization"]["name"]
    assert one["service_at_locations"][0]["location"]["location_type"]


def test_the_sample_feed_round_trips_its_services(client, small_directory, sample_json, schemas):
    original = sample_json["services"][1]
    ours = get(client, f"services/{original['id']}")
    for key in ("id", "name", "description", "status", "minimum_age"):
        assert ours.get(key) == original.get(key)
    assert {a["taxonomy_term_id"] for a in ours["attributes"]} == {
        a["taxonomy_term_id"] for a in original["attributes"]
    }
    link = ours["service_at_locations"][0]
    assert link["location"]["id"] == original["service_at_locations"][0]["location"]["id"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"minimal": "true"}, {"id", "name", "status", "last_modified"}),
        ({"search": "befriending"}, None),
    ],
)
def test_minimal_and_search_filters(client, small_directory, schemas, params, expected):
    page = valid_page(schemas, "service_list", get(client, "services", **params))
    assert page["contents"]
    if expected:
        assert set(page["contents"][0]) == expected
    else:
        assert all("efriend" in json.dumps(get(client, f"services/{s['id']}")) for s in page["contents"])


def test_taxonomy_organisation_and_date_filters(client, small_directory, schemas):
    term = TaxonomyTerm.objects.get(code="befriending")
    by_term = valid_page(schemas, "service_list", get(client, "services", taxonomy_term_id=term.oruk_id))
    assert by_term["total_items"] == Service.objects.filter(attributes__taxonomy_term=term).count() > 0
    taxonomy = term.taxonomy
    by_taxonomy = get(client, "services", taxonomy_id=taxonomy.oruk_id)
    assert (
        by_taxonomy["total_items"]
        == Service.objects.filter(attributes__taxonomy_term__taxonomy=taxonomy).distinct().count()
    )
    service = Service.objects.order_by("pk").first()
    by_org = get(client, "services", organization_id=service.organisation.directory_listing.oruk_id)
    assert service.oruk_id in {s["id"] for s in by_org["contents"]}
    assert get(client, "services", modified_after="2100-01-01")["total_items"] == 0
    assert get(client, "services", modified_after="2000-01-01")["total_items"] == 40


def test_ndjson_gives_one_service_a_line(client, small_directory, schemas):
    response = client.get("/api/oruk/services", {"format": "ndjson", "full": "true"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response["Content-Type"] == "application/x-ndjson"
    assert len(lines) == 40
    for line in lines:
        valid(schemas, "service", json.loads(line))


def test_taxonomies_and_terms_pass_the_schema(client, small_directory, schemas):
    page = valid_page(schemas, "taxonomy_list", get(client, "taxonomies"))
    assert page["total_items"] == Taxonomy.objects.count() == 2
    for taxonomy in page["contents"]:
        detail = valid(schemas, "taxonomy", get(client, f"taxonomies/{taxonomy['id']}"))
        assert detail["taxonomy_terms"]
    terms = valid_page(schemas, "taxonomy_term_list", get(client, "taxonomy_terms", per_page=500))
    assert terms["total_items"] == 208
    top = valid_page(schemas, "taxonomy_term_list", get(client, "taxonomy_terms", top_only="true", per_page=500))
    assert all("parent_id" not in t for t in top["contents"])
    child = TaxonomyTerm.objects.get(code="befriending")
    under = get(client, "taxonomy_terms", parent_id=child.parent.oruk_id)
    assert child.oruk_id in {t["id"] for t in under["contents"]}
    valid(schemas, "taxonomy_term", get(client, f"taxonomy_terms/{child.oruk_id}"))


def test_organisations_pass_the_schema_with_their_services(client, small_directory, schemas):
    page = valid_page(
        schemas, "organization_list", get(client, "organizations", per_page=100), item_schema="organization_list"
    )
    assert page["total_items"] == Service.objects.values("organisation").distinct().count()
    for organisation in page["contents"][:10]:
        detail = valid(schemas, "organization", get(client, f"organizations/{organisation['id']}"))
        assert detail["services"]
        full = valid(schemas, "organization", get(client, f"organizations/{organisation['id']}", full_service="true"))
        for service in full["services"]:
            valid(schemas, "service", service)


def test_services_at_locations_pass_the_schema_and_sort_by_distance(client, small_directory, schemas):
    from commonweal.places.services import import_place_text

    page = valid_page(schemas, "service_at_location_list", get(client, "service_at_locations", per_page=100))
    assert page["total_items"] == ServiceAtLocation.objects.count()
    for link in page["contents"][:10]:
        valid(schemas, "service_at_location", get(client, f"service_at_locations/{link['id']}"))
    full = valid_page(schemas, "service_at_location_list", get(client, "service_at_locations", full="true"))
    assert full["contents"][0]["service"]["name"]
    import_place_text(
        small_directory,
        "postcodes",
        "pcds,lsoa11cd,lat,long\nWN1 1QJ,E01006212,53.550458,-2.632711\n",
        file="p",
        by=None,
    )
    near = valid_page(
        schemas, "service_at_location_list", get(client, "service_at_locations", postcode="wn11qj", proximity=1500)
    )
    assert 0 < near["total_items"] < page["total_items"]
    assert near["contents"][0]["location"]["addresses"][0]["postal_code"] == "WN1 1QJ"


def test_the_api_for_one_place_shows_only_that_places_offers(client, small_directory, other_place, schemas):
    own = client.get(f"/places/{small_directory.code}/api/oruk/services").json()
    other = client.get(f"/places/{other_place.code}/api/oruk/services").json()
    assert (own["total_items"], other["total_items"]) == (40, 0)
    valid_page(schemas, "service_list", other)
    index = client.get(f"/places/{other_place.code}/api/oruk/").json()
    assert index["openapi_url"].endswith(f"/places/{other_place.code}/api/oruk/openapi.json")
    assert client.get("/places/E99999999/api/oruk/services").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["services/nope", "taxonomies/nope", "taxonomy_terms/nope", "organizations/nope", "service_at_locations/nope"],
)
def test_unknown_ids_are_not_found(client, small_directory, path):
    assert client.get(f"/api/oruk/{path}").status_code == 404


@pytest.mark.parametrize(
    "params", [{"page": "two"}, {"per_page": "0"}, {"per_page": "100000"}, {"modified_after": "yesterday"}]
)
def test_bad_parameters_are_a_400_that_says_why(client, small_directory, params):
    response = client.get("/api/oruk/services", params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_api_only_answers_reads(client, small_directory):
    assert client.post("/api/oruk/services").status_code == 405


def test_a_service_id_two_places_share_is_found_under_each_place_not_guessed(
    client, small_directory, other_place, sample_json
):
    from commonweal.directory.services import import_oruk

    from .conftest import sample_feed

    assert import_oruk(other_place, sample_feed(sample_json, 1), by=None).ok
    shared = sample_json["services"][0]["id"]
    assert client.get(f"/api/oruk/services/{shared}").status_code == 404  # two places list it: ambiguous
    for place in (small_directory, other_place):
        response = client.get(f"/places/{place.code}/api/oruk/services/{shared}")
        assert response.status_code == 200
        assert response.json()["id"] == shared
    only_here = sample_json["services"][1]["id"]
    assert get(client, f"services/{only_here}")["id"] == only_here
