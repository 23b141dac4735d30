"""The four sectors every resource is counted in, and which sector an organisation belongs to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import Organisation


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    VOLUNTARY = "voluntary", _("Voluntary and community sector")
    RESIDENTS = "residents", _("Residents")


_SECTOR_OF_KIND = {
    Organisation.Kind.COUNCIL: Sector.PUBLIC,
    Organisation.Kind.NHS: Sector.PUBLIC,
    Organisation.Kind.OTHER_PUBLIC: Sector.PUBLIC,
    Organisation.Kind.BUSINESS: Sector.PRIVATE,
    Organisation.Kind.VCSE: Sector.VOLUNTARY,
    Organisation.Kind.COMMUNITY_GROUP: Sector.VOLUNTARY,
}


def sector_of_organisation(organisation: Organisation) -> Sector:
    return _SECTOR_OF_KIND[Organisation.Kind(organisation.kind)]


def one_party(prefix: str = "") -> models.Q:
    """Exactly one of organisation and user: a party is either an organisation or a person acting for themselves."""
    org, user = f"{prefix}organisation__isnull", f"{prefix}user__isnull"
    return models.Q(**{org: False, user: True}) | models.Q(**{org: True, user: False})
