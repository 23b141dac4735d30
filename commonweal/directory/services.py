"""Use cases that write directory data. Views, commands, demo data and tests all call these."""

import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record

from .feeds import Feed, read_source
from .importers import FeedImportReport, import_feed
from .indexing import refresh_search_text
from .models import (
    Address,
    Attribute,
    CostOption,
    ListedOrganisation,
    Location,
    OfferChange,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)


def import_oruk(
    place: Any,
    source: str | Path | Feed,
    *,
    by: Any,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    fetch: Callable[[str], Any] | None = None,
    close_missing: bool | None = None,
) -> FeedImportReport:
    """Import an ORUK feed (a URL, a file or folder, or a `Feed` already read) into a place.

    Good services are written, each whole; bad ones are reported and skipped. Imported offers the
    feed no longer lists are closed when `close_missing` is true; by default, when the feed is
    complete (not one record or a filtered read). Raises `ImportFileError` when the source cannot
    be read at all, before anything is written.
    """
    feed = source if isinstance(source, Feed) else read_source(source, fetch=fetch)
    with transaction.atomic():
        report = import_feed(place, feed, close_missing=close_missing, **({"progress": progress} if progress else {}))
        record(by, Action.IMPORTED, place, place=place, purpose="import ORUK feed", detail=report.as_dict())
    return report


# --- Organisations propose offers; a directory administrator checks them --------------------


class ReviewError(ValueError):
    """The proposal cannot be decided (already decided, or its offer moved place)."""


def propose_offer_change(
    place: Any, organisation: Any, proposed: dict[str, Any], *, by: Any, service: Any = None
) -> OfferChange:
    """Record a new offer, or a change to one, for a directory administrator to check."""
    change = OfferChange(place=place, organisation=organisation, service=service, proposed=proposed, proposed_by=by)
    with transaction.atomic():
        change.save()
        record(by, Action.CREATED, change, purpose="offer proposed for checking")
    return change


def approve_offer_change(change: OfferChange, *, by: Any, note: str = "") -> Service:
    """Publish a proposal: create or update the offer from it. Returns the offer."""
    with transaction.atomic():
        change = _pending(change)
        service = _apply(change)
        _decide(change, OfferChange.Status.APPROVED, by, note)
        record(
            by,
            Action.UPDATED if change.service_id else Action.CREATED,
            service,
            purpose=f"approved offer change {change.pk}",
        )
        if change.service_id is None:
            change.service = service
            change.save(update_fields=["service"])
    return service


def reject_offer_change(change: OfferChange, *, by: Any, note: str = "") -> OfferChange:
    with transaction.atomic():
        change = _pending(change)
        _decide(change, OfferChange.Status.REJECTED, by, note)
    return change


def _pending(change: OfferChange) -> OfferChange:
    # Locked and re-read: two administrators pressing at once must not publish twice.
    change = OfferChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise ReviewError(_("This proposal was already %(status)s.") % {"status": change.get_status_display()})
    return change


def _decide(change: OfferChange, status: str, by: Any, note: str) -> None:
    change.status, change.reviewed_by, change.reviewed_at, change.review_note = status, by, timezone.now(), note
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    record(by, Action.UPDATED, change, purpose=f"offer change {status}", detail={"note": note[:500]})


def _apply(change: OfferChange) -> Service:
    data = change.proposed
    values = {
        "name": data["name"],
        "description": data["description"],
        "eligibility_description": data.get("eligibility_description", ""),
        "minimum_age": data.get("minimum_age"),
        "maximum_age": data.get("maximum_age"),
        "url": data.get("url", ""),
        "email": data.get("email", ""),
        "organisation": change.organisation,
        "last_modified": timezone.now(),
        "assured_date": timezone.localdate(),
        "status": Service.Status.ACTIVE,
    }
    service = change.service
    if service is None:
        service = Service.objects.create(place=change.place, oruk_id=new_id(), **values)
        _list_organisation(change.organisation)
    else:
        for key, value in values.items():
            setattr(service, key, value)
        service.save()
    _apply_parts(service, data)
    refresh_search_text(service)
    return service


def _list_organisation(organisation: Any) -> None:
    ListedOrganisation.objects.get_or_create(organisation=organisation, defaults={"oruk_id": new_id()})


def _apply_parts(service: Service, data: dict[str, Any]) -> None:
    # The form carries one schedule, one cost and one venue: they replace what the offer had.
    if "when" in data:
        service.schedules.all().delete()
        if data["when"]:
            Schedule.objects.create(service=service, oruk_id=new_id(), description=data["when"])
    if "cost" in data:
        service.costoptions.all().delete()
        if data["cost"]:
            free = data["cost"].strip().lower() in {"free", "free of charge", "0", "£0", "no cost"}
            CostOption.objects.create(
                service=service, oruk_id=new_id(), option=data["cost"], amount=0 if free else None
            )
    if data.get("postcode"):
        _apply_venue(service, data)
    if data.get("category"):
        term = TaxonomyTerm.objects.filter(oruk_id=data["category"]).first()
        if term and not service.attributes.filter(taxonomy_term=term).exists():
            Attribute.objects.create(
                service=service, taxonomy_term=term, oruk_id=new_id(), link_type="service_category"
            )


def _apply_venue(service: Service, data: dict[str, Any]) -> None:
    from .search import locate_postcode

    found = locate_postcode(service.place, data["postcode"])
    postcode = service.place.postcodes.filter(postcode=data["postcode"]).first()
    location = Location.objects.create(
        place=service.place,
        oruk_id=new_id(),
        name=data.get("venue") or data.get("address_1", ""),
        latitude=found[1] if found else None,
        longitude=found[2] if found else None,
        neighbourhood=postcode.neighbourhood if postcode else None,
    )
    Address.objects.create(
        location=location,
        oruk_id=new_id(),
        address_1=data.get("address_1", ""),
        city=data.get("town", ""),
        postal_code=data["postcode"],
        state_province=data.get("town", ""),
    )
    service.service_at_locations.all().delete()
    ServiceAtLocation.objects.create(service=service, location=location, oruk_id=new_id())


def new_id() -> str:
    return str(uuid.uuid4())


def set_offer_status(service: Service, status: str, *, by: Any) -> Service:
    """Close, pause or reopen an offer (directory administrators)."""
    with transaction.atomic():
        service.status = Service.Status(status)
        service.last_modified = timezone.now()
        service.save(update_fields=["status", "last_modified"])
        record(by, Action.UPDATED, service, purpose=f"offer status set to {status}")
    return service
