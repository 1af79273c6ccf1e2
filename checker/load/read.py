"""Reading one export file into an arrow table, every data path confined to the data folder.

CSV is read by arrow's multi-threaded reader with every column as text (types are the
data model's business, applied afterwards with findings for what does not fit). When that
read fails, the file is read again by one thread: arrow then knows the row of each problem,
rows with the wrong number of fields can be set aside and reported, and a failed parallel
read is never the last thing the reader's thread pool did."""
from __future__ import annotations

import codecs
import csv
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..problems import UserError
from .xlsx import read_sheet

try:
    from python_calamine import CalamineError
except ImportError:   # without the xlsx extra no workbook is read, so none of its errors can happen
    class CalamineError(Exception):
        pass

_WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")
_LABEL = pa.dictionary(pa.int32(), pa.string())
_BLOCK = 1 << 24
# The longest cell read: longer ones are nearly always a quote left open, which joins the rest
# of the file into one cell.
MAX_CELL = 16 << 20
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class DataError(UserError):
    """The export cannot be read at all (exit code 3)."""

    def __init__(self, message: str):
        super().__init__(message, exit_code=3)


@dataclass(frozen=True)
class RaggedRow:
    row: int
    fields: int
    expected: int
    text: str


@dataclass(frozen=True)
class Export:
    """One file's table, and the rows that could not be read into it (CSV rows whose number
    of fields differs from the header's: they are left out, and reported)."""

    table: pa.Table
    ragged: tuple[RaggedRow, ...] = field(default=())
    rows: np.ndarray | None = None       # the row of each table row, when the reader knows it
    # Rows that repeat the key of an earlier record this export does not hold (one in another
    # bucket of a dataset): they are dropped as repeated keys are.
    repeats: np.ndarray | None = None

    def row_numbers(self) -> np.ndarray:
        """The row a spreadsheet shows for each table row (the header is row 1)."""
        if self.rows is not None:
            return self.rows
        every = np.arange(2, self.table.num_rows + len(self.ragged) + 2, dtype=np.int64)
        return np.setdiff1d(every, [r.row for r in self.ragged], assume_unique=True) if self.ragged else every


def confined(folder: Path, name: str) -> Path:
    """folder/name, refused when it would lead outside the data folder (through '..', an
    absolute name or a symbolic link)."""
    path = folder / name
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        raise DataError(f"{path}: leads outside the data folder '{folder}' (to {path.resolve()}); "
                        "put the export file itself in the data folder") from None
    return path


def read_export(path: Path, encoding: str, sheet: str | None = None, labels: frozenset[str] = frozenset()) -> Export:
    """labels: CSV columns read dictionary-encoded (few distinct values, such as steps and
    stages), so their text is looked at once per distinct value, by the reader's threads."""
    if not path.is_file():
        raise DataError(f"{path}: file not found; check the data folder and the mapping's file names")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return _bounded(path, _read_csv(path, encoding, labels))
        if suffix in (".jsonl", ".ndjson"):
            return Export(arrow_from_pandas(pd.read_json(path, lines=True, dtype=False, encoding=encoding)))
        if suffix == ".json":
            return Export(arrow_from_pandas(pd.read_json(path, dtype=False, encoding=encoding)))
        if suffix == ".parquet":
            return Export(pq.read_table(path))
        if suffix in _WORKBOOKS:
            table, rows = read_sheet(path, sheet)
            return Export(table, rows=rows)
    except ImportError as exc:
        raise DataError(f"{path}: reading {suffix} files needs an extra package ({exc.name}); "
                        "install it with pip install 'checker[xlsx]'") from None
    except (ValueError, OSError, UnicodeDecodeError, pa.ArrowInvalid, CalamineError) as exc:
        raise DataError(f"{path}: cannot be read as {suffix[1:]} ({_first_line(exc)}); "
                        "check the file and the mapping's encoding") from None
    raise DataError(f"{path}: unsupported file type '{suffix}'; use .csv, .xlsx, .json, .jsonl or .parquet")



def _read_csv(path: Path, encoding: str, labels: frozenset[str]) -> Export:
    encoding = _file_encoding(path, encoding)
    names = _header(path, encoding)
    # Arrow skips a UTF-8 byte-order mark itself; other encodings are transcoded while reading.
    arrow_encoding = "utf8" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding
    convert = pacsv.ConvertOptions(column_types={n: _LABEL if n in labels else pa.string() for n in names},
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    try:
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding=arrow_encoding, block_size=_BLOCK),
                               convert_options=convert, parse_options=pacsv.ParseOptions(newlines_in_values=True))
        return Export(table)
    except pa.ArrowInvalid:
        pass   # read again by one thread, below
    ragged: list[RaggedRow] = []
    parse = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=lambda row: _set_aside(row, ragged))
    read = pacsv.ReadOptions(encoding=arrow_encoding, block_size=_BLOCK, use_threads=False)
    undecodable: list[BaseException] = []
    try:
        # A ragged row whose bytes are not text fails before it reaches the handler, as an
        # "exception ignored" that would be printed; it is caught here, and the read then fails.
        with _unraisable_kept(undecodable):
            table = pacsv.read_csv(path, read_options=read, convert_options=convert, parse_options=parse)
    except pa.ArrowInvalid as exc:
        raise DataError(_parse_message(path, exc, encoding, bool(undecodable))) from None
    return Export(table, tuple(ragged))


@contextmanager
def _unraisable_kept(kept: list[BaseException]):
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: kept.append(unraisable.exc_value)
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _set_aside(row, ragged: list[RaggedRow]) -> str:
    if row.text.strip():   # a blank line holds nothing to lose
        ragged.append(RaggedRow(row.number, row.actual_columns, row.expected_columns, row.text))
    return "skip"


def _file_encoding(path: Path, declared: str) -> str:
    """The declared encoding, unless the file starts with a byte-order mark, which says what it is."""
    with path.open("rb") as stream:
        start = stream.read(4)
    return next((name for bom, name in _BOMS if start.startswith(bom)), declared)


def _header(path: Path, encoding: str) -> list[str]:
    name = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    csv.field_size_limit(MAX_CELL)
    # Text is decoded a block at a time: bytes that do not decode are marked, not raised, so a
    # bad byte further down the file is left for the reader, which knows its row.
    try:
        with path.open(encoding=name, errors="replace", newline="") as stream:
            header = next(csv.reader(stream), None)
    except csv.Error as exc:
        raise DataError(f"{path}: row 1 (the header) cannot be read ({exc}); check the file") from None
    if header and any("\ufffd" in h or not h.replace("\t", " ").isprintable() for h in header):
        raise DataError(f"{path}: row 1 is not {encoding} text; {_encoding_advice(encoding)}")
    if not header or not any(h.strip() for h in header):
        raise DataError(f"{path}: the file is empty (no header row); export the table again with its header")
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise DataError(f"{path}: row 1: column '{repeated[0]}' appears more than once in the header; "
                        "rename or remove the repeated column")
    return header


def _parse_message(path: Path, exc: pa.ArrowInvalid, encoding: str, undecodable: bool) -> str:
    text = _first_line(exc)
    row = re.search(r"Row #(\d+)", text)
    where = f"row {row.group(1)}: " if row else ""
    if "invalid UTF8" in text or undecodable:
        return f"{path}: {where}the text is not {encoding}; {_encoding_advice(encoding)}"
    if "straddl" in text:
        line = _long_line(path)
        return (f"{path}: {f'line {line}: ' if line else ''}a row longer than {_BLOCK >> 20} MB, the most a row may hold; "
                "a quote left open joins the following lines into one: check the export")
    detail = re.sub(r"^(In CSV column #\d+: )?(CSV (parse|conversion) error: )?(Row #\d+: )?", "", text)
    return f"{path}: {where}cannot be read as CSV ({detail}); check the file"


def _long_line(path: Path) -> int | None:
    """The number of the first line longer than a read block, if any."""
    with path.open("rb") as stream:
        for number, line in enumerate(iter(lambda: stream.readline(_BLOCK + 1), b""), 1):
            if len(line) > _BLOCK:
                return number
    return None


def _encoding_advice(encoding: str) -> str:
    if codecs.lookup(encoding).name.startswith("utf-8"):
        return "a Chinese Excel export is usually GB18030: add 'encoding: gb18030' to the mapping"
    return "set the file's real encoding in the mapping (e.g. encoding: utf-8)"


def _bounded(path: Path, export: Export) -> Export:
    """The export, refused when one of its cells is longer than MAX_CELL."""
    for name in export.table.column_names:
        column = export.table.column(name)
        if pa.types.is_dictionary(column.type) or not len(column):
            continue
        lengths = pc.binary_length(column)
        longest = pc.max(lengths).as_py() or 0
        if longest > MAX_CELL:
            index = pc.index(lengths, longest).as_py()
            raise DataError(f"{path}: row {export.row_numbers()[index]}, column '{name}': a cell of "
                            f"{longest >> 20} MB, more than the {MAX_CELL >> 20} MB a cell may hold; "
                            "a quote left open joins the following lines into one cell: check the export")
    return export


def arrow_from_pandas(frame: pd.DataFrame) -> pa.Table:
    """A pandas-read file as arrow: columns arrow can type keep their type, the rest become text."""
    columns = {}
    for name in frame.columns:
        try:
            column = pa.array(frame[name], from_pandas=True)
            # The typing code reads text as arrow's plain string type; an all-empty column is text too.
            plain = pa.types.is_large_string(column.type) or pa.types.is_null(column.type)
            columns[str(name)] = column.cast(pa.string()) if plain else column
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[str(name)] = pa.array([None if _missing(v) else str(v) for v in frame[name]], pa.string())
    return pa.table(columns) if columns else pa.table({})


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
