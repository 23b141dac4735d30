"""Participatory budgeting: the pabulib file format and the rules that decide which projects are funded.

Pure Python + numpy (no Django). Identical ballots are merged before counting; every rule takes its
tie-breaking explicitly (default: the smaller project id first, as pabutools does) and decides
exactly as rational arithmetic would. Each rule returns an :class:`Outcome` whose ``selected`` holds
project ids as in the file and whose ``explain()`` tells a resident why.

============================  ==============================================================
Function                      What it does
============================  ==============================================================
``parse_pabulib(text)``       read a ``.pb`` file's text into an :class:`Election`
``read_pabulib(path)``        the same from a file
``format_pabulib(election)``  write an election as ``.pb`` text
``write_pabulib(e, path)``    the same to a file
``build_election(...)``       an election from plain Python data
``greedy(e)``                 the cities' rule: by votes or points (variants: threshold, no-skip)
``utilitarian_greedy(e)``     by total satisfaction per unit of cost
``method_of_equal_shares(e)`` MES, with completions ``"add1"`` and ``"add1-greedy"``
``sequential_phragmen(e)``    sequential Phragmén (approval ballots)
============================  ==============================================================

>>> from commonweal.engines.voting import *
>>> text = "META\\nkey;value\\nbudget;100\\nvote_type;approval\\n"
>>> text += "PROJECTS\\nproject_id;cost\\na;60\\nb;40\\nc;30\\n"
>>> text += "VOTES\\nvoter_id;vote\\n1;a\\n2;a\\n3;a,c\\n4;b\\n"
>>> election = parse_pabulib(text)
>>> election.budget, election.project_ids
(100, ('a', 'b', 'c'))
>>> parse_pabulib(format_pabulib(election)) == election
True
>>> e = build_election(100, {"a": 60, "b": 40, "c": 30}, [["a"], ["a"], ["a", "c"], ["b"]])
>>> greedy(election).selected, greedy(election, no_skip=True).selected
(('a', 'b'), ('a', 'b'))
>>> greedy(election, min_score=2).selected
('a',)
>>> utilitarian_greedy(election).selected
('a', 'b')
>>> method_of_equal_shares(election).selected
('a',)
>>> method_of_equal_shares(election, completion="add1").selected
('a', 'b')
>>> method_of_equal_shares(election, completion="add1-greedy").selected
('a', 'b')
>>> sequential_phragmen(election).selected
('a', 'b')
>>> print(method_of_equal_shares(election).explain())
Rule: method_of_equal_shares(satisfaction='cost'). Selected 1 project costing 60 of the budget 100.
Each of the 4 voters had 25 to spend.
1. a (cost 60): 3 supporters paid 20 each.
"""

from commonweal.engines.voting.election import Election, Profile, Project, Voter, build_election
from commonweal.engines.voting.equal_shares import method_of_equal_shares
from commonweal.engines.voting.errors import VotingError
from commonweal.engines.voting.greedy import greedy, utilitarian_greedy
from commonweal.engines.voting.outcome import GreedyStep, Outcome, PhragmenStep, SharesStep
from commonweal.engines.voting.pabulib import format_pabulib, parse_pabulib, read_pabulib, write_pabulib
from commonweal.engines.voting.phragmen import sequential_phragmen

__all__ = [
    "Election",
    "GreedyStep",
    "Outcome",
    "PhragmenStep",
    "Profile",
    "Project",
    "SharesStep",
    "Voter",
    "VotingError",
    "build_election",
    "format_pabulib",
    "greedy",
    "method_of_equal_shares",
    "parse_pabulib",
    "read_pabulib",
    "sequential_phragmen",
    "utilitarian_greedy",
    "write_pabulib",
]
