"""Reading a note: its words, the everyday phrases it uses (`synonyms.txt` or a place's own) and the aspects of its need.

Pure text work, no database: `search` asks the database, `vocabulary` finds a place's phrases and
the taxonomy's names; both read notes with these functions.
"""

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
    during each few for from further get gets getting got had hadn't has hasn't have haven't having he he'd
    he's her here here's hers herself him himself his how how's i i'd i'm i've if in into is isn't it it's
    its itself just let's like likes liked me more most mr mrs ms miss much must mustn't my myself no nor not
    of off on once only or other ought our ours ourselves out over own quite really said same says shan't
    she she'd she's should shouldn't so some such than that that's the their theirs them themselves then
    there there's these they they'd they're they've this those through to too under until up us very was
    wasn't we we'd we're we've were weren't what what's when when's where where's which while who who's
    whom why why's will with won't would wouldn't you you'd you're you've your yours yourself yourselves
    wants want wanted would feel feels felt lot lots bit thing things since still now ago year years old
    aged age week weeks month months day days told tell says say went go goes going know knows
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def normalise(text: str) -> str:
    """Lower case, curly apostrophes made straight, accents kept (Welsh names stay distinct)."""
    text = unicodedata.normalize("NFC", text).lower()
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


def tokens(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def stem(word: str) -> str:
    # Just enough for matching phrases: "walks", "walking" and "walked" meet "walk".
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


# Every way of saying "not" is read as "not", in notes and in phrases alike: "can't face people",
# "cannot face people" and "couldn't face people" are one phrase, and "not * anyone" meets them all.
# "no" is not one of them: "no bed" or "no heating" says what is missing, not what is not wanted.
NEGATIONS = frozenset(
    """
    not never can't cannot cant couldn't couldnt won't wont doesn't doesnt don't dont didn't didnt hasn't
    hasnt haven't havent hadn't isn't isnt wasn't aren't shouldn't wouldn't
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
WILDCARD = "*"  # in a phrase: up to MAX_SKIPPED words
MAX_SKIPPED = 3


def _canonical(word: str) -> str:
    return "not" if word in NEGATIONS else stem(word)


def phrase_of(text: str) -> tuple[str, ...]:
    return tuple(
        WILDCARD if w == WILDCARD else _canonical(w) for w in re.findall(r"\*|[^\W_]+(?:'[^\W_]+)?", normalise(text))
    )


def _match_length(stems: Sequence[str], start: int, phrase: tuple[str, ...], at: int = 0) -> int | None:
    """How many words from `start` the phrase covers (a wildcard takes up to MAX_SKIPPED), or None."""
    if at == len(phrase):
        return 0
    if phrase[at] == WILDCARD:
        for skip in range(min(MAX_SKIPPED, len(stems) - start) + 1):
            rest = _match_length(stems, start + skip, phrase, at + 1)
            if rest is not None:
                return skip + rest
        return None
    if start < len(stems) and stems[start] == phrase[at]:
        rest = _match_length(stems, start + 1, phrase, at + 1)
        return None if rest is None else rest + 1
    return None


# --- Concepts: everyday words mapped to the words listings use ------------------------------


@dataclass(frozen=True)
class Concept:
    """One line of `synonyms.txt`: phrases a person says => words a listing uses | taxonomy codes."""

    phrases: tuple[tuple[str, ...], ...]
    expansions: tuple[str, ...]
    taxonomy_codes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return " ".join(self.phrases[0])


def parse_synonyms(text: str) -> tuple[Concept, ...]:
    """Parse synonyms text: `said, said too => listing words, phrase | taxonomy-code, code`.

    >>> parse_synonyms("skint, hard up => debt advice, benefits | money-advice")[0].expansions
    ('debt advice', 'benefits')
    """
    concepts = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" not in line:
            raise ValueError(f"synonyms line {number}: expected 'words => listing words', got {raw!r}")
        said, _arrow, rest = line.partition("=>")
        listing, _bar, codes = rest.partition("|")
        concepts.append(concept_of(said, listing, codes))
    return tuple(concepts)


def concept_of(said: str, listing: str, codes: str = "") -> Concept:
    """One concept from its three comma-separated parts (a line of `synonyms.txt`, or a place's `SearchPhrase`)."""
    return Concept(
        phrases=tuple(phrase_of(p) for p in said.split(",") if tokens(p) and phrase_of(p)[0] != WILDCARD),
        expansions=tuple(" ".join(tokens(e)) for e in listing.split(",") if tokens(e)),
        taxonomy_codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
    )


@functools.cache
def load_concepts(path: Path = SYNONYMS_FILE) -> tuple[Concept, ...]:
    return parse_synonyms(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Need:
    """A note read for searching: its content words and the concepts it mentions (with the words used)."""

    words: tuple[str, ...]
    concepts: tuple[tuple[Concept, str], ...] = field(default=())
    # One number per concept: concepts found in overlapping words are one aspect of the need.
    aspects: tuple[int, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.concepts


def parse_need(text: str, concepts: Sequence[Concept] | None = None, labels: Sequence[Concept] = ()) -> Need:
    """Find the concepts a note mentions (longest phrase first) and keep its content words.

    `labels` are concepts read from taxonomy term names (`taxonomy_labels`): one that meets words
    a concept already took adds its terms to that concept; otherwise it is a concept of its own.

    >>> need = parse_need("Lonely since her husband died; money is tight")
    >>> [said for _concept, said in need.concepts][:2]
    ['lonely', 'husband died']
    >>> need.words
    ('lonely', 'husband', 'died', 'money', 'tight')
    >>> [said for _c, said in parse_need("She doesn't know anyone round here").concepts]
    ["doesn't know anyone"]
    """
    concepts = load_concepts() if concepts is None else concepts
    words = tokens(text)
    stems = [_canonical(w) for w in words]
    found = _find(stems, concepts)
    for label, (first, last) in _find(stems, labels).values():
        overlapping = next((key for key, (_c, (a, b)) in found.items() if a < last and first < b), None)
        if overlapping is None:
            found[id(label)] = (label, (first, last))
        else:
            concept, span = found[overlapping]
            found[overlapping] = (_with_label(concept, label), span)
    content = [w for w in words if w not in STOP_WORDS and len(w) > 1 and not w.isdigit()]
    return Need(
        words=tuple(dict.fromkeys(content)),
        concepts=tuple((concept, " ".join(words[a:b])) for concept, (a, b) in found.values()),
        aspects=_aspects([span for _concept, span in found.values()]),
    )


def _aspects(spans: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    """Number spans so that overlapping ones share a number."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    numbers, current, reach = [0] * len(spans), -1, -1
    for i in order:
        first, last = spans[i]
        if first >= reach:
            current += 1
        reach = max(reach, last)
        numbers[i] = current
    return tuple(numbers)


def _find(stems: Sequence[str], concepts: Sequence[Concept]) -> dict[int, tuple[Concept, tuple[int, int]]]:
    """Each concept the words mention once, with the span of its first (longest) phrase."""
    index: dict[str, list[tuple[tuple[str, ...], Concept]]] = defaultdict(list)
    for concept in concepts:
        for phrase in concept.phrases:
            index[phrase[0]].append((phrase, concept))
    found: dict[int, tuple[Concept, tuple[int, int]]] = {}
    for start, first in enumerate(stems):
        if start and stems[start - 1] == "not" and first != "not":
            continue  # "not sporty", "doesn't want to talk": what is not wanted is not a need
        for phrase, concept in sorted(index.get(first, []), key=lambda item: -len(item[0])):
            length = _match_length(stems, start, phrase)
            if length and id(concept) not in found:
                found[id(concept)] = (concept, (start, start + length))
    # The longest reading wins: "struggles to read" is about reading, not about "struggling".
    spans = [span for _concept, span in found.values()]
    return {
        key: (concept, (a, b))
        for key, (concept, (a, b)) in found.items()
        if not any(c <= a and b <= d and (d - c) > (b - a) for c, d in spans)
    }


def _with_label(concept: Concept, label: Concept) -> Concept:
    return Concept(
        phrases=concept.phrases,
        expansions=tuple(dict.fromkeys(concept.expansions + label.expansions)),
        taxonomy_codes=tuple(dict.fromkeys(concept.taxonomy_codes + label.taxonomy_codes)),
    )
