"""Hand-checked small elections for every rule, their options and their explanations."""

from fractions import Fraction

import pytest

from commonweal.engines.voting import (
    SharesStep,
    VotingError,
    build_election,
    greedy,
    method_of_equal_shares,
    sequential_phragmen,
    utilitarian_greedy,
)

# Budget 100, four voters: three want the park (60), one the library (40); one park voter also wants the café (30).
TOWN = build_election(100, {"park": 60, "library": 40, "cafe": 30}, [["park"], ["park"], ["park", "cafe"], ["library"]])


def test_greedy_funds_by_votes_and_says_why_it_skipped_a_project():
    outcome = greedy(TOWN)
    # The café and the library have one vote each; the tie goes to the smaller id, "cafe".
    assert outcome.selected == ("park", "cafe")
    assert outcome.cost == 90
    skipped = [s for s in outcome.steps if not s.selected]
    assert [s.project_id for s in skipped] == ["library"]
    assert "it costs 40 but only 10 was left" in outcome.explain()


def test_greedy_threshold_and_no_skip_variants():
    e = build_election(100, {"a": 70, "b": 50, "c": 30}, [["a", "b"], ["a", "b"], ["a"], ["c"]])
    assert greedy(e).selected == ("a", "c")
    assert greedy(e, no_skip=True).selected == ("a",)
    assert greedy(e, min_score=2).selected == ("a",)
    assert "below the threshold 2" in greedy(e, min_score=2).explain()


def test_tie_breaking_is_an_explicit_choice():
    e = build_election(10, {"b": 6, "a": 6, "c": 4}, [["a", "b"]])
    assert greedy(e).selected == ("a", "c")
    assert greedy(e, tie_breaking=["b", "a", "c"]).selected == ("b", "c")
    assert method_of_equal_shares(e, tie_breaking=["b", "a", "c"]).selected == ("b",)
    with pytest.raises(VotingError, match="tie_breaking 'coin' is not one of"):
        greedy(e, tie_breaking="coin")
    with pytest.raises(VotingError, match="must list every project"):
        greedy(e, tie_breaking=["a"])


def test_utilitarian_greedy_ranks_points_per_unit_of_cost_on_cumulative_ballots():
    e = build_election(10, {"a": 8, "b": 2, "c": 2}, [{"a": 3}, {"b": 1}, {"c": 2}])
    assert utilitarian_greedy(e).selected == ("c", "b")
    assert utilitarian_greedy(e, satisfaction="cost").selected == ("a", "b")
    assert greedy(e).selected == ("a", "c")


def test_mes_worked_example_prices_and_payers():
    outcome = method_of_equal_shares(TOWN)
    # Each voter has 25. The park's three supporters pay 20 each; the library's one supporter has only 25 < 40.
    assert outcome.selected == ("park",)
    step = outcome.steps[0]
    assert isinstance(step, SharesStep)
    assert (step.price, step.supporters, step.paid_share, step.paid_rest) == (20, 3, 3, 0)
    assert step.rho == Fraction(1, 3)  # cost satisfaction: each pays a third of a unit per unit of cost
    assert "3 supporters paid 20 each" in outcome.explain()


def test_mes_add1_raises_voter_budgets_until_the_outcome_no_longer_fits():
    outcome = method_of_equal_shares(TOWN, completion="add1")
    # At 40 each, the library's supporter can pay for it; at 41... the park+library+cafe would be 130 > 100.
    assert set(outcome.selected) == {"park", "library"}
    assert "Completion add1" in outcome.explain()


def test_mes_add1_greedy_spends_what_is_left_greedily():
    e = build_election(100, {"a": 50, "b": 50, "c": 20}, [["a"], ["a"], ["a"], ["b", "c"]])
    plain = method_of_equal_shares(e, completion="add1")
    completed = method_of_equal_shares(e, completion="add1-greedy")
    assert set(plain.selected) <= set(completed.selected)
    assert completed.cost <= 100


def test_mes_partial_payers_are_counted():
    # 25 each. b (40) first: 40/3 from each of its three supporters. Then a (30): voter 1 has only 35/3 left
    # of the 15 each would pay, so pays all of it, and voter 2 pays the remaining 55/3.
    e = build_election(100, {"a": 30, "b": 40}, [["a", "b"], ["a"], ["b"], ["b"]])
    outcome = method_of_equal_shares(e)
    assert outcome.selected == ("b", "a")
    last = outcome.steps[1]
    assert isinstance(last, SharesStep)
    assert (last.paid_share, last.paid_rest, last.price) == (1, 1, Fraction(55, 3))
    assert "1 supporter paid 18.33; 1 supporter paid all they had left (11.67 in all)" in outcome.explain()


def test_mes_with_approval_satisfaction_differs_from_cost_satisfaction():
    e = build_election(10, {"big": 9, "small1": 1, "small2": 1}, [["big", "small1"], ["big", "small2"]])
    assert method_of_equal_shares(e, satisfaction="approval").selected[0].startswith("small")
    assert method_of_equal_shares(e, satisfaction="cost").selected[0] == "big"


def test_exact_and_float_mes_agree_on_an_exact_tie():
    e = build_election(12, {"a": 6, "b": 6}, [["a"], ["b"]])
    assert method_of_equal_shares(e).selected == ("a", "b")
    assert method_of_equal_shares(e, exact=False).selected == ("a", "b")


def test_sequential_phragmen_worked_example():
    e = build_election(10, {"a": 4, "b": 4, "c": 6}, [["a", "b"], ["a", "b"], ["c"]])
    outcome = sequential_phragmen(e)
    # a: load 4/2 = 2 per supporter; b: (4 + 4) / 2 = 4 each; c: 6/1 = 6, but 8 + 6 > 10: stop.
    assert outcome.selected == ("a", "b")
    assert [s.load for s in outcome.steps] == [2, 4]
    assert "Stopped: the next project, c" in outcome.explain()


def test_rules_refuse_what_they_cannot_count():
    ordinal = build_election(10, {"a": 1}, [["a"]], vote_type="ordinal")
    with pytest.raises(VotingError, match="not ordinal"):
        method_of_equal_shares(ordinal)
    cumulative = build_election(10, {"a": 1}, [{"a": 1}])
    with pytest.raises(VotingError, match="approval or choose-1"):
        sequential_phragmen(cumulative)
    with pytest.raises(VotingError, match="completion 'add2'"):
        method_of_equal_shares(TOWN, completion="add2")  # type: ignore[arg-type]
    with pytest.raises(VotingError, match="satisfaction 'joy'"):
        utilitarian_greedy(TOWN, satisfaction="joy")  # type: ignore[arg-type]


def test_identical_ballots_are_merged_before_counting():
    e = build_election(10, {"a": 5, "b": 5}, [["a", "b"], ["b", "a"], ["a"], []])
    profile = e.profile
    assert profile.num_groups == 2
    assert sorted(profile.weights.tolist()) == [1, 2]
    assert profile.num_voters == 4


def test_an_election_without_voters_selects_nothing_under_mes():
    e = build_election(10, {"a": 5}, [])
    assert method_of_equal_shares(e).selected == ()


def _random_town(rng, cumulative: bool, projects_up_to: int = 12, voters_up_to: int = 60):
    projects = {f"p{i}": rng.choice([3, 5, 8, 10, 12, 20, 25, 40]) * 10 for i in range(rng.randint(3, projects_up_to))}
    ballots = []
    for _ in range(rng.randint(5, voters_up_to)):
        chosen = [p for p in projects if rng.random() < 0.35] or [rng.choice(list(projects))]
        ballots.append({p: rng.randint(1, 3) for p in chosen} if cumulative else chosen)
    return build_election(rng.randint(50, 400), projects, ballots)


@pytest.mark.parametrize("cumulative", [False, True])
def test_add1_search_in_floating_point_decides_as_the_exact_runs(monkeypatch, cumulative):
    # The add1 search runs MES in floating point with error bounds; with it switched off every run is
    # the exactly-anchored one. Both must give the same outcome, steps and explanation.
    import random

    from commonweal.engines.voting import equal_shares

    rng = random.Random(7 + cumulative)
    towns = [_random_town(rng, cumulative) for _ in range(60)]
    fast = [method_of_equal_shares(e, completion="add1") for e in towns]

    def refuse(self):
        raise equal_shares._Uncertain

    monkeypatch.setattr(equal_shares._FloatRun, "run", refuse)
    for e, outcome in zip(towns, fast, strict=True):
        assert method_of_equal_shares(e, completion="add1") == outcome


def _merged_one_by_one(e):
    """Identical ballots merged the plain way: one dictionary entry per distinct ballot, in order of first voter."""
    counts: dict[tuple, int] = {}
    for voter in e.voters:
        if e.vote_type in ("cumulative", "scoring"):
            pairs = zip(voter.vote, voter.points, strict=True)
            key = tuple(sorted((e.index[p], pts) for p, pts in pairs if pts != 0))
        else:
            key = tuple((i, 1) for i in sorted({e.index[p] for p in voter.vote}))
        if key:
            counts[key] = counts.get(key, 0) + 1
    return list(counts.items())


@pytest.mark.parametrize("kind", ["approval", "cumulative", "fractions"])
def test_merged_ballots_are_those_merged_one_by_one(kind):
    import random

    rng = random.Random(kind)
    for _ in range(100):
        projects = {f"p{i}": 10 for i in range(rng.randint(1, 70))}
        ballots: list = []
        for _ in range(rng.randint(0, 40)):
            chosen = rng.sample(list(projects), rng.randint(0, min(3, len(projects))))
            if kind == "approval":
                ballots.append(chosen)
            else:
                points = [0, 1, 2] if kind == "cumulative" else [0, 1, Fraction(1, 2)]
                ballots.append({p: rng.choice(points) for p in chosen})
        e = build_election(100, projects, ballots, vote_type="approval" if kind == "approval" else "cumulative")
        profile = e.profile
        ours = []
        for g, weight in enumerate(profile.weights.tolist()):
            at = [k for k in range(len(profile.groups)) if profile.groups[k] == g]
            ours.append((tuple((int(profile.projects[k]), profile.points[k]) for k in at), weight))
        assert ours == _merged_one_by_one(e)


def _prepared_towns(seed, count, cumulative, **size):
    """Random towns with voters, each with the MES problem the add1 search works on and the starting budget."""
    import random

    from commonweal.engines.voting import equal_shares

    rng = random.Random(seed)
    for _ in range(count):
        e = _random_town(rng, cumulative, **size)
        if not e.profile.num_voters:
            continue
        sat = "points" if cumulative else "cost"
        problem = equal_shares._prepare(e, sat, equal_shares.priorities(e, "lexicographic"), True)
        yield e, problem, Fraction(e.budget) / e.profile.num_voters


def _search_runs(seed, count, cumulative, extras):
    """The add1 search's float run (stopping once its outcome is proved to fit) at each start + extra of each random
    town, with the town, its problem and that budget; runs too close to call in floating point are left out."""
    from commonweal.engines.voting import equal_shares

    for e, problem, start in _prepared_towns(seed, count, cumulative):
        for extra in extras:
            try:
                run = equal_shares._FloatRun(problem, start + extra, e.budget, None, settle=True).run()
            except equal_shares._Uncertain:
                continue
            yield e, problem, start + extra, run


@pytest.mark.parametrize("cumulative", [False, True])
def test_a_settled_search_run_is_the_beginning_of_an_outcome_that_fits(cumulative):
    # The add1 search stops a run once its outcome is proved to fit the budget (spent so far plus every
    # project still within its supporters' reach). Whenever that happens, the whole run must fit and begin
    # with the same purchases.
    from commonweal.engines.voting import equal_shares

    settled = 0
    for e, problem, budget, run in _search_runs(11 + cumulative, 150, cumulative, (0, 1, 3, 10, 40)):
        whole = equal_shares._run(problem, budget)
        if run.settled:
            settled += 1
            assert whole.spent <= e.budget
            assert whole.selected[: len(run.selected)] == run.selected
        elif not run.over:
            assert run.selected == whole.selected
        else:
            assert whole.spent > e.budget
    assert settled > 100, settled  # the proof is not vacuous


@pytest.mark.parametrize("cumulative", [False, True])
def test_purchases_proved_for_a_span_of_budgets_are_the_beginning_of_every_run_in_it(cumulative):
    # A longer step of the add1 search that is not proved to the end still proves its first purchases for
    # every budget it spans; a later run inside the span buys those without looking at other projects. Each
    # budget in the span must then buy exactly what it buys on its own.
    from commonweal.engines.voting import equal_shares

    replayed = 0
    for _, problem, start in _prepared_towns(23 + cumulative, 120, cumulative):
        free = len(problem.free)
        for low, high in ((0, 4), (2, 10), (5, 40)):
            try:
                below = equal_shares._FloatRun(problem, start + low, None, None).run()
                top = equal_shares._FloatRun(problem, start + high, None, below).run()
            except equal_shares._Uncertain:
                continue
            proved = tuple(top.selected[free : free + top.certified_rounds])
            if not proved:
                continue
            for extra in range(low, high + 1):
                whole = equal_shares._run(problem, start + extra)
                try:
                    run = equal_shares._FloatRun(problem, start + extra, None, None, replay=proved).run()
                except equal_shares._Uncertain:
                    continue
                replayed += 1
                assert run.selected == whole.selected
    assert replayed > 200, replayed  # the proof is not vacuous


@pytest.mark.parametrize("cumulative", [False, True])
def test_a_run_given_the_bounds_of_a_larger_budget_buys_what_it_buys_alone(cumulative):
    # The add1 search runs the budgets of a block from the top down, each with the lower bounds on rho of
    # the run just above it, so that projects proved to lose there are not looked at again. The bounds hold
    # while the two runs buy alike; each run must buy exactly what it buys alone.
    from commonweal.engines.voting import equal_shares

    compared = 0
    for _, problem, start in _prepared_towns(31 + cumulative, 120, cumulative):
        for low, high in ((0, 1), (1, 3), (3, 20)):
            try:
                above = equal_shares._FloatRun(problem, start + high, None, None).run()
                run = equal_shares._FloatRun(problem, start + low, None, None, above=above).run()
            except equal_shares._Uncertain:
                continue
            compared += 1
            assert run.selected == equal_shares._run(problem, start + low).selected
    assert compared > 200, compared


@pytest.mark.parametrize("cumulative", [False, True])
def test_the_steps_of_a_search_run_are_those_of_the_exact_run(cumulative):
    # The add1 search keeps only purchases (and stops once the outcome is proved to fit); the outcome's steps,
    # each price and who paid all they had, are then computed along those purchases. They must be the exact
    # run's, rational for rational.
    from dataclasses import replace

    from commonweal.engines.voting import equal_shares

    compared = 0
    for _, problem, budget, search in _search_runs(41 + cumulative, 100, cumulative, (0, 2, 7)):
        if search.over:
            continue
        compared += search.settled
        ours = equal_shares._with_steps(problem, search).steps
        exact = equal_shares._run_exact(problem, budget, None).steps
        # What those who paid all they had paid together is shown as a float (summed in another order).
        assert [replace(step, paid_rest_total=0.0) for step in ours] == [
            replace(step, paid_rest_total=0.0) for step in exact
        ]
        assert [step.paid_rest_total for step in ours] == pytest.approx([step.paid_rest_total for step in exact])
    assert compared > 100, compared


@pytest.mark.parametrize("cumulative", [False, True])
def test_every_budget_from_the_first_up_begins_with_the_head(cumulative):
    # The add1 search starts every run after the purchases every larger budget begins with (the cheapest
    # per unit of satisfaction, paid in full by every supporter); each run must still buy what it buys alone.
    from commonweal.engines.voting import equal_shares

    headed = 0
    for _, problem, start in _prepared_towns(53 + cumulative, 150, cumulative):
        try:
            first = equal_shares._FloatRun(problem, start, None, None).run()
        except equal_shares._Uncertain:
            continue
        problem.head = equal_shares._find_head(problem, first)
        if problem.head is None:
            continue
        for extra in (0, 1, 5, 30):
            try:
                run = equal_shares._FloatRun(problem, start + extra, None, None).run()
            except equal_shares._Uncertain:
                continue
            headed += 1
            assert run.selected == equal_shares._run(problem, start + extra).selected
    assert headed > 100, headed


def _outcome_at(problem, per_voter):
    """The exact run at one budget, all its purchases."""
    from commonweal.engines.voting import equal_shares

    return equal_shares._run(problem, per_voter)


def _proves_every_budget_between(problem, budget, start, low, high, run, rounds=None):
    """Check what a run at ``start + high`` proved for every budget strictly between ``low`` and ``high``: its first
    ``rounds`` purchases (all of them if None) are theirs too, and if it settled, their outcomes fit."""
    free = len(problem.free)
    prefix = run.selected if rounds is None else run.selected[: free + rounds]
    for extra in range(low + 1, high):
        whole = _outcome_at(problem, start + extra)
        assert whole.selected[: len(prefix)] == prefix, (low, extra, high)
        if rounds is None and run.settled:
            assert whole.spent <= budget
        elif rounds is None:
            assert whole.selected == run.selected


@pytest.mark.parametrize("cumulative", [False, True])
def test_a_run_certified_against_a_smaller_budget_buys_what_every_budget_between_buys(monkeypatch, cumulative):
    # A run certified against a run at a smaller budget proves that every budget in between buys the same projects
    # in the same order (and fits, if it settled). Near ties are settled by looking at the budgets in between: at t
    # above the smaller budget every voter with something left has at least t more, at t below the larger one at
    # most t less. A smaller run that settled is asked for the purchases it would have made next.
    from commonweal.engines.voting import equal_shares

    between = []
    original = equal_shares._loses_between

    def counted(q, budgets, error, start, against, round_, winner):
        proved = original(q, budgets, error, start, against, round_, winner)
        between.append(proved and start - against.per_voter > 1)
        return proved

    monkeypatch.setattr(equal_shares, "_loses_between", counted)
    certified = extended = 0
    for e, problem, start in _prepared_towns(61 + cumulative, 100, cumulative, projects_up_to=20, voters_up_to=150):
        for low, high in ((0, 3), (1, 6), (4, 12), (10, 40)):
            try:
                below = equal_shares._FloatRun(problem, start + low, e.budget, None, settle=True).run()
                purchases = len(below.selected)
                top = equal_shares._FloatRun(problem, start + high, e.budget, below, settle=True).run()
            except equal_shares._Uncertain:
                continue
            extended += len(below.selected) > purchases
            if top.certified:
                certified += 1
                _proves_every_budget_between(problem, e.budget, start, low, high, top)
            else:
                _proves_every_budget_between(problem, e.budget, start, low, high, top, top.certified_rounds)
    assert certified > 20, certified
    assert sum(between) > 30, sum(between)  # budgets in between were looked at, and proved near ties
    assert extended > 40, extended  # runs that settled were asked for more


@pytest.mark.parametrize("cumulative", [False, True])
def test_a_settled_run_asked_for_more_buys_what_the_whole_run_buys(cumulative):
    # A run that settled can be asked for the purchases it would have made next (a run at a larger budget needs
    # them to be certified against it). It makes them as the whole run does, until it ends, or until a decision is
    # too close to call in floating point, where it stops (and certification against it stops there too).
    extended = completed = 0
    for _, problem, budget, run in _search_runs(71 + cumulative, 120, cumulative, (0, 2, 9)):
        if not run.settled:
            continue
        while run.runner.extend():
            extended += 1
        whole = _outcome_at(problem, budget).selected
        assert whole[: len(run.selected)] == run.selected
        completed += run.selected == whole
    assert extended > 100, extended
    assert completed > 50, completed


@pytest.mark.parametrize("cumulative", [False, True])
def test_a_run_certified_again_against_a_budget_closer_to_it_proves_the_budgets_between(cumulative):
    # A block's top whose certification failed is kept; once the search has reached a budget inside the block,
    # it is certified again against that budget's run from the bounds and budgets it kept, without running again.
    from commonweal.engines.voting import equal_shares

    recertified = proved = 0
    for e, problem, start in _prepared_towns(83 + cumulative, 200, cumulative, projects_up_to=20, voters_up_to=150):
        for low, middle, high in ((0, 2, 5), (1, 4, 9), (3, 10, 24), (0, 8, 30)):
            try:
                below = equal_shares._FloatRun(problem, start + low, e.budget, None, settle=True).run()
                top = equal_shares._FloatRun(problem, start + high, e.budget, below, settle=True).run()
                if top.certified or top.over:
                    continue
                inside = equal_shares._FloatRun(problem, start + middle, e.budget, below, settle=True).run()
                certified, rounds = equal_shares._recertify(problem, top, inside)
            except equal_shares._Uncertain:
                continue
            if certified:
                recertified += 1
                _proves_every_budget_between(problem, e.budget, start, middle, high, top)
            elif rounds:
                proved += 1
                _proves_every_budget_between(problem, e.budget, start, middle, high, top, rounds)
    assert recertified > 3, recertified
    assert proved > 10, proved
