"""The policy: clauses with stable ids, loaded from policy/*.yaml."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .languages import DEFAULT_LANGUAGES, in_languages, missing_texts
from .problems import Problem, UserError, shown_path
from .schema_check import load_valid


@dataclass(frozen=True)
class Clause:
    id: str
    title: dict
    text: dict
    source: str
    automatable: bool
    reason: dict | None
    params: tuple[str, ...]
    file: str
    line: int
    status: str = "adopted"          # seed clauses are the written policy; drafted ones are "drafted" until adopted
    adopted_by: str | None = None
    adopted_on: str | None = None
    incomplete: bool = False

    @property
    def adopted(self) -> bool:
        """Whether the clause is in force: findings resting on unadopted text are to be read as proposals."""
        return self.status == "adopted"


_POLICY_TOP = re.compile(r"^(chapter|clauses)\s*:", re.MULTILINE)


def is_policy_file(path: Path) -> bool:
    """A YAML file whose top level is a policy chapter (not a rule or config file)."""
    try:
        return path.suffix == ".yaml" and bool(_POLICY_TOP.search(path.read_text("utf-8", errors="replace")))
    except OSError:
        return False


def policy_files(paths: list[Path]) -> list[Path]:
    """The policy files among the given files and folders, sorted."""
    found = set()
    for path in paths:
        found.update(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return sorted(found)


def load_policy(paths: Path | Sequence[Path], display_root: Path | None = None,
                languages: Sequence[str] = DEFAULT_LANGUAGES) -> dict[str, Clause]:
    """All clauses of the policy files in the given folders or files, by id; UserError
    listing every problem. Every heading and clause text holds each of the pack's `languages`."""
    clauses: dict[str, Clause] = {}
    problems: list[Problem] = []
    for path in policy_files([paths] if isinstance(paths, Path) else list(paths)):
        shown = shown_path(path, display_root)
        try:
            raw = load_valid(path, shown, "policy")
        except UserError as exc:
            problems += exc.problems
            continue
        problems += missing_texts(raw, _text_paths(raw), languages, shown)
        for i, c in enumerate(raw["clauses"]):
            mark = raw["clauses"].item_mark(i)
            if c["id"] in clauses:
                first = clauses[c["id"]]
                problems.append(Problem(shown, mark.line, mark.col,
                                        f"clause id '{c['id']}' is already used at {first.file}:{first.line}; give it another id",
                                        "duplicate-clause"))
                continue
            clauses[c["id"]] = _clause(c, shown, mark.line, languages)
    if problems:
        raise UserError(problems)
    return clauses


def _text_paths(raw: dict) -> list[list]:
    """Where a policy file's texts are: the chapter's and sections' headings, each clause's texts."""
    sections = raw["chapter"].get("sections", [])
    return [["chapter", "title"], *(["chapter", "sections", i, "title"] for i in range(len(sections))),
            *(["clauses", i, key] for i in range(len(raw["clauses"])) for key in ("title", "text", "reason"))]


def _clause(raw: dict, file: str, line: int, languages: Sequence[str]) -> Clause:
    return Clause(raw["id"], in_languages(raw["title"], languages), in_languages(raw["text"], languages),
                  raw["source"], raw["automatable"],
                  in_languages(raw["reason"], languages) if raw.get("reason") else None,
                  tuple(raw.get("params", ())), file, line,
                  status=raw.get("status", "drafted" if raw["source"] == "drafted" else "adopted"), adopted_by=raw.get("adopted_by"),
                  adopted_on=raw.get("adopted_on"), incomplete=bool(raw.get("incomplete")))


def render_text(clause: Clause, params: dict, lang: str) -> str:
    """The clause text with {param} placeholders filled in with the current parameter values."""
    text = clause.text[lang]
    for name in clause.params:
        if name in params:
            text = text.replace("{" + name + "}", _show(params[name]))
    return text


def _show(value: object) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "; ".join(f"≤{t['up_to']:,}: {t['role']}" if "up_to" in t else f"> : {t['role']}" for t in value)
    return str(value)
