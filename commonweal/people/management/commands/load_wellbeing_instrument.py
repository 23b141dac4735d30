"""Load a wellbeing instrument (e.g. SWEMWBS, where the council holds the licence) from a JSON file."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.people.instruments import InstrumentError
from commonweal.people.services import load_instrument


class Command(BaseCommand):
    help = "Load or replace a wellbeing instrument from a JSON definition (see docs/people.md for the shape)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
            instrument = load_instrument(definition, by=None)
        except (OSError, json.JSONDecodeError, InstrumentError) as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {instrument.code}: {len(instrument.items)} questions"))
