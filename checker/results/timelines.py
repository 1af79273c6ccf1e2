"""The time lines of the violating records' cases: every event of those cases, in the order the
checks see them, as columns (`cases`, `starts`, `steps`, `times`, `actors`, `actor_names`).

A million deals' violations have millions of events, so the columns stay codes and
microseconds: each becomes a Python list only when something reads it, and results.json gets
their JSON text straight from the codes, each distinct step and person encoded once.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..load.keys import Tables
from ..model import DataModel
from ..ordering import key_order, time_order
from ..views import NAT, instants
from ..views_people import roster_positions
from .context import keys_at
from ..isotime import iso_text, wall_micros

COLUMNS = ("cases", "starts", "steps", "times", "actors", "actor_names")


class Timelines(Mapping):
    """The columns of the time lines, read like a mapping of lists."""

    def __init__(self, keys: list, starts: np.ndarray, steps: tuple[np.ndarray, np.ndarray], micros: np.ndarray,
                 tz: str | None, people: tuple[np.ndarray, np.ndarray, np.ndarray]):
        self._keys, self._starts, self._steps, self._micros, self._tz = keys, starts, steps, micros, tz
        self._people = people
        self._lists: dict[str, list] = {}

    def __getitem__(self, name: str) -> list:
        if name not in COLUMNS:
            raise KeyError(name)
        if name not in self._lists:
            self._lists[name] = self._column(name).to_pylist()
        return self._lists[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COLUMNS)

    def __len__(self) -> int:
        return len(COLUMNS)

    def json_columns(self) -> Iterator[tuple[str, Iterator[bytes | memoryview]]]:
        """Each column's JSON array, as pieces to write one after the other (the events' columns
        straight from arrow's buffers, never copied into one bytes object, a block of events at a
        time so that the text of millions of events is never held at once). Steps and people are
        encoded once per distinct value and taken by their codes, times are written with their
        quotes: no Python object per event."""
        yield "cases", iter([orjson.dumps(self._keys)])
        yield "starts", iter([orjson.dumps(self._starts, option=orjson.OPT_SERIALIZE_NUMPY)])
        yield "steps", _coded_json(*self._steps)
        yield "times", _array_in_blocks(len(self._micros), lambda rows: pc.fill_null(pc.binary_join_element_wise(
            _large('"'), iso_text(self._micros[rows], self._tz), _large('",'), _large("")), _large("null,")))
        yield "actors", _coded_json(*self._people[:2])
        yield "actor_names", _coded_json(*self._people[::2])

    def arrow_column(self, name: str) -> pa.Array:
        """One column as an arrow array, never made a list (the report reads them so)."""
        return self._column(name)

    def wall_minutes(self) -> np.ndarray:
        """Each event's time as minutes of its wall clock in the run's zone (what the `times` text
        shows up to the minute), NAT where it has none: the report reads them without text."""
        minutes = np.full(len(self._micros), NAT, dtype=np.int64)
        known = self._micros != NAT
        minutes[known] = wall_micros(self._micros[known], self._tz) // 60_000_000
        return minutes

    def _column(self, name: str) -> pa.Array:
        codes, labels = {"steps": self._steps, "actors": self._people[:2],
                         "actor_names": self._people[::2]}.get(name, (None, None))
        if codes is not None:
            return pa.array(labels, pa.large_string()).take(pa.array(codes))
        if name == "times":
            return iso_text(self._micros, self._tz)
        return pa.array(self._keys if name == "cases" else self._starts)


def _coded_json(codes: np.ndarray, labels: np.ndarray) -> Iterator[bytes | memoryview]:
    """The JSON array of labels[codes], in pieces."""
    encoded = pa.array([orjson.dumps(label) + b"," for label in labels.tolist()], pa.large_binary())
    return _array_in_blocks(len(codes), lambda rows: encoded.take(pa.array(codes[rows])))


_EVENTS_PER_PIECE = 1 << 19


def _array_in_blocks(length: int, block_of: Callable[[slice], pa.Array]) -> Iterator[bytes | memoryview]:
    """A JSON array of `length` values, made by block_of(rows) a block of rows at a time as arrow
    text whose values each end with a comma: the bytes of each block read in place from its
    buffer (the very last comma left out)."""
    if not length:
        yield b"[]"
        return
    yield b"["
    for start in range(0, length, _EVENTS_PER_PIECE):
        piece = block_of(slice(start, start + _EVENTS_PER_PIECE))
        offsets = np.frombuffer(piece.buffers()[1], dtype=np.int64)[piece.offset:piece.offset + len(piece) + 1]
        last = start + _EVENTS_PER_PIECE >= length
        yield memoryview(piece.buffers()[2])[offsets[0]:offsets[-1] - (1 if last else 0)]
    yield b"]"


def _large(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


def timelines(model: DataModel, tables: Tables, tz: str | None, positions: np.ndarray) -> Timelines | dict:
    """The events of the given cases (rows of the case table): each case's events in time order
    (events at the same instant by their key, as the checks order them), the cases in the
    order of their keys. `starts` says where each case's events begin in the other columns,
    and their end."""
    log = model.event_log
    if log is None or not len(positions):
        return {}
    frame = tables[log.table]
    case = tables.code(log.table, log.case)
    keys = np.array(keys_at(tables, model, model.case_table(), positions), dtype=object)
    # Each case's rank among the cases' keys, so that the events come out in the order of the keys.
    by_key = key_order(keys)
    rank = np.full(int(case.max(initial=-1)) + 1, -1, dtype=np.int64)
    rank[positions[by_key]] = np.arange(len(positions))
    rows = np.flatnonzero((case >= 0) & (rank[np.maximum(case, 0)] >= 0))
    times = instants(frame[log.time])
    ranks = rank[case[rows]]
    order = time_order(ranks, times[rows], frame[model.tables[log.table].key], rows)
    rows, ranks = rows[order], ranks[order]
    step_codes = np.asarray(frame[log.step].cat.codes)[rows]
    step_names = np.array([*map(str, frame[log.step].cat.categories), None], dtype=object)
    actors = roster_positions(model, tables, log.table, log.actor)[rows]
    ids, names = _roster_texts(model, tables)
    counts = np.bincount(ranks, minlength=len(keys))
    return Timelines(keys[by_key].tolist(), np.concatenate([[0], np.cumsum(counts)]),
                     (np.where(step_codes < 0, len(step_names) - 1, step_codes), step_names), times[rows], tz,
                     (np.where(actors < 0, len(ids) - 1, actors), ids, names))


def joined(parts: list[Timelines | dict], keys: list, tz: str | None) -> Timelines | dict:
    """The time lines of the cases of the given keys, as timelines() gives them on the whole data,
    taken from parts that each hold the time lines of some cases (a partition's; a case in two
    parts has the same events in both). Steps and people are matched by their text."""
    parts = [part for part in parts if isinstance(part, Timelines) and len(part._keys)]
    if not keys or not parts:
        return {}
    wanted = np.array(keys, dtype=object)
    wanted = wanted[key_order(wanted)]
    held = pd.Index(np.concatenate([np.array(part._keys, dtype=object) for part in parts]))
    first = np.flatnonzero(~held.duplicated())
    at = first[held[first].get_indexer(wanted)]
    starts = np.concatenate([part._starts[:-1] + offset for part, offset in zip(parts, _offsets(parts))])
    counts = np.concatenate([np.diff(part._starts) for part in parts])[at]
    bounds = np.concatenate([[0], np.cumsum(counts)])
    events = np.repeat(starts[at] - bounds[:-1], counts) + np.arange(bounds[-1])
    steps, step_names = _united([(part._steps[0], part._steps[1].tolist()) for part in parts])
    people, pairs = _united([(part._people[0], list(zip(part._people[1].tolist(), part._people[2].tolist())))
                             for part in parts])
    ids, names = (np.array([pair[side] for pair in pairs], dtype=object) for side in (0, 1))
    return Timelines(wanted.tolist(), bounds, (steps[events], np.array(step_names, dtype=object)),
                     np.concatenate([part._micros for part in parts])[events], tz, (people[events], ids, names))


def _offsets(parts: list[Timelines]) -> np.ndarray:
    """Where each part's events begin among every part's events, one after the other."""
    return np.concatenate([[0], np.cumsum([len(part._micros) for part in parts])[:-1]]).astype(np.int64)


def _united(coded: list[tuple[np.ndarray, list]]) -> tuple[np.ndarray, list]:
    """Codes into each part's labels made codes into one list of every part's labels, each once."""
    index: dict = {}
    for _, labels in coded:
        for label in labels:
            index.setdefault(label, len(index))
    return np.concatenate([np.array([index[label] for label in labels], dtype=np.int64)[codes]
                           for codes, labels in coded]), list(index)


def _roster_texts(model: DataModel, tables: Tables) -> tuple[np.ndarray, np.ndarray]:
    """Each person's key and name, with None past the end for NONE (index -1)."""
    if model.roster is None:
        return np.array([None], dtype=object), np.array([None], dtype=object)
    roster = tables[model.roster.table]
    ids = roster[model.tables[model.roster.table].key].to_numpy(dtype=object, na_value=None)
    names = roster["name"].to_numpy(dtype=object, na_value=None) if "name" in roster.columns \
        else np.full(len(roster), None, dtype=object)
    return np.append(ids, None), np.append(names, None)
