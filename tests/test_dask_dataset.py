"""`checker check --engine dask` on a Parquet dataset: each worker reads and judges its own
buckets, and results are the default engine's on the export itself (results.json apart from
its run section, violations.csv and junit.xml byte for byte), on a LocalCluster of two worker
processes on loopback; and a cluster that fails under the run is told, never exit 4."""
from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import Client, KilledWorker, LocalCluster
from distributed.comm.core import CommClosedError

from checker.problems import UserError
from checker.scale.bucketed import bucket_of
from checker.scale.cluster import given_up, reported_failure
from test_convert import EVENTS, ROOT, assert_same_reports, checked, converted, hostile_export
from test_dask_engine import BY_PARTITION

# The rules on the tables every bucket holds whole (employees, plans, reports, trainings).
ON_ONE_PARTITION = ["ORG-001", "ORG-002", "ORG-003", "ORG-004", "ORG-005", "PLAN-001", "PLAN-002", "PLAN-003",
                    "PLAN-004", "REC-001", "RPT-001", "RPT-002", "RPT-003", "RPT-004", "TRN-001", "TRN-002", "TRN-003"]
# The rules that read the events by customer: judged on shards of customers and their events.
BY_SHARD = ["FUP-001", "VIS-001"]
RECORDS = {"approvals": 411, "complaints": 30, "customers": 120, "deals": 400, "employees": 28, "events": 4157,
           "plans": 245, "reports": 241, "trainings": 80}


@pytest.fixture(scope="module")
def scheduler():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        yield client.scheduler.address


def test_the_sample_on_its_dataset(scheduler, tmp_path):
    dataset = converted(ROOT / "sample_data", tmp_path / "dataset", buckets=5)
    on_dask = checked(dataset, tmp_path / "dask", "--engine", "dask", "--scheduler", scheduler)
    assert_same_reports(checked(ROOT / "sample_data", tmp_path / "csv"), on_dask)
    run = json.loads((on_dask / "results.json").read_text(encoding="utf-8"))["run"]
    memory, seconds = run["engine"].pop("workers_memory"), run["engine"].pop("task_seconds")
    assert len(seconds) == 5 + 5 and all(s > 0 for s in seconds)    # five buckets, then five shards
    assert len(memory) == 2 and all(m["peak_mb"] > 100 and m["spilled_mb"] == 0 for m in memory), memory
    assert run["engine"] == {"name": "dask", "cluster": scheduler, "workers": 2, "partitions": 5, "split_by": "deals",
                             "by_partition": BY_PARTITION, "on_one_partition": ON_ONE_PARTITION,
                             "by_shard": BY_SHARD, "on_whole_data": []}
    assert run["records"] == RECORDS


def test_findings_rows_and_the_latest_day_across_buckets(scheduler, tmp_path):
    # Events from two files with a row set aside in each, no as-of day in the mapping (a first
    # pass over the buckets finds the latest date), and more buckets than some tables have cases.
    export = hostile_export(tmp_path / "export")
    dataset = converted(export, tmp_path / "dataset", buckets=7)
    on_dask = checked(dataset, tmp_path / "dask", "--engine", "dask", "--scheduler", scheduler)
    from_csv = checked(export, tmp_path / "csv")
    assert_same_reports(from_csv, on_dask)
    runs = [json.loads((out / "results.json").read_text(encoding="utf-8"))["run"] for out in (from_csv, on_dask)]
    assert runs[1]["as_of_date"] == runs[0]["as_of_date"] and runs[1]["population"] == runs[0]["population"]


def test_a_filter_on_a_split_table_counts_the_rows_of_every_bucket(scheduler, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(ROOT / "sample_data", export)
    mapping = (export / "mapping.yaml").read_text(encoding="utf-8")
    (export / "mapping.yaml").write_text(mapping.replace("    file: 销售活动.csv\n",
                                                         "    file: 销售活动.csv\n    where: 'channel != \"system\"'\n"),
                                         encoding="utf-8")
    on_dask = checked(converted(export, tmp_path / "dataset", buckets=4), tmp_path / "dask", "--engine", "dask",
                      "--scheduler", scheduler)
    from_csv = checked(export, tmp_path / "csv")
    assert_same_reports(from_csv, on_dask)
    found = json.loads((on_dask / "results.json").read_text(encoding="utf-8"))["data_quality"]
    filtered = [f["message"] for f in found if f["kind"] == "filtered_out"]
    with (export / "销售活动.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = sum(1 for _ in csv.reader(stream)) - 1
    assert len(filtered) == 1 and f" of {rows} rows;" in filtered[0], filtered


def test_a_local_cluster_it_starts_on_a_dataset(tmp_path):
    dataset = converted(ROOT / "sample_data", tmp_path / "dataset", buckets=2)
    on_dask = checked(dataset, tmp_path / "dask", "--engine", "dask", "--workers", "1", "--memory-limit", "2GB")
    assert_same_reports(checked(ROOT / "sample_data", tmp_path / "csv"), on_dask)


@pytest.mark.parametrize("failure, message", [
    (KilledWorker("judge_bucket-1", "tcp://127.0.0.1:1", 3), "a dask worker died while judging a part of the data"),
    (CommClosedError("in <TCP (closed)>"), "the dask cluster stopped answering during the run"),
])
def test_a_cluster_that_fails_under_the_run_is_an_environment_error(failure, message):
    with pytest.raises(UserError) as caught, reported_failure():
        raise failure
    assert caught.value.exit_code == 3 and message in str(caught.value)


def test_workers_restarted_again_and_again_stop_the_run():
    given_up(12, 2)     # two workers, each restarted 5 times: still waiting
    with pytest.raises(UserError) as caught:
        given_up(13, 2)
    assert caught.value.exit_code == 3 and "restarted 11 times" in str(caught.value)


def repeated_ids_export(folder: Path, buckets: int) -> tuple[Path, set[int], set[int]]:
    """The sample with event ids repeated across buckets, the rows the default engine drops as
    repeats and the rows of every id repeated across buckets. With a filter on the events (no system events): an id first used by an
    event of deal A and again by events of deals in two other buckets; an id first used by a
    system event (left out by the filter, so the next event with it is its first); an id used
    by two events of deals in one bucket naming customers of two shards; a blank id and a
    later event whose id is spelt as the blank's placeholder ('row-N')."""
    shutil.copytree(ROOT / "sample_data", folder)
    with (folder / EVENTS).open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    deal, customer, channel = header.index("商机编号"), header.index("客户编号"), header.index("渠道")
    bucket = bucket_of(pa.chunked_array([[r[deal] for r in rows]]), buckets)
    shard = bucket_of(pa.chunked_array([[r[customer] for r in rows]]), buckets)
    by_bucket = {b: [i for i in range(len(rows)) if bucket[i] == b and rows[i][channel] != "系统"] for b in range(buckets)}
    a, b, c = (by_bucket[n] for n in range(3))
    dropped, contested = set(), set()

    def reuse(first: int, *later: int) -> None:
        contested.update((first, *later))
        for at in later:
            rows[at][0] = rows[first][0]

    reuse(a[0], b[1], c[2])
    dropped |= {b[1], c[2]}
    system = next(i for i in range(len(rows)) if rows[i][channel] == "系统" and bucket[i] == 0)
    later = [i for i in b + c if i > system]
    reuse(system, later[5], later[6])
    dropped.add(max(later[5], later[6]))
    twin = next(i for i in a[10:] if shard[i] != shard[a[3]])
    reuse(a[3], twin)
    dropped.add(max(a[3], twin))
    rows[b[20]][0] = ""
    rows[c[30]][0] = f"row-{b[20] + 2}"
    contested |= {b[20], c[30]}
    dropped.add(max(b[20], c[30]))
    with (folder / EVENTS).open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows([header, *rows])
    mapping = (folder / "mapping.yaml").read_text(encoding="utf-8")
    (folder / "mapping.yaml").write_text(mapping.replace(f"    file: {EVENTS}\n",
                                                         f"    file: {EVENTS}\n    where: 'channel != \"system\"'\n"),
                                         encoding="utf-8")
    return folder, {i + 2 for i in dropped}, {i + 2 for i in contested}


def test_keys_repeated_across_buckets_are_dropped_as_the_default_engine_drops_them(scheduler, tmp_path, capsys):
    export, dropped, contested = repeated_ids_export(tmp_path / "export", buckets=4)
    dataset = converted(export, tmp_path / "dataset", buckets=4)
    assert f"{len(contested)} records of events share their key with a record in another bucket" in capsys.readouterr().out
    assert set(pq.read_table(dataset / "tables/events/contested.parquet").column("__row").to_pylist()) == contested
    on_dask = checked(dataset, tmp_path / "dask", "--engine", "dask", "--scheduler", scheduler)
    from_csv = checked(export, tmp_path / "csv")
    assert_same_reports(from_csv, on_dask)
    found = json.loads((on_dask / "results.json").read_text(encoding="utf-8"))["data_quality"]
    assert {f["row"] for f in found if f["kind"] == "duplicate_key" and f["table"] == "events"} == dropped


def test_a_worker_killed_under_the_run_gives_the_same_results(tmp_path):
    # A worker process killed while it judges a bucket: its nanny starts it again, the scheduler
    # gives the lost tasks to a worker again, and the run ends with the default engine's results.
    dataset = converted(ROOT / "sample_data", tmp_path / "dataset", buckets=8)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        running = ThreadPoolExecutor(max_workers=1).submit(
            checked, dataset, tmp_path / "dask", "--engine", "dask", "--scheduler", cluster.scheduler_address)
        killed = None
        while killed is None and not running.done():
            busy = client.run_on_scheduler(_judging)
            if busy:
                killed = busy[0]
                os.kill(pids[killed], signal.SIGKILL)
            time.sleep(0.02)
        on_dask = running.result(timeout=300)
        assert killed is not None, "the run ended before a worker could be killed under it"
        assert pids[killed] not in client.run(os.getpid).values()
    assert_same_reports(checked(ROOT / "sample_data", tmp_path / "csv"), on_dask)


def _judging(dask_scheduler=None) -> list[str]:
    """The workers judging a bucket now (run on the scheduler)."""
    return sorted({ts.processing_on.address for ts in dask_scheduler.tasks.values()
                   if ts.state == "processing" and ts.processing_on is not None and "judge_bucket" in str(ts.key)})
