"""Who may propose and vote in a PB process: the rule, in one place.

A user may take part when all three hold:

1. they hold the **resident** role in the process's place;
2. they have a **verified residence** in that place (a postcode in the place's postcode list,
   which puts them in a neighbourhood, checked by an officer);
3. that neighbourhood is **in one of the process's districts** (a process with no districts
   covers the whole place).

So each verified resident has at most one area per place, and one ballot per process.
"""

from typing import Any

from commonweal.accounts.models import Role
from commonweal.accounts.permissions import has_role

from .models import PBProcess, Residence


def residence_of(user: Any, place_id: int) -> Residence | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Residence.objects.select_related("neighbourhood").filter(user=user, place_id=place_id).first()


def eligible_residence(user: Any, process: PBProcess) -> Residence | None:
    """The residence that lets this user take part in this process, or None."""
    if not has_role(user, process.place_id, Role.RESIDENT):
        return None
    residence = residence_of(user, process.place_id)
    if residence is None or not residence.is_verified:
        return None
    district_ids = {d.pk for d in process.districts.all()}
    if district_ids and residence.neighbourhood.district_id not in district_ids:
        return None
    return residence


def why_not_eligible(user: Any, process: PBProcess) -> str:
    """What a resident needs to do before they can take part (empty when they can)."""
    if not has_role(user, process.place_id, Role.RESIDENT):
        return "Only residents of the area can take part."
    residence = residence_of(user, process.place_id)
    if residence is None:
        return "Tell us your postcode so we know which area you live in."
    if not residence.is_verified:
        return "Your postcode is waiting to be checked by an officer."
    if eligible_residence(user, process) is None:
        return "You live outside the area of this process."
    return ""
