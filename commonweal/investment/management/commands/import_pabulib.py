from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.importing import ImportFileError, read_text
from commonweal.investment.errors import InvestmentError
from commonweal.investment.services import import_pabulib
from commonweal.places.models import Place


class Command(BaseCommand):
    help = "Import a pabulib .pb file as a closed PB process of a place (to count it, compare rules, or publish it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("place_code")
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", default="")

    def handle(self, *args: Any, place_code: str, file: Path, title: str, **options: Any) -> None:
        place = Place.objects.filter(code=place_code.upper()).first()
        if place is None:
            raise CommandError(f"no place with code {place_code}")
        try:
            process = import_pabulib(place, read_text(file), by=None, title=title)
        except (ImportFileError, InvestmentError) as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(
            f"{process.title}: {process.projects.count()} projects, {process.ballots.count()} ballots "
            f"(process {process.pk}, {process.get_absolute_url()})"
        )
