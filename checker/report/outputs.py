"""The files and lines a `checker check` run leaves: report.html beside results.json,
violations.csv and junit.xml (written by a child process while report.html renders), one report per team (--split-by), and
SARIF or GitHub annotations (--format)."""
from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

from ..profile import Profile
from .html import html_pieces
from .junit import junit_xml
from .sarif import github_annotations, sarif_text
from .split import write_split
from .writers import results_json_pieces, violations_csv_pieces, write_atomic


def write_split_reports(results: dict, args: argparse.Namespace, mark) -> Path | None:
    if not args.split_by:
        return None
    folder = write_split(results, args.out, args.split_by, args.lang)
    mark(f"write reports by {args.split_by}")
    return folder


def write_findings(results: dict, project, args: argparse.Namespace, mark) -> None:
    """--format github prints an annotation per violation; --format sarif writes OUT/results.sarif."""
    fmt = getattr(args, "format", "text")
    if fmt == "text":
        return
    locations = {rule.id: rule.raw.key_mark("id").point() for rule in project.pack.rules}
    if fmt == "github":
        sys.stdout.write(github_annotations(results, locations, args.lang))
    else:
        write_atomic(args.out, "results.sarif", sarif_text(results, locations, args.lang))
        mark("write results.sarif")


def write_reports(results: dict, out: Path, lang: str, profile: Profile) -> None:
    """report.html, and beside it the machine files (results.json, violations.csv, junit.xml).
    Both are work under the interpreter lock (arrow's compute functions keep it too), so a
    second thread would only take turns with the first: where the system forks cheaply (Linux)
    a child process writes the machine files from this process's memory (copied only where it
    is written to) while this one renders report.html. Elsewhere, or when the child cannot start
    or dies, they are written here one after the other."""
    child = _machine_files_beside(results, out)
    seconds = {"report.html": _timed_write(out, "report.html", lambda r: html_pieces(r, lang), results)}
    written = _machine_files_written(child)
    seconds.update(written if written is not None else _machine_files(results, out))
    profile.mark("write reports")
    for name in ("report.html", *_MACHINE_FILES):
        profile.add(name, seconds[name])


_MACHINE_FILES = {"results.json": results_json_pieces, "violations.csv": violations_csv_pieces, "junit.xml": junit_xml}
_CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")


def _timed_write(out: Path, name: str, pieces, results: dict) -> float:
    start = time.perf_counter()
    write_atomic(out, name, pieces(results))
    return time.perf_counter() - start


def _machine_files(results: dict, out: Path) -> dict[str, float]:
    """Write the machine files; the seconds each took."""
    return {name: _timed_write(out, name, pieces, results) for name, pieces in _MACHINE_FILES.items()}


def _machine_files_beside(results: dict, out: Path) -> tuple[int, int] | None:
    """A child process writing the machine files (its pid, and the pipe it reports on), or None."""
    if not _CAN_FORK:
        return None
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid:
        os.close(write)
        return pid, read
    os.close(read)        # the child: write, report how it went, and leave without the parent's exit work
    try:
        report = ("written", _machine_files(results, out))
    except BaseException as exc:   # noqa: BLE001 - the parent raises it
        report = ("failed", exc)
    try:
        data = pickle.dumps(report)
    except Exception:   # noqa: BLE001 - an exception that does not pickle is raised by its text
        data = pickle.dumps(("failed", RuntimeError(str(report[1]))))
    with os.fdopen(write, "wb") as pipe:
        pipe.write(data)
    os._exit(0 if report[0] == "written" else 1)


def _machine_files_written(child: tuple[int, int] | None) -> dict[str, float] | None:
    """The child's seconds per file once it is done; None when there was no child or it died
    without a word (the files are then written here); its error raised as this process's."""
    if child is None:
        return None
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()       # before waiting: a child blocked on a full pipe would never end
    os.waitpid(pid, 0)
    if not data:
        return None
    outcome, value = pickle.loads(data)
    if outcome == "failed":
        raise value
    return value
