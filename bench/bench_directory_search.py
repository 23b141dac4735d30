"""How well `find_offers` connects needs to offers, against plain BM25, on a hand-labelled set.

Run: ``.venv/bin/python bench/bench_directory_search.py`` (SQLite), or with
``DATABASE_URL=postgres://.../commonweal_directory`` for PostgreSQL full text. ``-v`` prints each need.

The labelled set is ``directory_needs.json``: 69 needs (39 used while tuning, 10 + 20 held out) written as connectors' notes in plain words
(with age and postcode), and the sample directory's offers that fit each (graded 2 or 1). The
baseline is plain BM25 (SQLite FTS5, Porter stemming) over each listing's name and description,
with the note's words (stop words removed) as the query. Reported: nDCG@10 (gain 2^grade - 1) and
recall@10 (relevant offers in the top 10 / all relevant offers), averaged over the needs. Not a test.
"""

from __future__ import annotations

import json
import math
import sqlite3
import statistics
import sys

from bench_directory_common import NEEDS, SAMPLE, bench_database, wigan_with_sample

from commonweal.directory.search import STOP_WORDS, find_offers, tokens

TARGET_RATIO = 1.5


def load() -> tuple[list[dict], dict[str, dict]]:
    needs = json.loads(NEEDS.read_text())["needs"]
    services = {s["id"]: s for s in json.loads((SAMPLE / "services.json").read_text())}
    return needs, services


def gains(need: dict, services: dict[str, dict]) -> dict[str, int]:
    """ORUK id -> grade for the need: closed offers and those the person's age excludes are never relevant."""
    by_name = {s["name"]: s for s in services.values()}
    out = {}
    for name, grade in need["relevant"].items():
        service = by_name[name]
        low, high = service.get("minimum_age"), service.get("maximum_age")
        fits = (low is None or need["age"] >= low) and (high is None or need["age"] <= high)
        if grade and service["status"] == "active" and fits:
            out[service["id"]] = grade
    return out


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(oruk_id, 0) - 1) / math.log2(i + 2) for i, oruk_id in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    return len(set(ranked[:10]) & set(relevant)) / len(relevant) if relevant else 0.0


class PlainBM25:
    """BM25 over name and description, in an in-memory SQLite FTS5 table (the same stemmer as ours)."""

    def __init__(self, services: dict[str, dict]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(oruk_id UNINDEXED, name, description, tokenize='porter unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?)",
            [(s["id"], s["name"], s.get("description", "")) for s in services.values()],
        )
        self.services = services

    def search(self, note: str, *, age: int | None = None, filters: bool = False) -> list[str]:
        words = [w for w in dict.fromkeys(tokens(note)) if w not in STOP_WORDS and len(w) > 1 and not w.isdigit()]
        if not words:
            return []
        query = " OR ".join(f'"{w}"' for w in words)
        rows = self.db.execute("SELECT oruk_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 200", (query,))
        ranked = [r[0] for r in rows]
        if filters:
            ranked = [i for i in ranked if self._eligible(self.services[i], age)]
        return ranked[:10]

    @staticmethod
    def _eligible(service: dict, age: int | None) -> bool:
        low, high = service.get("minimum_age"), service.get("maximum_age")
        age_ok = age is None or ((low is None or age >= low) and (high is None or age <= high))
        return service["status"] == "active" and age_ok


def main() -> None:
    verbose = "-v" in sys.argv
    needs, services = load()
    baseline = PlainBM25(services)
    with bench_database() as database:
        place = wigan_with_sample()
        systems = {
            "plain BM25 (name + description)": lambda n: baseline.search(n["note"]),
            "plain BM25 + active and age filters": lambda n: baseline.search(n["note"], age=n["age"], filters=True),
            "find_offers, note only": lambda n: [m.oruk_id for m in find_offers(place, n["note"])],
            "find_offers, note + age + postcode": lambda n: [
                m.oruk_id for m in find_offers(place, n["note"], postcode=n["postcode"], age=n["age"])
            ],
        }
        results = {name: [] for name in systems}
        for need in needs:
            relevant = gains(need, services)
            for name, system in systems.items():
                ranked = system(need)
                results[name].append((ndcg_at_10(ranked, relevant), recall_at_10(ranked, relevant)))
            if verbose:
                ours, plain = (
                    results["find_offers, note + age + postcode"][-1],
                    results["plain BM25 (name + description)"][-1],
                )
                print(
                    f"  {need['id']:<28} ours nDCG {ours[0]:.2f} recall {ours[1]:.2f} | BM25 nDCG {plain[0]:.2f} recall {plain[1]:.2f}"
                )
    print(f"Directory search quality, sample directory ({len(services)} offers), {database}")
    splits = [
        ("all", None),
        ("tuning (used to write the vocabulary)", {"tuning"}),
        ("held-out (first 10, never tuned on)", {"held-out"}),
        ("held-out-2 (20 written later, committed before any run, never tuned on)", {"held-out-2"}),
        ("all held-out", {"held-out", "held-out-2"}),
    ]
    for title, split in splits:
        chosen = [i for i, need in enumerate(needs) if split is None or need.get("split") in split]
        print(f"\n{title}: {len(chosen)} needs")
        print(f"  {'system':<40} {'nDCG@10':>8} {'recall@10':>10}")
        means = {}
        for name, rows in results.items():
            means[name] = (statistics.mean(rows[i][0] for i in chosen), statistics.mean(rows[i][1] for i in chosen))
            print(f"  {name:<40} {means[name][0]:>8.3f} {means[name][1]:>10.3f}")
        ours, plain = means["find_offers, note + age + postcode"], means["plain BM25 (name + description)"]
        ratio = ours[0] / plain[0]
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(
            f"  nDCG@10 {ratio:.2f}x plain BM25 (target {TARGET_RATIO}x: {verdict}); recall@10 {ours[1] / plain[1]:.2f}x"
        )


if __name__ == "__main__":
    main()
