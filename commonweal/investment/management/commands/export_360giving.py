import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.accounts.models import Organisation
from commonweal.investment import giving
from commonweal.places.models import Place


class Command(BaseCommand):
    help = "Write a place's grants as 360Giving data: a JSON package and the flat CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("place_code")
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, place_code: str, folder: Path, **options: Any) -> None:
        place = Place.objects.filter(code=place_code.upper()).first()
        if place is None:
            raise CommandError(f"no place with code {place_code}")
        publisher = Organisation.objects.filter(place=place, kind="council").exclude(identifier="").first()
        data = giving.package(place, publisher=publisher)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{place.code}-grants.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        (folder / f"{place.code}-grants.csv").write_text(giving.csv_text(data["grants"]), encoding="utf-8")
        held = giving.unpublishable(place).count()
        self.stdout.write(
            f"{len(data['grants'])} grants written to {folder}; {held} held back (recipient has no org-id)"
        )
