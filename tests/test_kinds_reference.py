"""The engine's per-record outcome of every check kind equals the plain reference of that
kind in tests/reference/<module>.py, on random event logs, rosters and approvals built to
hit the edges (tests/reference/worlds.py). Rows are shuffled, and the engine must give the
very same frame (details and evidence included) for the rows in reverse order.

The kinds are those of checker.kinds.KINDS, each with its reference found by name; a kind
without one fails here, naming the file to write."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from checker.engine import evaluate_rule, keyed, make_context
from checker.load.dataset import as_of_timestamp
from checker.kinds import KINDS
from checker.project import Project, load_project
from checker.lint import lint_rule
from checker.rules import Rule
from checker.testing import TEST_TZ, case_tables
from checker.yamlsrc import load_text
from reference import common
from reference.worlds import COLUMNS, WHEN, datasets

ROOT = Path(__file__).resolve().parent.parent
CALENDAR = common.load_calendar()
STEPS, LEVELS = common.load_model()
PARAMS = common.load_params()


@pytest.fixture(scope="module")
def project() -> Project:
    """The test pack, its data model cut down to the tables and columns these checks read:
    coercing the others (always empty here) would take most of the run time."""
    full = load_project(common.PACK, common.PACK / "policy")
    model = full.pack.model
    tables = {name: replace(spec, columns={c: s for c, s in spec.columns.items() if c in COLUMNS[name]})
              for name, spec in model.tables.items() if name in COLUMNS}
    return replace(full, pack=replace(full.pack, model=replace(model, tables=tables)))


def reference_for(kind: str) -> ModuleType:
    found = reference.reference_of(KINDS[kind])
    assert found is not None, f"check kind '{kind}' has no reference; add {reference.file_of(KINDS[kind]).relative_to(ROOT)}"
    return found


def generated_rule(kind: str, spec, when: str | None, table: str = "deals") -> Rule:
    """A rule on `table` with the given check; linted by the caller like any loaded rule."""
    raw = load_text(f'{{id: GEN-001, clause: "3.3.3", check: {{{kind}: null}}}}', "generated")
    return Rule("GEN-001", {"zh": "生成", "en": "generated"}, "3.3.3", "medium", table, kind, spec, when, None,
                None, None, [], "generated", 1, raw)


# ------------------------------------------------------------------ running both


def engine_frames(rule: Rule, data: dict, as_of: str, params: dict, project: Project) -> tuple[pd.DataFrame, ...]:
    """The outcome frame for the rows as given, and for every table's rows in reverse order."""
    frames = []
    for rows in (data, {name: list(reversed(table)) for name, table in data.items()}):
        case = {"name": "generated", "data": rows, "expect": [], "as_of": as_of, "params": params}
        tables = case_tables(rule, case, project)
        ctx = make_context(project.pack, tables, project.calendar, as_of_timestamp(as_of, TEST_TZ), TEST_TZ,
                           {**project.pack.params, **params})
        frames.append(keyed(evaluate_rule(rule, ctx), ctx, rule.applies_to).sort_index())
    return tuple(frames)


def check_against_reference(kind: str, ref: ModuleType, project: Project, data: dict, as_of: str, spec,
                            when: str | None, params: dict) -> None:
    rule = generated_rule(kind, spec, when, getattr(ref, "APPLIES_TO", "deals"))
    problems = lint_rule(rule, project.pack.model, {**project.pack.params, **params}, None)
    assert not problems, f"generated an invalid rule: {problems}"

    frame, backwards = engine_frames(rule, data, as_of, params, project)
    if hasattr(ref, "judge"):
        expected = ref.judge(spec, when, data, as_of, CALENDAR)
    else:
        world = common.read_world(data, as_of, {**PARAMS, **params}, CALENDAR, STEPS, LEVELS)
        expected = common.evaluate(ref.evaluate, spec, when, world)
    got = {str(k): common.Result(str(row.outcome), bool(row.activated)) for k, row in frame.iterrows()}
    wrong = {k: (got.get(k), expected.get(k)) for k in sorted(set(got) | set(expected)) if got.get(k) != expected.get(k)}
    assert not wrong, f"{kind} {spec} when={when} as_of={as_of}: (engine, reference) per record: {wrong}"

    pd.testing.assert_frame_equal(frame, backwards, obj="outcome frame for rows in reverse order")


def agreement_test(kind: str, ref: ModuleType):
    """A hypothesis test that the engine and the reference agree on ref.EXAMPLES random cases."""
    def test(project, case, draw, when, params):
        check_against_reference(kind, ref, project, *case, draw.draw(ref.SPECS, label="spec"), when, params)

    # Hypothesis keys its example database by the test's name.
    test.__name__ = test.__qualname__ = f"test_{kind}_matches_reference"
    run = given(case=getattr(ref, "DATASETS", datasets)(), draw=st.data(), when=getattr(ref, "WHEN", WHEN),
                params=getattr(ref, "PARAMS", st.just({})))(test)
    return settings(max_examples=ref.EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])(run)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_matches_reference(kind, project):
    agreement_test(kind, reference_for(kind))(project)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_reference_has_its_pieces(kind):
    ref = reference_for(kind)
    needed = ("judge", "APPLIES_TO", "DATASETS", "WHEN") if hasattr(ref, "judge") else ("evaluate",)
    missing = [name for name in (*needed, "SPECS", "EXAMPLES") if not hasattr(ref, name)]
    assert not missing, f"{reference.file_of(KINDS[kind]).relative_to(ROOT)} lacks {', '.join(missing)}"
    assert isinstance(ref.SPECS, st.SearchStrategy), f"{kind}: SPECS must be a hypothesis strategy"
    assert isinstance(ref.EXAMPLES, int) and ref.EXAMPLES >= 100, f"{kind}: EXAMPLES must be at least 100"


def test_every_reference_file_belongs_to_a_kind():
    files = {reference.file_of(module) for module in KINDS.values()}
    stray = [p.name for p in reference.kind_files() if p not in files]
    assert not stray, f"tests/reference/ holds files named after no kind module: {stray}; " \
                      f"name them like the modules in checker/kinds/"


def test_workday_deadlines_match_reference(project):
    """Every day of the calendar's year at three hours of the day, 0 to 5 work days: the
    engine's deadlines against the reference's day-by-day count."""
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D", tz="UTC")
    times = pd.Series(sorted(d + pd.Timedelta(t) for d in days for t in ("0h", "10h", "23h59min")))
    for n in range(6):
        got = project.calendar.deadline(times, n)
        for at, due in zip(times, got):
            expected = common.workday_deadline(at.to_pydatetime(), n, CALENDAR)
            assert due.to_pydatetime() == expected, f"{n} work days after {at}: engine {due}, reference {expected}"
