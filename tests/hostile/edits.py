"""Edits that turn a copy of the shipped project (data/ = sample_data, rules/) into a hostile one.

Each helper returns an edit: a function of the workspace folder. Rows are the rows a
spreadsheet shows (the header is row 1); CSV files are the sample's UTF-8 with BOM."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable

Edit = Callable[[Path], None]
SAMPLE_ENCODING = "utf-8-sig"


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(SAMPLE_ENCODING), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), SAMPLE_ENCODING)


def cell(file: str, row: int, column: str, value: str) -> Edit:
    """Sets one cell of data/file, quoted as the csv module does when the value needs it."""
    def edit(ws: Path) -> None:
        rows = _rows(ws / "data" / file)
        rows[row - 1][rows[0].index(column)] = value
        _write_rows(ws / "data" / file, rows)
    return edit


def columns(file: str, change: Callable[[list[list[str]]], list[list[str]]]) -> Edit:
    """Rewrites data/file's rows (header included) through change."""
    def edit(ws: Path) -> None:
        _write_rows(ws / "data" / file, change(_rows(ws / "data" / file)))
    return edit


def drop_column(file: str, column: str) -> Edit:
    def change(rows):
        at = rows[0].index(column)
        return [r[:at] + r[at + 1:] for r in rows]
    return columns(file, change)


def rename_column(file: str, old: str, new: str) -> Edit:
    return columns(file, lambda rows: [[new if h == old else h for h in rows[0]], *rows[1:]])


def repeat_column(file: str, column: str) -> Edit:
    def change(rows):
        at = rows[0].index(column)
        return [r + [r[at]] for r in rows]
    return columns(file, change)


def keep_rows(file: str, count: int) -> Edit:
    """Keeps the header and the first count data rows."""
    return columns(file, lambda rows: rows[:count + 1])


def line(file: str, number: int, text: str) -> Edit:
    """Replaces physical line number of data/file with raw text (no quoting)."""
    def edit(ws: Path) -> None:
        lines = (ws / "data" / file).read_text(SAMPLE_ENCODING).split("\n")
        lines[number - 1] = text
        (ws / "data" / file).write_text("\n".join(lines), SAMPLE_ENCODING)
    return edit


def append(file: str, text: str) -> Edit:
    def edit(ws: Path) -> None:
        with (ws / "data" / file).open("a", encoding="utf-8", newline="") as stream:
            stream.write(text)
    return edit


def raw_bytes(file: str, content: bytes | Callable[[bytes], bytes]) -> Edit:
    """Writes data/file as bytes: given, or made from its current bytes."""
    def edit(ws: Path) -> None:
        path = ws / "data" / file
        path.write_bytes(content(path.read_bytes()) if callable(content) else content)
    return edit


def reencode(encoding: str, *files: str) -> Edit:
    """Re-encodes data files (default: every CSV) from the sample's UTF-8 with BOM."""
    def edit(ws: Path) -> None:
        for path in [ws / "data" / f for f in files] or sorted((ws / "data").glob("*.csv")):
            path.write_text(path.read_text(SAMPLE_ENCODING), encoding)
    return edit


def text(relative: str, old: str, new: str) -> Edit:
    """Replaces old (which must occur) by new in a text file of the workspace."""
    def edit(ws: Path) -> None:
        path = ws / relative
        content = path.read_text("utf-8")
        assert old in content, f"{old!r} is not in {relative}"
        path.write_text(content.replace(old, new, 1), "utf-8")
    return edit


def split(file: str, rows: int, first: str, second: str) -> Edit:
    """Splits data/file into first (the header and its first rows data rows) and second (the
    header and the rest)."""
    def edit(ws: Path) -> None:
        table = _rows(ws / "data" / file)
        (ws / "data" / file).unlink()
        _write_rows(ws / "data" / first, table[:rows + 1])
        _write_rows(ws / "data" / second, table[:1] + table[rows + 1:])
    return edit


def mapping(old: str, new: str) -> Edit:
    return text("data/mapping.yaml", old, new)


def write(relative: str, content: str | bytes) -> Edit:
    def edit(ws: Path) -> None:
        path = ws / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return edit


def symlink(relative: str, target: Callable[[Path], Path]) -> Edit:
    """Replaces a workspace file with a symbolic link to target(workspace)."""
    def edit(ws: Path) -> None:
        (ws / relative).unlink()
        (ws / relative).symlink_to(target(ws))
    return edit


def both(*edits: Edit) -> Edit:
    def edit(ws: Path) -> None:
        for one in edits:
            one(ws)
    return edit
