"""Offers as Open Referral UK 3.0 JSON: the shapes of the read API's responses.

Empty optional fields are left out rather than sent as "" (an empty string is not a valid `uri`
or `email` in the schemas). The ORUK `organization` is written from `accounts.Organisation`.
"""

import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import Attribute, Location, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
_ID_NAMESPACE = uuid.UUID("7b0c6f0e-3a57-4d0e-9d0b-8f9f2f0b7a31")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "")}


def _time(value: Any) -> str | None:
    return value.strftime("%H:%M:%S") if value is not None else None


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _amount(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def organisation_oruk_id(organisation: Any) -> str:
    """The ORUK id an organisation is published under (a stable UUID where it has no listing yet)."""
    listing = getattr(organisation, "directory_listing", None)
    return listing.oruk_id if listing is not None else str(uuid.uuid5(_ID_NAMESPACE, f"organisation:{organisation.pk}"))


def organisation_summary(organisation: Any) -> dict[str, Any]:
    return _clean(
        {
            "id": organisation_oruk_id(organisation),
            "name": organisation.name,
            "description": organisation.description or "",
            "website": organisation.website,
        }
    ) | {"description": organisation.description or ""}


def organisation_full(organisation: Any, services: list[Service], *, full_services: bool = False) -> dict[str, Any]:
    oruk_id = organisation_oruk_id(organisation)
    identifiers = [organisation.identifier, *organisation.other_identifiers] if organisation.identifier else []
    return organisation_summary(organisation) | {
        "organization_identifiers": [
            {
                "id": str(uuid.uuid5(_ID_NAMESPACE, f"{oruk_id}:{identifier}")),
                "organization_id": oruk_id,
                "identifier_scheme": "org-id",
                "identifier_type": identifier.split("-")[1] if identifier.count("-") >= 2 else "org-id",
                "identifier": identifier,
            }
            for identifier in identifiers
            if isinstance(identifier, str) and identifier
        ],
        "services": [service_full(s) if full_services else service_basic(s) for s in services],
    }


def service_basic(service: Service) -> dict[str, Any]:
    """The one-to-one fields of a service (a `/services` list item)."""
    return _clean(
        {
            "id": service.oruk_id,
            "organization_id": organisation_oruk_id(service.organisation),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees_description": service.fees_description,
            "accreditations": service.accreditations,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "eligibility_description": service.eligibility_description,
            "assured_date": _date(service.assured_date),
            "assurer_email": service.assurer_email,
            "alert": service.alert,
            "last_modified": service.last_modified.isoformat().replace("+00:00", "Z"),
        }
    )


def service_minimal(service: Service) -> dict[str, Any]:
    return {
        "id": service.oruk_id,
        "name": service.name,
        "status": service.status,
        "last_modified": service.last_modified.isoformat().replace("+00:00", "Z"),
    }


def service_full(service: Service) -> dict[str, Any]:
    """A fully nested service (`/services/{id}`); expects `with_everything` prefetching."""
    return service_basic(service) | {
        "organization": organisation_summary(service.organisation),
        "schedules": [schedule(s) for s in service.schedules.all() if s.service_at_location_id is None],
        "service_areas": [
            _clean(
                {
                    "id": a.oruk_id,
                    "service_id": service.oruk_id,
                    "name": a.name,
                    "description": a.description,
                    "extent": a.extent,
                    "extent_type": a.extent_type,
                    "uri": a.uri,
                }
            )
            for a in service.serviceareas.all()
        ],
        "service_at_locations": [service_at_location(link, service) for link in service.service_at_locations.all()],
        "languages": [
            _clean({"id": x.oruk_id, "service_id": service.oruk_id, "name": x.name, "code": x.code, "note": x.note})
            for x in service.languages.all()
        ],
        "funding": [
            _clean({"id": f.oruk_id, "service_id": service.oruk_id, "source": f.source}) for f in service.fundings.all()
        ],
        "cost_options": [
            _clean(
                {
                    "id": c.oruk_id,
                    "service_id": service.oruk_id,
                    "valid_from": _date(c.valid_from),
                    "valid_to": _date(c.valid_to),
                    "option": c.option,
                    "amount": _amount(c.amount),
                    "currency": c.currency,
                    "amount_description": c.amount_description,
                }
            )
            for c in service.costoptions.all()
        ],
        "contacts": [
            _clean({"id": c.oruk_id, "service_id": service.oruk_id, "name": c.name, "title": c.title, "email": c.email})
            | (
                {"phones": [{"id": str(uuid.uuid5(_ID_NAMESPACE, f"phone:{c.oruk_id}")), "number": c.phone}]}
                if c.phone
                else {}
            )
            for c in service.contacts.all()
        ],
        "attributes": [attribute(a, service.oruk_id) for a in service.attributes.all()],
    }


def schedule(item: Schedule) -> dict[str, Any]:
    return _clean(
        {
            "id": item.oruk_id,
            "valid_from": _date(item.valid_from),
            "valid_to": _date(item.valid_to),
            "dtstart": item.dtstart,
            "freq": item.freq,
            "interval": item.interval,
            "byday": item.byday,
            "bymonthday": item.bymonthday,
            "opens_at": _time(item.opens_at),
            "closes_at": _time(item.closes_at),
            "description": item.description,
            "schedule_link": item.schedule_link,
            "attending_type": item.attending_type,
            "notes": item.notes,
        }
    )


def attribute(item: Attribute, link_id: str) -> dict[str, Any]:
    return _clean(
        {
            "id": item.oruk_id,
            "link_id": link_id,
            "taxonomy_term_id": item.taxonomy_term.oruk_id,
            "link_type": item.link_type,
            "value": item.value,
            "taxonomy_term": taxonomy_term(item.taxonomy_term),
        }
    )


def location(item: Location) -> dict[str, Any]:
    return _clean(
        {
            "id": item.oruk_id,
            "location_type": item.location_type,
            "name": item.name,
            "description": item.description,
            "latitude": item.latitude,
            "longitude": item.longitude,
            "external_identifier": item.external_identifier,
            "external_identifier_type": item.external_identifier_type,
        }
    ) | {
        "addresses": [
            _clean(
                {
                    "id": a.oruk_id,
                    "location_id": item.oruk_id,
                    "attention": a.attention,
                    "address_1": a.address_1,
                    "address_2": a.address_2,
                    "city": a.city,
                    "region": a.region,
                    "state_province": a.state_province,
                    "postal_code": a.postal_code,
                    "country": a.country,
                    "address_type": a.address_type,
                }
            )
            | {"state_province": a.state_province or a.region or a.city}  # required by the schema
            for a in item.addresses.all()
        ],
        "accessibility": [
            _clean(
                {
                    "id": a.oruk_id,
                    "location_id": item.oruk_id,
                    "description": a.description,
                    "details": a.details,
                    "url": a.url,
                }
            )
            for a in item.accessibility.all()
        ],
        "attributes": [attribute(a, item.oruk_id) for a in item.attributes.all()],
    }


def service_at_location(
    link: ServiceAtLocation, service: Service | None = None, *, with_service: bool = False
) -> dict[str, Any]:
    service = service or link.service
    data = {
        "id": link.oruk_id,
        "service_id": service.oruk_id,
        "location_id": link.location.oruk_id,
        "location": location(link.location),
        "schedules": [schedule(s) for s in link.schedules.all()],
    }
    if with_service:
        data["service"] = service_full(service)
    return data


def taxonomy(item: Taxonomy, *, with_terms: bool = False) -> dict[str, Any]:
    data = _clean(
        {
            "id": item.oruk_id,
            "name": item.name,
            "description": item.description,
            "uri": item.uri,
            "version": item.version,
        }
    ) | {"description": item.description or item.name}
    if with_terms:
        data["taxonomy_terms"] = [taxonomy_term(t) for t in item.terms.all()]
    return data


def taxonomy_term(item: TaxonomyTerm) -> dict[str, Any]:
    return _clean(
        {
            "id": item.oruk_id,
            "code": item.code,
            "name": item.name,
            "term": item.term or item.name,
            "description": item.description or item.name,
            "parent_id": item.parent.oruk_id if item.parent_id else None,
            "taxonomy": item.taxonomy.name if item.taxonomy_id else item.taxonomy_name,
            "taxonomy_id": item.taxonomy.oruk_id if item.taxonomy_id else None,
            "term_uri": item.term_uri,
        }
    )


_TERM = "taxonomy_term__taxonomy", "taxonomy_term__parent"


def with_everything(services: QuerySet[Service]) -> QuerySet[Service]:
    """Prefetch all a fully nested service needs: a fixed number of queries for any page size."""
    locations = Location.objects.prefetch_related(
        "addresses", "accessibility", Prefetch("attributes", Attribute.objects.select_related(*_TERM))
    )
    return services.select_related("organisation__directory_listing", "place").prefetch_related(
        "schedules",
        "serviceareas",
        "costoptions",
        "fundings",
        "contacts",
        "languages",
        Prefetch("attributes", Attribute.objects.select_related(*_TERM)),
        Prefetch(
            "service_at_locations",
            ServiceAtLocation.objects.prefetch_related(Prefetch("location", locations), "schedules"),
        ),
    )
