"""The files and lines a `checker check` run leaves: report.html beside results.json,
violations.csv and junit.xml (written side by side), one report per team (--split-by), and
SARIF or GitHub annotations (--format)."""
from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..profile import Profile
from .html import render_html
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
    """The machine files are written from columns by arrow, which lets go of the interpreter
    while it works: a second thread writes them while this one renders report.html."""
    seconds: dict[str, float] = {}

    def timed_write(name: str, pieces) -> None:
        start = time.perf_counter()
        write_atomic(out, name, pieces(results))
        seconds[name] = time.perf_counter() - start

    def machine_files() -> None:
        for name, pieces in (("results.json", results_json_pieces), ("violations.csv", violations_csv_pieces),
                             ("junit.xml", junit_xml)):
            timed_write(name, pieces)

    with ThreadPoolExecutor(max_workers=1) as beside:
        written = beside.submit(machine_files)
        timed_write("report.html", lambda r: render_html(r, lang))
        written.result()
    profile.mark("write reports")
    for name in ("report.html", "results.json", "violations.csv", "junit.xml"):
        profile.add(name, seconds[name])
