"""Importing an ORUK feed into a place: every service whole or not at all, re-runs idempotent.

Each service is checked first (`checks.plan_service`); a bad one is reported with its position,
field and reason and skipped, the good ones are written each in its own savepoint, so a failure
half-way through one service never leaves part of it behind. A service whose record has not changed
since the last import (same fingerprint) is not touched. Imported records keep their ORUK ids.
After a complete feed, imported offers it no longer lists are closed (`close_dropped`).
Called through `services.import_oruk`, which holds the transaction and writes the audit trail.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.audit.models import Action
from commonweal.audit.services import record as audit
from commonweal.importing import ImportReport
from commonweal.places.geometry import nearest_within
from commonweal.places.importers import normalise_postcode

from .checks import LocationPlan, ServicePlan, plan_service, plan_term, term_problems
from .feeds import Feed
from .indexing import compose_search_text, term_lineage
from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    ListedOrganisation,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

Progress = Callable[[Iterable[Any]], Iterable[Any]]
_TERM_FIELDS = ("name", "code", "term", "description", "term_uri", "taxonomy_name")
PART_MODELS = {
    "service_areas": ServiceArea,
    "cost_options": CostOption,
    "funding": Funding,
    "contacts": Contact,
    "languages": Language,
}
NEIGHBOURHOOD_MAX_KM = 0.5  # a location just outside every boundary still counts as in the nearest


def _no_progress(items: Iterable[Any]) -> Iterable[Any]:
    return items


@dataclass
class FeedImportReport(ImportReport):
    """An import's report, with the offers closed because they dropped out of the feed."""

    closed: list[str] = field(default_factory=list)  # their ORUK ids

    def summary(self) -> str:
        return f"{super().summary()}, {len(self.closed)} closed (no longer in the feed)"

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "closed": len(self.closed), "closed_ids": self.closed[:200]}


def import_feed(
    place: Any, feed: Feed, *, progress: Progress = _no_progress, close_missing: bool | None = None
) -> FeedImportReport:
    """Write a feed's good services; with `close_missing` (the default for a complete feed), close the
    place's imported offers that the feed no longer lists."""
    report = FeedImportReport(feed.label)
    terms = _TermBook()
    terms.load(feed.taxonomies, feed.taxonomy_terms, report)
    writer = _Writer(place, terms)
    seen: dict[str, int] = {}
    for position, record in progress(list(enumerate(feed.services, start=1))):
        plan, problems = plan_service(record)
        label = _label(record)
        for path, message in problems:
            report.reject(position, path, f"{label}: {message}")
        if plan is None:
            continue
        if plan.oruk_id in seen:
            report.reject(
                position,
                "id",
                _("%(id)s appears again (first at %(first)d)") % {"id": plan.oruk_id, "first": seen[plan.oruk_id]},
            )
            continue
        seen[plan.oruk_id] = position
        _write_one(writer, plan, record, report, position, label)
    if feed.complete if close_missing is None else close_missing:
        report.closed = close_dropped(place, _listed_ids(feed))
    return report


def _listed_ids(feed: Feed) -> set[str]:
    # Every id the feed lists, rejected records too: a service with a bad record was not dropped.
    return {str(r["id"]) for r in feed.services if isinstance(r, dict) and r.get("id") not in (None, "")}


def close_dropped(place: Any, listed: set[str]) -> list[str]:
    """Make inactive the place's active imported offers whose ids the feed no longer lists; their ORUK ids.

    Offers made here (proposals, no import fingerprint) are never closed by a feed, and an empty feed
    closes nothing (a publisher's broken export must not empty the directory). The fingerprint is
    cleared, so a service that comes back in a later import is written again, with its own status.
    """
    if not listed:
        return []
    dropped = (
        Service.objects.filter(place=place, status=Service.Status.ACTIVE)
        .exclude(source_hash="")
        .exclude(oruk_id__in=listed)
    )
    closed = sorted(dropped.values_list("oruk_id", flat=True))
    if closed:
        Service.objects.filter(place=place, oruk_id__in=closed).update(
            status=Service.Status.INACTIVE, source_hash="", last_modified=timezone.now()
        )
    return closed


def _label(record: Any) -> str:
    if isinstance(record, dict):
        return _("service %(id)s (%(name)s)") % {
            "id": record.get("id") or "?",
            "name": str(record.get("name") or "")[:60],
        }
    return _("record")


def _write_one(
    writer: "_Writer", plan: ServicePlan, record: Any, report: ImportReport, position: int, label: str
) -> None:
    saved = writer.checkpoint()
    try:
        with transaction.atomic():  # a savepoint: the whole service, or none of it
            outcome = writer.write(plan, fingerprint(record))
    except (DatabaseError, ValidationError, ValueError) as error:
        writer.restore(saved)  # forget what the rolled-back savepoint had created
        report.reject(position, "", f"{label}: {_('could not be saved')} ({error})")
        return
    setattr(report, outcome, getattr(report, outcome) + 1)


def fingerprint(record: Any) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


class _TermBook:
    """Taxonomies and terms met in this import, by ORUK id, written once each."""

    def __init__(self) -> None:
        self.taxonomies = {t.oruk_id: t for t in Taxonomy.objects.all()}
        self.terms = {t.oruk_id: t for t in TaxonomyTerm.objects.all()}
        self.by_pk = {t.pk: t for t in self.terms.values()}
        self.checked: set[str] = set()

    def load(self, taxonomies: list[Any], terms: list[Any], report: ImportReport) -> None:
        for position, data in enumerate(taxonomies, start=1):
            if not isinstance(data, dict) or not data.get("id") or not data.get("name"):
                report.reject(position, "taxonomies", _("a taxonomy needs an id and a name"))
                continue
            self.taxonomy(str(data["id"]), str(data["name"]), data)
        plans = []
        for position, data in enumerate(terms, start=1):
            problems = term_problems(data)
            for path, message in problems:
                report.reject(position, f"taxonomy_terms.{path}", message)
            if not problems:
                plans.append(plan_term(data))
        self._bulk_terms(plans)

    def _bulk_terms(self, plans: list[dict[str, Any]]) -> None:
        """Write a feed's term list in a few queries (a vocabulary can hold thousands of terms)."""
        new, changed = [], []
        for plan in plans:
            if plan["oruk_id"] in self.checked:
                continue
            self.checked.add(plan["oruk_id"])
            values = self._term_values(plan)
            term = self.terms.get(plan["oruk_id"])
            if term is None:
                term = self.terms[plan["oruk_id"]] = TaxonomyTerm(oruk_id=plan["oruk_id"], **values)
                new.append(term)
            elif any(getattr(term, k) != v for k, v in values.items()):
                changed.append(term)
            for key, value in values.items():
                setattr(term, key, value)
        TaxonomyTerm.objects.bulk_create(new, batch_size=500)
        self.by_pk.update({t.pk: t for t in new})
        fields = [*_TERM_FIELDS, "taxonomy"]
        TaxonomyTerm.objects.bulk_update(changed, fields, batch_size=500)
        # Parents may come after their children in a feed, so link them once all exist.
        relinked = []
        for plan in plans:
            term, parent = self.terms[plan["oruk_id"]], self.terms.get(plan["parent_id"])
            if parent is not None and parent.pk != term.pk and term.parent_id != parent.pk:
                term.parent = parent
                relinked.append(term)
        TaxonomyTerm.objects.bulk_update(relinked, ["parent"], batch_size=500)

    def _term_values(self, plan: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {k: plan[k] for k in _TERM_FIELDS}
        if plan["taxonomy_id"]:
            values["taxonomy"] = self.taxonomy(plan["taxonomy_id"], plan["taxonomy_name"] or plan["taxonomy_id"])
        return values

    def taxonomy(self, oruk_id: str, name: str, data: dict[str, Any] | None = None) -> Taxonomy:
        taxonomy = self.taxonomies.get(oruk_id)
        values = {"name": name[:200]}
        if data:
            values |= {k: str(data.get(k) or "")[:500] for k in ("description", "uri", "version")}
        if taxonomy is None:
            taxonomy = self.taxonomies[oruk_id] = Taxonomy.objects.create(oruk_id=oruk_id, **values)
        elif data and any(getattr(taxonomy, k) != v for k, v in values.items()):
            Taxonomy.objects.filter(pk=taxonomy.pk).update(**values)
        return taxonomy

    def term(self, plan: dict[str, Any]) -> TaxonomyTerm:
        """A term nested in a service's attribute (written once per import; its list entry wins)."""
        oruk_id = plan["oruk_id"]
        term = self.terms.get(oruk_id)
        if term is not None and oruk_id in self.checked:
            return term
        self.checked.add(oruk_id)
        values = self._term_values(plan)
        if term is None:
            term = TaxonomyTerm.objects.create(oruk_id=oruk_id, **values)
            self.terms[oruk_id] = self.by_pk[term.pk] = term
        elif any(getattr(term, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(term, key, value)
            term.save(update_fields=list(values))
        self._link_parent(term, plan["parent_id"])
        return term

    def _link_parent(self, term: TaxonomyTerm, parent_oruk_id: str) -> None:
        parent = self.terms.get(parent_oruk_id) if parent_oruk_id else None
        if parent is not None and parent.pk != term.pk and term.parent_id != parent.pk:
            term.parent = parent
            term.save(update_fields=["parent"])


class _Writer:
    """Writes checked services into a place, remembering what it has already written or looked up."""

    def __init__(self, place: Any, terms: _TermBook) -> None:
        self.place = place
        self.terms = terms
        self.existing = {
            oruk_id: (pk, digest)
            for oruk_id, pk, digest in Service.objects.filter(place=place).values_list("oruk_id", "pk", "source_hash")
        }
        self.organisations: dict[str, Organisation] = {}
        self.locations: dict[str, Location] = {}
        self._postcodes: dict[str, int] | None = None
        self._shapes: list[tuple[int, dict[str, Any]]] | None = None

    def _caches(self) -> list[dict[Any, Any]]:
        return [self.organisations, self.locations, self.terms.terms, self.terms.by_pk, self.terms.taxonomies]

    def checkpoint(self) -> list[set[Any]]:
        return [set(cache) for cache in self._caches()] + [set(self.terms.checked)]

    def restore(self, saved: list[set[Any]]) -> None:
        for cache, keys in zip(self._caches(), saved, strict=False):
            for key in set(cache) - keys:
                del cache[key]
        self.terms.checked &= saved[-1]

    def write(self, plan: ServicePlan, digest: str) -> str:
        known = self.existing.get(plan.oruk_id)
        if known is not None and known[1] == digest:
            return "unchanged"
        organisation = self.organisation(plan.organisation)
        locations = [(lp, self.location(lp)) for lp in plan.locations]
        terms = [self.attribute_term(a) for a in plan.attributes]
        values = {**plan.values, "organisation": organisation, "source_hash": digest}
        values["search_text"] = self._search_text(plan, organisation, [loc for _lp, loc in locations], terms)
        if known is None:
            service = Service.objects.create(place=self.place, oruk_id=plan.oruk_id, **values)
        else:
            service = Service.objects.get(pk=known[0])
            for key, value in values.items():
                setattr(service, key, value)
            service.save()
            self._clear_parts(service)
        self._write_parts(service, plan, locations, terms)
        self.existing[plan.oruk_id] = (service.pk, digest)
        return "created" if known is None else "updated"

    def _search_text(
        self, plan: ServicePlan, organisation: Organisation, locations: list[Location], terms: list[TaxonomyTerm]
    ) -> str:
        return compose_search_text(
            plan.values["description"],
            plan.values["eligibility_description"],
            organisation.name,
            [t.name for term in terms for t in term_lineage(term, self.terms.by_pk)],
            [loc.name for loc in locations],
            [a["city"] for lp in plan.locations for a in lp.addresses],
            [a["name"] or a["extent"] for a in plan.parts["service_areas"]],
            [c["option"] for c in plan.parts["cost_options"]],
        )

    def _clear_parts(self, service: Service) -> None:
        for model in (*PART_MODELS.values(), Schedule, Attribute, ServiceAtLocation):
            model.objects.filter(service=service).delete()

    def _write_parts(self, service: Service, plan: ServicePlan, locations: list, terms: list[TaxonomyTerm]) -> None:
        for key, model in PART_MODELS.items():
            model.objects.bulk_create([model(service=service, **values) for values in plan.parts[key]])
        schedules = [Schedule(service=service, **values) for values in plan.parts["schedules"]]
        for location_plan, location in locations:
            link = ServiceAtLocation.objects.create(
                service=service,
                location=location,
                oruk_id=location_plan.link_id or f"{service.oruk_id}:{location.oruk_id}",
            )
            schedules += [Schedule(service=service, service_at_location=link, **v) for v in location_plan.schedules]
        Schedule.objects.bulk_create(schedules)
        Attribute.objects.bulk_create(
            [
                Attribute(
                    service=service,
                    taxonomy_term=term,
                    oruk_id=a["oruk_id"],
                    link_type=a["link_type"],
                    value=a["value"],
                )
                for a, term in zip(plan.attributes, terms, strict=True)
            ]
        )

    def attribute_term(self, attribute: dict[str, Any]) -> TaxonomyTerm:
        if attribute["term"] is not None:
            return self.terms.term(attribute["term"])
        term = self.terms.terms.get(attribute["term_id"])
        if term is None:
            raise ValueError(_("taxonomy term %(id)s is not in the feed") % {"id": attribute["term_id"]})
        return term

    # --- organisations: one identity, from accounts -------------------------------------------

    def organisation(self, data: dict[str, Any]) -> Organisation:
        found = self.organisations.get(data["oruk_id"])
        if found is None:
            found = self.organisations[data["oruk_id"]] = self._find_or_create_organisation(data)
        return found

    def _find_or_create_organisation(self, data: dict[str, Any]) -> Organisation:
        listing = ListedOrganisation.objects.filter(oruk_id=data["oruk_id"]).select_related("organisation").first()
        if listing is not None:
            return _fill_blanks(listing.organisation, data)
        organisation = self._match_organisation(data)
        if organisation is None:
            identifier = next((i for i in data["identifiers"] if _is_org_id(i)), "")
            organisation = create_organisation(
                data["name"],
                guess_kind(data["name"]),
                place=self.place,
                by=None,
                identifier=identifier,
                description=data["description"],
                website=data["website"] if len(data["website"]) <= 200 else "",
            )
        ListedOrganisation.objects.create(organisation=organisation, oruk_id=data["oruk_id"])
        return organisation

    def _match_organisation(self, data: dict[str, Any]) -> Organisation | None:
        # The same organisation already known here: by its register identifier, else by name in this place,
        # as long as it is not already published under another ORUK id.
        unlisted = Organisation.objects.filter(directory_listing__isnull=True)
        identifiers = [i for i in data["identifiers"] if _is_org_id(i)]
        found = unlisted.filter(identifier__in=identifiers).first() if identifiers else None
        return found or unlisted.filter(place=self.place, name__iexact=data["name"]).order_by("pk").first()

    # --- locations and their neighbourhood ----------------------------------------------------

    def location(self, plan: LocationPlan) -> Location:
        location = self.locations.get(plan.oruk_id)
        if location is not None:
            return location
        values = {**plan.values, "neighbourhood_id": self.neighbourhood_for(plan)}
        location = Location.objects.filter(place=self.place, oruk_id=plan.oruk_id).first()
        if location is None:
            location = Location.objects.create(place=self.place, oruk_id=plan.oruk_id, **values)
            Address.objects.bulk_create([Address(location=location, **a) for a in plan.addresses])
            Accessibility.objects.bulk_create([Accessibility(location=location, **a) for a in plan.accessibility])
        else:
            if any(getattr(location, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(location, key, value)
                location.save()
            self._replace_location_parts(location, plan)
        self.locations[plan.oruk_id] = location
        return location

    def _replace_location_parts(self, location: Location, plan: LocationPlan) -> None:
        stored = list(location.addresses.values(*plan.addresses[0].keys())) if plan.addresses else []
        if stored != plan.addresses:
            location.addresses.all().delete()
            Address.objects.bulk_create([Address(location=location, **a) for a in plan.addresses])
        stored = list(location.accessibility.values(*plan.accessibility[0].keys())) if plan.accessibility else []
        if stored != plan.accessibility:
            location.accessibility.all().delete()
            Accessibility.objects.bulk_create([Accessibility(location=location, **a) for a in plan.accessibility])

    def neighbourhood_for(self, plan: LocationPlan) -> int | None:
        """By postcode where the place knows it, else by coordinates inside (or next to) a boundary."""
        if plan.values["location_type"] == "virtual":
            return None
        postcode = normalise_postcode(plan.postcode)
        if postcode:
            if self._postcodes is None:
                self._postcodes = dict(self.place.postcodes.values_list("postcode", "neighbourhood_id"))
            if postcode in self._postcodes:
                return self._postcodes[postcode]
        lat, lon = plan.values["latitude"], plan.values["longitude"]
        if lat is None or lon is None:
            return None
        if self._shapes is None:
            self._shapes = list(self.place.neighbourhoods.exclude(boundary=None).values_list("pk", "boundary"))
        return nearest_within(self._shapes, lon, lat, max_km=NEIGHBOURHOOD_MAX_KM)


def _is_org_id(value: str) -> bool:
    from commonweal.accounts.models import ORG_ID

    return bool(ORG_ID.match(value))


def _fill_blanks(organisation: Organisation, data: dict[str, Any]) -> Organisation:
    # accounts holds the one identity: a feed fills in what it lacks, never overwrites it.
    changed = [k for k in ("description", "website") if not getattr(organisation, k) and data.get(k)]
    for key in changed:
        setattr(organisation, key, data[key])
    if changed and len(organisation.website) <= 200:
        organisation.save(update_fields=changed)
        audit(None, Action.UPDATED, organisation, purpose="ORUK import filled in blanks", detail={"fields": changed})
    return organisation


_KINDS = [
    (("council",), Organisation.Kind.COUNCIL),
    (("nhs", "hospital", "primary care network", "pcn", "surgery"), Organisation.Kind.NHS),
    ((" ltd", " limited", " plc", "llp"), Organisation.Kind.BUSINESS),
    (("group", "club", "friends of", "residents", "choir", "shed", "society"), Organisation.Kind.COMMUNITY_GROUP),
]


def guess_kind(name: str) -> str:
    """A best guess at an organisation's kind from its name; administrators correct it in accounts.

    >>> guess_kind("Wigan Council"), guess_kind("Leigh Men's Shed"), guess_kind("Later Life Wigan")
    ('council', 'community_group', 'vcse')
    """
    lowered = f" {name.lower()}"
    for words, kind in _KINDS:
        if any(word in lowered for word in words):
            return kind.value
    return Organisation.Kind.VCSE.value
