"""Importers for open place data: IoD2019 deprivation, LSOA boundaries, districts and postcodes.

Each `import_*` function validates every row, reports each rejected one (file, line, field, reason),
then writes the good rows in bulk. They are called through `commonweal.places.services`, which wraps
them in a transaction and the audit trail.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from commonweal.importing import Column, ImportFileError, ImportReport, parse_number, read_csv_rows, upsert

from .geometry import nearest_within
from .models import District, Neighbourhood, Place, Postcode

Progress = Callable[[Iterable[Any]], Iterable[Any]]


def _no_progress(rows: Iterable[Any]) -> Iterable[Any]:
    return rows


LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")

# IoD2019 columns: MHCLG's File 7 headers, and the short names of the shared Wigan extract.
_DOMAIN_HEADERS = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "barriers": "Barriers to Housing and Services",
    "living_env": "Living Environment",
}
DEPRIVATION_COLUMNS = [
    Column("code", ["LSOA code (2011)", "lsoa11cd", "lsoa_code", "lsoa21cd"]),
    Column("name", ["LSOA name (2011)", "lsoa11nm", "lsoa_name", "lsoa21nm"]),
    Column("lad", ["Local Authority District code (2019)", "lad19cd", "lad_code"], required=False),
    Column("imd_score", ["Index of Multiple Deprivation (IMD) Score", "imd_score"]),
    Column("imd_rank", ["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)", "imd_rank"]),
    Column(
        "imd_decile",
        ["Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)", "imd_decile"],
    ),
    *[
        Column(
            f"{prefix}_decile",
            [f"{label} Decile (where 1 is most deprived 10% of LSOAs)", f"{prefix}_decile"],
        )
        for prefix, label in _DOMAIN_HEADERS.items()
    ],
    Column(
        "population",
        ["Total population: mid 2015 (excluding prisoners)", "pop_total_mid2015", "population"],
        required=False,
    ),
]
DISTRICT_COLUMNS = [
    Column("code", ["lsoa11cd", "lsoa_code", "lsoa21cd", "lsoa"]),
    Column("district_code", ["district_code", "sdf_id", "district_id"]),
    Column("district_name", ["district_name", "sdf_name", "district"]),
]
POSTCODE_COLUMNS = [
    Column("postcode", ["pcds", "postcode", "pcd7", "pcd"]),
    Column("lsoa", ["lsoa11cd", "lsoa_code", "lsoa21cd", "lsoa"]),
    Column("latitude", ["lat", "latitude"], required=False),
    Column("longitude", ["long", "lon", "longitude"], required=False),
    Column("terminated", ["doterm"], required=False),
]


def normalise_postcode(raw: str) -> str | None:
    """'wn11aa', 'WN1  1AA' -> 'WN1 1AA'; None when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", raw).upper()
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else None


def _parsed(
    report: ImportReport, line: int, row: Mapping[str, str], parsers: Mapping[str, Callable[[str], Any]]
) -> dict[str, Any] | None:
    """Apply each column's parser; on any failure reject the row (every bad field is reported)."""
    values: dict[str, Any] = {}
    for name, parse in parsers.items():
        if name not in row:
            continue
        try:
            values[name] = parse(row[name])
        except ValueError as error:
            report.reject(line, name, str(error))
    return values if len(values) == len([n for n in parsers if n in row]) else None


def _lsoa(raw: str) -> str:
    code = raw.strip().upper()
    if not LSOA_CODE.match(code):
        raise ValueError(_("%(code)r is not an LSOA code (like E01006212)") % {"code": raw})
    return code


def _decile(raw: str) -> int:
    return int(parse_number(raw, kind=int, minimum=1, maximum=10))


def _required_text(raw: str) -> str:
    if not raw.strip():
        raise ValueError(_("is empty"))
    return raw.strip()[:200]


def _first_seen(report: ImportReport, seen: dict[str, int], key: str, line: int, field: str) -> bool:
    if key in seen:
        report.reject(
            line,
            field,
            _("%(key)s appears again (first on line %(first)d)") % {"key": key, "first": seen[key]},
        )
        return False
    seen[key] = line
    return True


def import_deprivation(
    place: Place, text: str, *, file: str, lad: str | None = None, progress: Progress = _no_progress
) -> ImportReport:
    """Neighbourhoods and their IMD 2019 deprivation from an IoD2019 LSOA file.

    Rows for other local authorities are skipped when the file has a district column (the
    all-England file); `lad` defaults to the place's code.
    """
    report = ImportReport(file, skipped_reason=_("other local authorities"))
    lad = (lad or place.code).upper()
    parsers: dict[str, Callable[[str], Any]] = {
        "code": _lsoa,
        "name": _required_text,
        "imd_score": lambda raw: float(parse_number(raw, minimum=0)),
        "imd_rank": lambda raw: int(parse_number(raw, kind=int, minimum=1)),
        "imd_decile": _decile,
        **{f"{prefix}_decile": _decile for prefix in _DOMAIN_HEADERS},
        "population": lambda raw: int(parse_number(raw, kind=int, minimum=0)),
    }
    planned: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for line, row in progress(read_csv_rows(text, DEPRIVATION_COLUMNS, file=file)):
        if row.get("lad") and row["lad"].upper() != lad:
            report.skipped += 1
            continue
        values = _parsed(report, line, row, parsers)
        if values is None or not _first_seen(report, seen, values["code"], line, "code"):
            continue
        planned[values.pop("code")] = values
    existing = {n.code: n for n in place.neighbourhoods.all()}
    upsert(Neighbourhood, existing, planned, report, key_field="code", extra={"place": place})
    return report


def import_boundaries(place: Place, text: str, *, file: str, progress: Progress = _no_progress) -> ImportReport:
    """LSOA boundaries from a GeoJSON FeatureCollection (ONS BGC/BSC files and the like)."""
    report = ImportReport(file)
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"{file}:{error.lineno}: not valid JSON ({error.msg})") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ImportFileError(f"{file}: not a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list):
        raise ImportFileError(f"{file}: the FeatureCollection has no list of features")
    existing = {n.code: n for n in place.neighbourhoods.all()}
    planned: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for number, feature in progress(enumerate(features, start=1)):
        values = _boundary_values(report, number, feature)
        if values is None or not _first_seen(report, seen, values["code"], number, "code"):
            continue
        code = values.pop("code")
        if code in existing:
            values.pop("name")  # the deprivation file's name is authoritative; keep it
        planned[code] = values
    upsert(Neighbourhood, existing, planned, report, key_field="code", extra={"place": place})
    return report


def _boundary_values(report: ImportReport, number: int, feature: Any) -> dict[str, Any] | None:
    # GeoJSON has no line numbers that mean anything to a person; report the feature's position.
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        report.reject(number, "properties", _("feature has no properties"))
        return None
    lowered = {str(k).lower(): v for k, v in properties.items()}
    raw_code = next((lowered[k] for k in ("lsoa11cd", "lsoa21cd", "lsoa_code", "code") if k in lowered), "")
    try:
        code = _lsoa(str(raw_code or ""))
    except ValueError as error:
        report.reject(number, "code", str(error))
        return None
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        report.reject(number, "geometry", _("%(code)s has no Polygon or MultiPolygon geometry") % {"code": code})
        return None
    if not _valid_coordinates(geometry):
        report.reject(number, "geometry", _("%(code)s has coordinates outside longitude/latitude") % {"code": code})
        return None
    name = next((lowered[k] for k in ("lsoa11nm", "lsoa21nm", "lsoa_name", "name") if k in lowered), code)
    return {"code": code, "name": str(name)[:200], "boundary": geometry}


def _valid_coordinates(geometry: dict[str, Any]) -> bool:
    def points(node: Any) -> Any:
        if isinstance(node, list) and node and isinstance(node[0], int | float):
            yield node
        elif isinstance(node, list):
            for child in node:
                yield from points(child)

    try:
        return all(-180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in points(geometry.get("coordinates")))
    except (TypeError, IndexError):
        return False


def import_districts(place: Place, text: str, *, file: str, progress: Progress = _no_progress) -> ImportReport:
    """Which district each neighbourhood belongs to, from a CSV of LSOA code, district code and name."""
    report = ImportReport(file)
    existing = {n.code: n for n in place.neighbourhoods.all()}
    districts = {d.code: d for d in place.districts.all()}
    assignments: dict[str, tuple[str, str]] = {}
    seen: dict[str, int] = {}
    for line, row in progress(read_csv_rows(text, DISTRICT_COLUMNS, file=file)):
        values = _parsed(
            report,
            line,
            row,
            {"code": _lsoa, "district_code": _required_text, "district_name": _required_text},
        )
        if values is None or not _first_seen(report, seen, values["code"], line, "code"):
            continue
        if values["code"] not in existing:
            report.reject(
                line,
                "code",
                _("%(code)s is not a neighbourhood of %(place)s; import deprivation first")
                % {"code": values["code"], "place": place.name},
            )
            continue
        assignments[values["code"]] = (values["district_code"], values["district_name"])
    new_districts = {code: name for code, name in assignments.values() if code not in districts}
    District.objects.bulk_create([District(place=place, code=c, name=n) for c, n in new_districts.items()])
    districts = {d.code: d for d in place.districts.all()}
    for district_code, name in dict(assignments.values()).items():
        if districts[district_code].name != name:
            District.objects.filter(pk=districts[district_code].pk).update(name=name)
    planned = {code: {"district_id": districts[dc].pk} for code, (dc, _name) in assignments.items()}
    upsert(Neighbourhood, existing, planned, report, key_field="code", extra={"place": place})
    return report


def import_postcodes(
    place: Place, text: str, *, file: str, include_terminated: bool = True, progress: Progress = _no_progress
) -> ImportReport:
    """Postcodes of a place, each in its neighbourhood, from an ONS-style lookup (pcds, lsoa11cd, lat, long).

    A postcode with no LSOA but with coordinates is placed in the neighbourhood whose boundary
    contains it, or within 100 m of it (new postcodes reach Code-Point Open before the ONS lookup).
    """
    report = ImportReport(file, skipped_reason=_("terminated postcodes"))
    neighbourhoods = dict(place.neighbourhoods.values_list("code", "id"))
    shapes = [(n.code, n.boundary) for n in place.neighbourhoods.exclude(boundary=None).only("code", "boundary")]
    planned: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for line, row in progress(read_csv_rows(text, POSTCODE_COLUMNS, file=file)):
        if row.get("terminated") and not include_terminated:
            report.skipped += 1
            continue
        values = _postcode_values(report, line, row, neighbourhoods, shapes)
        if values is None or not _first_seen(report, seen, values["postcode"], line, "postcode"):
            continue
        planned[values.pop("postcode")] = values
    existing = {p.postcode: p for p in place.postcodes.all()}
    upsert(Postcode, existing, planned, report, key_field="postcode", extra={"place": place})
    return report


def _postcode_values(
    report: ImportReport,
    line: int,
    row: Mapping[str, str],
    neighbourhoods: Mapping[str, int],
    shapes: list[tuple[str, Any]],
) -> dict[str, Any] | None:
    postcode = normalise_postcode(row["postcode"])
    if postcode is None:
        report.reject(line, "postcode", _("%(value)r is not a UK postcode") % {"value": row["postcode"]})
        return None
    coordinates = _parsed(
        report,
        line,
        {k: v for k, v in row.items() if k in ("latitude", "longitude") and v},
        {
            "latitude": lambda raw: float(parse_number(raw, minimum=49, maximum=61)),
            "longitude": lambda raw: float(parse_number(raw, minimum=-9, maximum=2.5)),
        },
    )
    if coordinates is None:
        return None
    lsoa = row["lsoa"].strip().upper()
    if not lsoa and "latitude" in coordinates and "longitude" in coordinates:
        # Generalised (BGC) boundaries are simplified to about 20 m, so a postcode on the borough's
        # edge can fall just outside every shape: within 100 m of one, it belongs there.
        lsoa = nearest_within(shapes, coordinates["longitude"], coordinates["latitude"], max_km=0.1) or ""
    if lsoa not in neighbourhoods:
        message = (
            _("%(code)r is not a neighbourhood of this place") % {"code": row["lsoa"]}
            if lsoa
            else _("no LSOA, and its coordinates fall in no neighbourhood of this place")
        )
        report.reject(line, "lsoa", message)
        return None
    terminated = bool(row.get("terminated"))
    return {
        "postcode": postcode,
        "neighbourhood_id": neighbourhoods[lsoa],
        "terminated": terminated,
        **coordinates,
    }
