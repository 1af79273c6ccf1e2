"""Synthetic CRM exports of aqt's sales department, with planted violations and a matching answer key."""
from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .aftersales import file_complaints
from .amendments import sign_amendments
from .collection import chase_overdue
from .customers import build_customers
from .deals import draw_deals
from .export import Export
from .inject import plant_complaint_cases, plant_deal_cases, plant_last_cases, plant_later_cases
from .people import build_roster
from .periodic import missed_filings
from .readme import write_readme
from .spec import MAPPING_PATH, Spec, load_spec
from .state import Expect, Sample
from .timeline import prospect, schedule
from .planning import file_plans, file_reports
from .trainings import hold_trainings
from .visits import follow_up_accounts, lapses
from .workdays import WorkCalendar
from .write import write_expected, write_table

__all__ = ["GenerationSummary", "generate"]

EXPECTED_FILE = "expected_violations.csv"


@dataclass(frozen=True)
class GenerationSummary:
    out: Path
    deals: int
    seed: int
    rows: dict[str, int]          # export file -> data rows
    violations: dict[str, int]    # rule id -> expected violations
    injected: dict[str, int]      # planted violation kind -> records
    defects: dict[str, int]       # planted data-quality defect kind -> records
    boundaries: dict[str, int]    # planted compliant edge case kind -> records

    def __str__(self) -> str:
        return (f"{self.deals} deals, seed {self.seed}, {sum(self.rows.values())} rows in {len(self.rows)} files, "
                f"{sum(self.violations.values())} expected violations")


def generate(deals: int, seed: int, out: Path, rules: Path) -> GenerationSummary:
    """Write a sample export of `deals` deals into `out`, following the rule pack in `rules`
    (data model, params, calendar); the same arguments give the same bytes."""
    if deals < 1:
        raise ValueError("deals must be at least 1")
    rng = np.random.default_rng(seed)
    sample = _simulate(load_spec(Path(rules)), deals, rng)
    # The last cases draw from a stream of their own: adding one leaves every other record, and
    # the export's row order, as they were.
    sign_amendments(sample, np.random.default_rng([seed, 2]))
    chase_overdue(sample, np.random.default_rng([seed, 3]))
    plant_last_cases(sample, np.random.default_rng([seed, 1]))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    export = Export(sample, rng)
    rows = _write_tables(sample, export, out)
    shutil.copyfile(MAPPING_PATH, out / "mapping.yaml")
    expected = expected_rows(sample, export)
    write_expected(out / EXPECTED_FILE, expected)
    summary = GenerationSummary(
        out=out, deals=deals, seed=seed, rows=rows,
        violations=dict(sorted(Counter(rule for rule, _ in expected).items())),
        injected=_records(sample, "violation"), defects=_records(sample, "defect"),
        boundaries=_records(sample, "boundary"),
    )
    write_readme(out / "README.md", sample, summary, rules)
    return summary


def expected_rows(sample: Sample, export: Export) -> list[tuple[str, str]]:
    """(rule id, key) of every violation of the pack's rules, planted or in the filings, sorted and
    without repeats."""
    expects = [e for o in sample.outcomes for e in o.expects]
    expects += missed_filings(sample, export.employee_ids, sample.spec.report_due_days) + lapses(sample)
    rows = {(e.rule, str(key)) for e in expects if e.rule in sample.spec.rule_ids for key in _keys(e, export)}
    return sorted(rows)


def _keys(expect: Expect, export: Export) -> np.ndarray:
    if expect.table == "events":
        return export.event_ids(expect.index, expect.slot)
    if expect.table == "keys":   # the finding keys themselves (periodic findings: employee id/period)
        return expect.index
    if expect.table == "approvals":
        return export.approval_ids(expect.index, expect.slot)
    ids = {"complaints": export.complaint_ids, "trainings": export.training_ids, "employees": export.employee_ids,
           "customers": export.customer_ids,
           "reports": export.report_ids}
    return ids.get(expect.table, export.deal_ids)[expect.index]


def _simulate(spec: Spec, deals: int, rng: np.random.Generator) -> Sample:
    cal = WorkCalendar(spec)
    roster = build_roster(cal, rng)
    sample = draw_deals(spec, cal, roster, build_customers(deals, rng), deals, rng)
    schedule(sample, rng)
    plant_deal_cases(sample, rng)
    prospect(sample, rng)
    follow_up_accounts(sample, rng)
    file_complaints(sample, rng)
    plant_complaint_cases(sample, rng)
    hold_trainings(sample, rng)
    file_plans(sample, rng)
    file_reports(sample, rng)
    plant_later_cases(sample, rng)
    return sample


def _write_tables(sample: Sample, export: Export, out: Path) -> dict[str, int]:
    rows = {}
    for table, layout in sample.spec.layouts.items():
        rows[layout.file] = write_table(out / layout.file, layout, getattr(export, table)(), sample.spec.encoding)
    return rows


def _records(sample: Sample, group: str) -> dict[str, int]:
    return {o.kind: o.records for o in sample.outcomes if o.group == group}
