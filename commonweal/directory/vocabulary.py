"""The words search understands: a place's everyday phrases, and the names of the taxonomy terms offers are filed under.

A place's everyday phrases are `synonyms.txt` (shipped, the default everywhere) plus the place's own
`SearchPhrase` rows, which a council's administrator edits in the Django admin (`concepts_for`).

Taxonomy term names are a vocabulary that comes with every feed: a note that says "tai chi",
"dementia" or "walking football" names a term, and offers filed under that term (or under the
terms below it) answer it, whatever their descriptions say. `taxonomy_vocabulary()` reads the
names once per process and again whenever terms are added.
"""

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from .models import SearchPhrase, TaxonomyTerm
from .phrases import Concept, load_concepts, phrase_of, tokens

# Words that say what kind of term it is, not what it is about: "Cookery Class" is read as "cookery".
GENERIC_WORDS = frozenset(
    """
    and the of for & other general issues issue class classes group groups service services support care
    social activity activities management
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# A term with more terms than this below it is a heading ("Conditions", "Support Network"), too broad to name a need.
MAX_DESCENDANTS = 12


@dataclass(frozen=True)
class TermTree:
    """Term codes with the codes below them, and one concept per term name a note can say."""

    below: dict[str, frozenset[str]]
    labels: tuple[Concept, ...]

    def with_descendants(self, codes: set[str] | frozenset[str]) -> set[str]:
        out = set(codes)
        for code in codes:
            out |= self.below.get(code, frozenset())
        return out


def taxonomy_vocabulary() -> TermTree:
    stamp = TaxonomyTerm.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return _build(stamp["n"], stamp["last"])


@functools.lru_cache(maxsize=4)
def _build(_count: int, _last: int | None) -> TermTree:
    rows = list(TaxonomyTerm.objects.values_list("pk", "parent_id", "code", "name"))
    code_of = {pk: code for pk, _parent, code, _name in rows if code}
    children: dict[str, set[str]] = defaultdict(set)
    for _pk, parent, code, _name in rows:
        if code and parent in code_of:
            children[code_of[parent]].add(code)
    below = {code: frozenset(_descendants(code, children)) for code in code_of.values()}
    labels = []
    for _pk, _parent, code, name in rows:
        words = [w for w in tokens(name.replace("®", "")) if w not in GENERIC_WORDS]
        if code and words and len(below.get(code, ())) <= MAX_DESCENDANTS:
            said = " ".join(words)
            labels.append(Concept(phrases=(phrase_of(said),), expansions=(said,), taxonomy_codes=(code,)))
    return TermTree(below=below, labels=tuple(labels))


def _descendants(code: str, children: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [code]
    while todo:  # a cycle in a bad feed ends here, each code is visited once
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def concepts_for(place: Any) -> tuple[Concept, ...]:
    """The everyday phrases search understands in a place: `synonyms.txt`, then the place's own active phrases.

    A place's `SearchPhrase` rows are read once per process and read again when they change: each
    search asks for their stamp (how many, the highest id, the latest edit: one indexed query), and
    a new stamp is a new cache entry. A place with no rows gets the file's concepts, the same tuple.
    """
    place_id = getattr(place, "pk", None)
    if place_id is None:
        return load_concepts()
    stamp = SearchPhrase.objects.filter(place_id=place_id).aggregate(
        n=Count("pk"), last=Max("pk"), edited=Max("updated_at")
    )
    if not stamp["n"]:
        return load_concepts()
    return _with_place_phrases(place_id, stamp["n"], stamp["last"], stamp["edited"])


@functools.lru_cache(maxsize=64)
def _with_place_phrases(place_id: int, _count: int, _last: int, _edited: object) -> tuple[Concept, ...]:
    own = []
    for row in SearchPhrase.objects.filter(place_id=place_id, active=True).order_by("pk"):
        concept = row.concept()
        if concept.phrases and (concept.expansions or concept.taxonomy_codes):
            own.append(concept)
    return load_concepts() + tuple(own)
