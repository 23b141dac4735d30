"""Reading and writing the pabulib format: real files round-trip, quirks are accepted, bad files are named by line."""

from fractions import Fraction

import pytest

from commonweal.engines.voting import (
    VotingError,
    build_election,
    format_pabulib,
    parse_pabulib,
    read_pabulib,
    write_pabulib,
)

GOOD = """META
key;value
budget;100
vote_type;approval
min_length;1
max_length;2
PROJECTS
project_id;cost;name
a;60;Park
b;40,5;"Café; ""Siân"" 🌈"
VOTES
voter_id;vote;age
1;a,b;30
2;b;None
"""

REAL = [
    "Netherlands_Assen_2024.pb",
    "France_Toulouse_2019.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Katowice_2023.pb",
]


def test_parser_reads_sections_projects_and_votes():
    e = parse_pabulib(GOOD)
    assert e.budget == 100
    assert e.vote_type == "approval"
    assert e.costs == (60, Fraction(81, 2))
    assert e.projects[1].name == 'Café; "Siân" 🌈'
    assert [v.vote for v in e.voters] == [("a", "b"), ("b",)]
    assert e.voters[0].fields == {"age": "30"}


def test_parser_accepts_bom_windows_line_ends_blank_lines_and_section_names_in_any_case():
    text = "\ufeff" + GOOD.replace("META", "meta").replace("VOTES", "Votes").replace("\n", "\r\n") + "\r\n\r\n"
    assert parse_pabulib(text) == parse_pabulib(GOOD)


def test_cumulative_ballots_keep_their_points():
    text = GOOD.replace("approval", "cumulative").replace("voter_id;vote;age", "voter_id;vote;points;age")
    text = text.replace("1;a,b;30", '1;a,b;"2,1";30').replace("2;b;None", "2;b;3;None")
    e = parse_pabulib(text)
    assert [v.points for v in e.voters] == [(2, 1), (3,)]
    assert e.scores() == (2, 4)


def test_writer_round_trips_a_small_election(tmp_path):
    e = parse_pabulib(GOOD)
    path = tmp_path / "small.pb"
    write_pabulib(e, path)
    assert read_pabulib(path) == e


def test_writer_round_trips_an_election_built_in_code():
    e = build_election(Fraction(201, 2), {"x": Fraction(1, 3), "y": 2}, [{"x": 1, "y": 2}, {"y": 1}])
    assert parse_pabulib(format_pabulib(e)) == e


@pytest.mark.parametrize("name", REAL)
def test_real_files_are_written_back_unchanged(reference, name):
    text = reference("pb", name).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    e = parse_pabulib(text)
    assert format_pabulib(e) == text
    assert parse_pabulib(format_pabulib(e)) == e


BAD = [
    ("", "no META section"),
    ("hello;world\n", "line 1: expected a section name"),
    (GOOD.replace("budget;100", "budget;lots"), "line 3: the budget 'lots' is not a number"),
    (GOOD.replace("budget;100\n", ""), "META has no 'budget'"),
    (GOOD.replace("vote_type;approval", "vote_type;ranked"), "line 4: vote_type 'ranked' is not one of"),
    (GOOD.replace("a;60;Park", "a;-60;Park"), "line 9: the cost of project 'a' '-60' is negative"),
    (GOOD.replace("a;60;Park", "a;sixty;Park"), "line 9: the cost of project 'a' 'sixty' is not a number"),
    (GOOD.replace("a;60;Park", "b;60;Park"), "line 10: project 'b' appears twice (first on line 9)"),
    (GOOD.replace("a;60;Park", "a;60"), "line 9: the project row has 2 fields but the header has 3"),
    (GOOD.replace("project_id;cost;name", "project_id;price;name"), "line 8: the PROJECTS header has no 'cost'"),
    (GOOD.replace("1;a,b;30", "1;a,z;30"), "line 13: project 'z' is not in PROJECTS"),
    (GOOD.replace("1;a,b;30", "1;a,a;30"), "line 13: the vote names a project more than once"),
    (GOOD.replace("2;b;None", "1;b;None"), "line 14: voter '1' appears twice (first on line 13)"),
    (GOOD.replace("max_length;2", "max_length;1"), "line 13: the vote names 2 projects, more than max_length 1"),
    (GOOD.replace("min_length;1", "min_length;2"), "line 14: the vote names 1 projects, fewer than min_length 2"),
    (GOOD.replace("approval", "cumulative"), "need a 'points' column"),
    (GOOD.split("VOTES")[0], "no VOTES section"),
    (GOOD + "META\nkey;value\n", "section META appears twice"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_files_raise_a_voting_error_naming_the_line_and_the_problem(text, message):
    with pytest.raises(VotingError, match=None) as error:
        parse_pabulib(text)
    assert message in str(error.value)
    assert isinstance(error.value, ValueError)


def test_points_that_break_the_meta_limits_are_reported():
    text = GOOD.replace("approval", "cumulative").replace("voter_id;vote;age", "voter_id;vote;points;age")
    text = text.replace("1;a,b;30", '1;a,b;"2,1";30').replace("2;b;None", "2;b;9;None")
    text = text.replace("max_length;2", "max_length;2\nmax_sum_points;5")
    with pytest.raises(VotingError, match="line 15: 9 points in all is above max_sum_points 5"):
        parse_pabulib(text)
    with pytest.raises(VotingError, match=r"line 15: 1 projects but 2 points"):
        parse_pabulib(text.replace("2;b;9;None", '2;b;"1,2";None'))
