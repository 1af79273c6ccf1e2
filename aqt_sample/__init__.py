"""Synthetic CRM exports of aqt's sales department, with planted violations and a matching answer key."""
from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .aftersales import file_complaints
from .amendments import sign_amendments
from .collection import chase_overdue
from .customers import build_customers
from .deals import draw_deals
from .export import Export
from .parts import PART_DEALS, Part, part_plan
from .inject import plant_complaint_cases, plant_deal_cases, plant_last_cases, plant_later_cases
from .people import build_roster
from .periodic import missed_filings
from .readme import write_readme
from .spec import MAPPING_PATH, Spec, load_spec
from .staffing import StaffingCounts
from .state import Expect, Outcome, Sample
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


def generate(deals: int, seed: int, out: Path, rules: Path, part_deals: int = PART_DEALS) -> GenerationSummary:
    """Write a sample export of `deals` deals into `out`, following the rule pack in `rules`
    (data model, params, calendar); the same arguments give the same bytes. More deals than
    `part_deals` are made in parts (parts.py), so memory stays that of one part."""
    if deals < 1:
        raise ValueError("deals must be at least 1")
    spec = load_spec(Path(rules))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    plan = part_plan(deals, part_deals)
    rows: Counter[str] = Counter()
    expected: list[tuple[str, str]] = []
    outcomes: list[Outcome] = []
    staffing = StaffingCounts(spec, WorkCalendar(spec))
    for part in plan:
        sample, export = _made(spec, part, seed)
        rows.update(_write_tables(sample, export, out, part))
        expected += part.answer_rows(expected_rows(sample, export))
        outcomes += sample.outcomes
        staffing.add(sample.roster)
        del sample, export      # one part in memory at a time
    if len(plan) > 1:
        expected = sorted(set(expected + staffing.findings()))
    shutil.copyfile(MAPPING_PATH, out / "mapping.yaml")
    write_expected(out / EXPECTED_FILE, expected)
    summary = GenerationSummary(
        out=out, deals=deals, seed=seed, rows=dict(rows),
        violations=dict(sorted(Counter(rule for rule, _ in expected).items())),
        injected=_records(outcomes, "violation"), defects=_records(outcomes, "defect"),
        boundaries=_records(outcomes, "boundary"),
    )
    write_readme(out / "README.md", spec, outcomes, summary, rules, len(plan))
    return summary


def _made(spec: Spec, part: Part, seed: int) -> tuple[Sample, Export]:
    """One part's records, and their export."""
    rng = np.random.default_rng(part.seed(seed))
    sample = _simulate(spec, part.deals, rng)
    # The last cases draw from a stream of their own: adding one leaves every other record, and
    # the export's row order, as they were.
    sign_amendments(sample, np.random.default_rng(part.seed(seed, 2)))
    chase_overdue(sample, np.random.default_rng(part.seed(seed, 3)))
    plant_last_cases(sample, np.random.default_rng(part.seed(seed, 1)))
    return sample, Export(sample, rng)


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


def _write_tables(sample: Sample, export: Export, out: Path, part: Part) -> dict[str, int]:
    """The part's rows of every table, after those of the parts before it."""
    rows = {}
    for table, layout in sample.spec.layouts.items():
        frames = getattr(export, table)()
        rows[layout.file] = write_table(out / layout.file, layout, part.prefixed(
            [frames] if isinstance(frames, pd.DataFrame) else frames, sample.spec.id_columns[table]),
            sample.spec.encoding, append=part.number > 0)
    return rows


def _records(outcomes: list[Outcome], group: str) -> dict[str, int]:
    """Planted records per kind, over every part."""
    records: Counter[str] = Counter()
    for o in (o for o in outcomes if o.group == group):
        records[o.kind] += o.records
    return dict(records)
