"""What `checker mapping init` reads of an export: its first rows only, so a gigabyte export
is proposed in about a second, and what the times among them say (the date format they are
written in, the UTC offsets they carry).

CSV and JSON Lines are streamed and Parquet is read by its first batch; a JSON document and a
workbook cannot be read in part, so they are read whole and cut."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .load.read import DataError, arrow_from_pandas, read_export

SAMPLE_ROWS = 10_000
_LONGEST_CELL = 16 << 20       # as the loader's bound: a longer cell is refused there too
_FORMAT_SAMPLES = 200          # distinct values tried against each date format
# Dates the loader reads without a format: year first, with -, / or ., an optional clock and offset.
_READ_AS_IS = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_OFFSET = re.compile(r"\d[ T]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$")
_DAYS = ("%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y年%m月%d日", "%Y%m%d")
FORMATS = tuple(day + clock for day in _DAYS for clock in ("", " %H:%M", " %H:%M:%S")) \
    + ("%Y年%m月%d日%H:%M", "%Y年%m月%d日%H:%M:%S", "%Y年%m月%d日 %H时%M分")


def detect_encoding(path: Path) -> str:
    """utf-8-sig with a byte-order mark, utf-8 when the start decodes as it, else gb18030."""
    with path.open("rb") as stream:
        start = stream.read(1 << 20)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        start.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(start) - 3:   # not merely a character cut at the end of the block
            return "gb18030"
    return "utf-8"


def read_sample(path: Path, encoding: str, rows: int = SAMPLE_ROWS) -> pa.Table:
    """The header and first `rows` rows of an export, as text where the format has no types."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return _csv_sample(path, encoding, rows)
        if suffix in (".jsonl", ".ndjson"):
            with path.open(encoding=encoding) as stream:
                lines = "".join(islice(stream, rows))
            return arrow_from_pandas(pd.read_json(io.StringIO(lines), lines=True, dtype=False)) if lines.strip() \
                else pa.table({})
        if suffix == ".parquet":
            first = next(pq.ParquetFile(path).iter_batches(batch_size=rows), None)
            return pa.Table.from_batches([first]) if first is not None else pq.read_schema(path).empty_table()
    except (ValueError, OSError, UnicodeDecodeError, csv.Error, pa.ArrowInvalid) as exc:
        raise DataError(f"{path}: cannot be read as {suffix[1:]} ({str(exc).splitlines()[0]}); "
                        "check the file") from None
    return read_export(path, encoding).table.slice(0, rows)


def _csv_sample(path: Path, encoding: str, rows: int) -> pa.Table:
    csv.field_size_limit(_LONGEST_CELL)
    with path.open(encoding=encoding, newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        body = list(islice(reader, rows))
    columns = [pa.array([row[i] if i < len(row) and row[i] != "" else None for row in body], pa.string())
               for i in range(len(header))]
    return pa.Table.from_arrays(columns, names=header)


@dataclass(frozen=True)
class TimeShape:
    """How a column's times are written: the format the loader needs (None: it reads them as
    they are), the other formats they fit as well (day and month either way), and the UTC
    offsets they carry."""

    format: str | None = None
    also: tuple[str, ...] = ()
    offsets: frozenset[str] = frozenset()
    unknown: str | None = None     # a value no format fits, to show


def time_shape(samples: list[str]) -> TimeShape:
    offsets = frozenset(m.group(1) for s in samples if (m := _OFFSET.search(s)))
    odd = list(dict.fromkeys(s for s in samples if not _READ_AS_IS.match(s)))[:_FORMAT_SAMPLES]
    if not odd:
        return TimeShape(offsets=offsets)
    fitting = [f for f in FORMATS if all(_fits(s, f) for s in odd)]
    if not fitting:
        return TimeShape(offsets=offsets, unknown=odd[0])
    return TimeShape(fitting[0], tuple(fitting[1:]), offsets)


def _fits(text: str, fmt: str) -> bool:
    try:
        dt.datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def offset_zone(offsets: set[str]) -> str | None:
    """The fixed-offset IANA zone of one whole-hour offset (+08:00 is Etc/GMT-8: the sign is
    POSIX's), or None when the times carry several offsets or none."""
    if len(offsets) != 1:
        return None
    offset = next(iter(offsets))
    if offset == "Z":
        return "UTC"
    hours, minutes = int(offset[1:3]), int(offset[-2:])
    if minutes:
        return None      # no IANA zone is a fixed half or quarter hour
    return f"Etc/GMT{'-' if offset[0] == '+' else '+'}{hours}" if hours else "UTC"
