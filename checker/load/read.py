"""Reading one export file into an arrow table, every data path confined to the data folder.

CSV is read by arrow's multi-threaded reader with every column as text (types are the
data model's business, applied afterwards with findings for what does not fit)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..problems import UserError

_LABEL = pa.dictionary(pa.int32(), pa.string())
_UTF8 = {"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"}


class DataError(UserError):
    """The export cannot be read at all (exit code 3)."""

    def __init__(self, message: str):
        super().__init__(message, exit_code=3)


def confined(folder: Path, name: str) -> Path:
    """folder/name, refused when it would lead outside the data folder."""
    path = folder / name
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        raise DataError(f"{path}: the mapping names a file outside the data folder '{folder}'; "
                        "give file names relative to the data folder") from None
    return path


def read_export(path: Path, encoding: str, sheet: str | None = None, labels: frozenset[str] = frozenset()) -> pa.Table:
    """labels: CSV columns read dictionary-encoded (few distinct values, such as steps and
    stages), so their text is looked at once per distinct value, by the reader's threads."""
    if not path.exists():
        raise DataError(f"{path}: file not found; check the data folder and the mapping's file names")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return _read_csv(path, encoding, labels)
        if suffix in (".jsonl", ".ndjson"):
            return arrow_from_pandas(pd.read_json(path, lines=True, dtype=False, encoding=encoding))
        if suffix == ".json":
            return arrow_from_pandas(pd.read_json(path, dtype=False, encoding=encoding))
        if suffix == ".parquet":
            return pq.read_table(path)
        if suffix in (".xlsx", ".xlsm"):
            return arrow_from_pandas(pd.read_excel(path, sheet_name=sheet or 0, dtype=object))
    except ImportError as exc:
        raise DataError(f"{path}: reading {suffix} files needs an extra package ({exc.name}); "
                        "install it with pip install 'checker[xlsx]'") from None
    except (ValueError, OSError, UnicodeDecodeError, pa.ArrowInvalid) as exc:
        raise DataError(f"{path}: cannot be read as {suffix[1:]} ({_first_line(exc)}); "
                        "check the file and the mapping's encoding") from None
    raise DataError(f"{path}: unsupported file type '{suffix}'; use .csv, .xlsx, .json, .jsonl or .parquet")


def _read_csv(path: Path, encoding: str, labels: frozenset[str]) -> pa.Table:
    # Arrow skips a UTF-8 byte-order mark itself; other encodings are transcoded while reading.
    read = pacsv.ReadOptions(encoding="utf8" if encoding.lower() in _UTF8 else encoding, block_size=1 << 24)
    types = {name: _LABEL if name in labels else pa.string() for name in _header(path, read)}
    convert = pacsv.ConvertOptions(column_types=types,
                                   strings_can_be_null=False,
                                   quoted_strings_can_be_null=False)
    return pacsv.read_csv(path, read_options=read, convert_options=convert,
                          parse_options=pacsv.ParseOptions(newlines_in_values=True))


def _header(path: Path, read: pacsv.ReadOptions) -> list[str]:
    with pacsv.open_csv(path, read_options=pacsv.ReadOptions(encoding=read.encoding, block_size=1 << 16),
                        parse_options=pacsv.ParseOptions(newlines_in_values=True)) as reader:
        return reader.schema.names


def arrow_from_pandas(frame: pd.DataFrame) -> pa.Table:
    """A pandas-read file as arrow: columns arrow can type keep their type, the rest become text."""
    columns = {}
    for name in frame.columns:
        try:
            columns[str(name)] = pa.array(frame[name], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[str(name)] = pa.array([None if _missing(v) else str(v) for v in frame[name]], pa.string())
    return pa.table(columns) if columns else pa.table({})


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
