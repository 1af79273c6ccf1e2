"""`checker send`: every recipient's message built from a run's results.json, then written as .eml
files (a dry run) or handed to the mail server one by one.

A failure for one recipient does not stop the others; all are listed at the end. Each message
sent is written to the send log (OUT/send-log.jsonl) at once, with the run's id, so a rerun for the
same run sends only what did not go out before.
"""
from __future__ import annotations

import hashlib
import json
import re
import smtplib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from ..problems import UserError, shown_path
from ..report.split import file_name, split_results
from ..report.writers import write_atomic
from ..schema_check import packaged_schema, schema_problems
from .compose import message, subject, summary
from .recipients import Recipient
from .smtp import SmtpSettings, deliver, failure_reason

SEND_LOG = "send-log.jsonl"
OUTBOX = "outbox"
WHOLE = "*"   # the team field of a message with the whole report


@dataclass(frozen=True)
class Outgoing:
    recipient: Recipient
    team: str
    message: EmailMessage


@dataclass
class Outcome:
    sent: list[Outgoing]
    already: list[Outgoing]
    failed: list[tuple[Outgoing, str]]


def run_id(results_file: Path) -> str:
    """A run is known by its results: the same inputs give byte-identical results.json."""
    return hashlib.sha256(results_file.read_bytes()).hexdigest()[:16]


def read_results(out: Path) -> tuple[dict, str]:
    path = out / "results.json"
    if not path.is_file():
        raise UserError(f"no results in '{shown_path(out)}': run checker check --out {shown_path(out)} first, "
                        "or pass the folder it wrote with --out DIR")
    try:
        results = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{shown_path(path)}: not a results file of checker check ({exc})") from None
    problems = schema_problems(results, packaged_schema("results"), shown_path(path))
    if problems:
        raise UserError(problems[:10])
    return results, run_id(path)


def outgoing(results: Mapping[str, Any], recipients: list[Recipient], sender: str) -> Iterator[Outgoing]:
    """One message per recipient: a supervisor's team's violations, or the whole report."""
    from ..report.html import render_html

    teams = {ref: (name, team) for ref, name, team in split_results(results, "supervisor")}
    for r in recipients:
        if r.receives_all:
            scope, team_name, attached = results, None, "report.html"
        else:
            team_name, scope = teams.get(r.team, (r.name, None))
            attached = f"report-{file_name(r.team)}" if scope is not None else None
        body_of = scope if scope is not None else results
        body = summary(body_of, r.lang, r.name, attached, r.receives_all)
        attachment = (attached, render_html(scope, r.lang)) if scope is not None else None
        text = subject(results, r.lang, None if r.receives_all else team_name or r.name or r.team)
        yield Outgoing(r, WHOLE if r.receives_all else str(r.team), message(sender, r.name, r.email, text, body,
                                                                          attachment))


def unreached_teams(results: Mapping[str, Any], recipients: list[Recipient]) -> list[tuple[str, str, int]]:
    """Teams with open violations that no recipient receives (ref, name, count)."""
    listed = {r.team for r in recipients}
    return [(ref, name, len(team["violations"])) for ref, name, team in split_results(results, "supervisor")
            if ref not in listed and team["violations"]]


def write_outbox(out: Path, messages: list[Outgoing]) -> Path:
    folder = out / OUTBOX
    for n, item in enumerate(messages, start=1):
        address = re.sub(r"[^\w.@-]", "_", item.recipient.email)
        team = "all" if item.team == WHOLE else file_name(item.team).removesuffix(".html")
        write_atomic(folder, f"{n:03d}-{team}-{address}.eml", item.message.as_string())
    return folder


def send_all(out: Path, run: str, messages: list[Outgoing], settings: SmtpSettings) -> Outcome:
    log = SendLog(out)
    outcome = Outcome([], [], [])
    for item in messages:
        if log.has(run, item):
            outcome.already.append(item)
            continue
        try:
            deliver(settings, item.message, item.recipient.email)
        except (smtplib.SMTPException, OSError) as exc:   # refused, unreachable, TLS or login failed: the next one goes on
            outcome.failed.append((item, failure_reason(exc)))
            continue
        log.add(run, item)
        outcome.sent.append(item)
    return outcome


class SendLog:
    """What was sent, one JSON line per message, rewritten whole after each one (atomically)."""

    def __init__(self, out: Path):
        self.out = out
        path = out / SEND_LOG
        self.lines = path.read_text("utf-8").splitlines() if path.is_file() else []
        self.done = {_entry(line, n, path) for n, line in enumerate(self.lines, start=1)}

    def has(self, run: str, item: Outgoing) -> bool:
        return (run, item.recipient.email, item.team) in self.done

    def add(self, run: str, item: Outgoing) -> None:
        entry = {"run": run, "to": item.recipient.email, "team": item.team, "message_id": item.message["Message-ID"],
                 "sent_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        self.lines.append(json.dumps(entry, ensure_ascii=False))
        self.done.add((run, item.recipient.email, item.team))
        write_atomic(self.out, SEND_LOG, "".join(line + "\n" for line in self.lines))


def _entry(line: str, number: int, path: Path) -> tuple[str, str, str]:
    """(run, address, team) of a line of the send log; a damaged line stops the run rather than
    letting a message go out twice."""
    try:
        entry = json.loads(line)
        return entry["run"], entry["to"], entry["team"]
    except (ValueError, KeyError, TypeError):
        raise UserError(f"{shown_path(path)}:{number}: not a line of the send log ({line[:60]!r}); "
                        "correct or remove it, it records what was already sent") from None


def print_outcome(outcome: Outcome, run: str) -> None:
    print(f"run {run}: {len(outcome.sent)} sent, {len(outcome.already)} already sent before, "
          f"{len(outcome.failed)} failed")
    for item, reason in outcome.failed:
        print(f"not sent to {_who(item)}: {reason}", file=sys.stderr)


def _who(item: Outgoing) -> str:
    r = item.recipient
    part = "the whole report" if item.team == WHOLE else f"team {item.team}"
    return f"{r.name} <{r.email}> ({part})" if r.name else f"{r.email} ({part})"
