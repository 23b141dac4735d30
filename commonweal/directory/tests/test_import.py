"""Importing ORUK feeds: the sample export, corrupted copies, re-runs, v1.0, URLs and the command."""

import copy
import http.server
import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.directory.feeds import feed_from_json, to_v3
from commonweal.directory.models import Attribute, ListedOrganisation, Location, Schedule, Service, TaxonomyTerm
from commonweal.directory.services import import_oruk
from commonweal.importing import ImportFileError

from .conftest import sample_feed


def test_the_sample_directory_imports_with_no_rejected_records(full_directory):
    services = Service.objects.filter(place=full_directory)
    assert services.count() == 402
    assert services.filter(status="active").count() == 391
    assert Location.objects.filter(place=full_directory).count() == 62
    assert ListedOrganisation.objects.count() == 224
    assert TaxonomyTerm.objects.count() == 208
    assert TaxonomyTerm.objects.get(code="befriending").parent.code == "support-network"


def test_imported_records_keep_their_oruk_ids_and_details(small_directory, sample_json):
    first = sample_json["services"][0]
    service = Service.objects.get(oruk_id=first["id"])
    assert service.name == first["name"]
    assert service.minimum_age == 55
    assert service.organisation.directory_listing.oruk_id == first["organization"]["id"]
    assert service.attributes.get(oruk_id=first["attributes"][0]["id"]).taxonomy_term.code == "befriending"
    assert "Befriending" in service.search_text
    assert "Support Network" in service.search_text


def test_reimporting_the_same_feed_changes_nothing(small_directory, sample_json):
    report = import_oruk(small_directory, sample_feed(sample_json, 40), by=None)
    assert (report.created, report.updated, report.unchanged, len(report.rejected)) == (0, 0, 40, 0)
    assert Service.objects.count() == 40


def test_a_changed_service_is_updated_and_its_parts_replaced(small_directory, sample_json):
    feed = sample_feed(sample_json, 40)
    feed.services[0]["name"] = "Telephone Befriending (renamed)"
    feed.services[0]["cost_options"][0]["amount"] = 2.5
    report = import_oruk(small_directory, feed, by=None)
    assert (report.updated, report.unchanged) == (1, 39)
    service = Service.objects.get(oruk_id=feed.services[0]["id"])
    assert service.name == "Telephone Befriending (renamed)"
    assert [str(c.amount) for c in service.costoptions.all()] == ["2.50"]


def test_a_complete_feed_closes_imported_offers_it_no_longer_lists(small_directory, sample_json, administrator):
    from commonweal.directory.services import approve_offer_change, propose_offer_change

    own = Service.objects.get(name="Daily Check-In Calls").organisation
    change = propose_offer_change(small_directory, own, {"name": "Made here", "description": "x"}, by=None)
    made_here = approve_offer_change(change, by=administrator)
    feed = sample_feed(sample_json, 40)
    dropped = feed.services.pop(0)
    feed.services[0]["status"] = "maybe"  # rejected, but still listed: not dropped
    report = import_oruk(small_directory, feed, by=None)
    assert report.closed == [dropped["id"]]
    assert "1 closed (no longer in the feed)" in report.summary()
    assert report.as_dict()["closed"] == 1
    assert Service.objects.get(oruk_id=dropped["id"]).status == "inactive"
    assert Service.objects.get(oruk_id=feed.services[0]["id"]).status == "active"
    made_here.refresh_from_db()
    assert made_here.status == "active"  # offers made here are not the feed's to close
    back = import_oruk(small_directory, sample_feed(sample_json, 40), by=None)
    assert (back.updated, back.closed) == (1, [])
    assert Service.objects.get(oruk_id=dropped["id"]).status == "active"


def test_one_record_a_filtered_read_an_empty_feed_or_the_option_off_closes_nothing(small_directory, sample_json):
    one = feed_from_json(copy.deepcopy(sample_json["services"][0]), label="one")
    assert not one.complete
    assert import_oruk(small_directory, one, by=None).closed == []
    assert import_oruk(small_directory, feed_from_json([], label="empty"), by=None).closed == []
    assert import_oruk(small_directory, sample_feed(sample_json, 5), by=None, close_missing=False).closed == []
    active = Service.objects.filter(status="active")
    assert active.count() == 37  # none closed: the first 40 sample offers include 3 inactive ones
    closed = import_oruk(small_directory, sample_feed(sample_json, 5), by=None, close_missing=True).closed
    assert len(closed) == 32
    assert active.count() == 5


def test_a_corrupted_copy_reports_each_bad_record_and_keeps_the_good_ones(place, sample_json):
    feed = sample_feed(sample_json, 30)
    bad = {
        0: lambda s: s.update(status="open all hours"),
        3: lambda s: s.pop("name"),
        5: lambda s: s.update(minimum_age=60, maximum_age=12),
        7: lambda s: s["service_at_locations"][0]["location"].update(latitude=123.4),
        9: lambda s: s.update(organization="not an object"),
        11: lambda s: s["cost_options"][0].update(amount="a fiver"),
        13: lambda s: s["attributes"].append({"id": "c0ffee00-0000-4000-8000-000000000000"}),
    }
    for index, corrupt in bad.items():
        corrupt(feed.services[index])
    feed.services.append(copy.deepcopy(feed.services[1]))  # the same id twice
    feed.services.append("not a service")
    report = import_oruk(place, feed, by=None)
    lines = {problem.line for problem in report.rejected}
    assert lines == {i + 1 for i in bad} | {31, 32}
    assert report.created == 30 - len(bad)
    assert not Service.objects.filter(oruk_id__in=[feed.services[i].get("id") for i in bad]).exists()
    messages = "\n".join(str(problem) for problem in report.rejected)
    assert "status: service" in messages
    assert "open all hours" in messages
    assert "service_at_locations[0].location.latitude" in messages
    assert "a fiver" in messages
    assert "appears again" in messages


def test_a_service_that_fails_half_way_leaves_nothing_behind(place, sample_json, monkeypatch):
    feed = sample_feed(sample_json, 3)
    original = Schedule.objects.bulk_create

    def failing(objs, *args, **kwargs):
        if objs and objs[0].service.oruk_id == feed.services[1]["id"]:
            from django.db import IntegrityError

            raise IntegrityError("disk full")
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(Schedule.objects, "bulk_create", failing)
    report = import_oruk(place, feed, by=None)
    assert report.created == 2
    assert len(report.rejected) == 1
    assert "disk full" in str(report.rejected[0])
    assert not Service.objects.filter(oruk_id=feed.services[1]["id"]).exists()
    assert not Attribute.objects.filter(service__oruk_id=feed.services[1]["id"]).exists()


def test_organisations_are_the_accounts_ones_not_copies(place, sample_json):
    first = sample_json["services"][0]
    known = create_organisation(first["organization"]["name"], Organisation.Kind.VCSE, place=place, by=None)
    import_oruk(place, sample_feed(sample_json, 5), by=None)
    assert Service.objects.get(oruk_id=first["id"]).organisation == known
    assert known.directory_listing.oruk_id == first["organization"]["id"]
    names = [s["organization"]["name"] for s in sample_json["services"][:5]]
    assert Organisation.objects.filter(name__in=names).count() == len(set(names))


def test_locations_are_placed_in_neighbourhoods_by_postcode_then_by_coordinates(place, sample_json):
    from commonweal.places.services import import_place_text

    services = sample_json["services"][:40]
    physical = [
        link["location"]
        for s in services
        for link in s["service_at_locations"]
        if link["location"]["location_type"] == "physical"
    ]
    by_postcode, by_point = physical[0], next(p for p in physical if p["id"] != physical[0]["id"])
    postcode = by_postcode["addresses"][0]["postal_code"]
    import_place_text(place, "postcodes", f"pcds,lsoa11cd\n{postcode},E01006212\n", file="p.csv", by=None)
    lon, lat = by_point["longitude"], by_point["latitude"]
    ring = [[lon - 0.01, lat - 0.01], [lon + 0.01, lat - 0.01], [lon + 0.01, lat + 0.01], [lon - 0.01, lat - 0.01]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"lsoa11cd": "E01006214"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    import_place_text(place, "boundaries", json.dumps(geojson), file="b.geojson", by=None)
    import_oruk(place, sample_feed(sample_json, 40), by=None)
    assert Location.objects.get(oruk_id=by_postcode["id"]).neighbourhood.code == "E01006212"
    assert Location.objects.get(oruk_id=by_point["id"]).neighbourhood.code == "E01006214"
    assert Location.objects.filter(location_type="virtual", neighbourhood__isnull=False).count() == 0


V1_SERVICE = {
    "id": "1001",
    "name": "Lunch club <script>alert(1)</script> Caffi Siân 🌈",
    "description": "A hot two-course lunch for older people.",
    "status": "active",
    "organization": {
        "id": "org-7",
        "name": "Friends of Pennington Hall",
        "description": "",
        "url": "pennington.example",
    },
    "eligibilitys": [{"id": "e1", "eligibility": "Over 60s", "minimum_age": 60}],
    "regular_schedules": [{"id": "r1", "weekday": "Tuesday", "opens_at": "12:00", "closes_at": "14:00"}],
    "service_taxonomys": [{"id": "t1", "taxonomy": {"id": "lunch", "name": "Lunch Club", "vocabulary": "Local"}}],
    "contacts": [{"id": "c1", "name": "Pat", "phones": [{"id": "p1", "number": "01942 000000"}]}],
    "service_at_locations": [
        {
            "id": "sl1",
            "location": {
                "id": "loc1",
                "name": "Pennington Hall",
                "latitude": 53.49,
                "longitude": -2.52,
                "physical_addresses": [
                    {"id": "a1", "address_1": "1 Hall Lane", "city": "Leigh", "postal_code": "WN7 3XX"}
                ],
            },
        }
    ],
}


def test_a_v1_feed_is_read_into_the_v3_shape(place):
    feed = feed_from_json({"content": [V1_SERVICE], "totalPages": 1}, label="v1")
    assert feed.version == "1.0"
    report = import_oruk(place, feed, by=None)
    assert report.ok
    assert report.created == 1
    service = Service.objects.get(oruk_id="1001")
    assert (service.minimum_age, service.eligibility_description) == (60, "Over 60s")
    assert service.schedules.get().byday == "TU"
    assert service.contacts.get().phone == "01942 000000"
    assert service.attributes.get().taxonomy_term.taxonomy_name == "Local"
    assert service.service_at_locations.get().location.addresses.get().city == "Leigh"
    assert service.organisation.website == "https://pennington.example"


def test_a_v3_record_passes_through_unchanged(sample_json):
    record = sample_json["services"][0]
    assert to_v3(record) is record


class _Feed(http.server.BaseHTTPRequestHandler):
    pages: dict[str, object] = {}

    def do_GET(self):
        body = self.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body if body is not None else {"detail": "not found"}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def local_feed_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_paged_feed_is_read_from_a_url_page_by_page(place, sample_json, local_feed_server):
    services = sample_json["services"][:5]
    page = {"total_pages": 2, "size": 3, "first_page": True, "last_page": False, "empty": False}
    _Feed.pages = {
        "/oruk/services?page=1&per_page=100&full=true": {**page, "page_number": 1, "contents": services[:3]},
        "/oruk/services?page=2&per_page=100&full=true": {
            **page,
            "page_number": 2,
            "contents": [{"id": services[3]["id"], "name": "x", "status": "active"}, services[4]],
        },
        f"/oruk/services/{services[3]['id']}": services[3],
        "/oruk/taxonomies?page=1&per_page=100": {"total_pages": 1, "contents": sample_json["taxonomies"]},
    }
    url = f"http://127.0.0.1:{local_feed_server.server_port}/oruk/"
    out, err = StringIO(), StringIO()
    call_command("import_oruk", url, "--place", place.code, stdout=out, stderr=err)
    assert "5 created, 0 updated, 0 unchanged, 0 rejected" in out.getvalue()
    assert Service.objects.get(oruk_id=services[3]["id"]).name == services[3]["name"]


def test_an_unreachable_url_is_a_clear_error_and_writes_nothing(place, local_feed_server):
    _Feed.pages = {}
    url = f"http://127.0.0.1:{local_feed_server.server_port}/nothing/"
    with pytest.raises(CommandError, match="404"):
        call_command("import_oruk", url, "--place", place.code, stdout=StringIO(), stderr=StringIO())
    assert not Service.objects.exists()


def test_the_command_imports_the_sample_folder_and_reports_rejections(place, sample_folder, tmp_path, sample_json):
    out = StringIO()
    broken = copy.deepcopy(sample_json["services"][:3])
    broken[1]["status"] = "maybe"
    (tmp_path / "services.json").write_text(json.dumps(broken))
    err = StringIO()
    call_command("import_oruk", str(tmp_path / "services.json"), "--place", place.code, stdout=out, stderr=err)
    assert "2 created" in out.getvalue()
    assert "1 rejected" in out.getvalue()
    assert "maybe" in err.getvalue()


def test_the_command_names_an_unknown_place_and_an_unreadable_file(place, tmp_path):
    with pytest.raises(CommandError, match="no place"):
        call_command("import_oruk", "x.json", "--place", "E99999999")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_oruk", str(tmp_path / "bad.json"), "--place", place.code)
    with pytest.raises(ImportFileError):
        import_oruk(place, tmp_path / "missing.json", by=None)
