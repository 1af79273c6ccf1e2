"""Reports delivered by e-mail (`checker send`): each supervisor receives their own team's report and
a short summary, the recipients with `receives: all` the whole report.

recipients.py says who gets what (a recipients file or the roster's e-mail column), compose.py
builds each message, smtp.py holds the mail server's settings and hands a message over, send.py
puts it together with the dry run and the send log. It reads a run's results.json and renders
reports with report/; it imports nothing of the engine.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..languages import report_language
from ..problems import UserError
from ..report.people import NONE_KEY
from .recipients import Recipient, RosterColumns, load_recipients, roster_recipients
from .send import outgoing, print_outcome, read_results, send_all, unreached_teams, write_outbox
from .smtp import ENV_PREFIX, load_settings

DRY_RUN_SENDER = "checker@localhost"


def send(args: argparse.Namespace) -> int:
    """Exit 0 when every message went out (now or before), 1 when one failed."""
    results, run = read_results(args.out)
    recipients = _recipients(args)
    for ref, name, count in unreached_teams(results, recipients):
        team = "violations without a supervisor" if ref == NONE_KEY else f"the team of {name or ref} ({ref})"
        print(f"warning: no recipient for {team}: {count} open violation(s) go only into the whole report",
              file=sys.stderr)
    if args.dry_run:
        sender = _dry_run_sender(args.smtp_config)
        messages = list(outgoing(results, recipients, sender))
        folder = write_outbox(args.out, messages)
        print(f"dry run: {len(messages)} message(s) written to {folder}/, nothing sent")
        return 0
    settings = load_settings(args.smtp_config)
    outcome = send_all(args.out, run, list(outgoing(results, recipients, settings.sender)), settings)
    print_outcome(outcome, run)
    return 1 if outcome.failed else 0


def _recipients(args: argparse.Namespace) -> list[Recipient]:
    """The recipients, each with one of the pack's languages: their own, else --lang, else the pack's first."""
    from ..project import load_project

    project = load_project(args.rules, args.policy)
    lang = report_language(args.lang, project.languages)
    if args.recipients:
        return load_recipients(args.recipients, project.languages, lang)
    from ..load.dataset import load_dataset, load_mapping

    model = project.pack.model
    if model.roster is None:
        raise UserError("the data model has no roster; pass --recipients FILE")
    spec = model.tables[model.roster.table]
    if args.email_column not in spec.columns:
        raise UserError(f"the roster table '{model.roster.table}' has no column '{args.email_column}': add it to the "
                        "data model and the mapping, name it with --email-column NAME, or pass --recipients FILE")
    mapping_path = args.mapping or args.data / "mapping.yaml"
    data = load_dataset(args.data, load_mapping(mapping_path, model), model)
    columns = RosterColumns(key=spec.key, email=args.email_column, supervisor=model.roster.supervisor,
                            name="name" if "name" in spec.columns else None)
    return roster_recipients(data.tables[model.roster.table], columns, list(args.whole_report_to), lang)


def _dry_run_sender(config: Path | None) -> str:
    """A dry run needs no server, only a sender for the From: header: the settings file's when one
    is given, else the environment's, else a placeholder."""
    if config is not None:
        return load_settings(config).sender
    return os.environ.get(ENV_PREFIX + "FROM") or DRY_RUN_SENDER
