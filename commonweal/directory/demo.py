"""The demo borough's community directory: the sample ORUK export, and an organisation's proposals.

The sample (`../shared/data/directory/sample_directory`, about 400 made-up offers at real Wigan
places) is imported through the real importer. Northbridge is generated over Wigan's ground, so
its venues fall in Northbridge's neighbourhoods by their coordinates; with real open data
(`context.open_data`) the place is Wigan and venues are placed by their postcodes. Organisations
become `accounts.Organisation` records (one identity), and the demo provider has one offer
published and one waiting for the administrator's check.
"""

from pathlib import Path
from typing import Any

from django.conf import settings

from .models import Service
from .services import approve_offer_change, import_oruk, propose_offer_change

SAMPLE = Path(settings.COMMONWEAL_REFERENCE_DATA) / "directory" / "sample_directory"


def build(context: Any) -> None:
    place = context.place
    if not (SAMPLE / "services.json").exists():
        context.log(f"  directory: no sample at {SAMPLE}; the directory is empty (see docs/directory.md)")
        return
    report = import_oruk(place, SAMPLE, by=None)
    placed = Service.objects.filter(place=place, service_at_locations__location__neighbourhood__isnull=False)
    context.log(f"  directory: {report.summary()}; {placed.distinct().count()} offers placed in neighbourhoods")
    for problem in report.rejected[:5]:
        context.log(f"    rejected {problem}")
    _proposals(context, place)
    context.objects["offers"] = Service.objects.filter(place=place)


def _proposals(context: Any, place: Any) -> None:
    users, vcse = context.objects.get("users", {}), context.objects.get("vcse", [])
    provider, admin = users.get("provider"), users.get("admin")
    if not (provider and admin and vcse):
        return
    organisation = vcse[0]
    published = propose_offer_change(
        place,
        organisation,
        {
            "name": f"{organisation.name}: Walk and Talk",
            "description": "A gentle hour's walk round the park with a cuppa after. Come on your own: "
            "a volunteer will meet you at the gate. Good for anyone feeling a bit low or cut off.",
            "eligibility_description": "Adults, especially people over 50 living alone",
            "minimum_age": 18,
            "when": "Every Wednesday, 10am to 11am",
            "cost": "Free",
        },
        by=provider,
    )
    approve_offer_change(published, by=admin, note="Checked by phone with the organiser.")
    propose_offer_change(
        place,
        organisation,
        {
            "name": f"{organisation.name}: Tuesday Lunch Club",
            "description": "Two-course hot lunch and a quiz for older people. Transport can be arranged.",
            "eligibility_description": "People over 60",
            "minimum_age": 60,
            "when": "Tuesdays, 12pm to 2pm",
            "cost": "£4.50 a meal",
        },
        by=provider,
    )
    context.log("  directory: the demo provider has one offer published and one waiting for a check")
