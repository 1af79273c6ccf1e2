"""A table's creation time is what the data model declares (`creation_time`), whatever the
column is called: a time of any record linked to one of its records (an event of a case, an
approval or a complaint of a deal) earlier than that record's creation is a `before_created`
finding, and a data model that declares none gets no such finding."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.load import quality
from checker.load.dataset import load_dataset, load_mapping
from checker.load.keys import ROW, Tables
from checker.model import ColumnSpec, TableSpec, load_datamodel
from checker.problems import UserError

ROOT = Path(__file__).resolve().parents[1]
P2P = ROOT / "tests" / "packs" / "p2p"
# O2 is opened on 29 March, after its first two events; O3 has no opening time; the others
# were opened before their events.
OPENED = {"O2": "2025-03-29T10:00:00+01:00", "O3": ""}


def _p2p_with_opened(tmp_path: Path, declared: bool) -> tuple[Path, Path]:
    """The p2p pack whose orders carry an `opened` time, declared as their creation or not."""
    rules, data = tmp_path / "rules", tmp_path / "data"
    shutil.copytree(P2P / "rules", rules)
    shutil.copytree(P2P / "data", data)
    model = rules / "datamodel.yaml"
    text = model.read_text("utf-8").replace(
        "      amount:   {type: number, unit: EUR}\n",
        "      amount:   {type: number, unit: EUR}\n      opened:   {type: datetime}\n")
    if declared:
        text = text.replace("  orders:\n    key: id\n", "  orders:\n    key: id\n    creation_time: opened\n")
    model.write_text(text, "utf-8")
    orders = (data / "orders.csv").read_text("utf-8").splitlines()
    opened = [f"{orders[0]},opened"] + [f"{row},{OPENED.get(row.split(',')[0], '2025-03-01T00:00:00+01:00')}"
                                        for row in orders[1:]]
    (data / "orders.csv").write_text("\n".join(opened) + "\n", "utf-8")
    mapping = data / "mapping.yaml"
    mapping.write_text(mapping.read_text("utf-8").replace("amount: amount}", "amount: amount, opened: opened}"), "utf-8")
    return rules, data


def _early(tmp_path: Path, declared: bool) -> list[tuple]:
    rules, data = _p2p_with_opened(tmp_path, declared)
    model = load_datamodel(rules / "datamodel.yaml")
    found = load_dataset(data, load_mapping(data / "mapping.yaml", model), model).findings
    early = found[found["kind"] == "before_created"]
    return list(zip(early["file"], early["row"], early["column"], early["value"], early["message"]))


def test_events_before_their_cases_declared_creation_are_findings(tmp_path):
    assert _early(tmp_path, declared=True) == [
        ("events.csv", row, "timestamp", value,
         "time is before O2 was created (2025-03-29 10:00:00+01:00); it is left out of the checks")
        for row, value in ((7, "2025-03-20 09:00:00+01:00"), (8, "2025-03-20 10:00:00+01:00"))]


def test_without_a_declared_creation_time_no_event_is_early(tmp_path):
    assert _early(tmp_path, declared=False) == []


@pytest.mark.parametrize("declared, message", [
    ("create_at", "creation_time 'create_at' is not a column of deals (did you mean 'created_at'?)"),
    ("amount", "creation_time 'amount' is a number column; name a date or datetime column of deals"),
])
def test_a_wrong_creation_time_is_reported_at_its_line(tmp_path, declared, message):
    model = tmp_path / "datamodel.yaml"
    text = (ROOT / "rules" / "datamodel.yaml").read_text("utf-8")
    model.write_text(text.replace("creation_time: created_at", f"creation_time: {declared}"), "utf-8")
    line = next(i for i, row in enumerate(model.read_text("utf-8").splitlines(), 1) if f"creation_time: {declared}" in row)
    with pytest.raises(UserError) as raised:
        load_datamodel(model)
    assert [(p.line, p.col, p.message) for p in raised.value.problems] == [(line, 20, message)]


def test_any_time_linked_to_a_created_record_is_compared_with_its_creation(tmp_path):
    # An approval and a complaint of aqt's sample data moved before their deal was created:
    # the deals' creation_time applies to every table whose foreign key names a deal. The
    # complaint's other times, after the creation, stay as they are.
    rules, data = ROOT / "rules", tmp_path / "data"
    shutil.copytree(ROOT / "sample_data", data)
    approvals, complaints = data / "审批.csv", data / "投诉.csv"
    approvals.write_text(approvals.read_text("utf-8-sig").replace(
        "SP2025-000328,D2025-00251,合同审批,E002,同意,2025-11-03 10:42",
        "SP2025-000328,D2025-00251,合同审批,E002,同意,2025-09-26 08:56"), "utf-8")
    complaints.write_text(complaints.read_text("utf-8-sig").replace(
        "TS2025-0022,C00017,D2025-00173,E009,一般,2025-11-22 12:30",
        "TS2025-0022,C00017,D2025-00173,E009,一般,2025-01-02 12:30"), "utf-8")
    model = load_datamodel(rules / "datamodel.yaml")
    dataset = load_dataset(data, load_mapping(data / "mapping.yaml", model), model)
    found = dataset.findings
    early = found[found["kind"] == "before_created"]
    assert list(zip(early["file"], early["row"], early["column"], early["value"], early["message"])) == [
        ("审批.csv", 2, "审批时间", "2025-09-26 08:56:00+08:00",
         "time is before D2025-00251 was created (2025-09-26 08:57:00+08:00); it is left out of the checks"),
        ("投诉.csv", 2, "受理时间", "2025-01-02 12:30:00+08:00",
         "time is before D2025-00173 was created (2025-08-14 15:45:00+08:00); it is left out of the checks")]
    complaint = dataset.tables["complaints"].set_index("id").loc["TS2025-0022"]
    assert complaint["received_at"] is pd.NaT and complaint["first_response_at"].isoformat() == "2025-11-23T12:31:00+08:00"


# Minutes from a few hours apart, a minute either side: equal, just early and just late times.
_MINUTES = st.one_of(st.none(), st.builds(lambda hours, minute: hours * 360 + minute, st.integers(0, 12), st.integers(-1, 1)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_MINUTES, st.integers(-1, 3)), min_size=1, max_size=30),
       st.lists(_MINUTES, min_size=4, max_size=4), st.sampled_from([None, "Asia/Shanghai", "America/New_York"]),
       st.sampled_from([None, "Asia/Shanghai"]), st.sampled_from(["date", "datetime"]))
def test_early_times_are_those_a_plain_comparison_finds(events, created, zone, created_zone, kind):
    """Times are found early as a whole-column pandas comparison finds them, whether the two
    columns are both aware, both naive or one of each, for dates and times, with empty ones."""
    def times(minutes, tz):
        stamps = pd.Series([pd.NaT if m is None else pd.Timestamp("2026-03-07 02:00") + pd.Timedelta(minutes=m)
                            for m in minutes], dtype="datetime64[us]")
        return stamps.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT") if tz else stamps
    at, codes = times([m for m, _ in events], zone), np.array([c for _, c in events])
    deals = pd.DataFrame({"id": [f"D{i}" for i in range(4)], "created_at": times(created, created_zone), ROW: range(2, 6)})
    frame = pd.DataFrame({"deal_id": pd.Categorical.from_codes(codes, categories=deals["id"]), "at": at,
                          ROW: np.arange(2, len(events) + 2)})
    linked = pd.Series(quality._comparable_times(deals["created_at"].iloc[np.where(codes >= 0, codes, 0)], at).array)
    linked = linked.where(codes >= 0)
    expected = (at < (linked.dt.normalize() if kind == "date" else linked)).to_numpy(dtype=bool, na_value=False)
    tables = Tables({"events": frame, "deals": deals}, {("events", "deal_id"): codes})
    deal_spec = TableSpec("deals", "id", {"id": ColumnSpec("id", "string")}, creation_time="created_at")
    found = quality._before_creation(tables, "events", "deal_id", ColumnSpec("at", kind), deal_spec,
                                     lambda table, column: (f"{table}.csv", column))
    assert sorted(found["row"].tolist()) == (np.flatnonzero(expected) + 2).tolist()
    assert frame["at"].isna().to_numpy()[expected].all()
