"""The context of each violation (its record's fields, the names it refers to, its case's events),
checked against the sample export's own CSV files read plainly."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from checker.report.detail import case_events

from checker.yamlsrc import load_file
from sample_runs import check_sample

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def rows(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    return check_sample(tmp_path_factory.mktemp("context"))


def test_deal_violations_carry_amount_and_customer_name(results) -> None:
    deals = {r["商机编号"]: r for r in rows("商机.csv")}
    customers = {r["客户编号"]: r["客户名称"] for r in rows("客户.csv")}
    checked = 0
    for v in results["violations"]:
        if v["table"] != "deals":
            continue
        deal = deals[v["key"]]
        amount = float(deal["金额(元)"]) if deal["金额(元)"].replace(".", "").isdigit() else None
        assert v["record"]["fields"]["amount"] == amount, v["key"]
        assert v["record"]["names"]["customers"] == customers.get(deal["客户编号"]), v["key"]
        assert v["case"] == v["key"]
        checked += 1
    assert checked == 177


def test_each_case_timeline_is_its_events_in_time_order(results) -> None:
    steps = {spec["zh"]: name for name, spec in load_file(ROOT / "rules" / "datamodel.yaml")["steps"].items()}
    people = {r["员工编号"]: r["姓名"] for r in rows("员工.csv")}
    events = rows("销售活动.csv")
    header = list(events[0])
    deal_col, step_col, actor_col, time_col = header[1], header[3], header[4], header[5]
    timelines = results["timelines"]
    assert timelines["cases"] == sorted({v["case"] for v in results["violations"] if "case" in v})
    assert timelines["starts"][-1] == len(timelines["steps"]) == len(timelines["times"]) == len(timelines["actors"])
    for case, line in case_events(timelines, timelines["cases"]).items():
        own = sorted((r for r in events if r[deal_col] == case), key=lambda r: (r[time_col], r[header[0]]))
        assert [entry[0] for entry in line] == [steps.get(r[step_col]) for r in own], case
        assert [entry[2] for entry in line] == [r[actor_col] or None for r in own], case
        assert [entry[3] for entry in line] == [people.get(r[actor_col]) for r in own], case


def test_the_vocabulary_names_steps_and_roles_in_both_languages(results) -> None:
    assert results["vocabulary"]["steps"]["contract_signed"] == {"zh": "合同签订", "en": "contract signed"}
    assert results["vocabulary"]["roles"]["general_manager"] == {"zh": "总经理", "en": "general manager"}
    # Tables, columns and values as the export names them.
    assert results["vocabulary"]["tables"]["deals"] == {"zh": "商机", "en": "deals"}
    assert results["vocabulary"]["columns"]["deals.amount"] == {"zh": "金额(元)", "en": "amount"}
    assert results["vocabulary"]["values"]["deals.stage"]["won"] == {"zh": "赢单", "en": "won"}


def test_positions_that_name_no_record_get_empty_context() -> None:
    import contextlib

    import numpy as np

    from checker.load.dataset import load_dataset, load_mapping
    from checker.load.keys import NONE
    from checker.project import load_project
    from checker.results.context import RecordContext

    with contextlib.chdir(ROOT):
        project = load_project(Path("rules"), Path("policy"))
        model = project.pack.model
        mapping = load_mapping(SAMPLE / "mapping.yaml", model, "mapping.yaml")
        data = load_dataset(SAMPLE, mapping, model, lambda *_: None)
    staff = data.tables.frames["employees"]["id"].tolist()
    deal = data.tables.frames["deals"]["id"].tolist().index("D2025-00018")
    context = RecordContext(model, data.tables)
    owners = np.array([staff.index("E002"), NONE, staff.index("E008")], dtype=np.int64)
    # An entity's period (E002/2025-03) names no row of its own; nor does a key of an empty table.
    fields, names, _, period_regions = context.of("employees", np.array([NONE]), owners[:1])
    assert fields == {} and names == {} and period_regions == ["总部"]
    fields, names, cases, regions = context.of("deals", np.array([deal, NONE]), owners[[2, 1]])
    records = [{"fields": {k: v[i] for k, v in fields.items()}, "names": {k: v[i] for k, v in names.items()}}
               for i in range(2)]
    assert records[0]["fields"]["amount"] == 467900 and records[0]["names"]["customers"]
    assert records[1]["fields"].keys() == records[0]["fields"].keys()
    assert set(records[1]["fields"].values()) == set(records[1]["names"].values()) == {None}
    assert cases == ["D2025-00018", None] and regions == ["华东", None]
    assert context.case_positions().tolist() == [deal]
