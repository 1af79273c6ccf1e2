"""Writing report files: atomically, only inside the output folder, deterministic bytes."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from collections.abc import Iterable, Iterator, Mapping

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..load.buffers import text_buffers
from ..results.columns import text_column
from .jsontext import compact_bytes, each_encoded, indented, records_joined


def write_atomic(folder: Path, name: str, text: str | bytes | Iterable[str | bytes]) -> Path:
    """Write folder/name via a temporary file and a rename, so readers never see half a file.
    The text may come in pieces, so a large report is never held whole in memory; a piece
    already encoded (UTF-8 bytes) is written as it is."""
    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"report name {name!r} must be a plain file name")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); a report is meant to be shared like any file the user writes.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            for piece in [text] if isinstance(text, (str, bytes)) else text:
                handle.write(piece.encode() if isinstance(piece, str) else piece)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def results_json_pieces(results: dict) -> Iterator[bytes]:
    """The results document: indented at the top, one line per record in the long lists
    (violations, not-evaluable records, findings) and a line per column of a mapping of
    columns (the time lines), so a diff or a grep shows whole records."""
    yield b"{"
    for i, (name, value) in enumerate(results.items()):
        yield (b"," if i else b"") + b"\n  " + compact_bytes(name) + b": "
        if hasattr(value, "json_pieces"):
            # Records kept as columns (results.columns) write their own JSON lines.
            yield from _lines_in_list(value.json_pieces(), b",\n    ")
        elif isinstance(value, list) and value and isinstance(value[0], dict) and value[0]:
            yield b"[\n    "
            for start in range(0, len(value), _RECORDS_PER_PIECE):
                yield (b",\n    " if start else b"") + records_joined(value[start:start + _RECORDS_PER_PIECE], b",\n    ")
            yield b"\n  ]"
        elif hasattr(value, "json_columns") or _columns_mapping(value):
            # Columns that can write their own JSON (the time lines) are never made lists here.
            columns = value.json_columns() if hasattr(value, "json_columns") else \
                ((column, [compact_bytes(values)]) for column, values in value.items())
            yield b"{\n    "
            for j, (column, pieces) in enumerate(columns):
                yield (b",\n    " if j else b"") + compact_bytes(column) + b": "
                yield from pieces
            yield b"\n  }"
        else:
            yield indented(value).replace(b"\n", b"\n  ")
    yield b"\n}\n"


_RECORDS_PER_PIECE = 10_000


def _lines_in_list(pieces: Iterator[pa.Array], separator: bytes) -> Iterator[bytes | memoryview]:
    """A JSON list of the lines of arrow text, one per line: the bytes of each piece written as they are."""
    first = True
    for lines in pieces:
        offsets, data = text_buffers(pc.binary_join_element_wise(separator.decode(), lines, ""))
        if first:
            yield b"[\n    "
        yield memoryview(data[offsets[0] + (len(separator) if first else 0):offsets[-1]])
        first = False
    yield b"[]" if first else b"\n  ]"


def _columns_mapping(value: object) -> bool:
    return isinstance(value, Mapping) and bool(value) and all(isinstance(v, list) for v in value.values())


VIOLATION_COLUMNS = ["rule_id", "severity", "clause", "table", "key", "owner_id", "owner_name", "supervisor_id",
                     "supervisor_name", "message_zh", "message_en", "evidence", "status", "fingerprint"]
_PLAIN_COLUMNS = set(VIOLATION_COLUMNS) - {"message_zh", "message_en", "evidence"}
# A cell that a spreadsheet would run as a formula starts with one of these.
_FORMULA = "^[=+\\-@\t\r]"


def violations_csv_pieces(results: dict) -> Iterator[str | bytes]:
    """violations.csv for Excel: a byte-order mark, then one row per violation, written by
    arrow's CSV writer from whole columns."""
    table = _violations_table(results["violations"])
    yield "\ufeff"  # Excel opens UTF-8 Chinese text correctly only with a BOM
    for start in range(0, max(len(table), 1), _CSV_ROWS_PER_PIECE):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table.slice(start, _CSV_ROWS_PER_PIECE), sink,
                        pacsv.WriteOptions(include_header=not start, quoting_style="needed"))
        yield sink.getvalue().to_pybytes()


_CSV_ROWS_PER_PIECE = 100_000


def _violations_table(violations) -> pa.Table:
    """The violations as the CSV's columns, from the blocks of columns results keep them in or,
    for a list of records (results changed by triage), from the records."""
    if hasattr(violations, "blocks"):
        parts = [block.flat_columns() for block in violations.blocks]
    else:
        parts = [{c: text_column([v.get(c) for v in violations]) for c in VIOLATION_COLUMNS if c in _PLAIN_COLUMNS}]
        parts[0]["message_zh"] = text_column([v["message"]["zh"] for v in violations])
        parts[0]["message_en"] = text_column([v["message"]["en"] for v in violations])
        parts[0]["evidence"] = text_column(each_encoded([v["evidence"] for v in violations], sort_keys=True))
    columns = {c: pa.chunked_array([p[c] for p in parts], pa.string()) for c in VIOLATION_COLUMNS}
    return pa.table({c: neutralised(column) for c, column in columns.items()})


def neutralised(text: pa.Array) -> pa.Array:
    """Text that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    formula = pc.fill_null(pc.match_substring_regex(text, _FORMULA), False)
    if not pc.any(formula).as_py():
        return text
    return pc.if_else(formula, pc.binary_join_element_wise("'", text, ""), text)
