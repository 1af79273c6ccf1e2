"""The engine's per-record outcome of every check kind equals the plain reference in
tests/reference.py, on random event logs, rosters and approvals built to hit the edges:
ties (each example's times come from a few grid points), unreadable steps and times, missing and unknown
actors, validity windows, tier boundaries, and the work-day calendar around a holiday
with make-up work days. Rows are shuffled, and the engine must give the very same frame
(details and evidence included) for the rows in reverse order."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference as ref
from checker.engine import evaluate_rule, keyed, make_context
from checker.load.dataset import as_of_timestamp
from checker.kinds import KINDS
from checker.project import Project, load_project
from checker.rules import Rule, lint_rule
from checker.testing import TEST_TZ, case_tables

ROOT = Path(__file__).resolve().parent.parent
# Random cases per kind: more where the edges are many (deadlines, the as-of time and
# repeated triggers) or need several things to line up (an approval that only just suffices).
EXAMPLES = {"assert": 100, "exists": 100, "order": 100, "different_actors": 100, "performed_by": 120,
            "approval": 160, "response": 220}

MAIN_STEPS = ["contract_drafted", "contract_reviewed", "contract_signed"]
OTHER_STEP = "negotiation"
UNKNOWN_STEP = "contract_faxed"
PEOPLE = ["E1", "E2", "E3"]
STRANGER = "X9"
ROLES = ["sales_rep", "sales_supervisor", "sales_manager", "general_manager", "legal_counsel"]
STAFF_ROLES = ["general_manager", "sales_manager"] + ROLES  # leaning senior, so approvals often suffice
# Around the 2025 spring festival: Fri, Sat, Sun (make-up work day), Mon, a holiday, the
# first work day after, Fri, Sat (make-up work day), Mon. Same hours every day, so exact
# 24-hour deadlines land on grid points.
DAYS = ["2025-01-24", "2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-02-05", "2025-02-07",
        "2025-02-08", "2025-02-10"]
HOURS = ["00:00", "10:00", "23:59"]
GRID = [f"{d} {h}" for d in DAYS for h in HOURS]
EARLY = ["2025-01-20 10:00", "2025-01-23 23:59"]
AS_OF = ["2025-01-24", "2025-01-26", "2025-01-27", "2025-02-06", "2025-02-08", "2025-03-31"]
# Mostly open windows, so that passes are common enough to be tested too.
FROM = [None, "2024-01-01", "2024-01-01", "2025-01-25", "2025-01-27", "2025-02-07"]
TO = [None, None, None, "2025-01-24", "2025-01-27", "2025-02-05", "2025-02-08"]
AMOUNTS = [150000, 0, 200000, 200000.5, 999999.99, 1000000, 1000000.01, 5000000, None]
DISCOUNTS = [None, 0, 5, 10, 10.5, 20]
# Hypothesis favours the first value of a list (and 0), so each list opens with the
# ordinary case and keeps the degenerate ones for later.
# Type and decision drawn together: an approved contract sign-off is the common case.
SIGN_OFFS = st.sampled_from([("contract", "approved")] * 4 + [("contract", "rejected"), ("contract", None),
                                                             ("discount", "approved")])
TIERS = [None, [{"up_to": 100000, "role": "sales_manager"}, {"role": "general_manager"}]]

# What the generator fills, plus what the views read (the roster's supervisor).
COLUMNS = {"deals": {"id", "amount", "discount_pct", "stage", "created_at", "closed_at"},
           "events": {"id", "deal_id", "step", "actor_id", "at"},
           "employees": {"id", "role", "supervisor_id", "active_from", "active_to"},
           "approvals": {"id", "deal_id", "type", "approver_id", "decision", "at"}}

CALENDAR = ref.load_calendar()
STEPS, LEVELS = ref.load_model()
PARAMS = ref.load_params()


@pytest.fixture(scope="module")
def project() -> Project:
    """The project, its data model cut down to the tables and columns these checks read:
    coercing the others (always empty here) would take most of the run time."""
    full = load_project(ROOT / "rules", ROOT / "policy")
    model = full.pack.model
    tables = {name: replace(spec, columns={c: s for c, s in spec.columns.items() if c in COLUMNS[name]})
              for name, spec in model.tables.items() if name in COLUMNS}
    return replace(full, pack=replace(full.pack, model=replace(model, tables=tables)))


def generated_rule(project: Project, kind: str, spec, when: str | None) -> Rule:
    """A rule on deals with the given check; linted by the caller like any loaded rule."""
    return replace(project.pack.rules[0], kind=kind, spec=spec, when=when, applies_to="deals", owner=None, tests=[])


# ------------------------------------------------------------------ strategies


def days_later(stamp: str, days: int) -> str:
    return (dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M") + dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


def noisy(draw, clean: st.SearchStrategy, noise: list, on: bool):
    """Mostly a clean value; when noise is on, now and then one of the noise values."""
    if on and draw(st.integers(0, 7)) == 7:
        return draw(st.sampled_from(noise))
    return draw(clean)


@st.composite
def datasets(draw) -> tuple[dict, str]:
    """Tables of rows as a rule test gives them, and an as-of day."""
    dirty = draw(st.integers(0, 2)) == 2
    deals = [f"D{i}" for i in range(1, draw(st.integers(1, 8)) + 1)]
    # A few instants per example, so that ties are common (the grid as a whole is covered
    # across examples), plus the first one moved by whole days: an answer exactly at a
    # deadline counted in days.
    palette = draw(st.lists(st.sampled_from(GRID), min_size=2, max_size=6, unique=True))
    palette.append(days_later(palette[0], draw(st.sampled_from([1, 2, 7]))))
    time = st.sampled_from(palette)
    # E3's role starts and ends on those days, so events at the edges of a window happen;
    # the others have ordinary windows, so early approvals often count.
    edges = [t[:10] for t in palette]
    windows = {p: (st.sampled_from(FROM), st.sampled_from(TO)) for p in PEOPLE[:-1]}
    windows[PEOPLE[-1]] = (st.sampled_from(edges + [None]), st.sampled_from(edges + [None]))
    # Approvals lean early, so that many come before the step they must precede.
    approval_time = st.one_of(st.sampled_from(EARLY), time)

    employees = []
    if draw(st.integers(0, 4)) < 4:  # now and then no roster at all
        for person in PEOPLE:
            if not dirty or draw(st.integers(0, 5)) < 5:
                employees.append({"id": person, "role": noisy(draw, st.sampled_from(STAFF_ROLES), [None], dirty),
                                  "active_from": draw(windows[person][0]), "active_to": draw(windows[person][1])})

    events, approvals = [], []
    for deal in deals + (["D9"] if dirty and draw(st.booleans()) else []):
        for _ in range(draw(st.integers(0, 8))):
            events.append({"id": f"A{len(events) + 1}", "deal_id": deal,
                           "step": noisy(draw, st.sampled_from(MAIN_STEPS + [OTHER_STEP]), [None, UNKNOWN_STEP], dirty),
                           "actor_id": noisy(draw, st.sampled_from(PEOPLE), [None, STRANGER], dirty),
                           "at": noisy(draw, time, [None, "soon"], dirty)})
        for _ in range(draw(st.sampled_from([1, 2, 0, 1, 3]))):
            kind, decision = draw(SIGN_OFFS)
            approvals.append({"id": f"P{len(approvals) + 1}", "deal_id": deal, "type": kind, "decision": decision,
                              "approver_id": noisy(draw, st.sampled_from(PEOPLE), [None, STRANGER], dirty),
                              "at": noisy(draw, approval_time, [None, "soon"], dirty)})
    rows = [{"id": d, "amount": draw(st.sampled_from(AMOUNTS)), "discount_pct": draw(st.sampled_from(DISCOUNTS)),
             "stage": draw(st.sampled_from(["won", "won", "lost", None])),
             "created_at": noisy(draw, time, [None], True), "closed_at": noisy(draw, time, [None], True)}
            for d in deals]
    data = {"deals": rows, "events": events, "approvals": approvals, "employees": employees}
    # The as-of day is sometimes one of the example's own days, where deadlines end.
    as_of = draw(st.sampled_from(AS_OF + sorted(set(edges))))
    return {name: draw(st.permutations(table)) for name, table in data.items()}, as_of


def pairs() -> st.SearchStrategy:
    return st.permutations(MAIN_STEPS).map(lambda p: (p[0], p[1]))


WITHIN = st.sampled_from([{"days": 1}, {"workdays": 1}, {"days": 2}, {"workdays": 0}, {"days": 7}, {"workdays": 2},
                          None, {"workdays": 0}, {"workdays": 3}, {"days": 0}, {"days": "params.archive_within_days"},
                          {"workdays": "params.review_within_workdays"}])

SPECS = {
    "order": pairs().map(lambda p: {"first": p[0], "then": p[1]}),
    "exists": st.lists(st.sampled_from(MAIN_STEPS), min_size=1, max_size=3, unique=True).map(lambda s: {"steps": s}),
    "response": st.tuples(pairs(), WITHIN).map(
        lambda t: {"if": t[0][0], "then": t[0][1], **({"within": t[1]} if t[1] else {})}),
    "different_actors": pairs().map(lambda p: {"first": p[0], "second": p[1]}),
    "performed_by": st.tuples(st.sampled_from(MAIN_STEPS), st.lists(st.sampled_from(ROLES), min_size=1, max_size=4,
                                                                      unique=True)).map(
        lambda t: {"step": t[0], "roles": t[1]}),
    "approval": st.sampled_from(MAIN_STEPS).map(
        lambda s: {"type": "contract", "before": s, "amount": "amount", "tiers": "params.contract_approval_tiers"}),
    "assert": st.sampled_from([e for e in ref.EXPRESSIONS if e != 'stage == "won"']),
}


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


def check_against_reference(kind: str, project: Project, data: dict, as_of: str, spec, when: str | None,
                            tiers: list | None) -> None:
    params = {"contract_approval_tiers": tiers} if tiers else {}
    rule = generated_rule(project, kind, spec, when)
    assert not lint_rule(rule, project.pack.model, {**project.pack.params, **params}, None), "generated an invalid rule"

    frame, backwards = engine_frames(rule, data, as_of, params, project)
    world = ref.read_world(data, as_of, {**PARAMS, **params}, CALENDAR, STEPS, LEVELS)
    expected = ref.evaluate(kind, spec, when, world)
    got = {str(k): ref.Result(str(row.outcome), bool(row.activated)) for k, row in frame.iterrows()}
    wrong = {k: (got.get(k), expected.get(k)) for k in sorted(set(got) | set(expected)) if got.get(k) != expected.get(k)}
    assert not wrong, f"{kind} {spec} when={when} as_of={as_of}: (engine, reference) per record: {wrong}"

    pd.testing.assert_frame_equal(frame, backwards, obj="outcome frame for rows in reverse order")


SCOPES = st.sampled_from([None, None, 'stage == "won"'])


def agreement_test(kind: str):
    """A test that the engine and the reference agree on EXAMPLES[kind] random cases."""
    def test(project, case, draw, when, tiers):
        check_against_reference(kind, project, *case, draw.draw(SPECS[kind], label="spec"), when, tiers)

    # Hypothesis keys its example database by the test's name.
    test.__name__ = test.__qualname__ = f"test_{kind}_matches_reference"
    run = given(case=datasets(), draw=st.data(), when=SCOPES, tiers=st.sampled_from(TIERS))(test)
    return settings(max_examples=EXAMPLES[kind], deadline=None, suppress_health_check=[HealthCheck.too_slow])(run)


test_assert_matches_reference = agreement_test("assert")
test_exists_matches_reference = agreement_test("exists")
test_order_matches_reference = agreement_test("order")
test_response_matches_reference = agreement_test("response")
test_different_actors_matches_reference = agreement_test("different_actors")
test_performed_by_matches_reference = agreement_test("performed_by")
test_approval_matches_reference = agreement_test("approval")


def test_workday_deadlines_match_reference(project):
    """Every day of the calendar's year at three hours of the day, 0 to 5 work days: the
    engine's deadlines against the reference's day-by-day count."""
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D", tz="UTC")
    times = pd.Series(sorted(d + pd.Timedelta(t) for d in days for t in ("0h", "10h", "23h59min")))
    for n in range(6):
        got = project.calendar.deadline(times, n)
        for at, due in zip(times, got):
            expected = ref.deadline(at.to_pydatetime(), {"workdays": n}, WORLD_FOR_DEADLINES)
            assert due.to_pydatetime() == expected, f"{n} work days after {at}: engine {due}, reference {expected}"


WORLD_FOR_DEADLINES = ref.read_world({}, "2025-12-31", PARAMS, CALENDAR, STEPS, LEVELS)


def test_every_kind_has_a_reference():
    assert set(KINDS) == set(ref.KINDS) == set(SPECS) == set(EXAMPLES)
    for kind in KINDS:
        assert callable(globals().get(f"test_{kind}_matches_reference")), f"no agreement test for '{kind}'"
