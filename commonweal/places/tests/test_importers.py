"""Importing open place data: the real Wigan files, idempotent re-runs, and hostile files."""

import pytest
from django.core.management import CommandError, call_command

from commonweal.importing import ImportFileError
from commonweal.places.importers import normalise_postcode
from commonweal.places.models import Neighbourhood, Place, Postcode
from commonweal.places.services import create_place, import_place_data, import_place_text


@pytest.fixture
def wigan(db):
    return create_place("E08000010", "Wigan", by=None)


@pytest.fixture
def wigan_with_deprivation(wigan, reference):
    import_place_data(wigan, "deprivation", reference("place", "wigan_iod2019_lsoa.csv"), by=None)
    return wigan


def test_wigan_deprivation_gives_200_neighbourhoods_with_65_in_the_most_deprived_fifth(wigan_with_deprivation):
    neighbourhoods = Neighbourhood.objects.filter(place=wigan_with_deprivation)
    assert neighbourhoods.count() == 200
    assert neighbourhoods.filter(imd_decile__lte=2).count() == 65
    abram = neighbourhoods.get(code="E01006213")
    assert (abram.name, abram.imd_rank, abram.imd_decile, abram.population) == ("Wigan 024A", 1834, 1, 1685)
    assert abram.imd_score == pytest.approx(52.268)
    assert (abram.income_decile, abram.barriers_decile, abram.living_env_decile) == (1, 7, 7)


def test_the_all_england_file_imports_only_the_places_own_neighbourhoods(wigan, reference):
    report = import_place_data(wigan, "deprivation", reference("place", "iod2019_lsoa_england.csv.gz"), by=None)
    assert (report.created, len(report.rejected)) == (200, 0)
    assert report.skipped == 32844 - 200
    assert wigan.neighbourhoods.filter(imd_decile__lte=2).count() == 65


def test_reimporting_the_same_file_changes_nothing(wigan_with_deprivation, reference):
    report = import_place_data(
        wigan_with_deprivation, "deprivation", reference("place", "wigan_iod2019_lsoa.csv"), by=None
    )
    assert (report.created, report.updated, report.unchanged, len(report.rejected)) == (0, 0, 200, 0)


def test_wigan_boundaries_districts_and_postcodes_import_completely(wigan_with_deprivation, reference):
    place = wigan_with_deprivation
    boundaries = import_place_data(place, "boundaries", reference("place", "wigan_lsoa11_bgc.geojson"), by=None)
    assert (boundaries.updated, boundaries.created, len(boundaries.rejected)) == (200, 0, 0)
    districts = import_place_data(place, "districts", reference("place", "wigan_lsoa11_lookup.csv"), by=None)
    assert len(districts.rejected) == 0
    assert place.districts.count() == 7
    assert place.neighbourhoods.filter(district=None).count() == 0
    postcodes = import_place_data(place, "postcodes", reference("place", "wigan_postcodes.csv"), by=None)
    assert postcodes.rejected == []
    assert Postcode.objects.filter(place=place).count() == 10368
    # One postcode (WA3 3QP) has no LSOA in the lookup: it is placed by its coordinates.
    assert Postcode.objects.get(place=place, postcode="WA3 3QP").neighbourhood.code == "E01006346"
    assert Postcode.objects.get(place=place, postcode="M28 1AA").neighbourhood.code == "E01006379"
    again = import_place_data(place, "postcodes", reference("place", "wigan_postcodes.csv"), by=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10368)


BAD_DEPRIVATION = """lsoa11cd,lsoa11nm,imd_score,imd_rank,imd_decile,income_decile,employment_decile,\
education_decile,health_decile,crime_decile,barriers_decile,living_env_decile,pop_total_mid2015
E01006212,Good one,19.8,14456,5,6,4,3,3,3,8,9,1438
E0100621X,Bad code,19.8,14456,5,6,4,3,3,3,8,9,1438
E01006213,Decile eleven,52.2,1834,11,1,1,1,1,1,7,7,1685
E01006214,<script>x</script>,ten,1834,1,1,1,1,1,1,7,7,1685
E01006212,Duplicate,19.8,14456,5,6,4,3,3,3,8,9,1438
E01006215,Negative people,19.8,14456,5,6,4,3,3,3,8,9,-4
"""


def test_bad_rows_are_reported_by_line_and_field_and_good_rows_kept(place):
    report = import_place_text(place, "deprivation", BAD_DEPRIVATION, file="bad.csv", by=None)
    problems = {(e.line, e.field) for e in report.rejected}
    assert problems == {(3, "code"), (4, "imd_decile"), (5, "imd_score"), (6, "code"), (7, "population")}
    assert "bad.csv:4: imd_decile: 11 is above 10" in [str(e) for e in report.rejected]
    assert "first on line 2" in next(e.message for e in report.rejected if e.line == 6)
    # The good row is kept, and so is everything imported before.
    assert place.neighbourhoods.filter(code="E01006212").get().name == "Good one"
    assert place.neighbourhoods.count() == 3


def test_a_file_missing_a_column_names_it_and_writes_nothing(place):
    before = place.neighbourhoods.count()
    with pytest.raises(ImportFileError, match=r"broken.csv:1: missing column 'imd_decile'"):
        import_place_text(place, "deprivation", "lsoa11cd,lsoa11nm,imd_score,imd_rank\n", file="broken.csv", by=None)
    assert place.neighbourhoods.count() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"b.geojson:1: not valid JSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection"}', "no list of features"),
    ],
)
def test_a_malformed_geojson_file_is_refused_with_a_reason(place, text, message):
    with pytest.raises(ImportFileError, match=message):
        import_place_text(place, "boundaries", text, file="b.geojson", by=None)


def test_bad_boundary_features_are_reported_and_good_ones_kept(place):
    good = {"type": "Polygon", "coordinates": [[[-2.6, 53.5], [-2.5, 53.5], [-2.5, 53.6], [-2.6, 53.5]]]}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"LSOA11CD": "E01006212"}, "geometry": good},
            {"type": "Feature", "properties": {"LSOA11CD": "nope"}, "geometry": good},
            {"type": "Feature", "properties": {"LSOA11CD": "E01006213"}, "geometry": {"type": "Point"}},
            {
                "type": "Feature",
                "properties": {"LSOA11CD": "E01006214"},
                "geometry": {"type": "Polygon", "coordinates": [[[400000, 300000], [1, 2], [3, 4]]]},
            },
        ],
    }
    import json

    report = import_place_text(place, "boundaries", json.dumps(collection), file="b.geojson", by=None)
    assert [(e.line, e.field) for e in report.rejected] == [(2, "code"), (3, "geometry"), (4, "geometry")]
    assert place.neighbourhoods.get(code="E01006212").boundary == good


def test_postcodes_are_normalised_and_bad_ones_rejected(place):
    text = "pcds,lsoa11cd,lat,long\nwn1  1aa,E01006212,53.54,-2.63\nNOT A CODE,E01006212,,\nWN2 2BB,E01999999,,\n"
    text += "WN3 3CC,E01006213,95,-2.6\n"
    report = import_place_text(place, "postcodes", text, file="p.csv", by=None)
    assert Postcode.objects.get(place=place).postcode == "WN1 1AA"
    assert [(e.line, e.field) for e in report.rejected] == [(3, "postcode"), (4, "lsoa"), (5, "latitude")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("wn11aa", "WN1 1AA"), (" M28 1AA ", "M28 1AA"), ("EC1A1BB", "EC1A 1BB"), ("12345", None), ("", None)],
)
def test_postcodes_normalise_to_the_royal_mail_form(raw, expected):
    assert normalise_postcode(raw) == expected


def test_the_import_command_reports_rejected_rows_and_keeps_good_ones(place, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_DEPRIVATION, encoding="utf-8")
    call_command("import_place_data", "deprivation", str(path), "--place", place.code, verbosity=0)
    captured = capsys.readouterr()
    assert f"{path}:4: imd_decile: 11 is above 10" in captured.err
    assert "5 rejected" in captured.out


def test_the_import_command_refuses_an_unknown_place_or_missing_file(place, tmp_path):
    with pytest.raises(CommandError, match="no place with code 'X1'"):
        call_command("import_place_data", "deprivation", str(tmp_path / "x.csv"), "--place", "X1")
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_place_data", "deprivation", str(tmp_path / "missing.csv"), "--place", place.code)


def test_every_import_leaves_an_audit_row(place):
    from commonweal.audit.models import AuditEvent

    import_place_text(place, "deprivation", BAD_DEPRIVATION, file="bad.csv", by=None)
    event = AuditEvent.objects.filter(place=place, action="imported").first()
    assert event.detail["rejected"] == 5
    assert Place.objects.count() == 1


def test_district_rows_for_unknown_neighbourhoods_or_blank_names_are_reported(place):
    text = "lsoa11cd,sdf_id,sdf_name\nE01006212,D9,New district\nE01999999,D9,New district\nE01006213,D9,\n"
    report = import_place_text(place, "districts", text, file="districts.csv", by=None)
    assert [str(e) for e in report.rejected] == [
        f"districts.csv:3: code: E01999999 is not a neighbourhood of {place.name}; import deprivation first",
        "districts.csv:4: district_name: is empty",
    ]
    assert place.neighbourhoods.get(code="E01006212").district.name == "New district"
    assert place.neighbourhoods.get(code="E01006213").district.code == "D1"  # kept as it was
