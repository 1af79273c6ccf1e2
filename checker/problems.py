"""Problems found in user files, and the ways they are printed for people and for CI."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a user file, located as precisely as the file allows."""

    file: str
    line: int
    col: int
    message: str
    code: str = field(default="invalid", compare=False)
    level: str = field(default="error", compare=False)

    def __str__(self) -> str:
        return f"{printable(self.file)}:{self.line}:{self.col}: {printable(self.message)}"


def printable(text: str) -> str:
    """Text with control, format and line-separator characters escaped: messages quote user input,
    and a problem must stay on one line and must not send escape sequences to a terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 4   # 3 (unreadable data) comes with DataError


class UserError(Exception):
    """An error the user can fix; carries the problems to print and the exit code to use."""

    def __init__(self, problems: list[Problem] | str, exit_code: int = 2):
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            message = problems
        else:
            self.problems = sorted(problems)
            message = "\n".join(str(p) for p in self.problems)
        super().__init__(message)
        self.exit_code = exit_code


def shown_path(path: Path, root: Path | None = None) -> str:
    """A path as people should see it: relative to the root (default: the working folder)
    when it lies inside it, else as given."""
    try:
        return str(path.resolve().relative_to((root or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close match exists, else ''."""
    matches = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def format_problems(problems: list[Problem], fmt: str) -> str:
    problems = sorted(problems)
    if fmt == "json":
        return json.dumps([_as_dict(p) for p in problems], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(_github_line(p) for p in problems)
    if fmt == "sarif":
        return json.dumps(_sarif(problems), ensure_ascii=False, indent=2)
    return "\n".join(str(p) for p in problems)


def _as_dict(p: Problem) -> dict:
    return {"file": p.file, "line": p.line, "col": p.col, "level": p.level,
            "code": p.code, "message": p.message}


def _github_line(p: Problem) -> str:
    kind = "error" if p.level == "error" else "warning"
    return f"::{kind} file={escape_property(p.file)},line={p.line},col={p.col},title={p.code}::" \
           f"{escape_data(p.message)}"


def escape_data(text: str) -> str:
    """A GitHub workflow command's message: it ends at a line break and %XX is decoded in it, so
    line breaks are written as %0A (GitHub shows them as breaks); other control characters are
    escaped as printable() does, since the command is also printed in the job's log."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A workflow command's property value: ',' separates properties and ':' ends them."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _sarif(problems: list[Problem]) -> dict:
    from . import __version__

    codes = sorted({p.code for p in problems})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "checker", "version": __version__,
                                "rules": [{"id": c} for c in codes]}},
            "results": [{
                "ruleId": p.code,
                "level": "error" if p.level == "error" else "warning",
                "message": {"text": p.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": p.file},
                    "region": {"startLine": p.line, "startColumn": p.col}}}],
            } for p in problems],
        }],
    }
