"""What a rule returns: the selected projects, their cost and an explanation a resident can read."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from commonweal.engines.voting.election import Election, Number


@dataclass(frozen=True)
class GreedyStep:
    """One project as a greedy rule considered it.

    Attributes
    ----------
    project_id : str
    score : int or Fraction
        What the rule ranks by (votes, points, or satisfaction per unit of cost).
    cost : int or Fraction
    selected : bool
    reason : str
        Why it was selected or skipped, in plain words.
    """

    project_id: str
    score: Number
    cost: Number
    selected: bool
    reason: str


@dataclass(frozen=True)
class SharesStep:
    """One project bought under the Method of Equal Shares.

    Attributes
    ----------
    project_id : str
    cost : int or Fraction
    rho : Fraction or float
        What each supporter pays per unit of satisfaction (exact where the engine computed it exactly).
    price : Fraction or float
        What a supporter with money left paid: ``rho`` times their satisfaction (for cost satisfaction on
        approval ballots, the same for every supporter).
    supporters : int
        Voters who supported the project.
    paid_share : int
        Supporters who paid the full price.
    paid_rest : int
        Supporters who had less than the price left and paid all they had.
    paid_rest_total : float
        What those supporters paid together.
    """

    project_id: str
    cost: Number
    rho: Fraction | float
    price: Fraction | float
    supporters: int
    paid_share: int
    paid_rest: int
    paid_rest_total: float


@dataclass(frozen=True)
class PhragmenStep:
    """One project bought under sequential Phragmén: the load every supporter carries afterwards."""

    project_id: str
    cost: Number
    load: Fraction | float
    supporters: int


Step = GreedyStep | SharesStep | PhragmenStep


@dataclass(frozen=True)
class Outcome:
    """The result of a rule.

    Attributes
    ----------
    rule : str
        The rule and its options, e.g. ``"method_of_equal_shares(completion='add1')"``.
    selected : tuple of str
        Project ids as in the file, in the order the rule took them.
    cost : int or Fraction
        Their total cost.
    budget : int or Fraction
        The budget limit.
    steps : tuple
        The rule's record: :class:`GreedyStep`, :class:`SharesStep` or :class:`PhragmenStep` items.
    notes : tuple of str
        Facts about the whole run (a completion, why it stopped).
    """

    rule: str
    selected: tuple[str, ...]
    cost: Number
    budget: Number
    steps: tuple[Step, ...] = ()
    notes: tuple[str, ...] = field(default=())
    names: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def explain(self) -> str:
        """A plain-language account of the outcome, one line per step.

        >>> from commonweal.engines.voting import build_election, greedy
        >>> print(greedy(build_election(100, {"a": 60, "b": 50}, [["a"], ["a"], ["b"]])).explain())
        Rule: greedy. Selected 1 project costing 60 of the budget 100.
        1. a (cost 60, score 2): selected, 40 left.
        2. b (cost 50, score 1): skipped: it costs 50 but only 40 was left.
        """
        plural = "" if len(self.selected) == 1 else "s"
        lines = [
            f"Rule: {self.rule}. Selected {len(self.selected)} project{plural} costing "
            f"{money(self.cost)} of the budget {money(self.budget)}."
        ]
        lines.extend(self.notes)
        for n, step in enumerate(self.steps, start=1):
            lines.append(f"{n}. {describe(step, self.names)}")
        return "\n".join(lines)


def money(value: Number | float) -> str:
    """Format an amount for people: thousands separated, two decimals only when needed.

    >>> money(1070000), money(Fraction(1, 3)), money(12.5)
    ('1,070,000', '0.33', '12.50')
    """
    if value == int(value):
        return f"{int(value):,}"
    return f"{float(value):,.2f}"


def people(count: int) -> str:
    """``1 supporter``, ``2 supporters``."""
    return f"{count:,} supporter" + ("" if count == 1 else "s")


def label(project_id: str, names: dict[str, str]) -> str:
    name = names.get(project_id, "")
    return f"{project_id} ({name})" if name and name != project_id else project_id


def describe(step: Step, names: dict[str, str]) -> str:
    """One line about one step."""
    who = label(step.project_id, names)
    if isinstance(step, GreedyStep):
        return f"{who} (cost {money(step.cost)}, score {money(step.score)}): {step.reason}."
    if isinstance(step, SharesStep):
        text = f"{who} (cost {money(step.cost)}): "
        if step.paid_share:
            each = " each" if step.paid_share > 1 else ""
            text += f"{people(step.paid_share)} paid {money(step.price)}{each}"
        if step.paid_rest:
            text += "; " if step.paid_share else ""
            text += f"{people(step.paid_rest)} paid all they had left ({money(step.paid_rest_total)} in all)"
        return text + "."
    return (
        f"{who} (cost {money(step.cost)}): bought when each of its {step.supporters:,} supporters "
        f"had earned {money(step.load)}."
    )


def project_names(election: Election) -> dict[str, str]:
    """Project id to name (where the file gives names)."""
    return {p.project_id: p.fields["name"] for p in election.projects if p.fields.get("name")}
