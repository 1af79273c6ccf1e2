"""Data-quality findings: one row per value the checks could not use, with file, row and column."""
from __future__ import annotations

import numpy as np
import pandas as pd

FINDING_COLUMNS = ["kind", "table", "file", "row", "column", "value", "message"]


def findings_frame(table: str, file: str, rows: np.ndarray | pd.Series, column: str,
                   values: np.ndarray | pd.Series | list, kind: str,
                   messages: np.ndarray | pd.Series | list | str) -> pd.DataFrame:
    return pd.DataFrame({"kind": kind, "table": table, "file": file, "row": np.asarray(rows, dtype=np.int64),
                         "column": column, "value": np.asarray(values, dtype=object),
                         "message": messages if isinstance(messages, str) else np.asarray(messages, dtype=object)})


def shorten(values: list, limit: int = 80) -> list:
    """Values as shown in a finding: long text is cut, so one bad cell cannot flood a report."""
    return [v if v is None or len(str(v)) <= limit else str(v)[:limit] + "…" for v in values]


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FINDING_COLUMNS})


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty_findings()
