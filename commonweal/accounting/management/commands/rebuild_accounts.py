import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.accounting.services import default_period, rebuild_place_accounts
from commonweal.places.models import Place


def _month(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"{text!r} is not a month written as YYYY-MM") from None


class Command(BaseCommand):
    help = (
        "Rebuild and keep the social productivity accounts of places and their districts (and neighbourhoods "
        "with --neighbourhoods) for a period: by default the twelve whole months before this month. Run it on a "
        "schedule (nightly) so that account pages are served from a kept build."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("places", nargs="*", help="place codes (default: every place)")
        parser.add_argument("--start", help="first month, YYYY-MM")
        parser.add_argument("--end", help="the month after the last, YYYY-MM")
        parser.add_argument("--neighbourhoods", action="store_true", help="neighbourhoods' accounts too")

    def handle(self, *args: Any, places: list[str], **options: Any) -> None:
        start, end = default_period()
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise CommandError("give both --start and --end, or neither")
            start, end = _month(options["start"]), _month(options["end"])
        if start >= end:
            raise CommandError(f"the period is empty: {start:%Y-%m} is not before {end:%Y-%m}")
        chosen = Place.objects.order_by("code")
        if places:
            codes = [code.upper() for code in places]
            chosen = chosen.filter(code__in=codes)
            missing = sorted(set(codes) - set(chosen.values_list("code", flat=True)))
            if missing:
                raise CommandError(f"no place with code {', '.join(missing)}")
        for place in chosen:
            kept = rebuild_place_accounts(
                place, start=start, end=end, by=None, neighbourhoods=options["neighbourhoods"]
            )
            self.stdout.write(f"{place.code} {place.name}: {len(kept)} accounts kept for {start:%Y-%m} to {end:%Y-%m}")
