"""The community directory: Open Referral UK 3.0 (HSDS 3.0 UK profile) offers in a place.

ORUK ids are kept as text (`oruk_id`): imported records keep the publisher's ids, records made
here get a UUID. The ORUK `organization` is not copied: it is exported from the one
`accounts.Organisation`, and `ListedOrganisation` only remembers the ORUK id it is published under.
"""

from .locations import Accessibility, Address, Location, ServiceAtLocation
from .offers import (
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    ListedOrganisation,
    Schedule,
    Service,
    ServiceArea,
)
from .review import OfferChange
from .taxonomy import Taxonomy, TaxonomyTerm
from .vocabulary import SearchPhrase

__all__ = [
    "Accessibility",
    "Address",
    "Attribute",
    "Contact",
    "CostOption",
    "Funding",
    "Language",
    "ListedOrganisation",
    "Location",
    "OfferChange",
    "Schedule",
    "SearchPhrase",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "Taxonomy",
    "TaxonomyTerm",
]
