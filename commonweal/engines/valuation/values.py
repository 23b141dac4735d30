"""Value sets: unit values as data, each with its source, price year and licence.

A value set maps an id (``GMCA-UCD-HE20.2``) to a :class:`Value`. The package carries a small
curated default set (:func:`default_value_set`): the HM Treasury WELLBY values (OGL v3.0) and a
few dozen GMCA Unit Cost Database v1.4 entries (Creative Commons, attribution required). It
carries no HACT Social Value Bank values: HACT's licence forbids putting them inside tools.
Load the full Unit Cost Database, or values you hold a licence for, with :func:`load_value_set`.

Every Unit Cost Database value is its *fiscal* column. Benefit payments saved (``kind`` =
``benefit_rate_transfer``, or a ``transfer`` column) are transfers: they count as fiscal savings
to the paying agency, never as a gain in welfare.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .distributions import Distribution
from .errors import ValuationError
from .model import CATEGORIES, Outcome
from .prices import parse_price_year

_TRUE = {"true", "yes", "1", "y"}
# The Unit Cost Database's "workless claimant entering work" entries split into "benefits
# payments" (a transfer) and "improved health" (a resource saving); its kind label does not.
_BENEFIT_PAYMENTS = re.compile(r"\bbenefits? payments?\b", re.IGNORECASE)
_FALSE = {"false", "no", "0", "n", ""}


@dataclass(frozen=True)
class Value:
    """One unit value: an amount in the prices of a year, with where it comes from.

    Examples
    --------
    >>> v = default_value_set()["HMT-WELLBY-CENTRAL"]
    >>> v.value, v.price_year, v.category
    (13000.0, '2019', 'social')
    """

    id: str
    description: str
    value: float
    price_year: str
    unit: str = ""
    category: str = ""
    agency: str = ""
    kind: str = ""
    transfer: bool = False
    source: str = ""
    licence: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ValueSet(Mapping[str, Value]):
    """Unit values by id, with the ids left out (suspect or unreadable rows) and why.

    Examples
    --------
    >>> values = default_value_set()
    >>> gp = values.outcome("GMCA-UCD-HE20.2", people=100, quantity=2, deadweight=0.3)
    >>> gp.value, gp.price_year, gp.agency
    (76.0, '2013/14', 'NHS / GP')
    """

    entries: Mapping[str, Value]
    name: str = ""
    excluded: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, value_id: str) -> Value:
        try:
            return self.entries[value_id]
        except KeyError:
            pass
        if value_id in self.excluded:
            raise ValuationError(
                f"value {value_id!r} in {self.name or 'this value set'} was left out: {self.excluded[value_id]}"
            )
        close = difflib.get_close_matches(value_id, list(self.entries), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValuationError(
            f"unknown value id {value_id!r} in {self.name or 'this value set'} ({len(self.entries)} values)"
            f"{hint} Load the full Unit Cost Database with load_value_set(path)."
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def merged(self, other: ValueSet) -> ValueSet:
        """Return a set with both sets' values; ``other`` wins where ids repeat."""
        return ValueSet(
            {**self.entries, **other.entries},
            name=" + ".join(n for n in (self.name, other.name) if n),
            excluded={**self.excluded, **other.excluded},
        )

    def outcome(
        self,
        value_id: str,
        *,
        people: Any = 1.0,
        quantity: float = 1.0,
        uncertainty: Distribution | None = None,
        name: str | None = None,
        category: str | None = None,
        **kwargs: Any,
    ) -> Outcome:
        """Build an :class:`Outcome` from a value: its amount, price year, agency and category.

        Parameters
        ----------
        value_id
            The value's id.
        people
            People in each cohort.
        quantity
            Units of the value per person per year: visits avoided, weeks of care, incidents.
        uncertainty
            A distribution of a multiplier around 1 (e.g. ``Triangular(0.8, 1, 1.2)``) for the value.
        name, category
            Override the value's description and category.
        **kwargs
            Any other :class:`Outcome` field (deadweight, duration, deciles, ...).

        Raises
        ------
        ValuationError
            For an unknown id, or a value with no category given.
        """
        value = self[value_id]
        chosen = category or value.category
        if chosen not in CATEGORIES:
            raise ValuationError(f"value {value_id!r} has no category (fiscal, economic or social): pass category=")
        if value.transfer and chosen != "fiscal":
            raise ValuationError(
                f"value {value_id!r} is a transfer (benefit payments): count it as fiscal only, "
                "never as economic or social value"
            )
        if not (math.isfinite(quantity) and quantity >= 0):
            raise ValuationError(f"quantity of {value_id!r} must be zero or more, not {quantity!r}")
        amount = value.value * quantity
        kwargs.setdefault("agency", value.agency)
        kwargs.setdefault("transfer", value.transfer)
        return Outcome(
            name=name or value.description,
            value=uncertainty.scaled(amount) if uncertainty is not None else amount,
            people=people,
            category=chosen,  # type: ignore[arg-type]  # checked against CATEGORIES above
            price_year=value.price_year,
            source=f"{value.id}: {value.source}",
            **kwargs,
        )


def _flag(text: str, where: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValuationError(f"{where}: transfer must be true or false, not {text!r}")


def parse_value_set_from_string(
    text: str,
    *,
    name: str = "",
    licence: str = "",
    category: str = "",
    allow_suspect: bool = False,
    skip_invalid: bool = False,
) -> ValueSet:
    """Read a value set from CSV text.

    Columns: ``id``, ``value_gbp`` (or ``value``), ``price_year`` and ``description`` (or
    ``outcome``) are required; ``unit``, ``category``, ``agency``, ``kind``, ``transfer``,
    ``source``, ``licence`` and ``notes`` are optional. This reads the research files in
    ``shared/data/value`` (Unit Cost Database, wellbeing values) as they are.

    Without a ``transfer`` column, a value is a transfer when its ``kind`` is
    ``benefit_rate_transfer`` or its description names benefit payments (the Unit Cost
    Database's "... entering work - benefits payments" entries). The database's parent rows
    that add benefit payments to health savings (``E&E1.0``, ``E&E2.0``, ``E&E3.0``) mix a
    transfer with a resource saving: value their components instead.

    Parameters
    ----------
    text
        The CSV text.
    name
        A name for messages and reports.
    licence
        Licence for rows without a ``licence`` column.
    category
        Category for rows without a ``category`` column (e.g. ``"social"`` for wellbeing values).
    allow_suspect
        Keep rows whose notes begin ``SUSPECT`` (default False: they are left out, and asking for
        one says why).
    skip_invalid
        Leave out rows whose value or price year cannot be read, instead of failing.

    Raises
    ------
    ValuationError
        For missing columns, repeated ids, or (unless ``skip_invalid``) unreadable rows.

    Examples
    --------
    >>> text = "id,description,value_gbp,price_year,category\\nX1,A visit,38,2013/14,fiscal\\n"
    >>> parse_value_set_from_string(text)["X1"].value
    38.0
    """
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or [])
    amount_column = "value_gbp" if "value_gbp" in columns else "value"
    description_column = "description" if "description" in columns else "outcome"
    missing = {"id", amount_column, "price_year", description_column} - columns
    if missing:
        raise ValuationError(
            f"value set {name or ''} lacks column(s) {', '.join(sorted(missing))}: it needs id, value_gbp, "
            "price_year and description"
        )
    if category and category not in CATEGORIES:
        raise ValuationError(f"category must be one of {', '.join(CATEGORIES)}, not {category!r}")
    values: dict[str, Value] = {}
    excluded: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        where = f"value set {name or ''} line {line}".replace("  ", " ")
        value_id = (row.get("id") or "").strip()
        if not value_id:
            raise ValuationError(f"{where}: every value needs an id")
        if value_id in values or value_id in excluded:
            raise ValuationError(f"{where}: id {value_id!r} appears twice")
        notes = row.get("notes") or ""
        if notes.strip().upper().startswith("SUSPECT") and not allow_suspect:
            excluded[value_id] = f"{notes.strip()} (check it against the source, then load with allow_suspect=True)"
            continue
        try:
            amount = float(row[amount_column])
            if not math.isfinite(amount):
                raise ValueError(f"value {row[amount_column]!r} is not finite")
            price_year = str(parse_price_year(row["price_year"].strip()))
        except (ValueError, TypeError) as error:
            if skip_invalid:
                excluded[value_id] = f"unreadable: {error}"
                continue
            raise ValuationError(f"{where} ({value_id}): {error}; fix it or pass skip_invalid=True") from None
        kind = (row.get("kind") or "").strip()
        row_category = (row.get("category") or category).strip()
        if row_category and row_category not in CATEGORIES:
            raise ValuationError(f"{where} ({value_id}): category must be one of {', '.join(CATEGORIES)}")
        transfer_text = row.get("transfer")
        description = (row.get(description_column) or "").strip()
        transfer = (
            _flag(transfer_text, where)
            if transfer_text is not None
            else kind == "benefit_rate_transfer" or bool(_BENEFIT_PAYMENTS.search(description))
        )
        values[value_id] = Value(
            id=value_id,
            description=description,
            value=amount,
            price_year=price_year,
            unit=(row.get("unit") or "").strip(),
            category=row_category,
            agency=(row.get("agency") or "").strip(),
            kind=kind,
            transfer=transfer,
            source=(row.get("source") or "").strip(),
            licence=(row.get("licence") or licence).strip(),
            notes=notes.strip(),
        )
    return ValueSet(values, name=name, excluded=excluded)


def load_value_set(path: str | Path, **options: Any) -> ValueSet:
    """Read a value set CSV file; options as for :func:`parse_value_set_from_string`."""
    options.setdefault("name", Path(path).name)
    return parse_value_set_from_string(Path(path).read_text(encoding="utf-8"), **options)


_DEFAULT: list[ValueSet] = []


def default_value_set() -> ValueSet:
    """The curated default values shipped with the package (WELLBY and Unit Cost Database entries).

    Examples
    --------
    >>> len(default_value_set()) > 30
    True
    """
    if not _DEFAULT:
        text = resources.files(__package__).joinpath("data").joinpath("default_values.csv")
        _DEFAULT.append(parse_value_set_from_string(text.read_text(encoding="utf-8"), name="default values"))
    return _DEFAULT[0]
