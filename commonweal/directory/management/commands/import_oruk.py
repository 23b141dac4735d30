import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from commonweal.directory.services import import_oruk
from commonweal.importing import ImportFileError
from commonweal.places.models import Place


class Command(BaseCommand):
    help = (
        "Import an Open Referral UK feed into a place: SOURCE is the API's URL (v3.0 or v1.0, read page by "
        "page) or a JSON/NDJSON file or a folder holding services.json (with taxonomies.json and "
        "taxonomy_terms.json). Records keep their ORUK ids; bad records are reported and skipped, each good "
        "service is imported whole; re-running changes only what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="a URL (http://... or https://...) or a file or folder")
        parser.add_argument("--place", required=True, help="the place's code, e.g. E08000010")
        parser.add_argument(
            "--close-missing",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="close imported offers the feed no longer lists (default: yes for a complete feed, "
            "no for one record or a filtered URL)",
        )

    def handle(self, *args: Any, source: str, place: str, close_missing: bool | None, **options: Any) -> None:
        try:
            target = Place.objects.get(code=place.upper())
        except Place.DoesNotExist:
            raise CommandError(f"no place with code {place!r}; create it with `manage.py create_place`") from None
        show = options["verbosity"] > 0

        def progress(rows: Any) -> Any:
            return tqdm(rows, desc="services", unit=" services", disable=not show, file=self.stderr._out)

        try:
            report = import_oruk(target, source, by=None, progress=progress, close_missing=close_missing)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for problem in report.rejected:
            self.stderr.write(f"rejected {problem}")
        self.stdout.write(report.summary())
        if report.rejected:
            self.stderr.write(self.style.WARNING(f"{len(report.rejected)} problems; the good services were kept."))
