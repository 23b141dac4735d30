"""Wellbeing change for one person, and counted for a place with small numbers suppressed.

ONS4 items are reported one by one, each against its ONS threshold bands, never summed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from commonweal.suppression import suppress_counts

from . import instruments
from .models import Instrument, Person, WellbeingResponse


@dataclass(frozen=True)
class ItemChange:
    code: str
    text: str
    first: int
    latest: int
    first_band: str
    latest_band: str
    direction: str  # better | worse | same
    history: tuple[int, ...]


@dataclass
class PersonWellbeing:
    instrument: Instrument
    responses: list[WellbeingResponse]
    items: list[ItemChange] = field(default_factory=list)


def person_wellbeing(responses: list[WellbeingResponse]) -> list[PersonWellbeing]:
    """Group a person's responses (already fetched, oldest first) by instrument, with change per item."""
    by_instrument: dict[int, PersonWellbeing] = {}
    for response in responses:
        entry = by_instrument.setdefault(response.instrument_id, PersonWellbeing(response.instrument, []))
        entry.responses.append(response)
    for entry in by_instrument.values():
        first, latest = entry.responses[0], entry.responses[-1]
        for item in entry.instrument.items:
            code = item["code"]
            if code not in first.scores or code not in latest.scores:
                continue
            entry.items.append(
                ItemChange(
                    code=code,
                    text=item["text"],
                    first=first.scores[code],
                    latest=latest.scores[code],
                    first_band=instruments.band(item, first.scores[code]),
                    latest_band=instruments.band(item, latest.scores[code]),
                    direction=instruments.direction(item, first.scores[code], latest.scores[code]),
                    history=tuple(r.scores.get(code) for r in entry.responses),
                )
            )
    return list(by_instrument.values())


SUPPRESSED = None  # shown as "fewer than N"


def suppress(counts: list[int], threshold: int | None = None) -> list[int | None]:
    """Counts for an aggregate view with the total shown: the house rule in `commonweal.suppression`.

    >>> suppress([12, 3, 40], 10)
    [None, None, 40]
    """
    threshold = settings.COMMONWEAL_SUPPRESSION_THRESHOLD if threshold is None else threshold
    return suppress_counts(counts, threshold=threshold)


@dataclass(frozen=True)
class ItemSummary:
    code: str
    text: str
    better: int | None
    same: int | None
    worse: int | None
    baseline_bands: list[tuple[str, int | None]]
    latest_bands: list[tuple[str, int | None]]


@dataclass(frozen=True)
class GroupSummary:
    label: str
    people: int | None
    items: list[ItemSummary]


QUINTILES = [
    ("Most deprived fifth (IMD deciles 1-2)", (1, 2)),
    ("IMD deciles 3-4", (3, 4)),
    ("IMD deciles 5-6", (5, 6)),
    ("IMD deciles 7-8", (7, 8)),
    ("Least deprived fifth (IMD deciles 9-10)", (9, 10)),
]


def place_wellbeing(place: Any, instrument: Instrument) -> list[GroupSummary]:
    """For people with a baseline and a follow-up: how many got better, stayed the same or got worse on
    each item, and the band counts at baseline and latest; for the place and by deprivation fifth."""
    threshold = settings.COMMONWEAL_SUPPRESSION_THRESHOLD
    rows = (
        WellbeingResponse.objects.filter(place=place, instrument=instrument)
        .exclude(person__status=Person.Status.ERASED)
        .order_by("person_id", "taken_on", "id")
        .values_list("person_id", "scores", "person__neighbourhood__imd_decile")
    )
    firsts: dict[int, dict[str, int]] = {}
    latests: dict[int, dict[str, int]] = {}
    deciles: dict[int, int | None] = {}
    for person_id, scores, decile in rows.iterator(chunk_size=5000):
        if person_id in firsts:
            latests[person_id] = scores
        else:
            firsts[person_id] = scores
            deciles[person_id] = decile
    groups = [("All people with a follow-up", None), *QUINTILES]
    summaries = []
    for label, band_deciles in groups:
        members = [p for p in latests if band_deciles is None or deciles[p] in band_deciles]
        items = []
        for item in instrument.items:
            code = item["code"]
            moves: dict[str, int] = defaultdict(int)
            first_bands: dict[str, int] = defaultdict(int)
            latest_bands: dict[str, int] = defaultdict(int)
            for p in members:
                before, after = firsts[p].get(code), latests[p].get(code)
                if before is None or after is None:
                    continue
                moves[instruments.direction(item, before, after)] += 1
                first_bands[instruments.band(item, before)] += 1
                latest_bands[instruments.band(item, after)] += 1
            labels = [b["label"] for b in item.get("bands", [])]
            better, same, worse = suppress([moves["better"], moves["same"], moves["worse"]], threshold)
            items.append(
                ItemSummary(
                    code=code,
                    text=item["text"],
                    better=better,
                    same=same,
                    worse=worse,
                    baseline_bands=list(
                        zip(labels, suppress([first_bands[b] for b in labels], threshold), strict=True)
                    ),
                    latest_bands=list(zip(labels, suppress([latest_bands[b] for b in labels], threshold), strict=True)),
                )
            )
        count = len(members)
        summaries.append(GroupSummary(label, None if 0 < count < threshold else count, items))
    return summaries
