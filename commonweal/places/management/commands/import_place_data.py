from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from commonweal.importing import ImportFileError
from commonweal.places.models import Place
from commonweal.places.services import IMPORTERS, import_place_data


class Command(BaseCommand):
    help = (
        "Import open place data into a place: deprivation (IoD2019 LSOA file, File 7 layout or the short "
        "column names), boundaries (LSOA GeoJSON), districts (CSV: LSOA code, district code, district name) "
        "or postcodes (ONS lookup CSV). Bad rows are reported with file, line and field; good rows are kept; "
        "re-running is idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--place", required=True, help="the place's code, e.g. E08000010")
        parser.add_argument("--lad", help="deprivation only: the local authority's rows to take (default: the place)")

    def handle(self, *args: Any, kind: str, file: Path, place: str, lad: str | None, **options: Any) -> None:
        try:
            target = Place.objects.get(code=place.upper())
        except Place.DoesNotExist:
            raise CommandError(f"no place with code {place!r}; create it with `manage.py create_place`") from None
        extra = {"lad": lad} if kind == "deprivation" and lad else {}
        show = options["verbosity"] > 0

        def progress(rows: Any) -> Any:
            return tqdm(rows, desc=f"{kind} rows", unit=" rows", disable=not show, file=self.stderr._out)

        try:
            report = import_place_data(target, kind, file, by=None, progress=progress, **extra)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for problem in report.rejected:
            self.stderr.write(f"rejected {problem}")
        self.stdout.write(report.summary())
        if report.rejected:
            self.stderr.write(self.style.WARNING(f"{len(report.rejected)} rows rejected; the good rows were kept."))
