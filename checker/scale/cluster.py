"""The cluster a dask run uses: a LocalCluster of worker processes on loopback, or a running
scheduler joined by its address. Every way this can fail is told as what to do."""
from __future__ import annotations

import argparse
import logging
import os
from contextlib import contextmanager
from typing import Iterator

from ..problems import UserError

CONNECT_SECONDS = 10
RESTARTS = 5             # restarts of every worker after which a run gives up
LEAST_MEMORY = 10 ** 9   # a worker process holds about 300 MB of libraries before any data


def check_options(args: argparse.Namespace) -> None:
    """The engine options of `checker check`, checked before any data is read (a typo costs no run)."""
    if getattr(args, "engine", "pandas") == "dask":
        require_dask()
        cluster_options(args)
        return
    given = [flag for flag, name in (("--scheduler", "scheduler"), ("--workers", "workers"), ("--threads", "threads"),
                                     ("--memory-limit", "memory_limit")) if getattr(args, name, None) is not None]
    if given:
        raise UserError(f"{', '.join(given)} {'applies' if len(given) == 1 else 'apply'} to the dask engine only; "
                        "add --engine dask, or leave them out")


def cluster_options(args: argparse.Namespace) -> tuple[str | None, int | None, int | None, str | None]:
    """--scheduler, --workers, --threads and --memory-limit, checked before any data is read."""
    scheduler, workers, threads, memory = (getattr(args, name, None)
                                           for name in ("scheduler", "workers", "threads", "memory_limit"))
    if scheduler is not None and (workers, threads, memory) != (None, None, None):
        raise UserError("--workers, --threads and --memory-limit size the local cluster; a cluster joined with "
                        "--scheduler has the workers it was started with: leave them out, or leave out --scheduler")
    for flag, value in (("--workers", workers), ("--threads", threads)):
        if value is not None and value < 1:
            raise UserError(f"{flag} must be at least 1 (it is {value})")
    if scheduler is not None and "://" not in scheduler:
        raise UserError(f"--scheduler '{scheduler}' is not a scheduler address; give it as tcp://HOST:PORT")
    if memory is not None:
        _memory_bytes(memory)
    return scheduler, workers, threads, memory


def _memory_bytes(text: str) -> int:
    from dask.utils import parse_bytes

    try:
        size = parse_bytes(text)
    except (ValueError, TypeError):
        size = 0
    if size <= 0:
        raise UserError(f"--memory-limit '{text}' is not a size; give one like 5GB or 800MiB")
    if size < LEAST_MEMORY:
        raise UserError(f"--memory-limit {text} is too little for a worker, which needs 1GB at least "
                        "(its libraries take about 300 MB before any data); give 1GB or more")
    return size


def require_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UserError("--engine dask needs dask.distributed, which is not installed; "
                        "install it with: pip install 'checker[dask]'") from None


@contextmanager
def connected(scheduler: str | None, workers: int | None, threads: int | None,
              memory: str | None) -> Iterator[tuple[object, dict]]:
    """A client of the cluster, and how results.json names the cluster. A local cluster is
    named by its size only: its port changes from run to run."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler is None:
        workers, threads = workers or os.cpu_count() or 1, threads or 1
        # A worker over its memory is stopped by its nanny, and the run says so (reported_failure);
        # one paused instead would wait for memory its task holds, for ever.
        with dask.config.set({"distributed.worker.memory.pause": False}), LocalCluster(n_workers=workers, threads_per_worker=threads, processes=True, host="127.0.0.1",
                          dashboard_address=None, memory_limit=memory or "auto",
                          silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
            yield client, {"cluster": "local", "workers": workers, "threads_per_worker": threads}
        return
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"--scheduler {scheduler}: no dask scheduler answered ({exc}); start one with "
                        "`dask scheduler` and its workers with `dask worker ADDRESS`, or leave out --scheduler "
                        "to run a local cluster") from None
    with client:
        _require_workers(client, scheduler)
        yield client, {"cluster": scheduler, "workers": len(client.scheduler_info()["workers"])}


def _require_workers(client, scheduler: str) -> None:
    """A scheduler without workers would hold the run's tasks forever."""
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except TimeoutError:
        raise UserError(f"--scheduler {scheduler}: the scheduler has no workers after {CONNECT_SECONDS} s; "
                        f"start some with `dask worker {scheduler}`") from None


@contextmanager
def reported_failure() -> Iterator[None]:
    """A cluster that fails under the run (a worker that died or ran out of memory, a
    scheduler gone) stops it as an environment problem (exit 3), told as what to do."""
    from distributed import KilledWorker
    from distributed.client import FutureCancelledError
    from distributed.comm.core import CommClosedError

    try:
        yield
    except (KilledWorker, FutureCancelledError):
        raise UserError("a dask worker died while judging a part of the data; a worker that runs out "
                        "of memory is stopped by its nanny: give the workers more memory (--memory-limit) or "
                        "convert the export into more buckets (checker convert --buckets N)", exit_code=3) from None
    except (CommClosedError, OSError, TimeoutError) as exc:
        raise UserError(f"the dask cluster stopped answering during the run ({type(exc).__name__}: {exc}); "
                        "check that the scheduler and its workers are running, then run again", exit_code=3) from None


def given_up(workers_seen: int, workers: int) -> None:
    """A worker whose nanny restarts it again and again (its memory full before its task can
    fail) would keep the run waiting: after RESTARTS restarts of every worker it stops."""
    if workers_seen > RESTARTS * max(workers, 1) + workers:
        raise UserError(f"the dask workers were restarted {workers_seen - workers} times during the run, nearly always "
                        "because a worker ran out of memory: give the workers more memory (--memory-limit) or "
                        "convert the export into more buckets (checker convert --buckets N)", exit_code=3)
