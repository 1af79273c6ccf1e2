"""What each `checker` subcommand does (`checker check` itself is in check_run.py). Parsing lives in cli.py."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .check_run import check, mapping_of  # noqa: F401  (cli.py runs check from here, as every subcommand)
from .languages import report_language
from .problems import EXIT_FAIL, EXIT_OK, UserError, format_problems, shown_path
from .project import load_project


def convert(args: argparse.Namespace) -> int:
    """An export as a Parquet dataset for `check --engine dask` (docs/scale-out.md)."""
    from .scale.convert import convert as write_dataset

    if args.buckets is not None and args.buckets < 1:
        raise UserError(f"--buckets must be at least 1 (it is {args.buckets})")
    pack = load_project(args.rules, args.policy).pack
    done = write_dataset(args.data, *mapping_of(args, pack.model), pack, args.out, args.buckets)
    print(f"Parquet dataset written to {args.out}/: {', '.join(done['split']) or 'no table'} in "
          f"{done['buckets']} buckets of cases, {', '.join(done['whole']) or 'no table'} whole; "
          + ", ".join(f"{n:,} {name}" for name, n in done["records"].items()))
    for name, n in done["contested"].items():
        if n:
            print(f"{n:,} records of {name} share their key with a record in another bucket: the check keeps the "
                  "first of each key and reports the others as repeated keys, as it does on the export")
    return EXIT_OK


def send(args: argparse.Namespace) -> int:
    from .delivery import send as send_reports

    return send_reports(args)


def validate(args: argparse.Namespace) -> int:
    from .load.mapping import is_mapping_file, mapping_file_problems
    from .triage.waivers import is_waivers_file, waiver_problems

    waivers = [p for p in args.paths if is_waivers_file(p)]
    mappings = [p for p in args.paths if p not in waivers and is_mapping_file(p)]
    policy = [p for p in args.paths if p not in waivers and p not in mappings and _holds_policy(p)]
    rules = [p for p in args.paths if p not in policy and p not in waivers and p not in mappings]
    try:
        project = load_project(args.rules, policy or args.policy, rules or None)
        rule_ids = [rule.id for rule in project.pack.rules]
        problems = [problem for path in waivers for problem in waiver_problems(path, shown_path(path), rule_ids)]
        problems += [problem for path in mappings
                     for problem in mapping_file_problems(path, project.pack.model, shown_path(path))]
        if problems:
            raise UserError(problems)
    except UserError as exc:
        if not exc.problems:
            raise
        print(format_problems(exc.problems, args.format))
        if args.format == "text":
            print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return EXIT_FAIL
    if args.format in ("json", "sarif"):
        print(format_problems([], args.format))
    elif args.format == "text" and mappings and len(mappings) == len(args.paths):
        print(f"{', '.join(shown_path(p) for p in mappings)}: the mapping is valid")
    elif args.format == "text":
        print(f"{len(project.pack.rules)} rules and {len(project.clauses)} clauses are valid")
    return EXIT_OK


def _holds_policy(path: Path) -> bool:
    from .policy import is_policy_file

    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return bool(files) and all(is_policy_file(f) for f in files)


def test(args: argparse.Namespace) -> int:
    from .testing import run_tests

    project = load_project(args.rules, args.policy, args.paths or None)
    results = run_tests(project)
    for r in results:
        if not r.passed:
            print(f"FAILED {r.rule.file}:{r.rule.line}: {r.rule.id} '{r.name}': "
                  f"expected {list(r.expected)}, got {list(r.actual)}")
    untested = [rule.id for rule in project.pack.rules if not rule.tests]
    if untested:
        print(f"rules without test cases: {', '.join(untested)}")
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return EXIT_FAIL if failed or not results else EXIT_OK


def explain(args: argparse.Namespace) -> int:
    from .explain import explain_rule

    project = load_project(args.rules, args.policy)
    lang = report_language(args.lang, project.languages)
    rule = project.pack.by_id(args.rule_id)
    if rule is None:
        from .problems import did_you_mean
        raise UserError(f"no rule '{args.rule_id}'{did_you_mean(args.rule_id, [r.id for r in project.pack.rules])}")
    print(explain_rule(rule, project, lang))
    return EXIT_OK


def coverage(args: argparse.Namespace) -> int:
    """Exit 1 when an automatable clause has no rule, so CI notices a gap in the pack."""
    from .coverage import coverage as clause_coverage, render, uncovered

    report = clause_coverage(load_project(args.rules, args.policy))
    sys.stdout.write(render(report, args.format))
    return EXIT_FAIL if uncovered(report) else EXIT_OK


SAMPLERS = "checker.samplers"  # entry-point group: name -> generate(deals, seed, out, rules) -> summary


def sample(args: argparse.Namespace) -> int:
    if args.deals < 1:
        raise UserError("--deals must be at least 1")
    if not args.rules.is_dir():
        raise UserError(f"rules folder '{args.rules}' not found; pass the rule pack's folder with --rules DIR")
    generate = _sampler(args.generator)
    if getattr(args, "to", "csv") == "parquet":
        return _sample_dataset(args, generate)
    summary = generate(args.deals, args.seed, args.out, args.rules)
    print(f"sample export written to {args.out}/ ({summary})")
    return EXIT_OK


def _sample_dataset(args: argparse.Namespace, generate) -> int:
    """A sample written as a Parquet dataset: generated as CSV beside the dataset's folder, converted
    (convert's layout for the pack), then the CSV removed; the answer key and README are kept."""
    import shutil
    import tempfile

    from .load.dataset import load_mapping
    from .scale.convert import convert as write_dataset, require_dataset_folder

    require_dataset_folder(args.out)     # before minutes of generating, not after
    pack = load_project(args.rules, None).pack
    args.out.absolute().parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{args.out.name}-csv-", dir=args.out.absolute().parent))
    try:
        summary = generate(args.deals, args.seed, scratch, args.rules)
        mapping_path = scratch / "mapping.yaml"
        done = write_dataset(scratch, load_mapping(mapping_path, pack.model, shown_path(mapping_path)), mapping_path,
                             pack, args.out)
        for name in ("expected_violations.csv", "README.md"):
            if (scratch / name).is_file():
                shutil.copyfile(scratch / name, args.out / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"sample dataset written to {args.out}/ ({summary}; {done['buckets']} buckets of cases)")
    return EXIT_OK


def _sampler(name: str | None):
    """The generator registered as `name` (the only one installed when no name is given). Packs ship
    their generators as entry points, so the engine names no company."""
    from importlib.metadata import entry_points

    from .problems import did_you_mean

    found = {point.name: point for point in entry_points(group=SAMPLERS)}
    if not found:
        raise UserError(f"no sample generator is installed (none registers the '{SAMPLERS}' entry point); "
                        "install the package that ships one, e.g. pip install . in the project")
    if name is None and len(found) > 1:
        raise UserError(f"several sample generators are installed ({', '.join(sorted(found))}); "
                        "choose one with --generator NAME")
    name = name or next(iter(found))
    if name not in found:
        raise UserError(f"no sample generator '{name}'{did_you_mean(name, found)}; "
                        f"installed: {', '.join(sorted(found))}")
    return found[name].load()
