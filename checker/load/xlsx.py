"""Reading one worksheet of an Excel workbook (.xlsx, .xlsm, .xls, .ods) with python-calamine,
the optional `xlsx` extra.

Every cell becomes the text a CSV export of the same sheet would hold (a whole number without
".0", a date as YYYY-MM-DD, a time as YYYY-MM-DD HH:MM:SS), so a workbook and a CSV export of
the same data are typed by the same code and give the same results. Rows with no value in any
cell are skipped; the others keep the row number Excel shows."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..problems import did_you_mean


def read_sheet(path: Path, sheet: str | None) -> tuple[pa.Table, np.ndarray]:
    """The sheet as text columns named by its first row, and the Excel row of each table row."""
    from python_calamine import CalamineWorkbook   # the optional extra: imported only when a workbook is read

    book = CalamineWorkbook.from_path(str(path))
    if sheet is not None and sheet not in book.sheet_names:
        raise ValueError(f"no sheet '{sheet}'{did_you_mean(sheet, book.sheet_names)}; "
                         f"the workbook has {', '.join(book.sheet_names)}")
    found = book.get_sheet_by_name(sheet) if sheet is not None else book.get_sheet_by_index(0)
    cells = found.to_python(skip_empty_area=False)
    first = next((i for i, row in enumerate(cells) if any(cell_text(v) for v in row)), None)
    if first is None:
        raise ValueError("the sheet is empty (no header row)")
    header = [cell_text(v) or "" for v in cells[first]]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise ValueError(f"row {first + 1}: column '{repeated[0]}' appears more than once in the header")
    body = [(i, row) for i, row in enumerate(cells[first + 1:], first + 2) if any(cell_text(v) for v in row)]
    columns = {name: pa.array([cell_text(row[j]) if j < len(row) else None for _, row in body], pa.string())
               for j, name in enumerate(header) if name}
    return pa.table(columns), np.array([i for i, _ in body], dtype=np.int64)


def cell_text(value: object) -> str | None:
    """A typed cell as the text a CSV export would hold (None for an empty cell)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2 ** 53 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)
