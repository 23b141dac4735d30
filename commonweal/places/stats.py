"""Small summaries of neighbourhoods by deprivation, shared by the place and district pages."""

from collections.abc import Iterable
from dataclasses import dataclass

from .models import Neighbourhood


@dataclass(frozen=True)
class DecileRow:
    decile: int | None
    neighbourhoods: int
    population: int
    share_of_population: float


@dataclass(frozen=True)
class DecileProfile:
    rows: list[DecileRow]
    neighbourhoods: int
    population: int
    most_deprived_fifth: int  # neighbourhoods in national deciles 1-2

    @property
    def most_deprived_fifth_share(self) -> float:
        return self.most_deprived_fifth / self.neighbourhoods if self.neighbourhoods else 0.0


def decile_profile(neighbourhoods: Iterable[Neighbourhood]) -> DecileProfile:
    counts: dict[int | None, list[int]] = {}
    for n in neighbourhoods:
        entry = counts.setdefault(n.imd_decile, [0, 0])
        entry[0] += 1
        entry[1] += n.population
    total_n = sum(c[0] for c in counts.values())
    total_p = sum(c[1] for c in counts.values())
    rows = [
        DecileRow(d, c[0], c[1], c[1] / total_p if total_p else 0.0)
        for d, c in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    fifth = sum(c[0] for d, c in counts.items() if d is not None and d <= 2)
    return DecileProfile(rows, total_n, total_p, fifth)
