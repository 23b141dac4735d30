from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from commonweal.demo.registry import DEMO_PASSWORD, DemoContext, demo_builders
from commonweal.places.models import Place


class Command(BaseCommand):
    help = (
        "Build the demo borough: seven districts, about 200 neighbourhoods and a demo user for every role, "
        "then each app's demo data. Deterministic and offline. --from-open-data DIR builds it from real files "
        "(e.g. ../shared/data/place: Wigan's IoD2019, LSOA boundaries, district lookup and postcodes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from-open-data", type=Path, metavar="DIR", dest="open_data")
        parser.add_argument("--seed", type=int, default=2019)

    def handle(self, *args: Any, open_data: Path | None, seed: int, **options: Any) -> None:
        if open_data is not None and not open_data.is_dir():
            raise CommandError(f"--from-open-data: {open_data} is not a folder")
        if Place.objects.filter(is_demo=True).exists():
            raise CommandError("the demo borough exists already: start from an empty database (make demo does)")
        context = DemoContext(seed=seed, open_data=open_data, log=self.stdout.write)
        with transaction.atomic():
            for label, build in demo_builders():
                self.stdout.write(f"Building demo data: {label}")
                build(context)
        self.stdout.write(self.style.SUCCESS(f"\nThe demo borough {context.place.name} is ready."))
        self.stdout.write(f"Open http://127.0.0.1:8000{context.place.get_absolute_url()}")
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for role, email, hint in context.sign_ins:
            self.stdout.write(f"  {role:<28} {email:<40} {hint}")
