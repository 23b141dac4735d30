"""CSV imports: a per-row error report, idempotent re-runs, updates that repost money, and hostile rows."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from commonweal.deal import services
from commonweal.deal.importers import import_contributions_text
from commonweal.deal.ledger import resources_in
from commonweal.deal.models import Contribution, MoneyPosting
from commonweal.directory.models import Service
from commonweal.importing import ImportFileError

YEAR = (date(2024, 4, 1), date(2025, 4, 1))
HEADER = (
    "reference,date,kind,sector,contributor,amount,currency,hours,category,description,lsoa,district,supported,offer,"
    "contributor_label\n"
)


def run(place, text, kind="contributions", by=None):
    return import_contributions_text(place, text, file="gifts.csv", by=by, kind=kind)


def test_good_rows_are_valued_placed_and_posted(place, business, organisations):
    report = run(
        place,
        HEADER + f'B1,2024-05-01,money,,{business.identifier},"1,250.50",GBP,,,Sponsorship,E01006213,,'
        f"{organisations['vcse'].identifier},\n"
        "B2,01/06/2024,time,residents,,,,1.5,,Litter pick,,D2,,\n"
        "B3,2024-07-01,in_kind,voluntary,,£40,,,food,Food parcels,,,,,Pantry volunteers\n",
    )
    assert report.summary() == "gifts.csv: 3 created, 0 updated, 0 unchanged, 0 rejected"
    money = Contribution.objects.get(external_id="B1")
    assert (money.value_pence, money.sector, money.district.code) == (125_050, "private", "D1")
    assert money.supported_organisation == organisations["vcse"]
    assert money.postings.count() == 2
    time = Contribution.objects.get(external_id="B2")
    assert (time.minutes, time.value_pence, time.district.code) == (90, 4067, "D2")
    assert Contribution.objects.get(external_id="B3").contributor_label == "Pantry volunteers"


def test_every_bad_row_is_reported_with_its_line_and_field_and_the_good_rows_are_kept(place):
    report = run(
        place,
        HEADER + "C1,2024-05-01,money,residents,,-10,GBP,,,,,,,\n"
        "C2,2024-05-01,money,residents,,10,EUR,,,,,,,\n"
        "C3,2024-13-01,money,residents,,10,GBP,,,,,,,\n"
        "C4,2024-05-01,time,residents,,,,-2,,,,,,\n"
        "C5,2024-05-01,money,residents,,10.001,GBP,,,,,,,\n"
        "C6,2024-05-01,money,residents,Nobody Ltd,10,GBP,,,,,,,\n"
        "C7,2024-05-01,money,residents,,10,GBP,,,,E01999999,,,\n"
        "C8,2024-05-01,money,aliens,,10,GBP,,,,,,,\n"
        ",2024-05-01,money,residents,,10,GBP,,,,,,,\n"
        "C9,2024-05-01,money,residents,,10,GBP,,,,,,,\n"
        "C9,2024-05-02,money,residents,,11,GBP,,,,,,,\n"
        "C10,2024-05-01,money,residents,,10,GBP,,,,,,,nope\n"
        "C11,2024-05-01,money,residents,,NaN,GBP,,,,,,,\n",
    )
    problems = {(e.line, e.field) for e in report.rejected}
    assert problems == {
        (2, "amount"), (3, "currency"), (4, "date"), (5, "hours"), (6, "amount"), (7, "contributor"), (8, "lsoa"),
        (9, "sector"), (10, "reference"), (12, "reference"), (13, "offer"), (14, "amount"),
    }  # fmt: skip
    messages = " ".join(str(e) for e in report.rejected)
    assert "gifts.csv:2: amount: -10 is negative" in messages
    assert "not EUR" in messages
    assert "first on line 11" in messages
    assert report.created == 1
    assert Contribution.objects.get().external_id == "C9"


def test_running_the_same_file_again_changes_nothing(place, business):
    text = (
        HEADER + f"D1,2024-05-01,money,,{business.identifier},100,GBP,,,,,,,\nD2,2024-05-01,time,residents,,,,2,,,,,,\n"
    )
    run(place, text)
    before = resources_in(place, start=YEAR[0], end=YEAR[1])
    again = run(place, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Contribution.objects.count() == 2
    assert MoneyPosting.objects.count() == 2
    assert resources_in(place, start=YEAR[0], end=YEAR[1]) == before


def test_a_changed_row_is_updated_and_its_money_reposted(place, business):
    run(place, HEADER + f"E1,2024-05-01,money,,{business.identifier},100,GBP,,,,,,,\n")
    report = run(place, HEADER + f"E1,2024-05-01,money,,{business.identifier},150,GBP,,,,,,,\n")
    assert report.updated == 1
    contribution = Contribution.objects.get()
    assert contribution.value_pence == 15_000
    assert contribution.postings.aggregate(total=Sum("amount_pence"))["total"] == 0
    nets = contribution.postings.values("account__key").annotate(net=Sum("amount_pence"))
    assert {n["account__key"]: n["net"] for n in nets} == {f"org:{business.pk}": -15_000, "place": 15_000}


def test_a_new_rate_does_not_revalue_rows_that_did_not_change(place, administrator):
    text = HEADER + "F1,2024-05-01,time,residents,,,,1,,,,,,\n"
    run(place, text)
    services.set_time_rate(place, by=administrator, pence_per_hour=1000, basis="living_wage", source="x",
                           price_year="2024", valid_from=date(2024, 1, 1))  # fmt: skip
    assert run(place, text).unchanged == 1
    assert Contribution.objects.get().value_pence == 2711


def test_volunteer_hours_import_credits_residents_and_the_organisation(place, organisations):
    text = (
        "reference,date,hours,organisation,volunteer,activity,lsoa\n"
        f"V1,2024-05-01,3,{organisations['vcse'].identifier},Sam,Shelf stacking,E01006214\n"
        "V2,2024-05-01,3,Unknown Org,,,\n"
        "V3,2024-05-01,0,GB-CHC-1234567,,,\n"
    )
    report = run(place, text, kind="volunteer_hours")
    assert report.created == 1
    assert [(e.line, e.field) for e in report.rejected] == [(3, "supported"), (4, "hours")]
    given = Contribution.objects.get()
    assert (given.sector, given.minutes, given.supported_organisation) == ("residents", 180, organisations["vcse"])
    assert given.source == "volunteer_hours_csv"
    assert run(place, text, kind="volunteer_hours").unchanged == 1


def test_the_same_reference_in_the_two_kinds_of_file_are_two_records(place, organisations):
    run(place, HEADER + "X1,2024-05-01,time,residents,,,,1,,,,,,\n")
    run(
        place,
        f"reference,date,hours,organisation\nX1,2024-05-01,1,{organisations['vcse'].identifier}\n",
        "volunteer_hours",
    )
    assert Contribution.objects.count() == 2


def test_a_file_without_a_required_column_is_refused_whole(place):
    with pytest.raises(ImportFileError, match="missing column 'kind'"):
        run(place, "reference,date\nA,2024-05-01\n")
    assert not Contribution.objects.exists()


def test_contributions_link_to_an_offer_in_the_directory(place, organisations):
    offer = Service.objects.create(place=place, organisation=organisations["vcse"], oruk_id="svc-1", name="Pantry",
                                   last_modified=timezone.now())  # fmt: skip
    run(place, HEADER + "G1,2024-05-01,time,residents,,,,1,,,,,,svc-1\n")
    assert Contribution.objects.get().supported_service == offer


def test_the_import_command_prints_the_report_and_rejections(place, tmp_path, capsys):
    path = tmp_path / "hours.csv"
    path.write_text(HEADER + "H1,2024-05-01,time,residents,,,,1,,,,,,\nH2,2024-05-01,money,residents,,-1,GBP,,,,,,,\n")
    call_command("import_contributions", str(path), place=place.code)
    out, err = capsys.readouterr()
    assert "1 created" in out
    assert ":3: amount:" in err
