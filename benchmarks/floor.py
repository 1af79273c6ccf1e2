"""The benchmark's rule subset written by hand with pandas and NumPy, without the engine.

    python benchmarks/floor.py EXPORT_DIR [--out FILE.json]

This is the "floor" the engine is compared with: what a careful pandas engineer would write
for exactly these ten rules (benchmarks/subset/rules.yaml) on the aqt data model, reading
the export directly (pyarrow csv, the mapping's Chinese headers and value maps). It prints
one JSON line of timings (read, prepare, compute seconds; compute is "algorithm only") and
writes the violating and not-evaluable deal keys per rule to --out.

Semantics follow the engine's documented ones (docs/rules.md), so the harness can demand
identical verdicts:
- keys are trimmed; a row without a key gets the placeholder key "row-N" (N = spreadsheet
  row, header is row 1); a repeated key keeps only its first row;
- a reference (event -> deal, event -> employee) that points nowhere is null: such an event
  belongs to no deal, and such an actor is unknown;
- an event with an unknown step makes its deal not evaluable (never a violation) for every
  rule, one with an unreadable time for the rules that read its step; a deal whose stage is unknown is not evaluable for the stage-scoped rules;
- "first X earlier than first Y" is strict: a tie is not earlier.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import yaml

# The export writes times as "2025-03-01 10:00" (local Beijing time). Parsing with the known
# format is what one would do by hand, and is several times faster than guessing per value.
DEFAULT_TIME_FORMAT = "%Y-%m-%d %H:%M"
MISSING = np.iinfo(np.int64).max     # "no such event" for first times: never earlier than anything
NEVER = np.iinfo(np.int64).min       # "no such event" for last times: never later than anything

# The subset, hand-coded (no rule files are read here). run.py checks that it says the same
# as benchmarks/subset/rules.yaml. Scope: None = every deal, else the one stage in scope.
SUBSET: list[dict] = [
    {"id": "PROC-001", "kind": "order", "first": "needs_analysis", "then": "proposal_drafted"},
    {"id": "PROC-003", "kind": "order", "first": "negotiation", "then": "contract_drafted"},
    {"id": "PROC-004", "kind": "order", "first": "contract_drafted", "then": "contract_reviewed"},
    {"id": "BENCH-005", "kind": "order", "first": "contract_reviewed", "then": "contract_signed"},
    {"id": "PROC-006", "kind": "exists", "stage": "won",
     "steps": ["contract_drafted", "contract_reviewed", "contract_signed"]},
    {"id": "BENCH-001", "kind": "exists", "stage": "won",
     "steps": ["needs_analysis", "proposal_drafted", "proposal_presented", "negotiation"]},
    {"id": "BENCH-002", "kind": "exists", "stage": "contract", "steps": ["negotiation", "contract_drafted"]},
    {"id": "BENCH-003", "kind": "response", "if": "contract_drafted", "then": "contract_reviewed"},
    {"id": "BENCH-004", "kind": "response", "if": "contract_signed", "then": "contract_archived"},
    {"id": "SOD-001", "kind": "different_actors", "first": "contract_drafted", "second": "contract_reviewed"},
]


@dataclass
class Log:
    """The export reduced to integer codes: everything the ten rules need."""

    deal_keys: np.ndarray      # deal key text per deal code (used only when writing results)
    stage: np.ndarray          # stage code per deal, -1 unknown
    stages: list[str]
    ev_deal: np.ndarray        # deal code per event that belongs to a deal
    ev_step: np.ndarray        # step code per event, -1 unknown
    ev_actor: np.ndarray       # employee code per event, -1 none or unknown
    ev_time: np.ndarray        # int64 time per event, NaT (int64 min) unreadable
    steps: list[str]
    employees: int


# --- reading -------------------------------------------------------------------------------

def read_tables(folder: Path) -> tuple[dict, dict[str, pa.Table]]:
    """The mapping and the three export files the subset needs, only the needed columns, as text."""
    mapping = yaml.safe_load((folder / "mapping.yaml").read_text(encoding="utf-8"))
    need = {"deals": ["id", "stage"], "events": ["id", "deal_id", "step", "actor_id", "at"], "employees": ["id"]}
    tables = {}
    for table, fields in need.items():
        spec = mapping["tables"][table]
        header = {field: export for export, field in spec["columns"].items()}
        columns = [header[f] for f in fields]
        read = pacsv.read_csv(folder / spec["file"], read_options=pacsv.ReadOptions(encoding=_encoding(mapping, spec)),
                              convert_options=pacsv.ConvertOptions(include_columns=columns,
                                                                   column_types={c: pa.string() for c in columns},
                                                                   strings_can_be_null=False))
        tables[table] = read.rename_columns(fields)
    return mapping, tables


def _encoding(mapping: dict, spec: dict) -> str:
    # pyarrow skips a UTF-8 byte-order mark itself, so utf-8-sig is plain utf8 to it.
    encoding = spec.get("encoding", mapping.get("encoding", "utf-8-sig")).lower()
    return "utf8" if encoding in ("utf-8-sig", "utf-8", "utf8") else encoding


# --- preparing: trim, map values, parse times, link keys -----------------------------------

def prepare(mapping: dict, tables: dict[str, pa.Table], model_steps: list[str], model_stages: list[str]) -> Log:
    deal_rows = _keys(tables["deals"].column("id"))
    kept_deals = _first_of_each(deal_rows)                  # a repeated key keeps its first row only
    deal_keys = pc.filter(deal_rows, pa.array(kept_deals))
    employee_rows = _keys(tables["employees"].column("id"))
    employee_keys = pc.filter(employee_rows, pa.array(_first_of_each(employee_rows)))
    events = tables["events"]
    kept = _first_of_each(_keys(events.column("id")))
    ev_deal = _link(events.column("deal_id"), deal_keys)
    rows = np.flatnonzero(kept & (ev_deal >= 0))            # an event of no (known) deal belongs to no deal
    values = mapping["tables"]["events"].get("values", {})
    ev_step = _labels(events.column("step"), values.get("step", {}), model_steps)[rows]
    ev_actor = _link(events.column("actor_id"), employee_keys)[rows]
    fmt = mapping["tables"]["events"].get("formats", {}).get("at", DEFAULT_TIME_FORMAT)
    at = pc.take(_trimmed(events.column("at")), pa.array(rows))
    # Asia/Shanghai has had no daylight saving since 1991, so local times order like the instants.
    ev_time = pd.to_datetime(at.to_pandas(), format=fmt, errors="coerce").to_numpy("datetime64[s]").view("i8")
    stage_map = mapping["tables"]["deals"].get("values", {}).get("stage", {})
    stage = _labels(tables["deals"].column("stage"), stage_map, model_stages)[kept_deals]
    return Log(np.asarray(deal_keys.to_numpy(zero_copy_only=False), dtype=object), stage, model_stages,
               ev_deal[rows], ev_step, ev_actor, ev_time, model_steps, len(employee_keys))


def _trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(column)


def _keys(column: pa.ChunkedArray) -> pa.Array:
    """Trimmed keys, with the placeholder "row-N" for blanks."""
    text = _trimmed(column).combine_chunks()
    blank = pc.equal(text, "")
    if pc.any(blank).as_py():
        placeholder = pc.binary_join_element_wise("row-", pc.cast(pa.array(np.arange(2, len(text) + 2)), pa.string()), "")
        text = pc.if_else(blank, placeholder, text)
    return text


def _first_of_each(keys: pa.Array) -> np.ndarray:
    """True for the first row of each distinct key.

    Dictionary codes are handed out in order of first appearance, so a row is the first of
    its key exactly when its code is higher than every code before it (a linear pass; the
    obvious index_in(keys, keys) is about three times slower on millions of keys)."""
    codes = pc.dictionary_encode(keys).indices.to_numpy()
    if not len(codes):
        return np.zeros(0, dtype=bool)
    highest = np.maximum.accumulate(codes)
    return np.r_[True, highest[1:] > highest[:-1]]


def _link(column: pa.ChunkedArray, keys: pa.Array) -> np.ndarray:
    """Code of each value in keys; -1 for blank or dangling values."""
    codes = pc.index_in(_trimmed(column), value_set=keys)
    return pc.fill_null(codes, -1).to_numpy().astype(np.int64)


def _labels(column: pa.ChunkedArray, value_map: dict, labels: list[str]) -> np.ndarray:
    """Code of each value's label (export wording via the value map, or the label itself); -1 unknown."""
    words = list(value_map) + labels
    target = np.array([labels.index(value_map[w]) if w in value_map else labels.index(w) for w in words] + [-1])
    found = pc.fill_null(pc.index_in(_trimmed(column), value_set=pa.array([str(w) for w in words])), len(words))
    return target[found.to_numpy()]


# --- the rules -----------------------------------------------------------------------------

def evaluate(log: Log) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(violation mask, not-evaluable mask) over deal codes, per rule id."""
    n, s = len(log.deal_keys), len(log.steps)
    step = {name: i for i, name in enumerate(log.steps)}
    usable = (log.ev_step >= 0) & (log.ev_time != np.iinfo(np.int64).min)
    unknown_step = np.zeros(n, dtype=bool)
    unknown_step[log.ev_deal[log.ev_step < 0]] = True

    def unusable_for(*names: str) -> np.ndarray:
        # An unknown step could be any step; an unreadable time counts for the steps the rule reads.
        out = unknown_step.copy()
        out[log.ev_deal[~usable & np.isin(log.ev_step, [step[name] for name in names])]] = True
        return out

    # One dense deal x step table of first and last times, from the usable events only.
    cell = log.ev_deal[usable] * s + log.ev_step[usable]
    t = log.ev_time[usable]
    first = np.full(n * s, MISSING, dtype=np.int64)
    last = np.full(n * s, NEVER, dtype=np.int64)
    np.minimum.at(first, cell, t)
    np.maximum.at(last, cell, t)
    first, last = first.reshape(n, s), last.reshape(n, s)
    out = {}
    for rule in SUBSET:
        kind = rule["kind"]
        if kind == "order":
            a, b = first[:, step[rule["first"]]], first[:, step[rule["then"]]]
            violated, not_evaluable = (b != MISSING) & ~(a < b), unusable_for(rule["first"], rule["then"])
        elif kind == "exists":
            missing = (first[:, [step[x] for x in rule["steps"]]] == MISSING).any(axis=1)
            in_scope = log.stage == log.stages.index(rule["stage"])
            undecided = log.stage < 0                       # the scope cannot be decided
            # An unreadable event cannot take a step away: a case holding every step passes.
            unusable = unusable_for(*rule["steps"])
            violated, not_evaluable = in_scope & missing, (in_scope & unusable & missing) | undecided
        elif kind == "response":
            # Every `if` has a strictly later `then` exactly when the last `then` is after the last `if`.
            a, b = last[:, step[rule["if"]]], last[:, step[rule["then"]]]
            violated, not_evaluable = (a != NEVER) & ~(b > a), unusable_for(rule["if"], rule["then"])
        elif kind == "different_actors":
            violated, not_evaluable = _same_actor(log, n, step[rule["first"]], step[rule["second"]],
                                                  unusable_for(rule["first"], rule["second"]))
        else:
            raise ValueError(f"unknown kind {kind}")
        out[rule["id"]] = (violated & ~not_evaluable, not_evaluable)
    return out


def _same_actor(log: Log, n: int, one: int, other: int, unusable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Deals where someone did both steps, and deals where an event of either step has no actor
    while both steps occur and nobody known did both (only there could that actor decide)."""
    of_one, of_other = log.ev_step == one, log.ev_step == other
    no_actor = np.zeros(n, dtype=bool)
    no_actor[log.ev_deal[(of_one | of_other) & (log.ev_actor < 0)]] = True
    width = log.employees + 1
    pairs = [_distinct(log.ev_deal[m & (log.ev_actor >= 0)] * width + log.ev_actor[m & (log.ev_actor >= 0)])
             for m in (of_one, of_other)]
    shared = np.zeros(n, dtype=bool)
    shared[np.intersect1d(*pairs, assume_unique=True) // width] = True
    both = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    both[0][log.ev_deal[of_one]] = True
    both[1][log.ev_deal[of_other]] = True
    return shared, unusable | (both[0] & both[1] & no_actor & ~shared)


def _distinct(values: np.ndarray) -> np.ndarray:
    # Sort and drop repeats: np.unique is far slower on NumPy 2.4 (about 0.6 s against 0.01 s
    # for half a million integers).
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


# --- command line --------------------------------------------------------------------------

def model_labels(rules_dir: Path) -> tuple[list[str], list[str]]:
    """Step names and deal stages of the data model (fixed vocabularies, read once)."""
    model = yaml.safe_load((rules_dir / "datamodel.yaml").read_text(encoding="utf-8"))
    return list(model["steps"]), list(model["tables"]["deals"]["columns"]["stage"]["values"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("--rules", type=Path, default=Path(__file__).resolve().parents[1] / "rules")
    parser.add_argument("--out", type=Path, help="write violating and not-evaluable keys per rule here (JSON)")
    args = parser.parse_args(argv)
    steps, stages = model_labels(args.rules)
    t0 = time.perf_counter()
    mapping, tables = read_tables(args.export)
    t1 = time.perf_counter()
    log = prepare(mapping, tables, steps, stages)
    del tables
    t2 = time.perf_counter()
    verdicts = evaluate(log)
    t3 = time.perf_counter()
    if args.out:
        keys = log.deal_keys
        args.out.write_text(json.dumps({rid: {"violations": sorted(keys[v].tolist()), "not_evaluable": sorted(keys[u].tolist())}
                                        for rid, (v, u) in verdicts.items()}), encoding="utf-8")
    print(json.dumps({"read_s": round(t1 - t0, 4), "prepare_s": round(t2 - t1, 4), "compute_s": round(t3 - t2, 4),
                      "deals": len(log.deal_keys), "events": int(len(log.ev_deal))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
