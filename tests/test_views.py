"""The shared views: the per-case step table, the ordered occurrences of a step and who did
a step first and last, exact on a small log given in two row orders."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from checker.engine import make_context
from checker.load.dataset import as_of_timestamp
from checker.project import load_project
from checker.testing import TEST_TZ, case_tables
from checker.views import NAT, instants

ROOT = Path(__file__).resolve().parents[1]
EVENTS = [
    {"id": "A3", "deal_id": "D1", "step": "contract_drafted", "actor_id": "E2", "at": "2025-03-01 10:00"},
    {"id": "A1", "deal_id": "D1", "step": "contract_drafted", "actor_id": "E1", "at": "2025-03-01 10:00"},
    {"id": "A2", "deal_id": "D1", "step": "contract_drafted", "actor_id": "E3", "at": "2025-03-03 09:00"},
    {"id": "A4", "deal_id": "D2", "step": "contract_drafted", "actor_id": "E9", "at": "2025-03-02 08:00"},
    {"id": "A5", "deal_id": "D3", "step": "contract_drafted", "at": "2025-02-30 08:00"},
    {"id": "A6", "deal_id": "D9", "step": "contract_drafted", "actor_id": "E1", "at": "2025-03-02 08:00"},
]


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "tests" / "pack", ROOT / "tests" / "pack" / "policy")


def _views(project, events):
    rule = SimpleNamespace(file="test-case")   # only names the "file" of findings
    data = {"deals": [{"id": d} for d in ("D1", "D2", "D3")], "events": events,
            "employees": [{"id": e, "role": "sales_rep"} for e in ("E1", "E2", "E3")]}
    tables = case_tables(rule, {"data": data}, project)
    ctx = make_context(project.pack, tables, project.calendar, as_of_timestamp("2025-03-31", TEST_TZ), TEST_TZ)
    return ctx.views


def _time(text: str) -> int:
    import pandas as pd
    return int(instants(pd.Series(pd.to_datetime([text]).tz_localize(TEST_TZ)))[0])


@pytest.mark.parametrize("events", [EVENTS, EVENTS[::-1]], ids=["as given", "reversed"])
def test_step_table_occurrences_and_actors(project, events):
    views = _views(project, events)
    stats = views.stats("contract_drafted")
    assert stats.first.tolist() == [_time("2025-03-01 10:00"), _time("2025-03-02 08:00"), NAT]
    assert stats.last.tolist() == [_time("2025-03-03 09:00"), _time("2025-03-02 08:00"), NAT]
    assert stats.count.tolist() == [3, 1, 0]      # D3's event has no readable time; D9 is no deal
    occ = views.occurrences("contract_drafted")
    # A tie is ordered by event id; E9 is not in the roster, so that reference is empty.
    assert views.person_keys(occ.actor).tolist() == ["E1", "E2", "E3", None]
    first, last = views.step_actors("contract_drafted")
    assert views.person_keys(first).tolist() == ["E1", None, None]
    assert views.person_keys(last).tolist() == ["E3", None, None]
    assert views.in_roster(first).tolist() == [True, False, False]
    assert views.unusable_cases(np.arange(3)).tolist() == [False, False, True]


@pytest.mark.parametrize("events", [EVENTS, EVENTS[::-1]], ids=["as given", "reversed"])
def test_events_of_a_step_are_its_occurrences_in_any_order(project, events):
    views = _views(project, events)
    unordered, ordered = views.events("contract_drafted"), views.occurrences("contract_drafted")
    as_rows = lambda occ: sorted(zip(occ.case.tolist(), occ.time.tolist(), occ.actor.tolist(), occ.row.tolist()))  # noqa: E731
    assert as_rows(unordered) == as_rows(ordered)
    assert len(unordered.case) == 4       # the unreadable time and the unknown deal are left out


def test_an_unreadable_time_makes_a_case_unusable_only_for_the_steps_that_read_it(project):
    # D1 an undated negotiation, D2 an unknown step (it could be any step), D3 clean.
    views = _views(project, [
        {"id": "A1", "deal_id": "D1", "step": "negotiation", "at": "2025-02-30 08:00"},
        {"id": "A2", "deal_id": "D1", "step": "contract_drafted", "at": "2025-03-01 08:00"},
        {"id": "A3", "deal_id": "D2", "step": "contract_faxed", "at": "2025-03-01 08:00"},
        {"id": "A4", "deal_id": "D3", "step": "negotiation", "at": "2025-03-01 08:00"},
    ])
    cases = np.arange(3)
    assert views.unusable_cases(cases).tolist() == [True, True, False]
    assert views.unusable_cases(cases, ["negotiation"]).tolist() == [True, True, False]
    assert views.unusable_cases(cases, ["contract_drafted", "contract_signed"]).tolist() == [False, True, False]
    assert views.unusable_cases(np.array([2, 0]), ["contract_drafted"]).tolist() == [False, False]
