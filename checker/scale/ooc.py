"""`checker check --engine dask` on a Parquet dataset (`checker convert --to parquet`): each
worker reads, loads and judges its buckets (bucket.py) and the client never loads the split
tables. It merges the partial outcomes in the export's order, and keeps of the split tables
only the records of the cases something was found in, which is all results read of them:
results are built from those records by the same code, and equal the default engine's.

The rules that cannot be judged bucket by bucket (layout.by_case) are judged by one task on
the whole data, read from the dataset by the same code; that task needs the memory of the
default engine."""
from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..engine import RuleOutcome
from ..load.derive import filter_findings_summed
from ..load.findings import combine
from ..load.keys import ROW, Tables, link
from ..load.mapping import Mapping
from ..load.memory import allocators_that_return_memory, give_back_freed_memory
from ..load.parquet import ROW_COLUMN, Manifest
from ..load.read import DataError
from ..results.timelines import joined
from ..rules import RulePack
from .bucket import Found, Job, contested_kept, judge_bucket, latest_in_bucket
from .cluster import cluster_options, connected, given_up, reported_failure
from .contested import read_contested, repeated_rows
from .layout import Layout, case_layout
from .merge import merged
from .piece import Settings

POLL_SECONDS = 2


@dataclass
class Judged:
    """What the run section and build_results read, as the default engine's run gives them."""

    outcomes: dict[str, RuleOutcome]
    tables: Tables                  # the whole tables, and the found cases' records of the split ones
    timelines: list                 # each task's time lines of its found cases (results.timelines.joined)
    findings: pd.DataFrame
    records: dict[str, int]         # every table's number of records in the whole dataset
    population: dict[str, dict]
    engine: dict


def dataset_layout(manifest: Manifest, mapping: Mapping, model) -> Layout:
    """The data model's split of the dataset's tables, which must be the one it was written in."""
    layout = case_layout(model, set(mapping.tables))
    if tuple(sorted(layout.split)) != manifest.split:
        raise DataError(f"{manifest.folder}: the dataset is split by case as {', '.join(manifest.split) or 'nothing'}, "
                        f"this data model splits {', '.join(sorted(layout.split)) or 'nothing'}; convert the export "
                        "again with this data model and mapping")
    return layout


def repeats_on_cluster(manifest: Manifest, mapping: Mapping, model, args: argparse.Namespace) -> dict[str, np.ndarray]:
    """Per split table, the export rows that repeat the key of a record in another bucket. Of a
    table the mapping filters, each bucket holding contested rows says which its filter keeps
    (a first pass, only then)."""
    layout = dataset_layout(manifest, mapping, model)
    contested = {name: read_contested(manifest.folder / entry.contested) for name, entry in manifest.tables.items()
                 if entry.contested}
    contested = {name: table for name, table in contested.items() if table.num_rows}
    asked = {name: table.column(ROW_COLUMN).to_numpy() for name, table in contested.items()
             if "where" in mapping.tables[name]}
    kept = {}
    if asked:
        job = Job(manifest, mapping, model, layout, None)
        with connected(*cluster_options(args)) as (client, _), reported_failure():
            found = client.gather([client.submit(contested_kept, job, b, asked, pure=False)
                                   for b in range(manifest.buckets)])
        kept = {name: np.concatenate([f[name] for f in found]) for name in asked}
    return {name: repeated_rows(table, kept.get(name)) for name, table in contested.items()}


def latest_day_on_cluster(manifest: Manifest, mapping: Mapping, model, args: argparse.Namespace,
                          repeats: dict[str, np.ndarray]) -> str | None:
    """The latest date in the dataset, each bucket read by a worker (a first pass, needed only
    when neither the mapping nor --as-of gives the as-of day)."""
    job = Job(manifest, mapping, model, dataset_layout(manifest, mapping, model), None, repeats=repeats)
    with connected(*cluster_options(args)) as (client, _), reported_failure():
        days = client.gather([client.submit(latest_in_bucket, job, b, pure=False) for b in range(manifest.buckets)])
    found = [day for day in days if day is not None]
    return max(found) if found else None


def judge_dataset(pack: RulePack, settings: Settings, manifest: Manifest, mapping: Mapping,
                  args: argparse.Namespace, repeats: dict[str, np.ndarray],
                  progress: Callable[[str], None] | None = None, phase: Callable[[str], None] | None = None) -> Judged:
    layout = dataset_layout(manifest, mapping, pack.model)
    where = _where_judged(pack, layout, manifest)

    def job(rules: list, shard: str | None = None) -> Job:
        return Job(manifest, mapping, pack.model, layout, replace(settings, pack=replace(pack, rules=tuple(rules))),
                   frozenset(rule.applies_to for rule in pack.rules), shard, repeats)

    tasks = [(job(where["by_partition"] + where["on_one_partition"] if b == 0 else where["by_partition"]), b)
             for b in range(manifest.buckets)]
    # The first bucket also judges the rules that read only the tables every bucket holds whole.
    for via, rules in _by_shard(where["by_shard"], layout, pack).items():
        tasks += [(job(rules, via), b) for b in range(manifest.buckets)]
    if where["on_whole_data"]:
        tasks.append((job(where["on_whole_data"]), None))
    with connected(*cluster_options(args)) as (client, cluster), reported_failure():
        # Sent with each task rather than scattered: scattered data dies with its worker, and a
        # task retried elsewhere would find it gone.
        found = _gathered(client, [client.submit(judge_bucket, *task, pure=False) for task in tasks])
        memory = sorted(client.run(worker_memory).values(), key=lambda m: -m["peak_mb"])
    if phase:
        phase("judged on the cluster")
    buckets = found[:manifest.buckets]
    tables = _tables(found, pack.model, mapping)
    outcomes = on_positions(_merged(pack, [task[0] for task in tasks], found, settings.params), pack, tables)
    for rule in pack.rules:
        if progress:
            progress(rule.id)
    # The shards' and the whole data's tasks read the buckets' records again: their findings
    # and counts are the buckets'.
    findings = filter_findings_summed(combine([f.findings for f in buckets]))
    return Judged(outcomes, tables, [f.timelines for f in found], findings, _records(buckets, layout),
                  _population(buckets, layout),
                  {"engine": {"name": "dask", **cluster, "partitions": manifest.buckets, "split_by": layout.case_table,
                              **{name: [r.id for r in rules] for name, rules in where.items()},
                              "workers_memory": memory, "task_seconds": [f.seconds for f in found]}})


def _where_judged(pack: RulePack, layout: Layout, manifest: Manifest) -> dict[str, list]:
    """The rules by where they are judged: by partition, with the first partition, by shards of
    their records and events (manifest.shards), or on the whole data."""
    out = {"by_partition": [], "on_one_partition": [], "by_shard": [], "on_whole_data": []}
    for rule in pack.rules:
        if layout.by_case(rule):
            out["by_partition"].append(rule)
        elif layout.on_whole_tables(rule):
            out["on_one_partition"].append(rule)
        elif layout.entity_key(rule, pack.model, pack.params) in manifest.shards:
            out["by_shard"].append(rule)
        else:
            out["on_whole_data"].append(rule)
    return out


def _by_shard(rules: list, layout: Layout, pack: RulePack) -> dict[str, list]:
    out: dict[str, list] = {}
    for rule in rules:
        out.setdefault(layout.entity_key(rule, pack.model, pack.params), []).append(rule)
    return out


def _gathered(client, running: list) -> list[Found]:
    """The tasks' results in submission order, each fetched as soon as it is done so that the
    worker lets go of it; a progress line on a terminal."""
    from distributed import wait

    terminal, seen = sys.stderr.isatty(), set()
    pending, results = dict(enumerate(running)), [None] * len(running)
    running.clear()     # the futures held here only: a result fetched is released on its worker
    while pending:
        try:
            wait(list(pending.values()), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
        except TimeoutError:
            pass
        for at in [at for at, future in pending.items() if future.done()]:
            results[at] = pending.pop(at).result()
        seen |= set(client.scheduler_info()["workers"])
        given_up(len(seen), len(client.nthreads()))
        if terminal:
            done = len(results) - len(pending)
            print(f"\rjudging partitions {done}/{len(results)}", end="\n" if not pending else "", file=sys.stderr,
                  flush=True)
    return results


def worker_memory(dask_worker=None) -> dict[str, float]:
    """A worker's peak resident memory and what it spilled to disk, in MB (run on each worker)."""
    import resource

    spilled = getattr(getattr(dask_worker, "data", None), "spilled_total", None)
    return {"peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "spilled_mb": round(spilled.disk / 2 ** 20, 1) if spilled is not None else 0.0}


def _merged(pack: RulePack, jobs: list[Job], found: list[Found], params: dict) -> dict[str, RuleOutcome]:
    """Each rule's outcome, indexed by export row: the partials of every task that judged it
    (the buckets, the shards, the first bucket or the whole data) merged. The partials are taken
    out of the tasks' results, so that each rule's are let go once merged."""
    partials: dict[str, list] = {}
    for job, result in zip(jobs, found):
        for rule in job.settings.pack.rules:
            partials.setdefault(rule.id, []).append(result.partials.pop(rule.id))
    return {rule.id: merged(partials.pop(rule.id), rule.tolerance_value(params)) for rule in pack.rules}


def _tables(found: list[Found], model, mapping: Mapping) -> Tables:
    """The records results read, linked as the loading code links them (taken out of the tasks'
    results, so that each table's pieces are let go once joined)."""
    frames = {}
    for name in model.tables:
        pieces = [f.frames.pop(name) for f in found if name in f.frames]
        whole = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0].reset_index(drop=True)
        frames[name] = _in_export_order(whole)
    tables, _ = link(frames, model, mapping.source_of)
    for f in found:
        for key, text in f.dangling.items():
            rows = frames[key[0]][ROW].to_numpy()
            tables.dangling[key] = pd.Series(text.to_numpy(dtype=object), index=np.searchsorted(rows, text.index.to_numpy()))
    return tables


def _in_export_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The records in export row order, each once: a case the whole data's task found too is
    the same export row twice."""
    rows = frame[ROW].to_numpy()
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return frame.take(order[first]).reset_index(drop=True)


def _records(found: list[Found], layout: Layout) -> dict[str, int]:
    split = set(layout.split)
    return {name: sum(f.records[name] for f in found) if name in split else count
            for name, count in found[0].records.items()}


def _population(found: list[Found], layout: Layout) -> dict[str, dict]:
    split = set(layout.split)
    out = {}
    for name, first in found[0].population.items():
        if name not in split:
            out[name] = first
            continue
        summed = {k: sum(f.population[name][k] for f in found) for k in ("records", "in_period", "undated")}
        out[name] = {"dated_by": first["dated_by"], **summed}
    return out


def on_positions(outcomes: dict[str, RuleOutcome], pack: RulePack, tables: Tables) -> dict[str, RuleOutcome]:
    """The outcomes with their records on the positions of `tables` instead of export rows."""
    out = {}
    for rule in pack.rules:
        outcome = outcomes[rule.id]
        at = outcome.reported.index.to_numpy()
        rows = tables[rule.applies_to][ROW].to_numpy()
        positions = np.where(at >= 0, np.searchsorted(rows, np.maximum(at, 0)), at)
        out[rule.id] = replace(outcome, reported=outcome.reported.set_axis(
            pd.Index(positions, dtype=np.int64, name=outcome.reported.index.name)))
    return out


def dataset_files(manifest: Manifest) -> list[Path]:
    """The dataset's files, for the run's inputs."""
    return [manifest.folder / "manifest.json"] + [manifest.folder / part for entry in manifest.tables.values()
                                                  for part in (*entry.parts, *filter(None, [entry.contested]))]



def check_dataset(project, mapping: Mapping, mapping_path: Path, manifest: Manifest, args: argparse.Namespace,
                  progress: Callable[[str], None] | None = None,
                  phase: Callable[[str], None] | None = None) -> tuple[dict, dict, dict]:
    """`checker check --engine dask` on a dataset, up to results: what check_run._report takes."""
    from ..check_run import as_of_instant, input_digests, run_section
    from ..periods import audit_period

    # The client builds results as the default engine does, with the same allocators.
    allocators_that_return_memory()
    hashing = ThreadPoolExecutor(max_workers=1)
    inputs = hashing.submit(input_digests, project, mapping_path, dataset_files(manifest))
    hashing.shutdown(wait=False)
    repeated = repeats_on_cluster(manifest, mapping, project.pack.model, args)
    day = args.as_of or mapping.as_of or latest_day_on_cluster(manifest, mapping, project.pack.model, args, repeated)
    as_of = as_of_instant(day, mapping.timezone)
    period = audit_period(getattr(args, "period_from", None), getattr(args, "period_to", None), as_of.date(),
                          project.settings.get("period"))
    settings = Settings(project.pack, project.pack.params, project.calendar, as_of, mapping.timezone, period)
    judged = judge_dataset(project.pack, settings, manifest, mapping, args, repeated, progress, phase)
    give_back_freed_memory()    # the buckets' shares, merged, are let go
    run = run_section(project, args, day, as_of, mapping.timezone, period, judged.population, mapping.source,
                      inputs.result(), judged.engine)
    shares = judged.timelines

    def time_lines(keys: list):
        """The cases' time lines joined from the tasks' (whose own are let go once joined)."""
        lines = joined(shares, keys, mapping.timezone)
        shares.clear()
        return lines

    return {"outcomes": judged.outcomes, "tables": judged.tables, "findings": judged.findings,
            "timelines": time_lines}, run, judged.records
