"""Who receives which report: from a recipients file (YAML or CSV, checker/schemas/recipients.schema.json)
or from the e-mail column of the roster table in the export."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ..languages import FALLBACK
from ..problems import Problem, UserError, did_you_mean, shown_path
from ..schema_check import locate, packaged_schema, schema_problems
from ..yamlsrc import load_file

ALL = "all"        # `receives: all`: the whole report, every team's violations
ADDRESS = re.compile(packaged_schema("recipients")["properties"]["recipients"]["items"]["properties"]["email"]["pattern"])
TEAM = "team"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    team: str | None = None    # the supervisor's employee id whose team's report this person receives
    lang: str = FALLBACK

    @property
    def receives_all(self) -> bool:
        return self.team is None


def load_recipients(path: Path, languages: tuple[str, ...] = (FALLBACK,), default: str | None = None) -> list[Recipient]:
    """The recipients listed in a YAML file (`recipients: [...]`) or a CSV file with a header row;
    each one's `lang` must be one of the pack's languages, and is `default` (the pack's first
    language unless given) where the entry has none."""
    shown = shown_path(path)
    if not path.is_file():
        raise UserError(f"recipients file '{shown}' not found; pass --recipients FILE (YAML or CSV)")
    entries = _csv_entries(path, shown) if path.suffix.lower() == ".csv" else _yaml_entries(path, shown)
    problems = [Problem(shown, line, col, f"lang '{entry['lang']}' is not one of the pack's languages; the pack's "
                                          f"languages are {', '.join(languages)} (pack.yaml languages:), so write one "
                                          f"of them{did_you_mean(entry['lang'], languages)}", "bad-value")
                for entry, (line, col) in entries if entry.get("lang", languages[0]) not in languages]
    if problems:
        raise UserError(problems)
    return [_recipient(entry, default or languages[0]) for entry, _ in entries]


def _yaml_entries(path: Path, shown: str) -> list[tuple[dict, tuple[int, int]]]:
    """Each entry with the place of its `lang`."""
    raw = load_file(path, shown)
    problems = schema_problems(raw, packaged_schema("recipients"), shown)
    if problems:
        raise UserError(problems)
    return [(entry, _place(locate(raw, ["recipients", i, "lang"]))) for i, entry in enumerate(raw["recipients"])]


def _place(mark) -> tuple[int, int]:
    return mark.line, mark.col


def _csv_entries(path: Path, shown: str) -> list[tuple[dict, tuple[int, int]]]:
    """CSV rows as entries (an empty cell is a missing value), each checked against the schema's
    entry and given with the place of its `lang` cell; a problem points at the row's line and,
    where it names one, the cell's column."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = [cell.strip() for cell in rows[0]] if rows else []
    entry_schema = packaged_schema("recipients")["properties"]["recipients"]["items"]
    allowed = list(entry_schema["properties"])
    problems = [Problem(shown, 1, col, f"unknown column '{name}'{did_you_mean(name, allowed)}; "
                        f"the columns are {', '.join(allowed)}") for col, name in enumerate(header, 1) if name not in allowed]
    if "email" not in header:
        problems.append(Problem(shown, 1, 1, "no 'email' column; write a header row: " + ",".join(allowed)))
    if problems:
        raise UserError(problems)
    entries = []
    for line, row in enumerate(rows[1:], start=2):
        entry = {name: cell.strip() for name, cell in zip(header, row) if cell.strip()}
        if entry:
            problems += [_in_row(p, line, header) for p in schema_problems(entry, entry_schema, shown)]
            entries.append((entry, (line, header.index("lang") + 1 if "lang" in header else 1)))
    if problems:
        raise UserError(problems)
    return entries


def _in_row(problem: Problem, line: int, header: list[str]) -> Problem:
    column, _, _ = problem.message.partition(":")
    col = header.index(column) + 1 if column in header else 1
    return Problem(problem.file, line, col, problem.message.replace("top level", "this row"), problem.code)


def _recipient(entry: dict, default: str) -> Recipient:
    receives = entry.get("receives", TEAM)
    return Recipient(email=str(entry["email"]), name=str(entry.get("name", "")),
                     team=None if receives == ALL else str(entry["id"]), lang=str(entry.get("lang", default)))


def roster_recipients(employees, columns: RosterColumns, managers: list[str], lang: str) -> list[Recipient]:
    """Everyone the roster shows supervising someone receives their team's report (a team with no
    violations is told so) at the address in its e-mail column; the employees listed in `managers`
    receive the whole report instead."""
    supervising = set(employees[columns.supervisor].dropna().astype(str))
    emails = employees[columns.email].fillna("").astype(str).str.strip()
    names = employees[columns.name].fillna("").astype(str) if columns.name else [""] * len(employees)
    found = {str(pid): (str(name), email) for pid, name, email in zip(employees[columns.key], names, emails) if email}
    malformed = [f"{pid} ('{email}')" for pid, (_, email) in sorted(found.items()) if not ADDRESS.fullmatch(email)]
    if malformed:
        raise UserError(f"the roster's '{columns.email}' column holds what is not an e-mail address for "
                        f"{', '.join(malformed)}; correct it in the export or pass --recipients FILE")
    unknown = [m for m in managers if m not in found]
    if unknown:
        raise UserError(f"--whole-report-to {', '.join(unknown)}: no such employee with an address in the roster's "
                        f"'{columns.email}' column")
    return [Recipient(email=email, name=name, team=None if pid in managers else pid, lang=lang)
            for pid, (name, email) in sorted(found.items()) if pid in managers or pid in supervising]


@dataclass(frozen=True)
class RosterColumns:
    key: str
    email: str
    supervisor: str
    name: str | None = None
