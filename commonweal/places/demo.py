"""The demo borough's geography: generated offline and deterministically, or built from real open data.

The generated borough is like a northern English metropolitan borough: seven districts of
30,000-50,000 people, 200 neighbourhoods, deprivation concentrated in the old town centres (about a
third of neighbourhoods in England's most deprived fifth). It is written as the same CSV and GeoJSON
files the real importers read, and loaded through them, so the demo exercises the import path.
"""

import csv
import io
import json
import math
import random
from pathlib import Path
from typing import Any

from commonweal.importing import ImportFileError

from .services import create_place, import_place_data, import_place_text

PLACE_CODE = "E08000999"  # not a real local authority code
PLACE_NAME = "Northbridge"
CENTRE = (53.545, -2.632)  # latitude, longitude
HEX_KM = 0.62
NEIGHBOURHOODS = 200
DISTRICTS = [
    ("NB-C", "Northbridge Central"),
    ("NB-A", "Ashworth"),
    ("NB-M", "Marsh Green"),
    ("NB-H", "Holt and Pennington"),
    ("NB-L", "Leyfield"),
    ("NB-B", "Brackley Moss"),
    ("NB-T", "Tanners Brook"),
]
# How many of the 200 neighbourhoods fall in each national IMD decile (1 = most deprived):
# skewed towards deprivation like Wigan, Bolton or St Helens.
DECILE_COUNTS = [38, 29, 24, 21, 19, 18, 16, 14, 12, 9]
# Old town centres where deprivation concentrates: (bearing in degrees, distance in km, strength).
TOWN_CENTRES = [(0, 0.0, 1.0), (75, 4.2, 0.8), (200, 4.8, 0.9), (310, 3.6, 0.55)]
LSOAS_ENGLAND = 32844


def build(context: Any) -> None:
    if context.open_data is not None:
        context.place = build_from_open_data(context.open_data)
    else:
        context.place = build_generated(context.seed)
    place = context.place
    context.log(
        f"  {place.name}: {place.districts.count()} districts, {place.neighbourhoods.count()} neighbourhoods, "
        f"{place.postcodes.count()} postcodes"
    )


def build_from_open_data(folder: Path) -> Any:
    """Build the place from real files: IoD2019 LSOA CSV, LSOA GeoJSON, district lookup and postcodes."""
    deprivation = _one(folder, "*iod2019_lsoa.csv")
    with deprivation.open(encoding="utf-8-sig") as handle:
        first = next(csv.DictReader(handle))
    place = create_place(first["lad19cd"], first["lad19nm"], by=None, is_demo=True)
    import_place_data(place, "deprivation", deprivation, by=None)
    import_place_data(place, "boundaries", _one(folder, "*lsoa11_bgc.geojson"), by=None)
    import_place_data(place, "districts", _one(folder, "*lsoa11_lookup.csv"), by=None)
    import_place_data(place, "postcodes", _one(folder, "*postcodes.csv"), by=None)
    return place


def _one(folder: Path, pattern: str) -> Path:
    matches = sorted(folder.glob(pattern))
    if not matches:
        raise ImportFileError(f"{folder}: no file matching {pattern}")
    return matches[0]


def build_generated(seed: int) -> Any:
    rng = random.Random(seed)
    cells = _hex_cells(rng)
    place = create_place(PLACE_CODE, PLACE_NAME, by=None, is_demo=True)
    rows = _neighbourhood_rows(cells, rng)
    import_place_text(place, "deprivation", _csv(rows, _DEPRIVATION_FIELDS), file="demo:deprivation.csv", by=None)
    import_place_text(place, "boundaries", _geojson(rows), file="demo:boundaries.geojson", by=None)
    district_rows = [
        {
            "lsoa_code": r["lsoa_code"],
            "district_code": r["district_code"],
            "district_name": r["district_name"],
        }
        for r in rows
    ]
    import_place_text(
        place, "districts", _csv(district_rows, list(district_rows[0])), file="demo:districts.csv", by=None
    )
    postcodes = _postcode_rows(rows, rng)
    import_place_text(place, "postcodes", _csv(postcodes, list(postcodes[0])), file="demo:postcodes.csv", by=None)
    return place


_DEPRIVATION_FIELDS = [
    "lsoa_code",
    "lsoa_name",
    "imd_score",
    "imd_rank",
    "imd_decile",
    "income_decile",
    "employment_decile",
    "education_decile",
    "health_decile",
    "crime_decile",
    "barriers_decile",
    "living_env_decile",
    "population",
]


def _hex_cells(rng: random.Random) -> list[tuple[float, float]]:
    """Centres (x, y in km from the borough centre) of 200 hexagons, with a ragged outline."""
    cells = []
    for q in range(-12, 13):
        for r in range(-12, 13):
            x = HEX_KM * math.sqrt(3) * (q + r / 2)
            y = HEX_KM * 1.5 * r
            # Stretch east-west and roughen the edge so the borough does not look like a disc.
            reach = math.hypot(x / 1.25, y) + rng.uniform(-0.9, 0.9)
            cells.append((reach, x, y))
    cells.sort()
    return [(x, y) for _reach, x, y in cells[:NEIGHBOURHOODS]]


def _neighbourhood_rows(cells: list[tuple[float, float]], rng: random.Random) -> list[dict[str, Any]]:
    # Districts: seven sectors around the centre with the same number of neighbourhoods each,
    # except the central one, which takes the innermost cells.
    inner = sorted(range(len(cells)), key=lambda i: math.hypot(*cells[i]))[: NEIGHBOURHOODS // 7]
    outer = sorted(set(range(len(cells))) - set(inner), key=lambda i: math.atan2(cells[i][1], cells[i][0]))
    district_of = dict.fromkeys(inner, 0)
    per_sector = math.ceil(len(outer) / 6)
    for position, i in enumerate(outer):
        district_of[i] = 1 + position // per_sector
    scores = [_deprivation(x, y, rng) for x, y in cells]
    order = sorted(range(len(cells)), key=lambda i: -scores[i])
    deciles: dict[int, int] = {}
    ranks: dict[int, int] = {}
    position = 0
    for decile, count in enumerate(DECILE_COUNTS, start=1):
        low, high = (decile - 1) * LSOAS_ENGLAND / 10, decile * LSOAS_ENGLAND / 10
        members = order[position : position + count]
        band_ranks = sorted(rng.sample(range(int(low) + 1, int(high) + 1), len(members)))
        for i, rank in zip(members, band_ranks, strict=True):
            deciles[i], ranks[i] = decile, rank
        position += count
    rows = []
    serial: dict[int, int] = {}
    for i, (x, y) in enumerate(cells):
        d = district_of[i]
        serial[d] = serial.get(d, 0) + 1
        code, name = DISTRICTS[d]
        decile = deciles[i]
        rows.append(
            {
                "lsoa_code": f"E01{990000 + i + 1:06d}",
                "lsoa_name": f"{name} {1 + (serial[d] - 1) // 4:03d}{'ABCD'[(serial[d] - 1) % 4]}",
                "imd_score": round(_score_for_rank(ranks[i]), 3),
                "imd_rank": ranks[i],
                "imd_decile": decile,
                **{
                    f"{domain}_decile": _near(decile, rng)
                    for domain in (
                        "income",
                        "employment",
                        "education",
                        "health",
                        "crime",
                        "barriers",
                        "living_env",
                    )
                },
                "population": max(1150, min(1950, round(rng.gauss(1550, 150)))),
                "district_code": code,
                "district_name": name,
                "x": x,
                "y": y,
            }
        )
    return rows


def _deprivation(x: float, y: float, rng: random.Random) -> float:
    score = 0.0
    for bearing, distance, strength in TOWN_CENTRES:
        cx = distance * math.cos(math.radians(bearing))
        cy = distance * math.sin(math.radians(bearing))
        score += strength * math.exp(-math.hypot(x - cx, y - cy) / 2.2)
    return score * math.exp(rng.gauss(0, 0.35))


def _score_for_rank(rank: int) -> float:
    # IMD scores fall steeply among the most deprived ranks; this curve keeps that shape.
    return 2.0 + 70.0 * (1 - rank / LSOAS_ENGLAND) ** 3


def _near(decile: int, rng: random.Random) -> int:
    return max(1, min(10, decile + round(rng.gauss(0, 1.6))))


def _csv(rows: list[dict[str, Any]], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _lon_lat(x: float, y: float) -> tuple[float, float]:
    lat = CENTRE[0] + y / 111.32
    lon = CENTRE[1] + x / (111.32 * math.cos(math.radians(CENTRE[0])))
    return round(lon, 6), round(lat, 6)


def _geojson(rows: list[dict[str, Any]]) -> str:
    features = []
    for row in rows:
        ring = [
            _lon_lat(
                row["x"] + HEX_KM * math.cos(math.radians(30 + 60 * k)),
                row["y"] + HEX_KM * math.sin(math.radians(30 + 60 * k)),
            )
            for k in range(7)
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"lsoa11cd": row["lsoa_code"], "lsoa11nm": row["lsoa_name"]},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features})


def _postcode_rows(rows: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    postcodes = []
    sector_counter: dict[str, int] = {}
    district_number = {code: n for n, (code, _name) in enumerate(DISTRICTS, start=1)}
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    for row in rows:
        outward = f"NB{district_number[row['district_code']]}"
        for _ in range(rng.randint(9, 15)):
            n = sector_counter.get(outward, 0)
            sector_counter[outward] = n + 1
            inward = f"{1 + n // 400}{letters[(n // 20) % 20]}{letters[n % 20]}"
            lon, lat = _lon_lat(row["x"] + rng.uniform(-0.4, 0.4) * HEX_KM, row["y"] + rng.uniform(-0.4, 0.4) * HEX_KM)
            postcodes.append({"pcds": f"{outward} {inward}", "lsoa11cd": row["lsoa_code"], "lat": lat, "long": lon})
    return postcodes
