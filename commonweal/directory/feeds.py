"""Reading ORUK feeds: from a URL (paged API) or a file, in the v3.0 shape or the older v1.0 one.

Everything is turned into v3.0-shaped service dicts (`GET /services/{id}`), so the importer has one
shape to check and write. Reading is pure where it can be: `feed_from_json` takes parsed JSON,
`read_source` is the thin wrapper that fetches or opens.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commonweal.importing import ImportFileError, read_text

MAX_PAGES = 10_000
PER_PAGE = 100
TIMEOUT_S = 30
V1_KEYS = {"eligibilitys", "regular_schedules", "service_taxonomys", "fundings"}
_WEEKDAYS = {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR"}
_WEEKDAYS |= {"saturday": "SA", "sunday": "SU"}


@dataclass
class Feed:
    """What an ORUK source holds, services already in the v3.0 shape."""

    label: str
    services: list[dict[str, Any]] = field(default_factory=list)
    taxonomies: list[dict[str, Any]] = field(default_factory=list)
    taxonomy_terms: list[dict[str, Any]] = field(default_factory=list)
    version: str = "3.0"
    # The whole directory (every page of an API, a file or folder of services), not one record or a filtered
    # read: only then does a service missing from it mean the publisher dropped it.
    complete: bool = True


def read_source(source: str | Path, *, fetch: Callable[[str], Any] | None = None) -> Feed:
    """A feed from a URL (the API's base or its /services) or a JSON/NDJSON file or folder."""
    text = str(source)
    if text.startswith(("http://", "https://")):
        return read_api(text, fetch=fetch or fetch_json)
    return read_path(Path(text))


# --- Files ---------------------------------------------------------------------------------


def read_path(path: Path) -> Feed:
    """A folder (services.json with taxonomies.json and taxonomy_terms.json) or one file."""
    folder = path if path.is_dir() else path.parent
    services_file = path / "services.json" if path.is_dir() else path
    feed = feed_from_json(_load(services_file), label=str(services_file))
    for name, attr in (("taxonomies.json", "taxonomies"), ("taxonomy_terms.json", "taxonomy_terms")):
        extra = folder / name
        if extra.exists() and extra != services_file:
            setattr(feed, attr, _contents(_load(extra)))
    return feed


def _load(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if "\n" in text.strip():  # newline-delimited JSON (format=ndjson)
            return _ndjson(text, path)
        raise ImportFileError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None


def _ndjson(text: str, path: Path) -> list[Any]:
    rows = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            try:
                rows.append(json.loads(raw))
            except json.JSONDecodeError as error:
                raise ImportFileError(f"{path}:{line}: not valid JSON ({error.msg})") from None
    return rows


def _contents(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("contents", "content"):
            if isinstance(data.get(key), list):
                return data[key]
        if "id" in data:
            return [data]
    raise ImportFileError("expected a list of records, or a page with 'contents' (v3.0) or 'content' (v1.0)")


def feed_from_json(data: Any, *, label: str) -> Feed:
    """A feed from parsed JSON: a list of services, one page, or a single service."""
    try:
        records = _contents(data)
    except ImportFileError as error:
        raise ImportFileError(f"{label}: {error}") from None
    feed = Feed(label=label, complete=not (isinstance(data, dict) and records and records[0] is data))
    feed.version = "1.0" if any(isinstance(r, dict) and V1_KEYS & set(r) for r in records) else "3.0"
    feed.services = [to_v3(r) if isinstance(r, dict) else r for r in records]
    return feed


# --- The API ----------------------------------------------------------------------------------


def fetch_json(url: str) -> Any:
    if not url.startswith(("http://", "https://")):
        raise ImportFileError(f"{url}: only http and https addresses can be imported")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, headers={"Accept": "application/json", "User-Agent": "Commonweal"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (http(s) only, checked)
            return json.loads(response.read().decode("utf-8-sig"))
    except urllib.error.HTTPError as error:
        raise ImportFileError(f"{url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ImportFileError(f"{url}: cannot fetch ({getattr(error, 'reason', error)})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportFileError(f"{url}: the answer is not JSON ({error})") from None


def read_api(url: str, *, fetch: Callable[[str], Any]) -> Feed:
    base = url.rstrip("/")
    if base.endswith("/services"):
        base = base[: -len("/services")]
    feed = Feed(label=url, complete="?" not in base)  # a query (modified_after=...) reads part of the feed
    records = list(_paged(f"{base}/services", fetch, {"full": "true"}))
    feed.version = "1.0" if any(V1_KEYS & set(r) for r in records if isinstance(r, dict)) else "3.0"
    for record in records:
        if isinstance(record, dict) and "service_at_locations" not in record and "id" in record:
            record = fetch(f"{base}/services/{urllib.parse.quote(str(record['id']), safe='')}")  # a list item
        feed.services.append(to_v3(record) if isinstance(record, dict) else record)
    if feed.version == "3.0":
        feed.taxonomies = _optional(lambda: list(_paged(f"{base}/taxonomies", fetch)))
        feed.taxonomy_terms = _optional(lambda: list(_paged(f"{base}/taxonomy_terms", fetch)))
    return feed


def _optional(read: Callable[[], list[Any]]) -> list[Any]:
    # /taxonomies and /taxonomy_terms are optional in ORUK 3.0: the services carry their terms anyway.
    try:
        return read()
    except ImportFileError:
        return []


def _paged(url: str, fetch: Callable[[str], Any], extra: dict[str, str] | None = None) -> Iterator[Any]:
    for page in range(1, MAX_PAGES + 1):
        query = urllib.parse.urlencode({"page": page, "per_page": PER_PAGE, **(extra or {})})
        data = fetch(f"{url}{'&' if '?' in url else '?'}{query}")
        items = _contents(data) if isinstance(data, dict | list) else []
        yield from items
        if isinstance(data, list) or not items or _is_last(data, page):
            return


def _is_last(data: dict[str, Any], page: int) -> bool:
    if data.get("last_page") is True or data.get("last") is True or data.get("empty") is True:
        return True
    total = data.get("total_pages", data.get("totalPages"))
    return isinstance(total, int) and page >= total


# --- v1.0 to v3.0 ------------------------------------------------------------------------------


def to_v3(record: dict[str, Any]) -> dict[str, Any]:
    """A v1.0 service as a v3.0 one (a v3.0 service is returned as it is)."""
    if not V1_KEYS & set(record) and "physical_addresses" not in json.dumps(record.get("service_at_locations", [])):
        return record
    service = {k: v for k, v in record.items() if k not in V1_KEYS | {"service_at_locations", "organization"}}
    organisation = record.get("organization")
    if isinstance(organisation, dict):
        service["organization"] = {**organisation, "website": organisation.get("url") or organisation.get("website")}
        service["organization_id"] = organisation.get("id")
    _v1_eligibility(service, record.get("eligibilitys") or [])
    service["schedules"] = [_v1_schedule(s) for s in record.get("regular_schedules") or [] if isinstance(s, dict)]
    service["funding"] = record.get("fundings") or []
    service["languages"] = [
        {"id": lang.get("id"), "name": lang.get("language")} for lang in record.get("languages") or []
    ]
    service["contacts"] = [_v1_contact(c) for c in record.get("contacts") or [] if isinstance(c, dict)]
    service["attributes"] = [_v1_attribute(t) for t in record.get("service_taxonomys") or [] if isinstance(t, dict)]
    service["service_at_locations"] = [
        _v1_service_at_location(s) for s in record.get("service_at_locations") or [] if isinstance(s, dict)
    ]
    return {k: v for k, v in service.items() if v is not None}


def _v1_eligibility(service: dict[str, Any], rules: list[Any]) -> None:
    rules = [r for r in rules if isinstance(r, dict)]
    lows = [r["minimum_age"] for r in rules if isinstance(r.get("minimum_age"), int | float)]
    highs = [r["maximum_age"] for r in rules if isinstance(r.get("maximum_age"), int | float)]
    if lows:
        service["minimum_age"] = min(lows)
    if highs:
        service["maximum_age"] = max(highs)
    text = "; ".join(str(r["eligibility"]) for r in rules if r.get("eligibility"))
    if text:
        service["eligibility_description"] = text


def _v1_schedule(schedule: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in schedule.items() if k not in ("weekday", "service_id", "service_at_location_id")}
    weekday = str(schedule.get("weekday") or "").strip().lower()
    if weekday and not out.get("byday"):
        out["byday"] = _WEEKDAYS.get(weekday, weekday[:2].upper())
        out.setdefault("freq", "WEEKLY")
    return out


def _v1_contact(contact: dict[str, Any]) -> dict[str, Any]:
    phones = [p.get("number") for p in contact.get("phones") or [] if isinstance(p, dict) and p.get("number")]
    return {**{k: v for k, v in contact.items() if k != "phones"}, "phone": phones[0] if phones else ""}


def _v1_attribute(link: dict[str, Any]) -> dict[str, Any]:
    term = link.get("taxonomy") if isinstance(link.get("taxonomy"), dict) else {}
    parent = term.get("parent")
    return {
        "id": link.get("id"),
        "taxonomy_term_id": term.get("id"),
        "link_type": "service_taxonomy",
        "taxonomy_term": {
            "id": term.get("id"),
            "name": term.get("name"),
            "description": term.get("description") or term.get("name"),
            "taxonomy": term.get("vocabulary") or "",
            "parent_id": parent.get("id") if isinstance(parent, dict) else parent,
        },
    }


def _v1_service_at_location(link: dict[str, Any]) -> dict[str, Any]:
    location = link.get("location") if isinstance(link.get("location"), dict) else {}
    addresses = [
        {**a, "address_type": "physical", "country": a.get("country") or "GB"}
        for a in location.get("physical_addresses") or []
        if isinstance(a, dict)
    ]
    accessibility = [
        {"id": a.get("id"), "description": a.get("accessibility")}
        for a in location.get("accessibility_for_disabilities") or []
        if isinstance(a, dict)
    ]
    has_point = location.get("latitude") is not None or bool(addresses)
    return {
        "id": link.get("id"),
        "location": {
            **{k: v for k, v in location.items() if k not in ("physical_addresses", "accessibility_for_disabilities")},
            "location_type": location.get("location_type") or ("physical" if has_point else "virtual"),
            "addresses": addresses,
            "accessibility": accessibility,
        },
    }
