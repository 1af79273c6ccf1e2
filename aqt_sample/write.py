"""Files on disk: export CSVs under the mapping's names and headers, plus the answer key."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .spec import Layout


def write_table(path: Path, layout: Layout, frames: Iterable[pd.DataFrame] | pd.DataFrame, encoding: str,
                append: bool = False) -> int:
    """Write data-model columns under the export's headers, in the mapping's column order; with
    append, after the rows the file holds (its header is written already)."""
    if isinstance(frames, pd.DataFrame):
        frames = [frames]
    rows = 0
    with open(path, "a" if append else "w", encoding=encoding, newline="") as handle:
        if not append:
            csv.writer(handle, lineterminator="\n").writerow(layout.headers.values())
        for frame in frames:
            frame[list(layout.headers)].to_csv(handle, index=False, header=False, lineterminator="\n")
            rows += len(frame)
    return rows


def write_expected(path: Path, rows: list[tuple[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["rule_id", "key"])
        writer.writerows(rows)
