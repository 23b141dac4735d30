from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.places.models import Place
from commonweal.places.services import create_place


class Command(BaseCommand):
    help = "Create a place (the tenant): a local authority by its GSS code, or a partnership."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="e.g. E08000010")
        parser.add_argument("name", help="e.g. Wigan")
        parser.add_argument("--kind", choices=Place.Kind.values, default=Place.Kind.LOCAL_AUTHORITY)

    def handle(self, *args: Any, code: str, name: str, kind: str, **options: Any) -> None:
        if Place.objects.filter(code=code.upper()).exists():
            raise CommandError(f"a place with code {code.upper()} exists already")
        place = create_place(code, name, by=None, kind=kind)
        self.stdout.write(f"Created {place.name} ({place.code})")
