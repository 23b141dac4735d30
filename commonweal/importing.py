"""What every importer shares: reading a CSV with line numbers, naming columns, and reporting.

Importers validate every row first and report each rejected row with its file, line, field and
reason; the good rows are then written together, so a run never leaves a half-imported record and
re-running the same file changes nothing. A file that cannot be read at all raises `ImportFileError`
before anything is written.
"""

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, not CSV/JSON, required columns missing)."""


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class ImportReport:
    """What an import did: counts of records created, updated and unchanged, and each rejected row."""

    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: list[RowError] = field(default_factory=list)
    skipped_reason: str = ""

    def reject(self, line: int, field_name: str, message: str) -> None:
        self.rejected.append(RowError(self.file, line, field_name, message))

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        text = (
            f"{self.file}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected"
        )
        if self.skipped:
            text += f", {self.skipped} skipped ({self.skipped_reason})"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rejected": len(self.rejected),
        }


def normalise_header(name: str) -> str:
    """'LSOA code (2011)' -> 'lsoa_code_2011': compare headers without case or punctuation."""
    out = "".join(ch if ch.isalnum() else " " for ch in name.strip().lstrip("\ufeff").lower())
    return "_".join(out.split())


def read_text(path: Path | str) -> str:
    """Read a text file (UTF-8, with or without BOM; gzip by suffix), naming the file on failure."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read the file ({error.strerror})") from None
    if path.suffix == ".gz":
        import gzip

        try:
            raw = gzip.decompress(raw)
        except OSError as error:
            raise ImportFileError(f"{path}: not a valid gzip file ({error})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8 CSV") from None


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its name in our model and the headers it may have in files."""

    name: str
    aliases: Sequence[str]
    required: bool = True


def read_csv_rows(text: str, columns: Sequence[Column], *, file: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column name: raw value}) for each data row.

    Raises `ImportFileError` when a required column is missing, naming the headers it accepts.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{file}: the file is empty") from None
    except csv.Error as error:
        raise ImportFileError(f"{file}:1: not a readable CSV header ({error})") from None
    positions = _match_columns([normalise_header(h) for h in header], columns, file=file)
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            yield line, {name: (row[i].strip() if i < len(row) else "") for name, i in positions.items()}
    except csv.Error as error:
        raise ImportFileError(f"{file}:{line + 1}: the CSV is malformed ({error})") from None


def _match_columns(header: list[str], columns: Sequence[Column], *, file: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for column in columns:
        for alias in column.aliases:
            key = normalise_header(alias)
            if key in header:
                positions[column.name] = header.index(key)
                break
        else:
            if column.required:
                accepted = " or ".join(repr(a) for a in column.aliases)
                raise ImportFileError(f"{file}:1: missing column {column.name!r} (a header {accepted})")
    return positions


def parse_number(
    raw: str,
    *,
    kind: type[int] | type[float] = float,
    minimum: float | None = None,
    maximum: float | None = None,
) -> int | float:
    """Parse a number from a CSV cell, raising ValueError with a reader's message."""
    cleaned = raw.replace(",", "").strip()
    if not cleaned:
        raise ValueError("is empty")
    try:
        value = kind(float(cleaned)) if kind is int and cleaned.endswith(".0") else kind(cleaned)
    except ValueError:
        raise ValueError(f"{raw!r} is not a {'whole number' if kind is int else 'number'}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{raw!r} is not a finite number")
    if minimum is not None and value < minimum:
        raise ValueError(f"{raw} is below {minimum:g}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{raw} is above {maximum:g}")
    return value


def changed_fields(instance: object, values: Mapping[str, object]) -> list[str]:
    """The fields whose stored value differs from the imported one."""
    return [name for name, value in values.items() if getattr(instance, name) != value]


def upsert(
    model: type,
    existing: Mapping[str, object],
    planned: Mapping[str, Mapping[str, object]],
    report: ImportReport,
    *,
    key_field: str,
    extra: Mapping[str, object] | None = None,
    batch_size: int = 500,
) -> None:
    """Create the planned records that are new and update those that changed, in bulk.

    `existing` maps key -> stored instance; `planned` maps key -> field values from the file.
    Call inside a transaction: the caller decides what is atomic.
    """
    to_create, to_update, update_fields = [], [], set()
    for key, values in planned.items():
        instance = existing.get(key)
        if instance is None:
            to_create.append(model(**{key_field: key}, **(extra or {}), **values))
            continue
        diff = changed_fields(instance, values)
        if not diff:
            report.unchanged += 1
            continue
        for name in diff:
            setattr(instance, name, values[name])
        update_fields.update(diff)
        to_update.append(instance)
    model.objects.bulk_create(to_create, batch_size=batch_size)  # type: ignore[attr-defined]
    if to_update:
        model.objects.bulk_update(to_update, sorted(update_fields), batch_size=batch_size)  # type: ignore[attr-defined]
    report.created += len(to_create)
    report.updated += len(to_update)
