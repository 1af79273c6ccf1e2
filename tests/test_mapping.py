"""The mapping language beyond reading one file per table: the mapping examples in the docs
validate against the shipped data model."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.load.mapping import mapping_file_problems
from checker.model import load_datamodel

ROOT = Path(__file__).resolve().parents[1]
MODEL = load_datamodel(ROOT / "rules" / "datamodel.yaml")


def _yaml_blocks(doc: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", doc.read_text("utf-8"), re.S)


@pytest.mark.parametrize("doc", ["mapping-database.md"])
def test_the_mapping_examples_in_the_docs_are_valid(doc, tmp_path):
    blocks = _yaml_blocks(ROOT / "docs" / doc)
    assert blocks
    for number, block in enumerate(blocks):
        path = tmp_path / f"example-{number}.yaml"
        path.write_text(block, "utf-8")
        assert mapping_file_problems(path, MODEL, path.name) == []


# ---------------------------------------------------------------- defaults, derived fields, the row filter

import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402

from checker.load.dataset import build_table  # noqa: E402
from checker.model import ColumnSpec, TableSpec  # noqa: E402

EVENTS = TableSpec("events", "id", {
    "id": ColumnSpec("id", "string"), "step": ColumnSpec("step", "step", ("contract_signed", "payment_received")),
    "channel": ColumnSpec("channel", "enum", ("phone", "system")), "net": ColumnSpec("net", "number"),
    "amount": ColumnSpec("amount", "number"), "gross": ColumnSpec("gross", "number"),
    "lifecycle": ColumnSpec("lifecycle", "string")})
RAW = pa.table({"编号": ["A1", "A2", "A3", "A4"], "步骤": ["Contract Signed", "payment-received", "contract_signed", "签约"],
                "渠道": ["电话", "", None, "电话"], "净额": ["100", "", "7.5", "2"],
                "状态": ["complete", "start", "complete", None]})
COLUMNS = {"编号": "id", "步骤": "step", "渠道": "channel", "净额": "net", "状态": "lifecycle"}


def _built(**more):
    frame, findings = build_table(RAW, EVENTS, {"columns": COLUMNS, "values": {"channel": {"电话": "phone", "系统": "system"}},
                                                **more}, "UTC", "events.csv")
    return frame, findings.sort_values(["kind", "row"]).reset_index(drop=True)


def _plain(series: pd.Series) -> list:
    return series.astype(object).where(series.notna(), None).tolist()


def test_step_names_that_already_match_need_no_value_map():
    frame, findings = _built()
    assert _plain(frame["step"]) == ["contract_signed", "payment_received", "contract_signed", None]
    assert findings[["kind", "row", "column", "value"]].values.tolist() == [["unknown_value", 5, "步骤", "签约"]]


def test_an_empty_cell_reads_as_the_default_through_the_value_map():
    frame, _ = _built(defaults={"channel": "系统"})
    assert _plain(frame["channel"]) == ["phone", "system", "system", "phone"]


def test_a_derived_field_is_computed_typed_and_its_empty_results_stay_empty():
    frame, _ = _built(derived={"amount": "net * 1.13"})
    assert [None if v is None else round(v, 6) for v in _plain(frame["amount"])] == [113.0, None, 8.475, 2.26]


def test_a_derived_field_may_use_derived_fields_listed_after_it():
    frame, _ = _built(derived={"gross": "amount + 1", "amount": "coalesce(net, 0) * 2"})
    assert _plain(frame["amount"]) == [200.0, 0.0, 15.0, 4.0]
    assert _plain(frame["gross"]) == [201.0, 1.0, 16.0, 5.0]


def test_the_row_filter_keeps_matching_rows_and_counts_the_others():
    frame, findings = _built(where='lifecycle == "complete"')
    assert frame["id"].tolist() == ["A1", "A3"]
    assert frame["_row"].tolist() == [2, 4]
    assert findings[["kind", "row", "value", "message"]].values.tolist() == [
        ["filtered_out", 1, 'lifecycle == "complete"',
         "the mapping's where: kept 2 of 4 rows; 2 rows are left out of the checks"],
        ["unknown_value", 5, "签约", "unknown step '签约'"]]


@pytest.mark.parametrize(("table", "message"), [
    ('    where: stage == "won" and __import__("os")\n', "mapping.yaml:9:31: bad expression: unknown function '__import__'"),
    ("    where: stage + 1\n", "mapping.yaml:9:18: bad expression: cannot use '+' on stage (enum) and 1 (number)"),
    ("    derived: {amount: 'stage'}\n", "bad expression: the expression must give a number"),
    ("    derived: {id: 'customer_id'}\n", "field 'id' is both read from a column and derived"),
    ("    derived: {amonut: '1'}\n", "unknown field 'amonut' of deals (did you mean 'amount'?)"),
    ("    defaults: {stgae: 线索}\n", "unknown field 'stgae' of deals (did you mean 'stage'?)"),
])
def test_mapping_mistakes_in_the_new_settings_are_found_at_their_place(table, message, tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text("tables:\n  deals:\n    file: 商机.csv\n    columns: {商机编号: id, 客户编号: customer_id}\n"
                    "    values:\n      stage: {线索: lead}\n    formats: {}\n    numbers: {}\n" + table, "utf-8")
    problems = mapping_file_problems(path, MODEL, "mapping.yaml")
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize(("derived", "message"), [
    ("    derived: {amount: 'discount_pct + 1', discount_pct: 'amount * 2'}\n",
     "mapping.yaml:9:23: derived fields use each other in a cycle: amount -> discount_pct -> amount"),
    ("    derived:\n      closed_at: created_at\n      discount_pct: 'amount / 100'\n      created_at: closed_at\n",
     "mapping.yaml:10:18: derived fields use each other in a cycle: closed_at -> created_at -> closed_at"),
    ("    derived: {amount: 'coalesce(amount, 0) + 1'}\n",
     "mapping.yaml:9:23: derived fields use each other in a cycle: amount -> amount"),
])
def test_derived_fields_that_use_each_other_in_a_cycle_are_refused_naming_it(derived, message, tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text("tables:\n  deals:\n    file: 商机.csv\n    columns: {商机编号: id, 客户编号: customer_id}\n"
                    "    values:\n      stage: {线索: lead}\n    formats: {}\n    numbers: {}\n" + derived, "utf-8")
    assert [str(p) for p in mapping_file_problems(path, MODEL, "mapping.yaml")] == \
        [f"{message}; compute one of them from the fields read instead"]
