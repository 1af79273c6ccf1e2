"""What the page shows when a reader opens one finding: the rule's criteria and remedy, and the
time line of the finding's case, worded in the report's language."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..views import NAT
from .catalogue import localized
from .evidence import Words, short_time
from .evidence_columns import ISO_MINUTE as _ISO_MINUTE
from .values import as_mapping


def rule_details(rule_ids: Sequence[str], rules: Sequence[Mapping[str, Any]], lang: str) -> list[list[Any]]:
    """Per rule of the page's data: [clause, clause title, clause text, remediation, rests on drafted text]."""
    by_id = {str(r.get("id") or ""): r for r in rules}
    out = []
    for rule_id in rule_ids:
        r = by_id.get(rule_id, {})
        out.append([str(r.get("clause") or ""), localized(r.get("clause_title"), lang),
                    localized(r.get("clause_text"), lang), localized(r.get("remediation"), lang),
                    r.get("clause_source") == "drafted" or r.get("clause_status") == "drafted"])
    return out


def clause_appendix(rules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The clause texts for print, once per clause (in the order the rules first cite them), each
    with the rules resting on it and their remedies; ``rules`` are the page's rule rows."""
    clauses: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rules:
        if not (r["clause_text"] or r["remediation"]):
            continue
        entry = clauses.setdefault((r["clause"], r["clause_text"]), {
            "clause": r["clause"], "title": r["clause_title"], "text": r["clause_text"], "rules": []})
        entry["rules"].append({"id": r["id"], "title": r["title"], "remediation": r["remediation"]})
    return list(clauses.values())


def page_timelines(results: Mapping[str, Any], cases: Sequence[str], words: Words) -> dict[str, Any]:
    """The time lines of the cases the page's findings name, as compact columns the page's script
    reads when a finding opens: the cases and their event counts, each event's step and actor as
    codes into small tables, its time as minutes of its own wall clock, the first of a case from
    ``base`` and each next one from the one before (a time that is no ISO time stays its text);
    {} when the results have none."""
    source = as_mapping(results.get("timelines"))
    columns = _timeline_columns(source)
    if columns is None:
        return {}
    keys, starts = columns["cases"], np.asarray(columns["starts"].to_numpy(zero_copy_only=False), dtype=np.int64)
    kept = pc.is_in(keys, value_set=pa.array(sorted(set(cases) - {""}), keys.type)).to_numpy(zero_copy_only=False)
    counts = np.diff(starts)
    events = np.repeat(kept, counts)
    steps = pc.fill_null(columns["steps"].filter(events), "").dictionary_encode()
    actors = _actor_texts(columns["actors"].filter(events), columns["actor_names"].filter(events), words.L["none_person"])
    minutes, timed, untimed_text = _event_minutes(source, columns, events)
    base, at = _minutes_apart(minutes, timed, untimed_text, np.repeat(np.arange(int(kept.sum())), counts[kept]))
    return {"cases": keys.filter(kept).to_pylist(), "counts": counts[kept],
            "steps": [[words.step(step), step] for step in steps.dictionary.to_pylist()],
            "actors": actors.dictionary.to_pylist(), "seq": _codes(steps), "who": _codes(actors),
            "base": base, "at": at}


def _timeline_columns(source: Mapping[str, Any]) -> dict[str, pa.Array] | None:
    """The results' time line columns (`cases`, `starts`, `steps`, `times`, `actors`, `actor_names`) as
    arrow arrays, or None when they are missing or do not fit together. Time lines that give their
    times as wall-clock minutes are not asked for the times' text."""
    read = getattr(source, "arrow_column", None)
    names = [name for name in TIMELINE_COLUMNS if not (name == "times" and hasattr(source, "wall_minutes"))]
    try:
        columns = {name: read(name) if read else pa.array(source.get(name)) for name in names}
    except (KeyError, TypeError, pa.ArrowException):
        return None
    events = len(columns["steps"])
    if len(columns["starts"]) != len(columns["cases"]) + 1 or not pa.types.is_integer(columns["starts"].type) \
            or any(len(columns[name]) != events for name in ("times", "actors", "actor_names") if name in columns) \
            or columns["starts"].null_count or columns["starts"][0].as_py() != 0 \
            or columns["starts"][-1].as_py() != events or pc.any(pc.less(pc.pairwise_diff(columns["starts"]), 0)).as_py():
        return None
    return {name: column if name == "starts" else column.cast(pa.string()) for name, column in columns.items()}


TIMELINE_COLUMNS = ("cases", "starts", "steps", "times", "actors", "actor_names")


def _actor_texts(actors: pa.Array, names: pa.Array, nobody: str) -> pa.DictionaryArray:
    """Each event's actor as the page shows it ("name id", either alone, or nobody), dictionary-encoded."""
    both = pc.binary_join_element_wise(pc.fill_null(names, ""), pc.fill_null(actors, ""), _SEP).dictionary_encode()
    texts = [" ".join(part for part in both_texts.split(_SEP, 1) if part) or nobody
             for both_texts in both.dictionary.to_pylist()]
    return pa.DictionaryArray.from_arrays(both.indices, pa.array(texts, pa.string()))


_SEP = "\x1f"
_WALL = "%Y-%m-%dT%H:%M"


def _codes(encoded: pa.DictionaryArray) -> Any:
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _event_minutes(source: Any, columns: Mapping[str, pa.Array], events: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """The chosen events' wall-clock minutes, whether each has one, and the text shown for each that
    has none (None for no time): from the time lines' own minutes, or else read from their ISO text."""
    if "times" not in columns:
        minutes = source.wall_minutes()[events]
        timed = minutes != NAT
        return minutes[timed], timed, [None] * int((~timed).sum())
    times = columns["times"].filter(events)
    wall = pc.utf8_slice_codeunits(times, 0, 16)
    minute = pc.strptime(wall, format=_WALL, unit="s", error_is_null=True)
    # strptime rolls a day past the month's end over (02-30 to 03-02): such a time stays its text.
    exact = pc.equal(pc.strftime(minute, format=_WALL), wall)
    timed = pc.fill_null(pc.and_(pc.match_substring_regex(times, _ISO_MINUTE), exact), False).to_numpy(zero_copy_only=False)
    seconds = np.asarray(pc.cast(pc.fill_null(minute, 0), pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
    untimed = [short_time(text) if text else None for text in times.filter(pa.array(~timed)).to_pylist()]
    return seconds[timed] // 60, timed, untimed


def _minutes_apart(minutes: np.ndarray, timed: np.ndarray, untimed_text: list, case_of: np.ndarray) -> tuple[int, Any]:
    """(base, per event: minutes from the case's previous timed event, or from base for its first; the
    text shown for an event without a time)."""
    base = int(minutes.min()) if len(minutes) else 0
    timed_case = case_of[timed]
    first = np.ones(len(minutes), dtype=bool)
    first[1:] = timed_case[1:] != timed_case[:-1]
    step = np.where(first, minutes - base, minutes - np.concatenate(([base], minutes[:-1])))
    if timed.all():
        return base, step
    at = np.empty(len(timed), dtype=object)
    at[timed] = step.tolist()
    at[~timed] = untimed_text
    return base, at.tolist()


def case_events(timelines: Any, cases: Sequence[str]) -> dict[str, list[tuple]]:
    """{case: [(step, time, actor id, actor name), ...]} of the given cases, from the results'
    time lines (columns: `cases`, `starts`, `steps`, `times`, `actors`, `actor_names`)."""
    source = as_mapping(timelines)
    columns = [source.get(name) for name in ("steps", "times", "actors", "actor_names")]
    starts, keys = source.get("starts"), source.get("cases")
    if not isinstance(keys, list) or not isinstance(starts, list) or not all(isinstance(c, list) for c in columns) \
            or len(starts) != len(keys) + 1:
        return {}
    at = {key: i for i, key in enumerate(keys)}
    out = {}
    for case in cases:
        i = at.get(case)
        if i is not None:
            begin, end = starts[i], starts[i + 1]
            out[case] = list(zip(*(column[begin:end] for column in columns)))
    return out
