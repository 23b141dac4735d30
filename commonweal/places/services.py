"""Use cases that write places data. Views, commands, demo data and tests all call these."""

from pathlib import Path
from typing import Any

from django.db import transaction

from commonweal.audit.models import Action
from commonweal.audit.services import record
from commonweal.importing import ImportReport, read_text

from . import importers
from .models import District, Neighbourhood, Place

IMPORTERS = {
    "deprivation": importers.import_deprivation,
    "boundaries": importers.import_boundaries,
    "districts": importers.import_districts,
    "postcodes": importers.import_postcodes,
}


def create_place(
    code: str, name: str, *, by: Any, kind: str = Place.Kind.LOCAL_AUTHORITY, is_demo: bool = False
) -> Place:
    with transaction.atomic():
        place = Place.objects.create(code=code.strip().upper(), name=name.strip(), kind=kind, is_demo=is_demo)
        record(by, Action.CREATED, place, place=place)
    return place


def create_district(place: Place, code: str, name: str, *, by: Any) -> District:
    with transaction.atomic():
        district = District.objects.create(place=place, code=code.strip(), name=name.strip())
        record(by, Action.CREATED, district, place=place)
    return district


def import_place_data(
    place: Place, kind: str, source: Path | str, *, by: Any, progress: Any = None, **options: Any
) -> ImportReport:
    """Import one open-data file into a place; all good rows are written together, or none.

    `kind` is one of IMPORTERS. Raises `ImportFileError` for a file that cannot be read at all.
    """
    if progress is not None:
        options["progress"] = progress
    return import_place_text(place, kind, read_text(source), file=str(source), by=by, **options)


def import_place_text(place: Place, kind: str, text: str, *, file: str, by: Any, **options: Any) -> ImportReport:
    """As `import_place_data`, from text already in memory (uploads, the demo builder)."""
    importer = IMPORTERS[kind]
    with transaction.atomic():
        report = importer(place, text, file=file, **options)
        record(by, Action.IMPORTED, place, place=place, purpose=f"import {kind}", detail=report.as_dict())
    return report


def neighbourhoods_with_boundaries(place: Place) -> list[Neighbourhood]:
    return list(place.neighbourhoods.exclude(boundary=None).only("code", "name", "imd_decile", "boundary"))
