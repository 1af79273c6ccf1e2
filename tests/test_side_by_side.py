"""Rules judged side by side (engine.evaluate_pack's threads) give the outcomes of rules judged
one at a time, on the shipped sample with every kind."""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from checker.engine import evaluate_pack, make_context
from checker.load.dataset import as_of_timestamp, judge_at, latest_day, load_dataset, load_mapping
from checker.project import load_project

ROOT = Path(__file__).resolve().parents[1]


def _context(project):
    mapping = load_mapping(ROOT / "sample_data" / "mapping.yaml", project.pack.model, "mapping.yaml")
    data = load_dataset(ROOT / "sample_data", mapping, project.pack.model)
    as_of = as_of_timestamp(latest_day(data.tables), data.timezone)
    judge_at(data, as_of, mapping)
    return make_context(project.pack, data.tables, project.calendar, as_of, data.timezone)


def test_four_threads_give_the_outcomes_of_one() -> None:
    project = load_project(ROOT / "rules", ROOT / "policy")
    one = evaluate_pack(project.pack, _context(project), threads=1)
    done: list[str] = []
    filters = list(warnings.filters)
    four = evaluate_pack(project.pack, _context(project), lambda rule_id, seconds: done.append(rule_id), threads=4)
    assert warnings.filters == filters      # rules side by side leave the process's warning filters as they were
    assert list(four) == list(one) == [rule.id for rule in project.pack.rules]
    assert sorted(done) == sorted(one)
    for rule_id in one:
        pd.testing.assert_frame_equal(four[rule_id].reported, one[rule_id].reported, obj=rule_id)
        assert (four[rule_id].counts, four[rule_id].met) == (one[rule_id].counts, one[rule_id].met)
