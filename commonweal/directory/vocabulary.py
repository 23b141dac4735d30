"""The words search understands: a place's everyday phrases, and the names of the taxonomy terms offers are filed under.

Taxonomy term names are a vocabulary that comes with every feed: a note that says "tai chi",
"dementia" or "walking football" names a term, and offers filed under that term (or under the
terms below it) answer it, whatever their descriptions say. `taxonomy_vocabulary()` reads the
names once per process and again whenever terms are added.
"""

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max

from .models import TaxonomyTerm
from .phrases import Concept, phrase_of, tokens

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


def concepts_for(place: object) -> tuple[Concept, ...]:
    """The everyday phrases search understands in a place."""
    from .phrases import load_concepts

    return load_concepts()
