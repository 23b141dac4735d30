from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.investment.models import PBProcess
from commonweal.investment.voting import export_pabulib


class Command(BaseCommand):
    help = "Write a PB process's projects and anonymous ballots as a pabulib .pb file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("process_id", type=int)
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, process_id: int, file: Path, **options: Any) -> None:
        process = PBProcess.objects.filter(pk=process_id).first()
        if process is None:
            raise CommandError(f"no PB process {process_id}")
        file.write_text(export_pabulib(process), encoding="utf-8", newline="\n")
        self.stdout.write(f"{process.title} written to {file}")
