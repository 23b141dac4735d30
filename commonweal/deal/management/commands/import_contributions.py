from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.deal.importers import IMPORTS, import_contributions_text
from commonweal.importing import ImportFileError, read_text
from commonweal.places.models import Place


class Command(BaseCommand):
    help = (
        "Import contributions (money, time, in kind) or volunteer hours from CSV into a place's resources ledger. "
        "Every row needs a reference; bad rows are reported with file, line and field and the good rows kept; "
        "re-running the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--place", required=True, help="the place's code, e.g. E08000010")
        parser.add_argument("--kind", choices=sorted(IMPORTS), default="contributions")

    def handle(self, *args: Any, file: Path, place: str, kind: str, **options: Any) -> None:
        try:
            target = Place.objects.get(code=place.upper())
        except Place.DoesNotExist:
            raise CommandError(f"no place with code {place!r}") from None
        try:
            report = import_contributions_text(target, read_text(file), file=str(file), by=None, kind=kind)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for problem in report.rejected:
            self.stderr.write(f"rejected {problem}")
        self.stdout.write(report.summary())
