"""Search that connects what matters to a person with the offers near them.

`find_offers(place, text, *, postcode=None, age=None, limit=10)` reads a connector's note in plain
words ("lonely since her husband died, skint, can't face people") and ranks the place's active
offers by:

1. **Concepts.** Everyday words and phrases are mapped to the words listings use and to taxonomy
   terms by `synonyms.txt` (data, not code: add a line to teach it a new phrase) and by the place's
   own `SearchPhrase` rows (edited in the admin). A full-text query
   of those listing words finds offers that never use the person's words.
2. **Literal words.** The note's own content words (stop words removed), full-text ranked too.
3. **Taxonomy.** Offers filed under a concept's terms (or their children) score higher.
4. **Eligibility.** Offers whose age rule excludes the person are left out.
5. **Distance** from the person's postcode to the nearest place the offer runs; phone, online
   and home-visit offers count as near.

Full text is SQLite FTS5 (BM25) or PostgreSQL full text (`ts_rank`), scoped to the place. Each
match says why it was found (`OfferMatch.reasons`) in words a connector can read back.
"""

import bisect
import functools
import math
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from .models import Service
from .phrases import (
    STOP_WORDS,
    SYNONYMS_FILE,
    Concept,
    Need,
    load_concepts,
    normalise,
    parse_need,
    parse_synonyms,
    tokens,
)
from .phrases import stem as _stem
from .vocabulary import concepts_for, taxonomy_vocabulary

# Reading notes lives in `phrases`; its names stay importable from here (the API and the benchmarks use them).
__all__ = [
    "STOP_WORDS",
    "SYNONYMS_FILE",
    "Concept",
    "Need",
    "OfferMatch",
    "find_offers",
    "load_concepts",
    "normalise",
    "parse_need",
    "parse_synonyms",
    "tokens",
]

CANDIDATES = 150  # per full-text query; re-ranked in Python
PREFILTER = 1500  # PostgreSQL: matching offers ranked per full-text query (see `full_text_scores`)
# Weights of the parts of the relevance score (see the module docstring).
CONCEPT_WEIGHT, LITERAL_WEIGHT, TAXONOMY_WEIGHT = 1.0, 0.6, 0.45
# Share of the note's aspects (loneliness, money, a walk...) an offer answers, by its terms or its words.
COVERAGE_WEIGHT = 0.5
DISTANCE_SCALE_KM = 4.0  # the proximity factor falls to about 0.75 at this distance
REMOTE_AS_KM = 2.0  # phone, online and home-visit offers rank like a place 2 km away
NO_LOCATION_FACTOR = 0.85
# Offers meant for the person's age group (youth up to 30, later life from 50) rank a little higher.
AGE_GROUP_BOOST = 1.15
YOUTH_UP_TO, LATER_LIFE_FROM = 30, 50

# --- Full text on each database ------------------------------------------------------------


def _quoted(terms: Iterable[str]) -> list[str]:
    # Terms come from `tokens` (letters, digits, apostrophes); a double quote could never end a phrase early.
    return [term.replace('"', " ") for term in terms]


def _fts5_query(terms: Iterable[str]) -> str:
    # Every term is quoted (a phrase when it has several words), so no user text is FTS5 syntax.
    return " OR ".join(f'"{term}"' for term in _quoted(terms))


def full_text_scores(
    place_id: int | None, terms: Sequence[str], *, limit: int = CANDIDATES, active_only: bool = True
) -> dict[int, float]:
    """Offers matching any term (active ones of a place by default), with their score (higher is better)."""
    terms = [t for t in dict.fromkeys(terms) if t.strip()]
    if not terms:
        return {}
    # Fixed SQL fragments chosen by flags; every value is a placeholder.
    where = (" AND s.place_id = %s" if place_id is not None else "") + (
        " AND s.status = 'active'" if active_only else ""
    )
    params = [place_id] if place_id is not None else []
    with _index_scans(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # plainto_tsquery never fails on user text; a term's words are ANDed (the GIN index answers that
            # without reading rows back, as it must for phrases), terms ORed. The GIN scan finds at most
            # PREFILTER matching offers and only those are ranked: ranking thousands of broad matches
            # was the slow part. ts_rank, not ts_rank_cd: cover density cost ~8x more per row for the
            # long OR queries concepts make. (Placeholders only: the query text is built from their number.)
            query = " || ".join(["plainto_tsquery('english', %s)"] * len(terms))
            cursor.execute(
                "WITH f AS MATERIALIZED (SELECT " + query + " AS q), "  # noqa: S608 (placeholders only)
                "m AS (SELECT s.id, s.search_vector FROM directory_service s, f "
                "WHERE s.search_vector @@ f.q" + where + " LIMIT %s) "
                "SELECT m.id, ts_rank(m.search_vector, f.q, 1) AS rank FROM m, f ORDER BY rank DESC, m.id LIMIT %s",
                [*terms, *params, PREFILTER, limit],
            )
        else:
            cursor.execute(
                "SELECT s.id, -bm25(directory_service_fts, 4.0, 1.0) AS rank "
                "FROM directory_service_fts JOIN directory_service s ON s.id = directory_service_fts.rowid "
                "WHERE directory_service_fts MATCH %s" + where + " "
                "ORDER BY bm25(directory_service_fts, 4.0, 1.0), s.id LIMIT %s",
                [_fts5_query(terms), *params, limit],
            )
        return {row[0]: float(row[1]) for row in cursor.fetchall()}


@contextmanager
def _index_scans() -> Iterator[None]:
    """On PostgreSQL, full-text queries use the GIN index (a no-op elsewhere, and inside an outer call).

    The planner underrates the GIN index for OR queries matching many rows and scans the whole
    table instead, several times slower. SET LOCAL holds for the enclosing transaction only.
    """
    if connection.vendor != "postgresql" or getattr(_state, "hinted", False):
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        _state.hinted = True
        try:
            yield
        finally:
            _state.hinted = False


_state = threading.local()


def _normalised(scores: dict[int, float]) -> dict[int, float]:
    top = max(scores.values(), default=0.0)
    return {key: value / top for key, value in scores.items()} if top > 0 else {}


# --- Ranking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferMatch:
    """One ranked offer, with why it was found."""

    service: Service
    oruk_id: str
    name: str
    organisation_name: str
    distance_km: float | None
    score: float
    reasons: list[str]
    remote: bool = False  # delivered by phone, online or at home

    def get_absolute_url(self) -> str:
        return self.service.get_absolute_url()


@dataclass
class _Candidate:
    id: int
    concept: float = 0.0
    literal: float = 0.0
    taxonomy_hits: list[str] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    coverage: float = 0.0
    distance_km: float | None = None
    remote: bool = False
    located: bool = False
    for_age_group: bool = False
    score: float = 0.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    >>> round(haversine_km(53.545, -2.632, 53.497, -2.519), 1)
    9.2
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def locate_postcode(place: Any, postcode: str | None) -> tuple[str, float, float] | None:
    """(normalised postcode, latitude, longitude) of a postcode in the place, or None."""
    from commonweal.places.importers import normalise_postcode

    code = normalise_postcode(postcode or "")
    if code is None:
        return None
    found = (
        place.postcodes.filter(postcode=code, latitude__isnull=False)
        .values_list("postcode", "latitude", "longitude")
        .first()
    )
    return found


def find_offers(
    place: Any, text: str, *, postcode: str | None = None, age: int | None = None, limit: int = 10
) -> list[OfferMatch]:
    """Rank the place's active offers for what matters to a person (see the module docstring)."""
    tree = taxonomy_vocabulary()
    need = parse_need(text, concepts_for(place), tree.labels)
    if need.is_empty or limit <= 0:
        return []
    concept_terms = [e for concept, _said in need.concepts for e in concept.expansions]
    with _index_scans():  # one transaction and one planner setting for both queries
        concept_scores = _normalised(full_text_scores(place.pk, concept_terms))
        literal_scores = _normalised(full_text_scores(place.pk, need.words))
    candidates = {key: _Candidate(key) for key in {*concept_scores, *literal_scores}}
    for key, candidate in candidates.items():
        candidate.concept = concept_scores.get(key, 0.0)
        candidate.literal = literal_scores.get(key, 0.0)
    details = _eligible_details(candidates, age)
    origin = locate_postcode(place, postcode) if postcode else None
    _add_terms_and_venues(candidates, need, tree, origin)
    ranked = _rank(candidates, need, tree, details, origin is not None, limit)
    services = Service.objects.select_related("organisation", "place").in_bulk([c.id for c in ranked])
    return [_match(services[c.id], c, need, details[c.id], origin, age) for c in ranked]


def _in_list(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """A SQL membership test for ids (a parameter each on SQLite, one array on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(ids)]
    return "IN (" + ", ".join(["%s"] * len(ids)) + ")", list(ids)


def _eligible_details(candidates: dict[int, _Candidate], age: int | None) -> dict[int, dict[str, Any]]:
    """Name, text and age rule of each candidate (one query, no model instances); drops those the age excludes."""
    details: dict[int, dict[str, Any]] = {}
    if candidates:
        test, params = _in_list(list(candidates))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, name, search_text, minimum_age, maximum_age FROM directory_service "  # noqa: S608
                "WHERE id " + test,  # a fixed fragment with placeholders only
                params,
            )
            for key, name, search_text, low, high in cursor.fetchall():
                details[key] = {
                    "id": key,
                    "name": name,
                    "search_text": search_text,
                    "minimum_age": low,
                    "maximum_age": high,
                }
    for key in list(candidates):
        row = details.get(key)
        if row is None or not _accepts_age(row, age):
            del candidates[key]
        elif age is not None:
            candidates[key].for_age_group = _meant_for_age_group(row)
    return details


def _meant_for_age_group(row: dict[str, Any]) -> bool:
    # Called only for offers that accept the person's age: an upper limit for the young, or a later-life minimum.
    high, low = row["maximum_age"], row["minimum_age"]
    return (high is not None and high <= YOUTH_UP_TO) or (low is not None and low >= LATER_LIFE_FROM)


def _accepts_age(row: dict[str, Any], age: int | None) -> bool:
    if age is None:
        return True
    low, high = row["minimum_age"], row["maximum_age"]
    return (low is None or age >= low) and (high is None or age <= high)


def _add_terms_and_venues(
    candidates: dict[int, _Candidate], need: Need, tree: Any, origin: tuple[str, float, float] | None
) -> None:
    """Each candidate's term codes (and the names of those the need asks for) and its venues, in one round trip.

    Terms come in attribute order, so the names a reason lists are the same on every database.
    """
    if not candidates:
        return
    test, params = _in_list(list(candidates))
    wanted = tree.with_descendants({code for concept, _said in need.concepts for code in concept.taxonomy_codes})
    # Fixed SQL with placeholders only. Column 1 says which part a row is: 0 a term, 1 a venue.
    sql = (
        "SELECT 0, a.id, a.service_id, t.name, t.code, NULL, NULL FROM directory_attribute a "  # noqa: S608
        "JOIN directory_taxonomyterm t ON t.id = a.taxonomy_term_id WHERE a.service_id " + test + " "
        "UNION ALL "
        "SELECT 1, sl.id, sl.service_id, l.location_type, NULL, l.latitude, l.longitude "
        "FROM directory_serviceatlocation sl JOIN directory_location l ON l.id = sl.location_id "
        "WHERE sl.service_id " + test + " ORDER BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        rows = cursor.fetchall()
    for part, _row_id, service_id, name_or_kind, code, lat, lon in rows:
        candidate = candidates[service_id]
        if part == 0:
            candidate.codes.add(code)
            if code in wanted and name_or_kind not in candidate.taxonomy_hits:
                candidate.taxonomy_hits.append(name_or_kind)
            continue
        candidate.located = True
        if name_or_kind == "virtual" or lat is None or lon is None:
            candidate.remote = True
            continue
        if origin is not None:
            km = haversine_km(origin[1], origin[2], lat, lon)
            if candidate.distance_km is None or km < candidate.distance_km:
                candidate.distance_km = km


def _rank(
    candidates: dict[int, _Candidate],
    need: Need,
    tree: Any,
    details: dict[int, dict[str, Any]],
    has_origin: bool,
    limit: int,
) -> list[_Candidate]:
    """The best `limit` candidates, best first; coverage's text matching only for those that could make it.

    Coverage counts an aspect when a candidate is filed under one of its terms (a set test) or its
    text mentions one of its listing words (a regular expression, the costly part). Every
    candidate's score is first bounded: the aspects its terms cover, and at most all the rest by
    words. Candidates are then scored exactly in order of their bound, until the next bound is
    below the `limit`-th exact score: the rest cannot enter the ranking (the score rises with
    coverage), so the result is the same as scoring every candidate exactly.
    """
    aspects = len(set(need.aspects))
    tests = [
        (aspect, tree.with_descendants(set(concept.taxonomy_codes)), _mentions_any(concept.expansions))
        for (concept, _said), aspect in zip(need.concepts, need.aspects, strict=True)
    ]
    bounds: list[tuple[float, _Candidate, set[int]]] = []
    for candidate in candidates.values():
        by_terms = {aspect for aspect, codes, _pattern in tests if candidate.codes & codes}
        open_aspects = {aspect for aspect, _codes, pattern in tests if pattern is not None} - by_terms
        candidate.coverage = (len(by_terms) + len(open_aspects)) / aspects if aspects else 0.0
        bounds.append((_score(candidate, need, has_origin), candidate, by_terms))
    bounds.sort(key=lambda item: -item[0])
    best: list[_Candidate] = []
    key = lambda c: (-c.score, details[c.id]["name"], c.id)  # noqa: E731
    for bound, candidate, by_terms in bounds:
        if len(best) >= limit and bound < best[limit - 1].score:
            break
        if aspects:
            row = details[candidate.id]
            text = normalise(f"{row['name']}\n{row['search_text']}")
            covered = by_terms | {
                aspect
                for aspect, _codes, pattern in tests
                if aspect not in by_terms and pattern is not None and pattern.search(text)
            }
            candidate.coverage = len(covered) / aspects
        candidate.score = _score(candidate, need, has_origin)
        bisect.insort(best, candidate, key=key)
    return best[:limit]


@functools.lru_cache(maxsize=1024)
def _mentions_any(terms: Sequence[str]) -> re.Pattern[str] | None:
    # The same rule as `_mentions`, for several terms at once.
    alternatives = [_mention_pattern(term) for term in terms if term.split()]
    return re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None


def _score(candidate: _Candidate, need: Need, has_origin: bool) -> float:
    taxonomy = min(1.0, 0.6 + 0.2 * len(candidate.taxonomy_hits)) if candidate.taxonomy_hits else 0.0
    relevance = (
        CONCEPT_WEIGHT * candidate.concept
        + LITERAL_WEIGHT * candidate.literal
        + TAXONOMY_WEIGHT * taxonomy
        + COVERAGE_WEIGHT * candidate.coverage
    )
    if candidate.for_age_group:
        relevance *= AGE_GROUP_BOOST
    if not has_origin:
        return relevance
    if candidate.distance_km is not None:
        km = candidate.distance_km if not candidate.remote else min(candidate.distance_km, REMOTE_AS_KM)
    elif candidate.remote:
        km = REMOTE_AS_KM
    else:
        return relevance * NO_LOCATION_FACTOR
    return relevance * (0.55 + 0.45 * math.exp(-km / (DISTANCE_SCALE_KM * 3.5)))


def _mentions(text: str, term: str) -> bool:
    # A listing "mentions" a word when a word in it starts with the word's stem (walk ~ walking).
    pattern = _compiled_mention(term)
    return pattern is not None and pattern.search(text) is not None


@functools.lru_cache(maxsize=4096)
def _compiled_mention(term: str) -> re.Pattern[str] | None:
    return re.compile(_mention_pattern(term)) if term.split() else None


def _mention_pattern(term: str) -> str:
    stems = [re.escape(_stem(word)[: max(4, len(_stem(word)))]) for word in term.split()]
    return r"\b" + r"\w*\W+".join(stems)


def _first_mentioned(text: str, terms: Iterable[str], most: int) -> list[str]:
    found = []
    for term in terms:
        if _mentions(text, term):
            found.append(term)
            if len(found) == most:
                break
    return found


def _match(
    service: Service,
    candidate: _Candidate,
    need: Need,
    row: dict[str, Any],
    origin: tuple[str, float, float] | None,
    age: int | None,
) -> OfferMatch:
    text = normalise(f"{row['name']}\n{row['search_text']}")
    reasons = []
    for concept, said in need.concepts:
        found = _first_mentioned(text, concept.expansions, 3)
        if found:
            reasons.append(_("You said “%(said)s”: it offers %(what)s") % {"said": said, "what": ", ".join(found)})
    literal = _first_mentioned(text, need.words, 5)
    if literal:
        reasons.append(_("Mentions %(words)s") % {"words": ", ".join(literal)})
    if candidate.taxonomy_hits:
        reasons.append(_("Listed under %(terms)s") % {"terms": ", ".join(candidate.taxonomy_hits[:3])})
    if candidate.distance_km is not None and origin is not None:
        reasons.append(_("%(km).1f km from %(postcode)s") % {"km": candidate.distance_km, "postcode": origin[0]})
    if candidate.remote:
        reasons.append(_("Can be used by phone, online or at home"))
    if candidate.for_age_group:
        reasons.append(_("Meant for people of %(age)d's age group") % {"age": age})
    elif age is not None and (service.minimum_age is not None or service.maximum_age is not None):
        reasons.append(_("Open to someone aged %(age)d") % {"age": age})
    return OfferMatch(
        service=service,
        oruk_id=service.oruk_id,
        name=service.name,
        organisation_name=service.organisation.name,
        distance_km=None if candidate.distance_km is None else round(candidate.distance_km, 2),
        score=round(candidate.score, 4),
        reasons=reasons,
        remote=candidate.remote,
    )
