"""report.html lists at most REPORT_FINDINGS violations: the most severe first, then each rule
of the severity where the room runs out in proportion; the page says how many of how many."""
from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.report import listed as listed_module
from checker.report.listed import allotted, listed
from checker.report.values import SEVERITIES

ROOT = Path(__file__).resolve().parents[1]


def test_the_most_severe_first_then_each_rule_in_proportion() -> None:
    sizes = [("high", 30), ("critical", 10), ("high", 10), ("low", 5), ("high", 20)]
    # 10 critical fit; 25 places are left for 60 high: 30, 10 and 20 get 12, 4 and 8.
    assert allotted(sizes, 35) == [12, 10, 4, 0, 8]
    assert allotted(sizes, 75) == [30, 10, 10, 5, 20]
    assert allotted(sizes, 0) == [0, 0, 0, 0, 0]


@given(st.lists(st.tuples(st.sampled_from(SEVERITIES), st.integers(0, 1000)), max_size=12), st.integers(0, 5000))
def test_the_allotment_fits_and_leaves_no_room_it_could_fill(sizes, limit) -> None:
    got = allotted(sizes, limit)
    assert all(0 <= n <= size for n, (_, size) in zip(got, sizes))
    total = sum(size for _, size in sizes)
    # Each rule at the cut loses less than one place to rounding.
    cut = {s for (s, size), n in zip(sizes, got) if n < size}
    assert min(limit, total) - len([1 for s, _ in sizes if s in cut]) <= sum(got) <= min(limit, total)
    # A rule keeps fewer than all only when every rule of a more severe level keeps all.
    for (severity, size), n in zip(sizes, got):
        if n:
            assert all(m == other for (s, other), m in zip(sizes, got) if SEVERITIES.index(s) < SEVERITIES.index(severity))


@pytest.fixture(scope="module")
def sample_results():
    """The shipped sample's results as build_results gives them (violations as blocks)."""
    from checker.engine import evaluate_pack, make_context
    from checker.load.dataset import as_of_timestamp, judge_at, latest_day, load_dataset, load_mapping
    from checker.project import load_project
    from checker.results import build_results

    with contextlib.chdir(ROOT):
        project = load_project(Path("rules"), Path("policy"))
        model = project.pack.model
        data = load_dataset(Path("sample_data"), load_mapping(Path("sample_data/mapping.yaml"), model, "mapping.yaml"),
                            model, lambda *_: None)
    as_of = as_of_timestamp(latest_day(data.tables), data.timezone)
    judge_at(data, as_of, load_mapping(ROOT / "sample_data/mapping.yaml", model, "mapping.yaml"))
    ctx = make_context(project.pack, data.tables, project.calendar, as_of, data.timezone)
    return build_results(project.pack, evaluate_pack(project.pack, ctx), data.tables, data.findings, project.clauses,
                         {"as_of": str(as_of.date()), "inputs": []}, data.timezone)


@given(limit=st.integers(0, 400))
def test_blocks_and_records_list_the_same_violations(sample_results, limit) -> None:
    blocks = sample_results["violations"]
    records = list(blocks)
    from_blocks, from_records = list(listed(blocks, limit)), listed(records, limit)
    assert from_blocks == from_records
    assert len(from_blocks) == min(limit, len(records)) or len(from_blocks) < limit < len(records)
    # In the order of the results: a sub-sequence of them.
    at = iter(records)
    assert all(any(v == r for r in at) for v in from_blocks)


def test_the_page_says_it_lists_some_and_carries_only_those(sample_results, monkeypatch) -> None:
    from checker.report.html import render_html

    total = len(sample_results["violations"])
    monkeypatch.setattr(listed_module, "REPORT_FINDINGS", 100)
    page = render_html(sample_results, "en")
    shown = len(listed(sample_results["violations"], 100))
    assert shown <= 100 < total
    assert f"this page lists {shown} of them" in page and f"This run found {total} violations" in page
    assert re.search(rf'<span class="count">{shown} / {total}</span>', page)
    findings = json.loads(re.search(r'<script type="application/json" id="report-findings">(.*?)</script>', page,
                                    re.S)[1])
    assert len(findings["rule"]) == shown
    monkeypatch.setattr(listed_module, "REPORT_FINDINGS", total)
    page = render_html(sample_results, "en")
    assert 'id="listed"' not in page and f'<span class="count">{total}</span>' in page
