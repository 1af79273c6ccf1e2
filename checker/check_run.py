"""`checker check`: an export (or a Parquet dataset) read, judged by the rule pack and written as
reports, with its run section, profile and exit code. The other subcommands are in commands.py."""
from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .engine import evaluate_pack, make_context, population
from .periods import audit_period
from .load.dataset import as_of_timestamp, judge_at, latest_day, load_dataset, load_mapping
from .load.memory import give_back_freed_memory
from .load.parquet import dataset_reader, is_dataset, read_manifest
from .problems import EXIT_FAIL, EXIT_OK, UserError, shown_path
from .profile import Profile
from .languages import report_language
from .project import Project, load_project
from .results import build_results, collector_paused, sha256_of
from .results.values import plain_param
from .rules import SEVERITIES
from .scale.cluster import check_options as check_engine_options


def check(args: argparse.Namespace) -> int:
    profile = Profile(getattr(args, "profile", False))
    _require_writable_folder(args.out)
    check_engine_options(args)
    project = load_project(args.rules, args.policy, overrides=getattr(args, "params", None))
    args.lang = report_language(args.lang, project.languages)
    model = project.pack.model
    mapping, mapping_path = mapping_of(args, model)
    profile.mark("rules and mapping")
    manifest = read_manifest(args.data) if is_dataset(args.data) else None
    rule_seconds: dict[str, float] = {}
    progress = _after_each_rule(len(project.pack.rules), profile, rule_seconds)
    if manifest is not None and getattr(args, "engine", "pandas") == "dask":
        from .scale.ooc import check_dataset   # dask is imported only for this engine
        return _report(project, args, profile, mapping, *check_dataset(project, mapping, mapping_path, manifest, args,
                                                                       progress, profile.mark))
    data = load_dataset(args.data, mapping, model, profile.mark,
                        **({"reader": dataset_reader(manifest)} if manifest is not None else {}))
    # The inputs' digests (the export is most of a gigabyte at a million deals) are computed by a
    # second thread while the rules run: hashlib lets go of the interpreter while it reads.
    hashing = ThreadPoolExecutor(max_workers=1)
    inputs = hashing.submit(input_digests, project, mapping_path, data.files)
    hashing.shutdown(wait=False)
    day = args.as_of or mapping.as_of or latest_day(data.tables)
    as_of = as_of_instant(day, data.timezone)
    judge_at(data, as_of, mapping)
    period = audit_period(getattr(args, "period_from", None), getattr(args, "period_to", None), as_of.date(),
                          project.settings.get("period"))
    ctx = make_context(project.pack, data.tables, project.calendar, as_of, data.timezone, period=period)
    ctx.views.prepare()
    profile.mark("views")
    if getattr(args, "engine", "pandas") == "dask":
        from .scale import evaluate_on_cluster   # dask is imported only for this engine
        outcomes, engine = evaluate_on_cluster(project.pack, ctx, args, progress)
    else:
        outcomes, engine = evaluate_pack(project.pack, ctx, progress), {}
    _rules_profiled(profile, rule_seconds)
    run = run_section(project, args, day, as_of, data.timezone, period, population(ctx), data.source, inputs.result(),
                      engine)
    # The shared views (the sorted event log, each step's occurrences) are a gigabyte at a million
    # deals and results do not read them: let them go before results are built; _report lets go
    # of the tables and outcomes once results are built, so no other reference may stay here.
    judged = {"outcomes": outcomes, "tables": data.tables, "findings": data.findings}
    del ctx, outcomes, data
    give_back_freed_memory()
    return _report(project, args, profile, mapping, judged, run)


def as_of_instant(day: str | None, timezone: str | None):
    """The as-of day's last instant; the day given by --as-of, the mapping or the export's latest date."""
    if day is None:
        raise UserError("no as-of date: the export has no dates; pass --as-of YYYY-MM-DD")
    try:
        return as_of_timestamp(day, timezone)
    except ValueError:
        raise UserError(f"--as-of '{day}' is not a date; use YYYY-MM-DD") from None


def run_section(project: Project, args: argparse.Namespace, day: str, as_of, timezone: str | None, period,
                counted: dict, source: str, inputs: list[dict], engine: dict) -> dict:
    """results.json's run section, without the records (build_results counts them)."""
    return {**({"title": dict(project.settings["title"])} if "title" in project.settings else {}),
            "as_of": as_of.isoformat(), "as_of_date": str(day), "timezone": timezone,
            "period": period.text(), "population": counted,
            "parameters": {name: plain_param(value) for name, value in sorted(project.pack.params.items())},
            "parameters_given": sorted(a.partition("=")[0].strip() for a in getattr(args, "params", None) or []),
            "generated_from": source, "inputs": inputs, **engine}


def _report(project: Project, args: argparse.Namespace, profile: Profile, mapping, judged: dict, run: dict,
            records: dict | None = None) -> int:
    """Results built from the judged outcomes, tables and findings (taken out of `judged`, so
    they are let go once results are built), triaged and written; the exit code. records: the
    tables' sizes when the tables hold only some of their records."""
    from .report.outputs import write_findings, write_reports, write_split_reports   # Jinja2 and the writers
    outcomes, tables = judged.pop("outcomes"), judged.pop("tables")
    with collector_paused():
        results = build_results(project.pack, outcomes, tables, judged.pop("findings"), project.clauses, run,
                                mapping.timezone, {"calendar": project.calendar.covers_text}, mapping,
                                judged.pop("timelines", None))
        if records is not None:
            results["run"]["records"] = records
        # The tables and outcome frames are the run's largest objects; the writers read results only.
        del outcomes, tables
        _triage(results, project, args)
        profile.mark("results")
        write_reports(results, args.out, args.lang, profile)
        split_folder = write_split_reports(results, args, profile.mark)
        write_findings(results, project, args, profile.mark)
    profile.report()
    _print_summary(results, args.out, getattr(args, "format", "text") == "sarif")
    if split_folder:
        print(f"one report per {args.split_by} written to {split_folder}/ (index.html lists them)")
    return _exit_for(results, args.fail_on)


def mapping_of(args: argparse.Namespace, model):
    """The mapping (--mapping, or the data folder's mapping.yaml) and its path."""
    mapping_path = args.mapping or args.data / "mapping.yaml"
    if not mapping_path.exists():
        raise UserError(f"mapping file '{mapping_path}' not found; pass --mapping FILE", exit_code=2)
    return load_mapping(mapping_path, model, shown_path(mapping_path)), mapping_path


def _require_writable_folder(out: Path) -> None:
    """--out is checked before the work starts (without making it), so a typo costs no run and
    is not an internal error at the end: it must be a folder, or be makeable in one, that can
    be written to."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out '{out}' is a file, not a folder; name a folder for the reports", exit_code=2)
    existing = next(p for p in (out.absolute(), *out.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise UserError(f"--out '{out}': the folder cannot be made, '{existing}' is a file; "
                        "name a folder you can write to", exit_code=2)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"--out '{out}': '{existing}' is not writable; name a folder you can write to", exit_code=2)


def _triage(results: dict, project: Project, args: argparse.Namespace) -> None:
    if args.waivers or args.baseline or args.history:
        from .triage import triage
        triage(results, [rule.id for rule in project.pack.rules], args.waivers, args.baseline, args.history)


def input_digests(project: Project, mapping_path: Path, data_files: list[Path]) -> list[dict]:
    entries = [(p, "rules") for p in project.pack.files] + [(p, "config") for p in project.config_files] \
        + [(p, "policy") for p in project.policy_files] + [(mapping_path, "mapping")] + [(p, "data") for p in data_files]
    return sorted(({"path": shown_path(p), "role": role, "sha256": sha256_of(p)} for p, role in entries),
                  key=lambda e: (e["role"], e["path"]))


def _print_summary(results: dict, out: Path, with_sarif: bool = False) -> None:
    s = results["summary"]
    sev = ", ".join(f"{n} {k}" for k, n in s["by_severity"].items() if n)
    print(f"{s['rules']} rules, {s['violations']} violations ({sev or 'none'}), "
          f"{s['not_evaluable']} not evaluable, {s['data_quality']} data-quality findings")
    sarif = " results.sarif" if with_sarif else ""
    print(f"reports written to {out}/: report.html results.json violations.csv junit.xml{sarif}")


def _exit_for(results: dict, fail_on: str | None) -> int:
    if not fail_on:
        return EXIT_OK
    threshold = SEVERITIES.index(fail_on)
    # The open counts by severity (waivers take theirs out): no record need be read.
    return EXIT_FAIL if any(count and SEVERITIES.index(severity) >= threshold
                            for severity, count in results["summary"]["by_severity"].items()) else EXIT_OK


def _after_each_rule(total: int, profile: Profile, seconds: dict[str, float]):
    """What runs as each rule is done: its seconds kept for the profile, and a progress line on
    a terminal."""
    terminal = sys.stderr.isatty() and not profile.enabled
    done = [0]

    def tick(rule_id: str, took: float | None = None) -> None:
        """took: the rule's own seconds, when it was judged here."""
        if took is not None:
            seconds[rule_id] = took
        done[0] += 1
        if terminal:
            end = "\n" if done[0] == total else ""
            print(f"\rchecking rules {done[0]}/{total} {rule_id:<12}", end=end, file=sys.stderr, flush=True)
    return tick


def _rules_profiled(profile: Profile, seconds: dict[str, float]) -> None:
    """The evaluate phase, and under it each rule's own seconds (rules run side by side)."""
    profile.mark("evaluate")
    for rule_id in sorted(seconds):
        profile.add(f"rule {rule_id}", seconds[rule_id])
