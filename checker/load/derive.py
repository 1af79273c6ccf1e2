"""What a mapping adds to a table beyond its columns, each with the expression language of the
rules (checker/expr: parsed and whitelisted, never eval):

    defaults: {channel: 系统}                       # an empty cell reads as this (as the export writes it)
    derived:  {discount_pct: "discount * 100"}      # a field computed from the table's own fields,
                                                    # read or derived (in the order they use each other)
    where:    'lifecycle == "complete"'             # only rows for which this is true are checked

A derived value goes through the same value map and typing as a read one. Rows the filter
leaves out are counted in a `filtered_out` finding, so none is lost without a word."""
from __future__ import annotations

import datetime as dt
import re
from graphlib import CycleError, TopologicalSorter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..expr import Column, CompiledExpr, compile_expression
from ..expr.types import KIND_TYPE
from ..model import TableSpec
from .coerce import clean_text
from .findings import combine, findings_frame


def own_columns(spec: TableSpec) -> dict[str, Column]:
    """A table's fields as its expressions see them: its own only, as nothing is linked yet."""
    return {c.name: Column(c.name, c.type, c.values) for c in spec.columns.values()}


def compile_derived(text: str, spec: TableSpec, field: str, tz: str | None) -> CompiledExpr:
    """Raises ExprError when text is not an expression giving the field's type."""
    return compile_expression(text, own_columns(spec), {}, tz, KIND_TYPE[spec.columns[field].type])


def derived_in_order(derived: dict[str, str], spec: TableSpec, tz: str | None) -> list[tuple[str, CompiledExpr]]:
    """The derived fields compiled, each after the derived fields it uses. The mapping's checks
    refuse a cycle (derived_cycle), so none is met here."""
    compiled = {field: compile_derived(text, spec, field, tz) for field, text in derived.items()}
    order = TopologicalSorter({field: expr.columns & set(derived) for field, expr in compiled.items()})
    return [(field, compiled[field]) for field in order.static_order()]


def derived_cycle(uses: dict[str, set[str]]) -> list[str] | None:
    """A cycle among derived fields (each field: the derived fields it uses), as the fields
    along it with the first repeated at the end (a -> b -> a), or None."""
    try:
        tuple(TopologicalSorter(uses).static_order())
    except CycleError as exc:
        cycle = exc.args[1][::-1]     # graphlib lists it against the direction of use
        start = cycle.index(min(cycle[:-1]))
        return cycle[start:-1] + cycle[:start] + [cycle[start]]
    return None


def compile_filter(text: str, spec: TableSpec, tz: str | None) -> CompiledExpr:
    return compile_expression(text, own_columns(spec), {}, tz, "boolean")


def default_text(value: object) -> str:
    """A default from the mapping as an export would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def with_default(source: pa.ChunkedArray, value: object) -> pa.ChunkedArray:
    """The column with its empty cells (after trimming) holding the default's text."""
    return pc.fill_null(clean_text(source), default_text(value))


def derived_source(values: pd.Series) -> pa.ChunkedArray:
    """An expression's values as a column a reader could have given: times keep their instants,
    numbers stay numbers, true/false and text become text."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return pa.chunked_array([pa.array(values)])
    if pd.api.types.is_bool_dtype(values):
        text = np.where(values.fillna(False).to_numpy(bool), "true", "false")
        return pa.chunked_array([pa.array(text, mask=values.isna().to_numpy(bool), type=pa.string())])
    if pd.api.types.is_numeric_dtype(values):
        return pa.chunked_array([pa.array(values.to_numpy(np.float64, na_value=np.nan), from_pandas=True)])
    return pa.chunked_array([pa.array(values.astype(object).where(values.notna(), None), pa.string())])


def kept_rows(frame: pd.DataFrame, expr: CompiledExpr) -> np.ndarray:
    """Where the filter is true; a row it cannot judge (an empty field) is left out too."""
    return expr.evaluate(frame).fillna(False).to_numpy(dtype=bool)


def filter_finding(table: str, file: str, text: str, kept: np.ndarray) -> pd.DataFrame:
    return _filter_finding(table, file, text, int(kept.sum()), len(kept))


def _filter_finding(table: str, file: str, text: str, kept: int, rows: int) -> pd.DataFrame:
    return findings_frame(table, file, [1], "", [text], "filtered_out", _FILTERED.format(kept=kept, rows=rows,
                                                                                          dropped=rows - kept))


_FILTERED = "the mapping's where: kept {kept} of {rows} rows; {dropped} rows are left out of the checks"
_FILTERED_COUNTS = re.compile(re.escape(_FILTERED).replace(r"\{kept\}", r"(\d+)").replace(r"\{rows\}", r"(\d+)")
                              .replace(r"\{dropped\}", r"\d+"))


def filter_findings_summed(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings of parts of one table (the buckets of a dataset) with the filter's counts of
    each file summed into one finding, as a read of the whole file would have counted them."""
    filtered = (findings["kind"] == "filtered_out").to_numpy()
    if filtered.sum() < 2:
        return findings
    summed = []
    for (table, file, text), group in findings[filtered].groupby(["table", "file", "value"], sort=False):
        counts = np.array([[int(n) for n in _FILTERED_COUNTS.fullmatch(m).groups()] for m in group["message"]])
        summed.append(_filter_finding(table, file, text, *(int(n) for n in counts.sum(axis=0))))
    return combine([findings[~filtered], *summed])
