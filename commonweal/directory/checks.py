"""Checking one ORUK service record before anything is written: plain values out, or the problems found.

`plan_service` turns a v3.0-shaped service dict into a `ServicePlan` of values ready for the models,
or lists every problem as (field path, reason). Nothing here touches the database.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _

STATUSES = {"active", "inactive", "defunct", "temporarily closed"}
LOCATION_TYPES = {"physical", "postal", "virtual"}
FREQUENCIES = {"", "WEEKLY", "MONTHLY"}
MAX_AGE = 130


@dataclass
class LocationPlan:
    oruk_id: str
    values: dict[str, Any]
    addresses: list[dict[str, Any]]
    accessibility: list[dict[str, Any]]
    link_id: str
    schedules: list[dict[str, Any]] = field(default_factory=list)
    attributes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def postcode(self) -> str:
        return next((a["postal_code"] for a in self.addresses if a.get("postal_code")), "")


@dataclass
class ServicePlan:
    oruk_id: str
    values: dict[str, Any]
    organisation: dict[str, Any]
    locations: list[LocationPlan] = field(default_factory=list)
    parts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    attributes: list[dict[str, Any]] = field(default_factory=list)


class _Problems(list[tuple[str, str]]):
    def add(self, path: str, message: str) -> None:
        self.append((path, message))


def _text(data: dict[str, Any], key: str, problems: _Problems, path: str, *, limit: int = 0, required=False) -> str:
    raw = data.get(key)
    if raw is None or raw == "":
        if required:
            problems.add(f"{path}{key}", _("is missing"))
        return ""
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        problems.add(f"{path}{key}", _("is not text"))
        return ""
    text = str(raw).strip()
    if limit and len(text) > limit:
        problems.add(f"{path}{key}", _("is longer than %(limit)d characters") % {"limit": limit})
    return text


def _number(data: dict[str, Any], key: str, problems: _Problems, path: str, low: float, high: float) -> float | None:
    raw = data.get(key)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        problems.add(f"{path}{key}", _("%(value)r is not a number") % {"value": raw})
        return None
    if math.isnan(value) or not low <= value <= high:
        problems.add(
            f"{path}{key}", _("%(value)s is outside %(low)g to %(high)g") % {"value": raw, "low": low, "high": high}
        )
        return None
    return value


def _url(data: dict[str, Any], key: str, problems: _Problems, path: str) -> str:
    text = _text(data, key, problems, path, limit=500)
    if text and "://" not in text:
        text = f"https://{text}"  # feeds often give "www.example.org"
    try:
        if text:
            URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        problems.add(f"{path}{key}", _("%(value)r is not a web address") % {"value": data.get(key)})
        return ""
    return text


def _email(data: dict[str, Any], key: str, problems: _Problems, path: str) -> str:
    text = _text(data, key, problems, path, limit=254)
    try:
        if text:
            EmailValidator()(text)
    except ValidationError:
        problems.add(f"{path}{key}", _("%(value)r is not an email address") % {"value": text})
        return ""
    return text


def _date(data: dict[str, Any], key: str, problems: _Problems, path: str) -> dt.date | None:
    text = _text(data, key, problems, path)
    if not text:
        return None
    try:
        value = parse_date(text[:10])
    except ValueError:
        value = None
    if value is None:
        problems.add(f"{path}{key}", _("%(value)r is not a date (YYYY-MM-DD)") % {"value": text})
    return value


def _time(data: dict[str, Any], key: str, problems: _Problems, path: str) -> dt.time | None:
    text = _text(data, key, problems, path)
    if not text:
        return None
    try:
        value = parse_time(text.removesuffix("Z")[:8])
    except ValueError:
        value = None
    if value is None:
        problems.add(f"{path}{key}", _("%(value)r is not a time (HH:MM)") % {"value": text})
    return value


def _modified(data: dict[str, Any], problems: _Problems) -> dt.datetime:
    text = _text(data, "last_modified", problems, "")
    if not text:
        return timezone.now().replace(microsecond=0)
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        problems.add("last_modified", _("%(value)r is not a date and time") % {"value": text})
        return timezone.now()
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def _records(data: dict[str, Any], key: str, problems: _Problems, path: str = "") -> list[tuple[str, dict]]:
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add(f"{path}{key}", _("is not a list"))
        return []
    out = []
    for index, item in enumerate(raw):
        where = f"{path}{key}[{index}]."
        if not isinstance(item, dict):
            problems.add(where.rstrip("."), _("is not an object"))
        elif not _text(item, "id", problems, where, limit=100, required=True):
            continue
        else:
            out.append((where, item))
    return out


def plan_service(record: Any) -> tuple[ServicePlan | None, list[tuple[str, str]]]:
    """Values ready to write, or (None, every problem found)."""
    problems = _Problems()
    if not isinstance(record, dict):
        return None, [("", _("is not an object"))]
    oruk_id = _text(record, "id", problems, "", limit=100, required=True)
    values = _service_values(record, problems)
    organisation = _organisation(record, problems)
    plan = ServicePlan(oruk_id=oruk_id, values=values, organisation=organisation)
    plan.locations = [
        _location(where, item, problems) for where, item in _records(record, "service_at_locations", problems)
    ]
    plan.parts = _parts(record, problems)
    plan.attributes = _attributes(record, problems, "")
    return (None, list(problems)) if problems else (plan, [])


def _service_values(record: dict[str, Any], problems: _Problems) -> dict[str, Any]:
    status = _text(record, "status", problems, "") or "active"
    if status not in STATUSES:
        problems.add(
            "status", _("%(value)r is not one of %(allowed)s") % {"value": status, "allowed": sorted(STATUSES)}
        )
    low = _number(record, "minimum_age", problems, "", 0, MAX_AGE)
    high = _number(record, "maximum_age", problems, "", 0, MAX_AGE)
    if low is not None and high is not None and low > high:
        problems.add("minimum_age", _("%(low)g is above the maximum age %(high)g") % {"low": low, "high": high})
    return {
        "name": _text(record, "name", problems, "", limit=300, required=True),
        "description": _text(record, "description", problems, ""),
        "url": _url(record, "url", problems, ""),
        "email": _email(record, "email", problems, ""),
        "status": status,
        "fees_description": _text(record, "fees_description", problems, "") or _text(record, "fees", problems, ""),
        "accreditations": _text(record, "accreditations", problems, ""),
        "minimum_age": None if low is None else int(low),
        "maximum_age": None if high is None else math.ceil(high),
        "eligibility_description": _text(record, "eligibility_description", problems, ""),
        "assured_date": _date(record, "assured_date", problems, ""),
        "assurer_email": _email(record, "assurer_email", problems, ""),
        "alert": _text(record, "alert", problems, ""),
        "last_modified": _modified(record, problems),
    }


def _organisation(record: dict[str, Any], problems: _Problems) -> dict[str, Any]:
    data = record.get("organization")
    if not isinstance(data, dict):
        problems.add("organization", _("is missing: every offer needs its organisation"))
        return {}
    identifiers = [
        f"{i.get('identifier_scheme') or ''}-{i.get('identifier')}".strip("-")
        if i.get("identifier_scheme")
        else i.get("identifier")
        for i in data.get("organization_identifiers") or []
        if isinstance(i, dict) and i.get("identifier")
    ]
    return {
        "oruk_id": _text(data, "id", problems, "organization.", limit=100, required=True),
        "name": _text(data, "name", problems, "organization.", limit=200, required=True),
        "description": _text(data, "description", problems, "organization."),
        "website": _url(data, "website", problems, "organization."),
        "identifiers": [str(i) for i in identifiers],
    }


def _location(where: str, link: dict[str, Any], problems: _Problems) -> LocationPlan:
    data = link.get("location")
    if not isinstance(data, dict):
        problems.add(f"{where}location", _("is missing"))
        data = {}
    path = f"{where}location."
    kind = _text(data, "location_type", problems, path) or "physical"
    if kind not in LOCATION_TYPES:
        problems.add(f"{path}location_type", _("%(value)r is not physical, postal or virtual") % {"value": kind})
    values = {
        "location_type": kind,
        "name": _text(data, "name", problems, path, limit=300),
        "description": _text(data, "description", problems, path),
        "latitude": _number(data, "latitude", problems, path, -90, 90),
        "longitude": _number(data, "longitude", problems, path, -180, 180),
        "external_identifier": _text(data, "external_identifier", problems, path, limit=200),
        "external_identifier_type": _text(data, "external_identifier_type", problems, path, limit=100),
    }
    addresses = [_address(w, a, problems) for w, a in _records(data, "addresses", problems, path)]
    accessibility = [
        {
            "oruk_id": a["id"],
            "description": _text(a, "description", problems, w),
            "details": _text(a, "details", problems, w),
            "url": _url(a, "url", problems, w),
        }
        for w, a in _records(data, "accessibility", problems, path)
    ]
    plan = LocationPlan(
        oruk_id=_text(data, "id", problems, path, limit=100, required=True),
        values=values,
        addresses=addresses,
        accessibility=accessibility,
        link_id=_text(link, "id", problems, where, limit=100) or "",
    )
    plan.schedules = [_schedule(w, s, problems) for w, s in _records(link, "schedules", problems, where)]
    plan.attributes = _attributes(data, problems, path)
    return plan


def _address(where: str, data: dict[str, Any], problems: _Problems) -> dict[str, Any]:
    return {
        "oruk_id": data["id"],
        "attention": _text(data, "attention", problems, where, limit=200),
        "address_1": _text(data, "address_1", problems, where, limit=300),
        "address_2": _text(data, "address_2", problems, where, limit=300),
        "city": _text(data, "city", problems, where, limit=200),
        "region": _text(data, "region", problems, where, limit=200),
        "state_province": _text(data, "state_province", problems, where, limit=200),
        "postal_code": _text(data, "postal_code", problems, where, limit=12),
        "country": (_text(data, "country", problems, where) or "GB")[:2].upper(),
        "address_type": _text(data, "address_type", problems, where) or "physical",
    }


def _schedule(where: str, data: dict[str, Any], problems: _Problems) -> dict[str, Any]:
    freq = _text(data, "freq", problems, where).upper()
    if freq not in FREQUENCIES:
        problems.add(f"{where}freq", _("%(value)r is not WEEKLY or MONTHLY") % {"value": freq})
    interval = _number(data, "interval", problems, where, 1, 366)
    return {
        "oruk_id": data["id"],
        "valid_from": _date(data, "valid_from", problems, where),
        "valid_to": _date(data, "valid_to", problems, where),
        "dtstart": _text(data, "dtstart", problems, where, limit=40),
        "freq": freq,
        "interval": None if interval is None else int(interval),
        "byday": _text(data, "byday", problems, where, limit=100),
        "bymonthday": _text(data, "bymonthday", problems, where, limit=100),
        "opens_at": _time(data, "opens_at", problems, where),
        "closes_at": _time(data, "closes_at", problems, where),
        "description": _text(data, "description", problems, where),
        "schedule_link": _url(data, "schedule_link", problems, where),
        "attending_type": _text(data, "attending_type", problems, where, limit=100),
        "notes": _text(data, "notes", problems, where),
    }


def _amount(data: dict[str, Any], problems: _Problems, where: str) -> Decimal | None:
    raw = data.get("amount")
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.01"))
    except InvalidOperation:
        problems.add(f"{where}amount", _("%(value)r is not an amount of money") % {"value": raw})
        return None
    if value < 0 or value >= Decimal("1e8"):
        problems.add(f"{where}amount", _("%(value)s is not a likely price") % {"value": raw})
    return value


def _parts(record: dict[str, Any], problems: _Problems) -> dict[str, list[dict[str, Any]]]:
    text = _text
    return {
        "schedules": [_schedule(w, s, problems) for w, s in _records(record, "schedules", problems)],
        "service_areas": [
            {
                "oruk_id": a["id"],
                "name": text(a, "name", problems, w, limit=300) or text(a, "service_area", problems, w, limit=300),
                "description": text(a, "description", problems, w),
                "extent": text(a, "extent", problems, w),
                "extent_type": text(a, "extent_type", problems, w, limit=50),
                "uri": text(a, "uri", problems, w, limit=500),
            }
            for w, a in _records(record, "service_areas", problems)
        ],
        "cost_options": [
            {
                "oruk_id": c["id"],
                "valid_from": _date(c, "valid_from", problems, w),
                "valid_to": _date(c, "valid_to", problems, w),
                "option": text(c, "option", problems, w, limit=300),
                "amount": _amount(c, problems, w),
                "currency": (text(c, "currency", problems, w) or "GBP")[:3],
                "amount_description": text(c, "amount_description", problems, w, limit=300),
            }
            for w, c in _records(record, "cost_options", problems)
        ],
        "funding": [
            {"oruk_id": f["id"], "source": text(f, "source", problems, w, limit=300)}
            for w, f in _records(record, "funding", problems)
        ],
        "contacts": [
            {
                "oruk_id": c["id"],
                "name": text(c, "name", problems, w, limit=200),
                "title": text(c, "title", problems, w, limit=200),
                "email": _email(c, "email", problems, w),
                "phone": text(c, "phone", problems, w, limit=50),
            }
            for w, c in _records(record, "contacts", problems)
        ],
        "languages": [
            {
                "oruk_id": lang["id"],
                "name": text(lang, "name", problems, w, limit=100),
                "code": text(lang, "code", problems, w, limit=20),
                "note": text(lang, "note", problems, w, limit=300),
            }
            for w, lang in _records(record, "languages", problems)
        ],
    }


def _attributes(data: dict[str, Any], problems: _Problems, path: str) -> list[dict[str, Any]]:
    out = []
    for where, item in _records(data, "attributes", problems, path):
        term = item.get("taxonomy_term")
        term_id = _text(item, "taxonomy_term_id", problems, where, limit=100)
        if isinstance(term, dict):
            term = plan_term(term, problems, f"{where}taxonomy_term.")
            term_id = term_id or term["oruk_id"]
        elif not term_id:
            problems.add(f"{where}taxonomy_term", _("is missing"))
            continue
        out.append(
            {
                "oruk_id": item["id"],
                "term_id": term_id,
                "term": term if isinstance(term, dict) else None,
                "link_type": _text(item, "link_type", problems, where, limit=100),
                "value": _text(item, "value", problems, where, limit=300),
            }
        )
    return out


def plan_term(data: dict[str, Any], problems: _Problems | None = None, path: str = "") -> dict[str, Any]:
    problems = _Problems() if problems is None else problems
    return {
        "oruk_id": _text(data, "id", problems, path, limit=100, required=True),
        "name": _text(data, "name", problems, path, limit=200, required=True),
        "code": _text(data, "code", problems, path, limit=200),
        "term": _text(data, "term", problems, path, limit=200),
        "description": _text(data, "description", problems, path),
        "term_uri": _url(data, "term_uri", problems, path),
        "parent_id": _text(data, "parent_id", problems, path, limit=100),
        "taxonomy_id": _text(data, "taxonomy_id", problems, path, limit=100),
        "taxonomy_name": _text(data, "taxonomy", problems, path, limit=200),
    }


def term_problems(data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return [("", _("is not an object"))]
    problems = _Problems()
    plan_term(data, problems)
    return list(problems)
