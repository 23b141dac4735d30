"""The account's pages: public aggregates, downloads, and who may rebuild it."""

import io

import polars as pl
import pytest
from django.urls import reverse

from commonweal.accounting.models import AccountSnapshot

HOSTILE_TAG = "<script>alert('pwned')</script>"
PERIOD = {"from": "2024-04-01", "to": "2025-04-01"}


@pytest.fixture
def account_url(place):
    return reverse("accounting:account", args=[place.code])


def test_the_account_page_is_public_and_escapes_names(client, account_url):
    response = client.get(account_url, PERIOD)
    text = response.content.decode()
    assert response.status_code == 200
    assert HOSTILE_TAG not in text
    assert "Social productivity account" in text
    assert 'role="img"' in text  # charts carry a title and description for screen readers


def test_the_account_is_kept_and_served_from_its_snapshot(client, account_url, place, django_assert_max_num_queries):
    client.get(account_url)
    assert AccountSnapshot.objects.filter(place=place, level="place").count() == 1
    with django_assert_max_num_queries(8):
        client.get(account_url)


def test_the_how_page_states_every_assumption(client, place):
    response = client.get(reverse("accounting:account_how", args=[place.code]), PERIOD)
    text = response.content.decode()
    assert "Counterfactual life satisfaction change" in text
    assert "Green Book" in text


@pytest.mark.parametrize("persona", ["administrator", "analyst"])
def test_administrators_and_analysts_rebuild_the_account(client, account_url, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"{account_url}?from=2024-04-01&to=2025-04-01")
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["connector", "resident", "commissioner", "other_place_administrator"])
def test_others_cannot_rebuild_it(client, account_url, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"{account_url}?from=2024-04-01&to=2025-04-01").status_code == 403


def test_signed_out_visitors_cannot_rebuild_it(client, account_url):
    assert client.post(account_url).status_code == 403


def test_downloads_give_pdf_csv_and_parquet(client, account_url):
    pdf = client.get(account_url, {**PERIOD, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    csv = client.get(account_url, {**PERIOD, "format": "csv", "table": "sectors"}).content.decode()
    assert csv.splitlines()[0] == "Sector,Value,Of which into pooled funds,Hours,Ledger entries"
    parquet = client.get(account_url, {**PERIOD, "format": "parquet", "table": "deciles"}).content
    assert pl.read_parquet(io.BytesIO(parquet)).height == 10


@pytest.mark.parametrize(
    "query", [{"from": "soon"}, {"from": "2025-01-01", "to": "2024-01-01"}, {"format": "csv", "table": "people"}]
)
def test_bad_periods_and_tables_are_not_found(client, account_url, query):
    assert client.get(account_url, query).status_code == 404


def test_district_and_neighbourhood_accounts_and_the_map(client, place):
    district = reverse("accounting:account_district", args=[place.code, "D1"])
    assert client.get(district, PERIOD).status_code == 200
    hood = reverse("accounting:account_neighbourhood", args=[place.code, "E01006212"])
    assert client.get(hood, PERIOD).status_code == 200
    assert client.get(reverse("accounting:account_district", args=[place.code, "NOPE"])).status_code == 404
    geojson = client.get(reverse("accounting:account_map", args=[place.code]), PERIOD).json()
    assert geojson["type"] == "FeatureCollection"


def test_a_visitors_unusual_period_is_shown_but_not_kept(client, account_url, place):
    assert client.get(account_url, {"from": "2023-02-03", "to": "2023-07-09"}).status_code == 200
    assert not AccountSnapshot.objects.filter(place=place, start="2023-02-03").exists()
    client.get(account_url)  # the default period is kept for everyone
    assert AccountSnapshot.objects.filter(place=place).count() == 1
