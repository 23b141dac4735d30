"""Participatory budgeting: who may take part, one changeable ballot each, and results equal to the engine's."""

import datetime
import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonweal.engines.voting import build_election, greedy, method_of_equal_shares, parse_pabulib, read_pabulib
from commonweal.investment import services
from commonweal.investment.errors import BallotRefused, InvestmentError, StageError
from commonweal.investment.models import Ballot, BallotType, PBProcess, Rule
from commonweal.investment.voting import election_for, export_pabulib

from .conftest import make_resident


def open_for_voting(process, officer, costs):
    """Take a process through proposals and checks to voting; `costs` in pounds, one project each."""
    services.advance_stage(process, by=officer)
    proposer = make_resident(process.place, "proposer", "WN1 1AB")
    projects = [
        services.propose_project(process, by=proposer, title=f"Project {n}", description="d")
        for n in range(1, len(costs) + 1)
    ]
    services.advance_stage(process, by=officer)
    for project, cost in zip(projects, costs, strict=True):
        services.check_project(project, by=officer, feasible=True, cost_pence=cost * 100)
    services.advance_stage(process, by=officer)
    process.refresh_from_db()
    return projects


def test_a_verified_resident_of_the_area_can_vote_once_and_change_their_mind(pb_process, voter, commissioner):
    a, b, c = open_for_voting(pb_process, commissioner, [60_000, 40_000, 30_000])
    services.cast_ballot(pb_process, {a: 1}, by=voter)
    services.cast_ballot(pb_process, {b: 1, c: 1}, by=voter)
    assert Ballot.objects.filter(process=pb_process).count() == 1
    assert services.ballot_of(pb_process, voter) == {b.pk: 1, c.pk: 1}


def test_the_database_refuses_a_second_ballot_from_the_same_resident(pb_process, voter, commissioner):
    (a,) = open_for_voting(pb_process, commissioner, [100])
    services.cast_ballot(pb_process, {a: 1}, by=voter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(place=pb_process.place, process=pb_process, voter=voter)


@pytest.mark.parametrize(
    ("postcode", "verified", "why"),
    [
        ("WN3 3AA", True, "lives in the South district, outside this process's area"),
        ("WN1 1AA", False, "has not had their postcode checked"),
    ],
)
def test_a_resident_outside_the_area_or_unverified_cannot_vote(pb_process, commissioner, postcode, verified, why):
    (a,) = open_for_voting(pb_process, commissioner, [100])
    outsider = make_resident(pb_process.place, "elsewhere", postcode, verified=verified)
    with pytest.raises(BallotRefused):
        services.cast_ballot(pb_process, {a: 1}, by=outsider)
    assert not Ballot.objects.exists(), why


def test_only_residents_vote_even_with_a_home_in_the_area(pb_process, commissioner, postcodes):
    (a,) = open_for_voting(pb_process, commissioner, [100])
    residence = services.declare_residence(commissioner, postcodes, "WN1 1AA", by=commissioner)
    services.verify_residence(residence, by=None)
    with pytest.raises(BallotRefused):
        services.cast_ballot(pb_process, {a: 1}, by=commissioner)


def test_a_resident_of_another_place_cannot_vote(pb_process, commissioner, other_place):
    (a,) = open_for_voting(pb_process, commissioner, [100])
    from commonweal.accounts.services import create_user, grant_role

    stranger = create_user("stranger@bolton.test", "Stranger", by=None)
    grant_role(stranger, "resident", place=other_place, by=None)
    with pytest.raises(BallotRefused):
        services.cast_ballot(pb_process, {a: 1}, by=stranger)


def test_a_postcode_outside_the_place_is_refused(postcodes, resident):
    with pytest.raises(InvestmentError, match="not in"):
        services.declare_residence(resident, postcodes, "SW1A 1AA", by=resident)
    with pytest.raises(InvestmentError):
        services.declare_residence(resident, postcodes, "<script>", by=resident)


def test_a_new_postcode_needs_a_new_check(voter, postcodes, pb_process, commissioner):
    (a,) = open_for_voting(pb_process, commissioner, [100])
    services.declare_residence(voter, postcodes, "WN2 2AA", by=voter)
    with pytest.raises(BallotRefused):
        services.cast_ballot(pb_process, {a: 1}, by=voter)


def test_ballots_cannot_change_after_the_close(pb_process, voter, commissioner):
    a, b = open_for_voting(pb_process, commissioner, [100, 200])
    services.cast_ballot(pb_process, {a: 1}, by=voter)
    services.advance_stage(pb_process, by=commissioner)
    pb_process.refresh_from_db()
    with pytest.raises(StageError):
        services.cast_ballot(pb_process, {b: 1}, by=voter)
    assert services.ballot_of(pb_process, voter) == {a.pk: 1}


def test_ballots_cannot_change_after_the_closing_time_even_before_an_officer_closes(pb_process, voter, commissioner):
    (a,) = open_for_voting(pb_process, commissioner, [100])
    pb_process.voting_closes_at = timezone.now() - datetime.timedelta(seconds=1)
    pb_process.save()
    with pytest.raises(StageError):
        services.cast_ballot(pb_process, {a: 1}, by=voter)


def test_approval_ballots_keep_to_the_fewest_and_most_choices(pb_process, voter, commissioner):
    services.update_process(pb_process, by=commissioner, min_choices=2, max_choices=2)
    a, b, c = open_for_voting(pb_process, commissioner, [1, 2, 3])
    with pytest.raises(BallotRefused, match="at least 2"):
        services.cast_ballot(pb_process, {a: 1}, by=voter)
    with pytest.raises(BallotRefused, match="at most 2"):
        services.cast_ballot(pb_process, {a: 1, b: 1, c: 1}, by=voter)
    services.cast_ballot(pb_process, {a: 1, c: 1}, by=voter)


def test_a_knapsack_ballot_must_fit_the_budget(pb_process, voter, commissioner):
    services.update_process(pb_process, by=commissioner, ballot_type=BallotType.KNAPSACK)
    a, b, c = open_for_voting(pb_process, commissioner, [60_000, 40_000, 30_000])
    with pytest.raises(BallotRefused, match="more than the budget"):
        services.cast_ballot(pb_process, {a: 1, c: 1, b: 1}, by=voter)
    services.cast_ballot(pb_process, {a: 1, b: 1}, by=voter)


def test_a_points_ballot_shares_out_at_most_its_points(pb_process, voter, commissioner):
    services.update_process(
        pb_process, by=commissioner, ballot_type=BallotType.CUMULATIVE, total_points=5, max_points_per_project=3
    )
    a, b, c = open_for_voting(pb_process, commissioner, [1, 2, 3])
    with pytest.raises(BallotRefused, match="at most 3 points"):
        services.cast_ballot(pb_process, {a: 4}, by=voter)
    with pytest.raises(BallotRefused, match="6 points"):
        services.cast_ballot(pb_process, {a: 3, b: 3}, by=voter)
    services.cast_ballot(pb_process, {a: 3, b: 2, c: 0}, by=voter)
    assert services.ballot_of(pb_process, voter) == {a.pk: 3, b.pk: 2}


def test_a_project_not_on_the_ballot_paper_cannot_be_voted_for(pb_process, voter, commissioner):
    a, _b = open_for_voting(pb_process, commissioner, [1, 2])
    other = services.create_process(pb_process.place, by=commissioner, title="Other", budget_pence=100)
    with pytest.raises(BallotRefused):
        services.validate_ballot(other, {a: 1})
    a.status = "not_feasible"
    a.save()
    with pytest.raises(BallotRefused):
        services.cast_ballot(pb_process, {a: 1}, by=voter)


def test_the_rules_are_fixed_once_voting_opens(pb_process, commissioner):
    open_for_voting(pb_process, commissioner, [1])
    with pytest.raises(StageError):
        services.update_process(pb_process, by=commissioner, rule=Rule.GREEDY)


def test_voting_cannot_open_with_unchecked_proposals(pb_process, commissioner):
    services.advance_stage(pb_process, by=commissioner)
    proposer = make_resident(pb_process.place, "p", "WN1 1AB")
    services.propose_project(pb_process, by=proposer, title="t", description="d")
    services.advance_stage(pb_process, by=commissioner)
    with pytest.raises(StageError, match="Check every proposal"):
        services.advance_stage(pb_process, by=commissioner)


def test_an_infeasible_proposal_says_why(pb_process, commissioner):
    services.advance_stage(pb_process, by=commissioner)
    proposer = make_resident(pb_process.place, "p", "WN1 1AB")
    project = services.propose_project(pb_process, by=proposer, title="Moon base", description="d")
    with pytest.raises(InvestmentError, match="Say why"):
        services.check_project(project, by=commissioner, feasible=False, cost_pence=None)
    with pytest.raises(InvestmentError, match="more than the whole budget"):
        services.check_project(project, by=commissioner, feasible=True, cost_pence=10_000_001)


@pytest.mark.parametrize(
    ("rule", "engine"),
    [
        (Rule.MES_ADD1, lambda e: method_of_equal_shares(e, completion="add1")),
        (Rule.MES, method_of_equal_shares),
        (Rule.MES_ADD1_GREEDY, lambda e: method_of_equal_shares(e, completion="add1-greedy")),
        (Rule.GREEDY, greedy),
    ],
)
def test_published_results_are_exactly_the_engines(pb_process, commissioner, rule, engine):
    services.update_process(pb_process, by=commissioner, rule=rule, budget_pence=100_000)
    projects = open_for_voting(pb_process, commissioner, [600, 400, 300])
    ballots = [["1"], ["1"], ["1", "3"], ["2"]]
    for n, ballot in enumerate(ballots):
        voter = make_resident(pb_process.place, f"v{n}", "WN2 2AA")
        services.cast_ballot(pb_process, {projects[int(code) - 1]: 1 for code in ballot}, by=voter)
    services.advance_stage(pb_process, by=commissioner)
    result = services.publish_results(pb_process, by=commissioner)
    expected = engine(build_election(1000, {"1": 600, "2": 400, "3": 300}, ballots))
    assert result.selected == list(expected.selected)
    assert result.cost_pence == expected.cost * 100
    # The published explanation is the engine's own, naming the projects.
    assert result.explanation == engine(election_for(pb_process)).explain()
    assert "1 (Project 1)" in result.explanation
    assert result.voters == 4
    assert [p.code for p in pb_process.projects.filter(selected=True)] == sorted(expected.selected)


def test_results_wait_for_the_close(pb_process, commissioner):
    open_for_voting(pb_process, commissioner, [1])
    with pytest.raises(StageError):
        services.publish_results(pb_process, by=commissioner)


def test_funded_projects_are_tracked_through_delivery(pb_process, voter, commissioner):
    a, b = open_for_voting(pb_process, commissioner, [50_000, 80_000])
    services.cast_ballot(pb_process, {a: 1}, by=voter)
    services.advance_stage(pb_process, by=commissioner)
    services.publish_results(pb_process, by=commissioner)
    a.refresh_from_db()
    b.refresh_from_db()
    with pytest.raises(InvestmentError):
        services.add_milestone(b, by=commissioner, title="Not funded")
    first = services.add_milestone(a, by=commissioner, title="Order benches")
    second = services.add_milestone(a, by=commissioner, title="Install benches")
    services.complete_milestone(first, by=commissioner, done_on=datetime.date(2025, 6, 1))
    a.refresh_from_db()
    assert a.delivery == "in_progress"
    services.complete_milestone(second, by=commissioner, done_on=datetime.date(2025, 7, 1))
    a.refresh_from_db()
    assert a.delivery == "done"


# --- pabulib files ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Netherlands_Assen_2024.pb", "France_Toulouse_2019.pb"])
def test_a_real_pabulib_file_imports_and_exports_unchanged(reference, place, commissioner, name):
    path = reference("pb", name)
    process = services.import_pabulib(place, path.read_text(encoding="utf-8-sig"), by=commissioner)
    assert process.stage == PBProcess.Stage.CLOSED
    assert parse_pabulib(export_pabulib(process)) == read_pabulib(path)


def test_an_imported_election_gives_the_citys_official_result(reference, place, commissioner):
    path = reference("pb", "Netherlands_Assen_2024.pb")
    expected = json.loads(reference("pb", "expected_outcomes.json").read_text())["Netherlands_Assen_2024.pb"]
    process = services.import_pabulib(place, path.read_text(encoding="utf-8"), by=commissioner)
    assert process.rule == Rule.MES_ADD1
    assert process.min_choices == 2
    result = services.publish_results(process, by=commissioner)
    assert sorted(result.selected, key=int) == expected["official"]["selected"]
    assert result.cost_pence == expected["official"]["cost"] * 100
    assert result.explanation == method_of_equal_shares(read_pabulib(path), completion="add1").explain()


@pytest.mark.parametrize(
    "text",
    [
        "not a pabulib file",
        "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n1;a\n",
        "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5.001\nVOTES\nvoter_id;vote\n1;a\n",
    ],
)
def test_a_bad_file_is_refused_with_a_reason_and_nothing_is_written(place, commissioner, text):
    with pytest.raises(InvestmentError):
        services.import_pabulib(place, text, by=commissioner)
    assert not PBProcess.objects.exists()


def test_the_export_of_a_residents_process_names_no_resident(pb_process, voter, commissioner):
    a, b = open_for_voting(pb_process, commissioner, [500, 700])
    services.cast_ballot(pb_process, {a: 1, b: 1}, by=voter)
    text = export_pabulib(pb_process)
    assert voter.email not in text
    election = election_for(pb_process)
    assert election.budget == 100_000
    assert [v.vote for v in election.voters] == [("1", "2")]
    assert parse_pabulib(text) == election
