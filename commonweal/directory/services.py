"""Use cases that write directory data. Views, commands, demo data and tests all call these."""

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import transaction

from commonweal.audit.models import Action
from commonweal.audit.services import record
from commonweal.importing import ImportReport

from .feeds import Feed, read_source
from .importers import import_feed


def import_oruk(
    place: Any,
    source: str | Path | Feed,
    *,
    by: Any,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    fetch: Callable[[str], Any] | None = None,
) -> ImportReport:
    """Import an ORUK feed (a URL, a file or folder, or a `Feed` already read) into a place.

    Good services are written, each whole; bad ones are reported and skipped. Raises
    `ImportFileError` when the source cannot be read at all, before anything is written.
    """
    feed = source if isinstance(source, Feed) else read_source(source, fetch=fetch)
    with transaction.atomic():
        report = import_feed(place, feed, **({"progress": progress} if progress else {}))
        record(by, Action.IMPORTED, place, place=place, purpose="import ORUK feed", detail=report.as_dict())
    return report
