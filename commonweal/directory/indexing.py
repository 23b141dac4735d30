"""What full-text search reads for an offer: one text built from the offer and what describes it.

The database indexes `Service.search_text` (FTS5 on SQLite, a generated tsvector on PostgreSQL);
every write path calls `refresh_search_text` after it changes a service or its parts.
"""

from collections.abc import Iterable

from .models import Service, TaxonomyTerm


def term_lineage(term: TaxonomyTerm, terms_by_id: dict[int, TaxonomyTerm] | None = None) -> list[TaxonomyTerm]:
    """The term and its ancestors, nearest first (a cycle in a bad feed stops the walk)."""
    lineage, seen = [], set()
    current: TaxonomyTerm | None = term
    while current is not None and current.pk not in seen:
        lineage.append(current)
        seen.add(current.pk)
        parent_id = current.parent_id
        if parent_id is None:
            break
        current = terms_by_id.get(parent_id) if terms_by_id is not None else current.parent
    return lineage


def compose_search_text(*parts: str | Iterable[str]) -> str:
    """Join texts and lists of texts, once each, skipping blanks.

    >>> compose_search_text("Walking group", ["Wigan", "Leigh", "Wigan"], "")
    'Walking group\\nWigan\\nLeigh'
    """
    flat: list[str] = []
    for part in parts:
        flat += [part] if isinstance(part, str) else list(part)
    return "\n".join(p for p in dict.fromkeys(flat) if p)


def build_search_text(service: Service, terms: Iterable[TaxonomyTerm] = ()) -> str:
    """Text of everything a person might search an offer by, except its name (indexed on its own)."""
    locations = [link.location for link in service.service_at_locations.all()]
    return compose_search_text(
        service.description,
        service.eligibility_description,
        service.organisation.name,
        # Ancestors too: "Befriending" is found by "support network" and "health and social care".
        [t.name for term in terms for t in term_lineage(term)],
        [location.name for location in locations],
        [address.city for location in locations for address in location.addresses.all()],
        [area.name or area.extent for area in service.serviceareas.all()],
        [cost.option for cost in service.costoptions.all()],
    )


def refresh_search_text(service: Service) -> None:
    terms = TaxonomyTerm.objects.filter(attributes__service=service).select_related("parent__parent__parent")
    text = build_search_text(service, terms)
    if text != service.search_text:
        service.search_text = text
        Service.objects.filter(pk=service.pk).update(search_text=text)
