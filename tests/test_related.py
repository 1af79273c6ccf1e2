"""Fields of related tables (`owner.supervisor.region`): the engine's values, found through
foreign-key codes, equal a plain dictionary walk over the rows, for random tables with empty,
dangling and self-referencing keys."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.project import load_project
from checker.related import related_values
from checker.testing import case_tables

PACK = Path(__file__).resolve().parent / "pack"
PROJECT = load_project(PACK, PACK / "policy")
PEOPLE = ["E1", "E2", "E3", "E4"]
KEYS = st.sampled_from(PEOPLE + ["E9", None])          # E9 is in no table: a dangling reference


@st.composite
def worlds(draw) -> dict:
    people = draw(st.lists(st.sampled_from(PEOPLE), unique=True))
    employees = [{"id": p, "supervisor_id": draw(KEYS), "region": draw(st.sampled_from(["east", "west", None]))}
                 for p in people]
    deals = [{"id": f"D{i}", "owner_id": draw(KEYS)} for i in range(draw(st.integers(0, 6)))]
    return {"employees": employees, "deals": deals}


def walk(data: dict, start: str | None, hops: int) -> str | None:
    """The region `hops` supervisor steps above the employee `start`, row by row."""
    by_id = {row["id"]: row for row in data["employees"]}
    person = by_id.get(start)
    for _ in range(hops):
        person = by_id.get(person["supervisor_id"]) if person else None
    return person["region"] if person else None


@settings(max_examples=150, deadline=None)
@given(data=worlds(), hops=st.integers(0, 3))
def test_related_fields_match_a_walk_over_the_rows(data, hops):
    tables = case_tables(SimpleNamespace(file="generated"), {"data": data}, PROJECT)
    path = ("owner",) + ("supervisor",) * hops + ("region",)
    got = related_values(PROJECT.pack.model, tables, "deals", path, np.arange(len(data["deals"])))
    expected = [walk(data, deal["owner_id"], hops) for deal in data["deals"]]
    assert [None if pd.isna(v) else str(v) for v in got] == expected
