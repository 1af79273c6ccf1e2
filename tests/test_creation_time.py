"""A table's creation time is what the data model declares (`creation_time`), whatever the
column is called: an event of a case earlier than its case's creation is a `before_created`
finding, and a data model that declares none gets no such finding."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.load.dataset import load_dataset, load_mapping
from checker.model import load_datamodel
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
