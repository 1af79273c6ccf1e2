"""The time lines' columns: read as lists they are what results.json says, and the JSON text
made from arrow buffers is what orjson writes for the same values."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.results import timelines as timelines_module
from checker.results.timelines import COLUMNS, Timelines, _coded_json, timelines

ROOT = Path(__file__).resolve().parents[1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(), st.sampled_from(['"', "\\", "\x00", "\n\r\t", "\u2028", "中文"])),
                min_size=1), st.data())
def test_coded_columns_are_the_json_orjson_writes(labels, data) -> None:
    codes = data.draw(st.lists(st.integers(0, len(labels) - 1)))
    expected = orjson.dumps([labels[c] for c in codes])
    assert b"".join(_coded_json(np.array(codes, dtype=np.int64), np.array(labels, dtype=object))) == expected


@pytest.fixture(scope="module")
def sample():
    """The shipped sample loaded as a check loads it: its data model and tables."""
    from checker.load.dataset import load_dataset, load_mapping
    from checker.project import load_project

    with contextlib.chdir(ROOT):
        model = load_project(Path("rules"), Path("policy")).pack.model
        data = load_dataset(Path("sample_data"), load_mapping(Path("sample_data/mapping.yaml"), model, "mapping.yaml"),
                            model, lambda *_: None)
    return model, data


@pytest.mark.parametrize("events_per_piece", [1 << 19, 7, 1])
def test_time_lines_read_as_lists_are_their_json(sample, events_per_piece, monkeypatch) -> None:
    # Written a block of events at a time, however the blocks fall.
    monkeypatch.setattr(timelines_module, "_EVENTS_PER_PIECE", events_per_piece)
    model, data = sample
    cases = np.arange(0, len(data.tables.frames["deals"]), 3)
    lines = timelines(model, data.tables, data.timezone, cases)
    assert isinstance(lines, Timelines) and list(lines) == list(COLUMNS)
    written = {name: json.loads(b"".join(pieces)) for name, pieces in lines.json_columns()}
    assert written == {name: lines[name] for name in COLUMNS}
    assert len(written["cases"]) == len(cases) and written["starts"][-1] == len(written["times"]) > len(cases)
    # Names come from the same roster codes as the ids: a person the roster lacks has neither.
    assert [a is None for a in written["actors"]] == [n is None for n in written["actor_names"]]


def test_writing_results_json_never_makes_the_time_lines_lists(sample, monkeypatch) -> None:
    from checker.report.writers import results_json_pieces

    model, data = sample
    lines = timelines(model, data.tables, data.timezone, np.arange(20))
    expected = {name: lines[name] for name in COLUMNS}
    # A million deals' time lines as Python lists cost seconds and gigabytes: the writer must not ask.
    monkeypatch.setattr(Timelines, "__getitem__", lambda self, name: pytest.fail(f"column {name} made a list"))
    written = json.loads(b"".join(results_json_pieces({"timelines": lines})))
    assert written["timelines"] == expected


def _relabelled(lines: Timelines | dict, seed: int) -> Timelines | dict:
    """The same time lines with their steps and people in another order of labels, as another
    partition's loading may give them (a part of no case has none: {})."""
    if not lines:
        return lines
    rng = np.random.default_rng(seed)
    steps, names = lines._steps
    order = rng.permutation(len(names))
    people, ids, person_names = lines._people
    shuffled = rng.permutation(len(ids))
    return Timelines(lines._keys, lines._starts, (np.argsort(order)[steps], names[order]), lines._micros, lines._tz,
                     (np.argsort(shuffled)[people], ids[shuffled], person_names[shuffled]))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_time_lines_joined_from_parts_are_those_of_the_whole_data(sample, data) -> None:
    from checker.results.context import keys_at
    from checker.results.timelines import joined

    model, loaded = sample
    deals = len(loaded.tables.frames["deals"])
    wanted = np.array(sorted(data.draw(st.sets(st.integers(0, deals - 1), max_size=60))), dtype=np.int64)
    # Each case in one part or more (a case the whole data's task found too), parts in any order.
    owner = data.draw(st.lists(st.integers(0, 3), min_size=deals, max_size=deals))
    again = data.draw(st.sets(st.integers(0, deals - 1), max_size=10))
    parts = [_relabelled(timelines(model, loaded.tables, loaded.timezone,
                                   np.array([c for c in range(deals) if owner[c] == p or (p == 3 and c in again)],
                                            dtype=np.int64)), p)
             for p in data.draw(st.permutations(range(4)))]
    keys = keys_at(loaded.tables, model, "deals", wanted)
    expected = timelines(model, loaded.tables, loaded.timezone, wanted)
    got = joined(parts, keys, loaded.timezone)
    if not len(wanted):
        assert got == expected == {}
        return
    assert {name: b"".join(pieces) for name, pieces in got.json_columns()} == \
        {name: b"".join(pieces) for name, pieces in expected.json_columns()}
