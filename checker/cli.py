"""The `checker` command line: check, convert, send, validate, test, explain, coverage, init, mapping init, sample."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, commands
from .problems import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UserError
from .report.split import SPLITS
from .rules import SEVERITIES



def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    code = EXIT_OK
    try:
        code = args.run(args)
        sys.stdout.flush()   # a reader that has gone shows here, not as a message at exit
        return code
    except UserError as exc:
        print(_error_text(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:   # the reader went away (`checker check | head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return code
    except Exception as exc:  # a bug, not a user error: short message unless --debug
        if args.debug:
            raise
        print(f"checker: internal error: {type(exc).__name__}: {exc}\n"
              "run again with --debug for the full traceback", file=sys.stderr)
        return EXIT_INTERNAL


def _error_text(exc: UserError) -> str:
    text = str(exc)
    return text if exc.problems else f"checker: error: {text}"


def _init(args: argparse.Namespace) -> int:
    from .init import run
    return run(args)


def _mapping_init(args: argparse.Namespace) -> int:
    from .mapping_init import run   # its word lists are loaded only for this command
    return run(args)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code is 2, as the contract wants
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"checker: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="checker", description="Check CRM exports against the sales policy's rules.")
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, run, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
        p.set_defaults(run=run)
        return p

    def project_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--rules", type=Path, default=Path("rules"), help="rules folder with datamodel.yaml, params.yaml (default: rules)")
        p.add_argument("--policy", type=Path, default=Path("policy"), help="policy folder (default: policy)")

    p = command("check", commands.check, "evaluate the rules against an export and write reports")
    project_options(p)
    p.add_argument("--data", type=Path, default=Path("sample_data"), help="export folder (default: sample_data)")
    p.add_argument("--mapping", type=Path, help="mapping file (default: DATA/mapping.yaml)")
    p.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    p.add_argument("--lang", help="report language: one the pack declares (pack.yaml languages:; default: its first)")
    p.add_argument("--as-of", dest="as_of", help="judge deadlines as of the end of this day (YYYY-MM-DD)")
    p.add_argument("--from", dest="period_from", metavar="DATE",
                   help="first day of the audit period (default: 1 January of the as-of year)")
    p.add_argument("--to", dest="period_to", metavar="DATE", help="last day of the audit period (default: the as-of day)")
    p.add_argument("--param", dest="params", action="append", default=[], metavar="NAME=VALUE",
                   help="use this value for a parameter of params.yaml (what-if); may be repeated")
    p.add_argument("--profile", action="store_true",
                   help="print seconds and peak memory of each phase (read, coerce, views, each rule, writers) on stderr")
    p.add_argument("--fail-on", dest="fail_on", choices=SEVERITIES,
                   help="exit 1 when a violation at or above this severity is found")
    p.add_argument("--waivers", type=Path, help="waivers file (YAML): violations accepted until a date")
    p.add_argument("--baseline", type=Path, help="results.json of an earlier run: marks violations new or persisting")
    p.add_argument("--history", type=Path, help="folder of earlier results.json files: the trend over runs")
    p.add_argument("--split-by", dest="split_by", choices=SPLITS,
                   help="also write one report per supervisor, owner or region, and an index page")
    p.add_argument("--format", choices=("text", "github", "sarif"), default="text",
                   help="github: also print a GitHub annotation per violation at its rule's line; "
                        "sarif: also write OUT/results.sarif (SARIF 2.1.0) (default: text)")
    p.add_argument("--engine", choices=("pandas", "dask"), default="pandas",
                   help="dask: judge the rules by partitions of deals on a dask cluster (docs/scale-out.md; "
                        "needs the dask extra) (default: pandas)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="with --engine dask: the running cluster's scheduler (default: start a local cluster)")
    p.add_argument("--workers", type=int, help="with --engine dask: worker processes of the local cluster "
                                               "(default: one per core)")
    p.add_argument("--threads", type=int, help="with --engine dask: threads per local worker (default: 1)")
    p.add_argument("--memory-limit", dest="memory_limit", metavar="SIZE",
                   help="with --engine dask: memory per local worker, e.g. 5GB (default: the machine's share)")

    p = command("convert", commands.convert, "write an export as a Parquet dataset partitioned for the dask engine")
    project_options(p)
    p.add_argument("--to", choices=("parquet",), required=True, help="the dataset's format")
    p.add_argument("--data", type=Path, default=Path("sample_data"), help="export folder (default: sample_data)")
    p.add_argument("--mapping", type=Path, help="mapping file (default: DATA/mapping.yaml)")
    p.add_argument("--out", type=Path, required=True, help="the dataset's folder (new, empty, or an earlier dataset)")
    p.add_argument("--buckets", type=int, help="buckets of cases (default: one per 256 MB of the split tables' files)")

    p = command("send", commands.send, "e-mail each supervisor their team's report and the whole report to managers")
    project_options(p)
    p.add_argument("--out", type=Path, default=Path("reports"),
                   help="folder of the run to send: its results.json; .eml files and the send log go here (default: reports)")
    p.add_argument("--recipients", type=Path,
                   help="recipients file (YAML or CSV: id, name, email, lang, receives); default: the roster's e-mail column")
    p.add_argument("--smtp-config", dest="smtp_config", type=Path,
                   help="mail server settings (YAML); CHECKER_SMTP_* environment variables override them")
    p.add_argument("--dry-run", dest="dry_run", action="store_true", help="write the messages as .eml files to OUT/outbox, send nothing")
    p.add_argument("--data", type=Path, default=Path("sample_data"), help="export folder holding the roster (default: sample_data)")
    p.add_argument("--mapping", type=Path, help="mapping file (default: DATA/mapping.yaml)")
    p.add_argument("--email-column", dest="email_column", default="email",
                   help="the roster's column of e-mail addresses (default: email)")
    p.add_argument("--whole-report-to", dest="whole_report_to", action="append", default=[], metavar="EMPLOYEE_ID",
                   help="with the roster: this employee receives the whole report instead of a team's; may be repeated")
    p.add_argument("--lang", help="language of the messages and reports: one the pack declares (pack.yaml languages:; "
                                  "default: its first); a recipients file's own lang: wins")

    p = command("validate", commands.validate, "check rule and policy files (schema and meaning)")
    project_options(p)
    p.add_argument("paths", nargs="*", type=Path, help="rule files or folders (default: the rules folder)")
    p.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")

    p = command("test", commands.test, "run the test cases written inside the rules")
    project_options(p)
    p.add_argument("paths", nargs="*", type=Path, help="rule files or folders (default: the rules folder)")

    p = command("explain", commands.explain, "show a rule, its clause and the data it needs")
    project_options(p)
    p.add_argument("rule_id")
    p.add_argument("--lang", help="language: one the pack declares (pack.yaml languages:; default: its first)")

    p = command("coverage", commands.coverage, "which policy clauses are automated, manual or uncovered")
    project_options(p)
    p.add_argument("--format", choices=("text", "json", "html"), default="text")

    p = command("init", _init, "write a new pack to start from: policy, rules, mapping, an example export, schemas")
    p.add_argument("dir", type=Path, help="the folder to write it to (new or empty)")
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty, replacing files "
                                                        "of the same name")

    p = command("mapping", None, "tools for export mappings: `checker mapping init FILE...`")
    tools = p.add_subparsers(dest="mapping_command", required=True, parser_class=_Parser)
    p = tools.add_parser("init", help="propose a mapping for a new export from its headers and values",
                         description="propose a mapping for a new export from its headers and values")
    p.set_defaults(run=_mapping_init)
    p.add_argument("files", nargs="+", type=Path, help="the export's files (.csv, .xlsx, .json, .jsonl, .parquet)")
    p.add_argument("--rules", type=Path, default=Path("rules"), help="rules folder with datamodel.yaml (default: rules)")
    p.add_argument("--timezone", default="UTC", help="the time zone the export writes its times in (default: UTC)")
    p.add_argument("--out", type=Path, help="write the mapping to this new file (default: print it)")

    p = command("sample", commands.sample, "write a synthetic export with its known violations")
    p.add_argument("--deals", type=int, default=400)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, default=Path("sample_data"))
    p.add_argument("--rules", type=Path, default=Path("rules"),
                   help="rule pack whose data model, params and calendar the sample follows (default: rules)")
    p.add_argument("--generator", help="installed sample generator to use (default: the only one installed)")
    p.add_argument("--to", choices=("csv", "parquet"), default="csv",
                   help="an export folder of CSV files (default), or a Parquet dataset for the dask engine "
                        "(made as CSV beside --out, converted, and removed)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
