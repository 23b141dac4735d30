from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.accounting.models import IndicatorSeries
from commonweal.accounting.services import create_indicator_series, import_indicator_file
from commonweal.importing import ImportFileError
from commonweal.places.models import Place


class Command(BaseCommand):
    help = (
        "Import outcome data for a place: a CSV of period, lsoa_code, [age_band], count, population "
        "([good_health, respondents] for healthy life expectancy). Creates the series if it is new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--place", required=True)
        parser.add_argument("--series", required=True, help="the series code, e.g. emergency-admissions-falls")
        parser.add_argument("--name", help="the series name (for a new series)")
        parser.add_argument("--statistic", choices=IndicatorSeries.Statistic.values, default="rate")
        parser.add_argument("--multiplier", type=int, default=100_000)
        parser.add_argument("--improvement", choices=IndicatorSeries.Improvement.values, default="decrease")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            place = Place.objects.get(code=options["place"].upper())
        except Place.DoesNotExist:
            raise CommandError(f"no place with code {options['place']!r}") from None
        series = IndicatorSeries.objects.filter(place=place, code=options["series"]).first()
        if series is None:
            series = create_indicator_series(
                place,
                options["series"],
                options["name"] or options["series"],
                options["statistic"],
                by=None,
                multiplier=options["multiplier"],
                improvement=options["improvement"],
            )
        try:
            report = import_indicator_file(series, options["file"], by=None)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for problem in report.rejected:
            self.stderr.write(f"rejected {problem}")
        self.stdout.write(report.summary())
