"""The OpenAPI 3.0 document of this ORUK read API (what `openapi_url` points at)."""

from typing import Any

SCHEMAS = "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/compiled/"
_PAGE = ["page", "per_page"]
_SERVICE_FILTERS = ["search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after"]
_DESCRIPTIONS = {
    "search": "Full text search.",
    "page": "Page number of a paginated result (from 1).",
    "per_page": "Number of results in a page (at most 500).",
    "taxonomy_term_id": "Services with this taxonomy term.",
    "taxonomy_id": "Services with any term of this taxonomy.",
    "organization_id": "Services of this organization.",
    "modified_after": "Services modified on or after this date and time (ISO 8601).",
    "minimal": "true: just each service's id, name, status and last_modified.",
    "full": "true: fully nested records.",
    "format": "ndjson: every matching service, one JSON object a line, not paged.",
    "postcode": "Order by distance from this postcode.",
    "proximity": "With postcode: only within this many metres.",
    "top_only": "true: only terms without a parent.",
    "parent_id": "Terms whose parent is this term.",
    "full_service": "true: the organization's services fully nested.",
}


def _parameters(names: list[str]) -> list[dict[str, Any]]:
    return [
        {"name": n, "in": "query", "required": False, "description": _DESCRIPTIONS[n], "schema": {"type": "string"}}
        for n in names
    ]


def _operation(summary: str, schema: str, parameters: list[str], *, by_id: bool = False) -> dict[str, Any]:
    params = _parameters(parameters)
    if by_id:
        params.insert(0, {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}})
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {
                    "description": summary,
                    "content": {"application/json": {"schema": {"$ref": SCHEMAS + schema}}},
                },
                **({"404": {"description": "Not found"}} if by_id else {}),
            },
        }
    }


def document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "Commonweal community directory (Open Referral UK 3.0)",
            "version": "3.0",
            "description": "The read API of the ORUK 3.0 profile. Open data: no key, any origin.",
        },
        "servers": [{"url": base_url.rstrip("/")}],
        "paths": {
            "/": {
                "get": {
                    "summary": "About this API",
                    "responses": {"200": {"description": "version, profile, openapi_url"}},
                }
            },
            "/services": _operation(
                "A page of services", "service_list.json", [*_SERVICE_FILTERS, *_PAGE, "minimal", "full", "format"]
            ),
            "/services/{id}": _operation("A fully nested service", "service.json", [], by_id=True),
            "/taxonomies": _operation("A page of taxonomies", "taxonomy.json", _PAGE),
            "/taxonomies/{id}": _operation("A taxonomy with its terms", "taxonomy.json", [], by_id=True),
            "/taxonomy_terms": _operation(
                "A page of taxonomy terms", "taxonomy_term.json", ["search", "top_only", "parent_id", *_PAGE]
            ),
            "/taxonomy_terms/{id}": _operation("A taxonomy term", "taxonomy_term.json", [], by_id=True),
            "/organizations": _operation("A page of organizations", "organization_list.json", ["search", *_PAGE]),
            "/organizations/{id}": _operation(
                "An organization with its services", "organization.json", ["full_service"], by_id=True
            ),
            "/service_at_locations": _operation(
                "A page of services at locations",
                "service_at_location_list.json",
                [*_SERVICE_FILTERS, "full", "postcode", "proximity", *_PAGE],
            ),
            "/service_at_locations/{id}": _operation(
                "A service at a location, fully nested", "service_at_location.json", [], by_id=True
            ),
        },
    }
