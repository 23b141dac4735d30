"""Pages: the PB round run through them gives the engine's result; access is 404/403 as it should be;
forms keep what was typed; hostile text is escaped; lists do not grow queries with their rows."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonweal.engines.voting import method_of_equal_shares, read_pabulib
from commonweal.investment import services
from commonweal.investment.models import Application, Ballot, Contract, PBProcess, PBProject

from .conftest import HOSTILE_TAG, TODAY, make_resident

ESCAPED_TAG = "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;"


def url(name, place, *args):
    return reverse(f"investment:{name}", args=[place.code, *args])


# --- The PB round through the pages -------------------------------------------------------------------


def test_a_pb_round_run_through_the_pages_gives_exactly_the_engines_result(client, postcodes, commissioner, reference):
    """Assen 2024's real election, re-run by 84 residents clicking through the pages."""
    path = reference("pb", "Netherlands_Assen_2024.pb")
    election = read_pabulib(path)
    place = postcodes
    client.force_login(commissioner)
    response = client.post(
        url("pb_create", place),
        {
            "title": "Top Idee",
            "budget": "100000",
            "ballot_type": "approval",
            "min_choices": "2",
            "rule": "mes_add1",
            "tie_breaking": "lexicographic",
        },
    )
    process = PBProcess.objects.get()
    assert response.status_code == 302
    assert response.url == process.get_absolute_url()
    client.post(url("pb_stage", place, process.pk), {"action": "next"})

    proposer = make_resident(place, "proposer", "WN1 1AA")
    client.force_login(proposer)
    for pid in sorted(election.project_ids, key=int):  # proposed in id order, so our numbers are the file's ids
        project = election.projects[election.index[pid]]
        response = client.post(url("pb_propose", place, process.pk), {"title": project.name, "description": "d"})
        assert response.status_code == 302
    client.force_login(commissioner)
    client.post(url("pb_stage", place, process.pk), {"action": "next"})
    for project in process.projects.all():
        cost = election.projects[election.index[project.code]].cost
        response = client.post(url("pb_project_check", place, project.pk), {"feasible": "yes", "cost": str(cost)})
        assert response.status_code == 302
    client.post(url("pb_stage", place, process.pk), {"action": "next"})

    pks = {p.code: p.pk for p in process.projects.all()}
    for n, voter in enumerate(election.voters):
        resident = make_resident(place, f"voter{n}", ["WN1 1AB", "WN2 2AA", "WN3 3AA"][n % 3])
        client.force_login(resident)
        response = client.post(url("pb_vote", place, process.pk), {"projects": [pks[p] for p in voter.vote]})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert Ballot.objects.filter(process=process).count() == 84

    client.force_login(commissioner)
    client.post(url("pb_stage", place, process.pk), {"action": "next"})
    client.post(url("pb_stage", place, process.pk), {"action": "publish"})
    process.refresh_from_db()
    expected = method_of_equal_shares(election, completion="add1")
    assert process.result.selected == list(expected.selected)
    official = json.loads(reference("pb", "expected_outcomes.json").read_text())["Netherlands_Assen_2024.pb"][
        "official"
    ]
    assert sorted(process.result.selected, key=int) == official["selected"]

    page = client.get(process.get_absolute_url()).content.decode()
    assert "84 residents voted" in page
    assert "Rule: method_of_equal_shares(completion=&#x27;add1&#x27;" in page


# --- Residents: where they live, proposing and voting -----------------------------------------------------


@pytest.fixture
def voting_process(pb_process, commissioner):
    services.advance_stage(pb_process, by=commissioner)
    proposer = make_resident(pb_process.place, "proposer", "WN1 1AB")
    projects = [
        services.propose_project(pb_process, by=proposer, title=f"Benches {HOSTILE_TAG} {n}", description="d")
        for n in (1, 2)
    ]
    services.advance_stage(pb_process, by=commissioner)
    for project in projects:
        services.check_project(project, by=commissioner, feasible=True, cost_pence=500_000)
    services.advance_stage(pb_process, by=commissioner)
    pb_process.refresh_from_db()
    return pb_process


def test_a_resident_votes_then_changes_their_vote_on_the_page(client, voting_process, voter):
    client.force_login(voter)
    first, second = voting_process.projects.all()
    page = client.get(url("pb_vote", voting_process.place, voting_process.pk)).content.decode()
    assert ESCAPED_TAG in page
    assert HOSTILE_TAG not in page
    client.post(url("pb_vote", voting_process.place, voting_process.pk), {"projects": [first.pk]})
    response = client.post(url("pb_vote", voting_process.place, voting_process.pk), {"projects": [second.pk]})
    assert response.status_code == 302
    assert services.ballot_of(voting_process, voter) == {second.pk: 1}
    page = client.get(url("pb_vote", voting_process.place, voting_process.pk)).content.decode()
    assert "Change your vote" in page
    assert re.search(rf'<input[^>]*name="projects" value="{second.pk}"[^>]* checked', page)
    assert not re.search(rf'<input[^>]*name="projects" value="{first.pk}"[^>]* checked', page)


def test_a_resident_outside_the_area_is_told_why_and_cannot_vote_by_posting(client, voting_process):
    elsewhere = make_resident(voting_process.place, "south", "WN3 3AA")
    client.force_login(elsewhere)
    project = voting_process.projects.first()
    response = client.get(url("pb_vote", voting_process.place, voting_process.pk))
    assert response.status_code == 403
    assert "outside the area" in response.content.decode()
    response = client.post(url("pb_vote", voting_process.place, voting_process.pk), {"projects": [project.pk]})
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_an_empty_ballot_is_refused_with_an_error_summary(client, voting_process, voter):
    client.force_login(voter)
    response = client.post(url("pb_vote", voting_process.place, voting_process.pk), {})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "Choose at least one project" in response.content.decode()


def test_a_resident_gives_a_postcode_and_an_officer_confirms_it(client, postcodes, resident, commissioner):
    client.force_login(resident)
    response = client.post(url("residence", postcodes), {"postcode": "wn11aa"})
    assert response.status_code == 302
    client.force_login(commissioner)
    page = client.get(url("residences", postcodes)).content.decode()
    assert "WN1 1AA" in page
    assert ESCAPED_TAG in page
    residence = resident.residences.get()
    client.post(url("residences", postcodes), {"residence": residence.pk})
    residence.refresh_from_db()
    assert residence.is_verified


def test_a_postcode_outside_the_place_keeps_what_was_typed(client, postcodes, resident):
    client.force_login(resident)
    response = client.post(url("residence", postcodes), {"postcode": "SW1A 1AA"})
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert 'value="SW1A 1AA"' in text


def test_only_officers_confirm_residences(client, postcodes, resident, analyst):
    for user in (resident, analyst):
        client.force_login(user)
        assert client.get(url("residences", postcodes)).status_code == 404


def test_residents_see_the_ballot_paper_but_not_unchecked_proposals_or_drafts(client, pb_process, commissioner, voter):
    assert client.get(pb_process.get_absolute_url()).status_code == 404  # a draft is the officers' only
    services.advance_stage(pb_process, by=commissioner)
    project = services.propose_project(pb_process, by=voter, title="Unchecked idea", description="d")
    assert "Unchecked idea" not in client.get(pb_process.get_absolute_url()).content.decode()
    assert client.get(project.get_absolute_url()).status_code == 404
    client.force_login(voter)
    assert client.get(project.get_absolute_url()).status_code == 200  # the proposer sees their own
    client.force_login(commissioner)
    assert "Unchecked idea" in client.get(pb_process.get_absolute_url()).content.decode()


def test_only_officers_move_a_process_on(client, voting_process, voter, analyst):
    for user in (voter, analyst):
        client.force_login(user)
        response = client.post(url("pb_stage", voting_process.place, voting_process.pk), {"action": "next"})
        assert response.status_code == 403
    voting_process.refresh_from_db()
    assert voting_process.stage == PBProcess.Stage.VOTING


def test_ballots_are_exported_only_with_the_results(client, voting_process, commissioner):
    assert client.get(url("pb_export", voting_process.place, voting_process.pk)).status_code == 404
    client.force_login(commissioner)
    assert client.get(url("pb_export", voting_process.place, voting_process.pk)).status_code == 200


def test_an_officer_imports_a_pabulib_file(client, place, commissioner, reference):
    client.force_login(commissioner)
    path = reference("pb", "Netherlands_Assen_2024.pb")
    with path.open("rb") as handle:
        response = client.post(url("pb_import", place), {"file": handle, "title": ""})
    process = PBProcess.objects.get()
    assert response.url == process.get_absolute_url()
    assert process.projects.count() == 14


def test_a_broken_pabulib_file_is_refused_on_the_page(client, place, commissioner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(commissioner)
    upload = SimpleUploadedFile("x.pb", b"META\nkey;value\n")
    response = client.post(url("pb_import", place), {"file": upload})
    assert "not a valid pabulib file" in response.content.decode()
    assert not PBProcess.objects.exists()


def test_the_process_page_keeps_its_queries_fixed_however_many_projects(client, voting_process, commissioner):
    client.force_login(commissioner)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(voting_process.get_absolute_url())
        return len(queries)

    count()  # the first request warms caches (the user's roles, content types)
    before = count()
    for n in range(5):
        PBProject.objects.create(
            place=voting_process.place, process=voting_process, code=f"x{n}", title="t", status="feasible", cost_pence=1
        )
    assert count() == before


# --- Funds and grants ----------------------------------------------------------------------------------


def test_fund_pages_are_public_and_escape_hostile_text(client, fund, award):
    for page in (url("fund_list", fund.place), fund.get_absolute_url(), award.get_absolute_url()):
        text = client.get(page).content.decode()
        assert HOSTILE_TAG not in text
        assert ESCAPED_TAG in text
    assert "£87,499.50" in client.get(fund.get_absolute_url()).content.decode()


def test_the_fund_list_keeps_its_queries_fixed_however_many_funds(client, fund, funders, commissioner, place):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url("fund_list", place))
        return len(queries)

    count()  # the first request warms caches (the user's roles, content types)
    before = count()
    for n in range(4):
        services.create_fund(
            place, by=None, name=f"F{n}", purpose="p", managed_by=funders["nhs"], grant_id_prefix="360G-x"
        )
    assert count() == before


def test_a_provider_applies_in_a_few_lines(client, open_round, provider, organisations):
    client.force_login(provider)
    data = {
        "organisation": organisations["vcse"].pk,
        "title": "Lunch club",
        "summary": "Weekly",
        "amount": "1,250.50",
        "duration_months": "24",
        "unrestricted": "on",
    }
    response = client.post(url("apply", open_round.place, open_round.pk), data)
    application = Application.objects.get()
    assert response.url == application.get_absolute_url()
    assert application.amount_requested_pence == 125_050
    assert application.unrestricted


def test_an_application_form_with_mistakes_keeps_what_was_typed(client, open_round, provider, organisations):
    client.force_login(provider)
    data = {
        "organisation": organisations["vcse"].pk,
        "title": "Lunch <b>club</b>",
        "summary": "Weekly",
        "amount": "lots",
        "duration_months": "24",
    }
    text = client.post(url("apply", open_round.place, open_round.pk), data).content.decode()
    assert "govuk-error-summary" in text
    assert 'value="Lunch &lt;b&gt;club&lt;/b&gt;"' in text
    assert 'value="lots"' in text
    assert not Application.objects.exists()


def test_only_providers_apply(client, open_round, resident, commissioner):
    client.force_login(resident)
    assert client.get(url("apply", open_round.place, open_round.pk)).status_code == 403


def test_an_application_is_seen_by_the_applicant_and_the_panel_only(
    client, application, provider, panel_member, commissioner, outsider, resident, other_place_administrator
):
    target = application.get_absolute_url()
    for user in (provider, panel_member, commissioner):
        client.force_login(user)
        assert client.get(target).status_code == 200
    for user in (outsider, resident, other_place_administrator):
        client.force_login(user)
        assert client.get(target).status_code == 404


def test_the_panel_decides_with_reasons_and_others_cannot(client, application, panel_member, commissioner):
    data = {"decision-decision": "award", "decision-reasons": "Trusted", "decision-amount": ""}
    client.force_login(commissioner)
    assert client.post(application.get_absolute_url(), data).status_code == 403
    client.force_login(panel_member)
    assert client.post(application.get_absolute_url(), {"decision-decision": "award"}).status_code == 200
    response = client.post(application.get_absolute_url(), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "awarded"
    assert application.award.amount_pence == application.amount_requested_pence


def test_a_panel_member_does_not_decide_on_their_own_organisations_application(
    client, application, panel_member, organisations, place
):
    from commonweal.accounts.services import grant_role

    grant_role(panel_member, "provider", place=place, by=None, organisation=organisations["vcse"])
    client.force_login(panel_member)
    data = {"decision-decision": "award", "decision-reasons": "Mine"}
    assert client.post(application.get_absolute_url(), data).status_code == 403


def test_an_award_that_would_overdraw_shows_why_on_the_page(client, open_round, panel_member, provider, organisations):
    application = services.submit_application(
        open_round, organisations["vcse"], by=provider, title="Big", summary="s", amount_requested_pence=100
    )
    client.force_login(panel_member)
    data = {"decision-decision": "award", "decision-reasons": "Yes", "decision-amount": "200000"}
    text = client.post(application.get_absolute_url(), data).content.decode()
    assert "left to award" in text
    application.refresh_from_db()
    assert application.status == "submitted"


def test_payments_and_reports_are_private_to_officers_the_panel_and_the_grantee(
    client, award, commissioner, provider, resident, analyst
):
    services.record_payment(award, 100_000, by=commissioner, paid_on=TODAY)
    services.record_report(award, by=commissioner, conversation_on=TODAY, notes="Private notes of a chat")
    for user, sees in ((commissioner, True), (provider, True), (resident, False), (analyst, False)):
        client.force_login(user)
        assert ("Private notes of a chat" in client.get(award.get_absolute_url()).content.decode()) is sees
    client.force_login(analyst)
    assert (
        client.post(
            url("payment_add", award.place, award.pk), {"payment-amount": "1", "payment-paid_on": "2025-04-02"}
        ).status_code
        == 403
    )
    client.force_login(provider)
    response = client.post(
        url("report_add", award.place, award.pk),
        {"conversation_on": "2025-05-01", "notes": "Going well", "label_1": "People", "value_1": "40"},
    )
    assert response.status_code == 302
    assert award.reports.last().figures.get().label == "People"


def test_an_overpayment_is_refused_on_the_page(client, award, commissioner):
    client.force_login(commissioner)
    text = client.post(
        url("payment_add", award.place, award.pk), {"payment-amount": "999999", "payment-paid_on": "2025-04-02"}
    ).content.decode()
    assert "left to pay" in text
    assert not award.payments.exists()


def test_the_360giving_files_are_public(client, award, place):
    data = json.loads(client.get(url("grants_json", place)).content)
    assert [g["id"] for g in data["grants"]] == [award.grant_id]
    assert data["publisher"]["identifier"] == "GB-LAE-WGN"
    response = client.get(url("grants_csv", place))
    assert response["Content-Type"].startswith("text/csv")
    assert award.grant_id in response.content.decode()


# --- Contracts -------------------------------------------------------------------------------------------


def test_contracts_are_for_officers_analysts_and_their_providers(
    client, place, commissioner, analyst, resident, provider, organisations
):
    contract = services.create_contract(
        place, by=commissioner, title=f"Alliance {HOSTILE_TAG}", starts_on=TODAY, ends_on=TODAY
    )
    client.force_login(resident)
    assert client.get(url("contract_list", place)).status_code == 404
    assert client.get(contract.get_absolute_url()).status_code == 404
    client.force_login(provider)
    assert client.get(contract.get_absolute_url()).status_code == 404
    services.add_provider(contract, organisations["vcse"], by=commissioner)
    assert client.get(contract.get_absolute_url()).status_code == 200
    client.force_login(analyst)
    text = client.get(contract.get_absolute_url()).content.decode()
    assert ESCAPED_TAG in text
    assert HOSTILE_TAG not in text
    assert client.post(url("contract_create", place), {"title": "x"}).status_code == 403
    assert client.post(url("contract_add", place, contract.pk, "share"), {}).status_code == 403


def test_a_commissioner_builds_an_alliance_through_the_pages(client, place, commissioner, funders, organisations):
    client.force_login(commissioner)
    response = client.post(
        url("contract_create", place),
        {"title": "Ageing well alliance", "kind": "alliance", "starts_on": "2025-04-01", "ends_on": "2028-03-31"},
    )
    contract = Contract.objects.get()
    assert response.url == contract.get_absolute_url()
    add = lambda part, data: client.post(url("contract_add", place, contract.pk, part), data)  # noqa: E731
    assert add("share", {"share-organisation": funders["council"].pk, "share-amount": "600000"}).status_code == 302
    assert add("share", {"share-organisation": funders["nhs"].pk, "share-amount": "400000"}).status_code == 302
    assert (
        add("share", {"share-organisation": funders["nhs"].pk, "share-amount": "1"}).status_code == 400
    )  # one share each
    assert (
        add("provider", {"provider-organisation": organisations["vcse"].pk, "provider-role": "lead"}).status_code == 302
    )
    assert (
        add("provider", {"provider-organisation": funders["business"].pk, "provider-role": "member"}).status_code == 302
    )
    assert (
        add(
            "outcome",
            {
                "outcome-title": "Fewer falls",
                "outcome-measure": "Falls admissions per 1,000",
                "outcome-baseline": "20",
                "outcome-target": "15",
                "outcome-direction": "lower",
            },
        ).status_code
        == 302
    )
    outcome = contract.outcomes.get()
    client.post(
        url("measurement_add", place, outcome.pk), {"measurement-period_end": "2026-03-31", "measurement-value": "17.5"}
    )
    assert contract.cost_pence() == 100_000_000
    text = client.get(url("contract_review", place)).content.decode()
    assert "£1,000,000" in text
    assert "50% of the way" in text
    assert "not yet measured" in text
