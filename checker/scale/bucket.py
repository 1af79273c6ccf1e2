"""What a worker does with one bucket of a Parquet dataset: it reads and loads the bucket and
the whole tables by the loading code of the default engine (load_dataset, with the dataset's
reader), judges the rules on it by the engine's evaluate_rule, and sends back what results
need: partial outcomes, findings, counts, the records reported and the cases something was
found in, and those cases' time lines (built here, so that no event of the split tables
needs to reach the client unless a rule reports it).

Records are named across buckets by their export row (the ROW column, unique in a table and
in the export's order): partial outcomes are indexed by it, so the merge puts them in the
order the default engine gives them."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine import evaluate_rule, make_context, population
from ..load.dataset import judge_at, latest_day, load_dataset
from ..load.keys import NONE, ROW, Tables
from ..load.mapping import Mapping
from ..load.parquet import Manifest, dataset_reader
from ..model import DataModel
from ..results.timelines import Timelines, timelines
from .layout import Layout
from .merge import Partial, partial_of
from .piece import Settings


@dataclass(frozen=True)
class Job:
    """Everything a bucket is judged with: sent once to every worker."""

    manifest: Manifest
    mapping: Mapping
    model: DataModel
    layout: Layout
    settings: Settings | None    # None for the first pass that only finds the latest day
    reported: frozenset[str] = frozenset()   # the tables any rule of the pack reports records of
    shard: str | None = None                 # judge a shard of manifest.shards instead of a bucket
    # Per split table, the export rows repeating the key of a record in another bucket (contested.py).
    repeats: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    """A bucket's share of the results."""

    partials: dict[str, Partial]                   # by rule id, indexed by export row
    findings: pd.DataFrame
    records: dict[str, int]
    population: dict[str, dict]
    frames: dict[str, pd.DataFrame]                # the found cases and reported records (every record of a whole table)
    timelines: Timelines | dict                    # the found cases' time lines
    dangling: dict[tuple[str, str], pd.Series]     # their dangling references, indexed by export row
    seconds: float                                 # the worker's time on the bucket, for sizing a cluster


def latest_in_bucket(job: Job, bucket: int | None) -> str | None:
    """The latest date of the bucket's tables (the as-of day, when neither mapping nor command gives one)."""
    return latest_day(_loaded(job, bucket).tables)


def contested_kept(job: Job, bucket: int, asked: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Of the contested rows `asked` of each table, those the bucket holds once its mapping's
    filter is applied (the first of a key must be a row the filter keeps)."""
    tables = _loaded(job, bucket).tables
    return {name: np.intersect1d(tables[name][ROW].to_numpy(), rows) for name, rows in asked.items()}


def judge_bucket(job: Job, bucket: int | None) -> Found:
    """The settings' rules judged on one bucket (None: on every bucket, for the rules that read
    the whole data). Only bucket 0 (or the whole data) reports the whole tables' findings."""
    settings, start = job.settings, time.perf_counter()
    data = _loaded(job, bucket)
    judge_at(data, settings.as_of, job.mapping)
    tables = data.tables
    ctx = make_context(settings.pack, tables, settings.calendar, settings.as_of, settings.tz, settings.params,
                       settings.period)
    partials = {rule.id: partial_of(evaluate_rule(rule, ctx), ctx.views, tables[rule.applies_to][ROW].to_numpy())
                for rule in settings.pack.rules}
    split = set(job.layout.split)
    mine = data.findings if bucket in (0, None) else data.findings[data.findings["table"].isin(split).to_numpy()]
    # A shard's records are the buckets' too: results take them from the buckets; and every
    # bucket holds the whole tables, which results take from the first.
    kept = {} if job.shard else _found_records(tables, job.layout,
                                               [(rule.applies_to, partials[rule.id]) for rule in settings.pack.rules],
                                               whole=bucket in (0, None))
    cases = kept.get(job.layout.case_table, np.zeros(0, np.int64))
    return Found(partials, mine, {name: len(tables[name]) for name in tables}, population(ctx),
                 {name: tables[name].iloc[rows][_read(job, name)] for name, rows in kept.items()},
                 timelines(job.model, tables, settings.tz, cases),
                 {key: _by_row(text, tables[key[0]]) for key, text in tables.dangling.items()
                  if key[0] in kept and len(text)}, round(time.perf_counter() - start, 2))


def _loaded(job: Job, bucket: int | None):
    return load_dataset(job.manifest.folder, job.mapping, job.model,
                        reader=dataset_reader(job.manifest, bucket, job.shard, job.repeats))


def _found_records(tables: Tables, layout: Layout, partials: list[tuple[str, Partial]],
                   whole: bool) -> dict[str, np.ndarray]:
    """The positions of the records results read: with `whole`, every record of a whole table;
    of the split tables, the records any rule reported and the cases they belong to."""
    split = set(layout.split)
    kept = {name: np.arange(len(tables[name])) for name in tables if name not in split and whole}
    if layout.case_table is None:
        return kept
    rows = {name: tables[name][ROW].to_numpy() for name in split}
    reported = {name: [] for name in split}
    for table, partial in partials:
        if table in split and len(partial.unpassed):
            at = partial.unpassed.index.to_numpy()
            reported[table].append(np.searchsorted(rows[table], at[at >= 0]))
    held = {name: np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64) for name, found in reported.items()}
    cases = [held[layout.case_table]] + [_cases_of(tables, name, column, held[name]) for name, column in layout.members.items()]
    cases = np.unique(np.concatenate(cases))
    kept[layout.case_table] = cases
    return kept | {name: held[name] for name in layout.members}


def _read(job: Job, name: str) -> list[str]:
    """The columns of a table that results read: every column of the cases (every finding's
    context) and of a table whose records a rule reports; of the others (which send no
    record), their key and foreign keys, to link them."""
    spec = job.model.tables[name]
    if name in job.reported or name not in job.layout.split or name == job.layout.case_table:
        return list(spec.columns) + [ROW]
    named = {spec.key, *(c.name for c in spec.columns.values() if c.references)}
    return [c for c in spec.columns if c in named] + [ROW]


def _cases_of(tables: Tables, name: str, column: str, positions: np.ndarray) -> np.ndarray:
    case = tables.code(name, column)[positions]
    return case[case != NONE]


def _by_row(text: pd.Series, frame: pd.DataFrame) -> pd.Series:
    return pd.Series(text.to_numpy(dtype=object), index=frame[ROW].to_numpy()[text.index.to_numpy()])
