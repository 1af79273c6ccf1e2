"""The audit period scopes every table the data model dates (`dated_by`): a record dated
outside `--from` / `--to` (or the pack's `period:`) is not judged, and results.json states
the population the period holds. Checked on the shipped sample against a plain reading of
its CSV files and its answer key."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from checker.cli import main
from checker.periods import AuditPeriod
from sample_runs import ROOT, check_sample

# Each dated table as the export writes it (its file, key header and dating header) and the
# data-model column that dates it.
DATED = {"deals": ("商机.csv", "商机编号", "创建时间", "created_at"),
         "events": ("销售活动.csv", "活动编号", "发生时间", "at"),
         "approvals": ("审批.csv", "审批编号", "审批时间", "at"),
         "complaints": ("投诉.csv", "投诉编号", "受理时间", "received_at"),
         "plans": ("销售计划.csv", "计划编号", "提交时间", "submitted_at"),
         "reports": ("工作报告.csv", "报告编号", "提交时间", "submitted_at"),
         "trainings": ("培训记录.csv", "记录编号", "培训时间", "held_at")}
HALVES = {"first half": ("2025-01-01", "2025-06-30"), "second half": ("2025-07-01", "2025-12-31")}


def _days(table: str) -> pd.Series:
    """Each record's day, by key, as the export writes it (NaT when it is not a real date)."""
    file, key, column, _ = DATED[table]
    frame = pd.read_csv(ROOT / "sample_data" / file, dtype=str, encoding="utf-8-sig")
    return pd.Series(pd.to_datetime(frame[column].str[:10], format="%Y-%m-%d", errors="coerce").to_numpy(),
                     index=frame[key])


def _answer_key() -> dict[str, set[str]]:
    rows = csv.DictReader((ROOT / "sample_data" / "expected_violations.csv").open(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["rule_id"], set()).add(row["key"])
    return out


@pytest.fixture(scope="module")
def halves(tmp_path_factory) -> dict[str, dict]:
    return {name: check_sample(tmp_path_factory.mktemp("period"), "--from", first, "--to", last)
            for name, (first, last) in HALVES.items()}


@pytest.mark.parametrize("half", HALVES)
def test_results_state_the_period_and_the_population_it_holds(halves, half):
    run = halves[half]["run"]
    first, last = HALVES[half]
    assert run["period"] == {"from": first, "to": last}
    expected = {}
    for table, (*_, dated_by) in DATED.items():
        days = _days(table)
        inside = int(((days >= first) & (days <= last)).sum())
        expected[table] = {"dated_by": dated_by, "records": len(days),
                           "in_period": inside, "undated": int(days.isna().sum())}
    assert run["population"] == expected
    # The halves share no dated record, and together hold all of them.
    other = halves[next(h for h in HALVES if h != half)]["run"]["population"]
    for table in DATED:
        mine = run["population"][table]
        assert mine["in_period"] + other[table]["in_period"] + mine["undated"] == mine["records"], table


def test_the_first_half_of_the_sample_in_figures(halves):
    population = halves["first half"]["run"]["population"]
    assert {t: p["in_period"] for t, p in population.items()} == {
        "approvals": 155, "complaints": 7, "deals": 132, "events": 1587, "plans": 144, "reports": 120,
        "trainings": 40}
    # 184 on the dated tables plus the four roster findings (ORG-005, REC-001), which no period narrows
    assert halves["first half"]["summary"]["violations"] == 188
    assert population["events"]["undated"] == 1    # the event on 31 September


@pytest.mark.parametrize("half", HALVES)
def test_a_rule_on_a_dated_table_judges_only_the_records_the_period_holds(halves, half):
    """Deal, event, approval, complaint, report and training rules do not depend on the
    period otherwise, so their findings are the answer key's rows dated in the half."""
    first, last = HALVES[half]
    answer = _answer_key()
    rules = [r for r in halves[half]["rules"] if r["applies_to"] in DATED]
    assert len(rules) >= 30
    found: dict[str, set[str]] = {}
    for violation in halves[half]["violations"]:
        found.setdefault(violation["rule_id"], set()).add(violation["key"])
    for rule in rules:
        days = _days(rule["applies_to"])
        expected = {k for k in answer.get(rule["id"], set()) if first <= str(days[k].date()) <= last}
        assert found.get(rule["id"], set()) == expected, rule["id"]


def test_a_deal_rule_counts_in_scope_only_the_deals_of_the_period(halves):
    """PROC-001 judges every deal: its in-scope count is the deals created in the half."""
    days = _days("deals")
    for half, (first, last) in HALVES.items():
        proc = next(r for r in halves[half]["rules"] if r["id"] == "PROC-001")
        assert proc["in_scope"] == int(((days >= first) & (days <= last)).sum()), half


def _pack_copy(tmp_path: Path, settings: str) -> Path:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    with (tmp_path / "rules" / "pack.yaml").open("a", encoding="utf-8") as pack:
        pack.write(settings)
    return tmp_path / "rules"


def test_the_pack_period_is_the_default_and_the_flags_override_it(tmp_path, halves):
    rules = _pack_copy(tmp_path, "period: {from: 2025-07-01, to: \"2025-12-31\"}\n")
    by_pack = check_sample(tmp_path / "pack", "--rules", str(rules))
    assert by_pack["run"]["period"] == {"from": "2025-07-01", "to": "2025-12-31"}
    assert by_pack["run"]["population"] == halves["second half"]["run"]["population"]
    assert by_pack["summary"]["violations"] == halves["second half"]["summary"]["violations"]
    overridden = check_sample(tmp_path / "flags", "--rules", str(rules), "--from", "2025-01-01", "--to", "2025-06-30")
    assert overridden["run"]["population"] == halves["first half"]["run"]["population"]


def test_a_pack_period_that_is_no_date_is_reported_where_it_is(tmp_path, monkeypatch, capsys):
    rules = _pack_copy(tmp_path, "period:\n  from: \"2025-02-30\"\n")
    monkeypatch.chdir(ROOT)
    assert main(["validate", "--rules", str(rules)]) == 1
    out = capsys.readouterr().out
    assert "pack.yaml:7:9" in out and "2025-02-30" in out, out


@pytest.mark.parametrize("dated_by, message", [
    ("create_at", "dated_by 'create_at' is not a column of deals (did you mean 'created_at'?)"),
    ("amount", "dated_by 'amount' is a number column; name a date or datetime column of deals"),
])
def test_a_wrong_dated_by_is_reported_at_its_line(tmp_path, monkeypatch, capsys, dated_by, message):
    rules = _pack_copy(tmp_path, "")
    model = rules / "datamodel.yaml"
    text = model.read_text("utf-8")
    model.write_text(text.replace("dated_by: created_at", f"dated_by: {dated_by}"), encoding="utf-8")
    line = next(i for i, row in enumerate(model.read_text("utf-8").splitlines(), 1) if f"dated_by: {dated_by}" in row)
    monkeypatch.chdir(ROOT)
    assert main(["validate", "--rules", str(rules)]) == 1
    out = capsys.readouterr().out
    assert f"datamodel.yaml:{line}:15" in out and message in out, out


def test_an_undated_record_stays_in_scope():
    """A record whose date is empty cannot be shown to lie outside the period."""
    period = AuditPeriod(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    days = pd.to_datetime(["2025-02-28", "2025-03-01", None, "2025-03-31", "2025-04-01"]).to_numpy("datetime64[D]")
    assert period.outside(days).tolist() == [True, False, False, False, True]
