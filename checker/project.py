"""Loading everything a run needs (policy, data model, params, calendar, rules), collecting
every problem of every file before giving up, so one run shows all that needs fixing."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .languages import DEFAULT_LANGUAGES, declared_language_problems, in_languages, missing_texts
from .model import DataModel, load_datamodel
from .params import apply_overrides, load_params
from .policy import Clause, load_policy, policy_files
from .problems import Problem, UserError, shown_path
from .rules import CONFIG_FILES, RulePack, load_rules
from .schema_check import load_valid
from .workdays import Calendar, load_calendar
from .yamlsrc import LocDict


@dataclass(frozen=True)
class Project:
    pack: RulePack
    clauses: dict[str, Clause]
    calendar: Calendar
    config_files: tuple[Path, ...]
    policy_files: tuple[Path, ...]
    settings: dict = field(default_factory=dict)    # pack.yaml: the reports' title, the default period

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the pack is written in (pack.yaml languages:); the first is the reports' default."""
        return tuple(self.settings.get("languages", DEFAULT_LANGUAGES))


def load_project(rules_dir: Path, policy: Path | list[Path] | None, rule_paths: list[Path] | None = None,
                 tz: str | None = None, overrides: list[str] | None = None) -> Project:
    """policy: the policy folder, or policy files and folders; None to skip clause checks.
    overrides: `NAME=VALUE` parameter values that replace those of params.yaml (the rules are
    checked against them, so a value no rule can use is reported)."""
    problems: list[Problem] = []

    def attempt(load, *args):
        try:
            return load(*args)
        except UserError as exc:
            problems.extend(exc.problems or [Problem(str(args[0]), 1, 1, str(exc))])
            return None

    if not rules_dir.is_dir():
        raise UserError(f"rules folder '{rules_dir}' not found; pass --rules DIR")
    policy_paths = [policy] if isinstance(policy, Path) else list(policy or [])
    for path in policy_paths:
        if not path.exists():
            raise UserError(f"policy folder '{path}' not found; pass --policy DIR")
    settings = attempt(_load_settings, rules_dir / "pack.yaml") or {}
    languages = tuple(settings.get("languages", DEFAULT_LANGUAGES))
    problems += declared_language_problems(settings, shown_path(rules_dir / "pack.yaml"))
    if problems:    # every text would lack a wrong language: that one problem is what to fix
        raise UserError(problems)
    problems += missing_texts(settings, [["title"]], languages, shown_path(rules_dir / "pack.yaml"))
    clauses = attempt(load_policy, tuple(policy_paths), Path.cwd(), languages) if policy_paths else None
    model: DataModel | None = attempt(load_datamodel, rules_dir / "datamodel.yaml", shown_path(rules_dir / "datamodel.yaml"))
    loaded = attempt(load_params, rules_dir / "params.yaml", shown_path(rules_dir / "params.yaml"), languages)
    calendar = attempt(load_calendar, rules_dir / "calendar.yaml", shown_path(rules_dir / "calendar.yaml"))
    if model is None or loaded is None:
        raise UserError(problems)
    params = apply_overrides(loaded[0], overrides) if overrides else loaded[0]
    pack = attempt(load_rules, rule_paths or [rules_dir], model, params, clauses, Path.cwd(), tz, languages)
    if problems or pack is None:
        raise UserError(problems)
    config = tuple(p for p in (rules_dir / n for n in CONFIG_FILES) if p.exists())
    policy = tuple(policy_files(policy_paths)) if clauses is not None else ()
    if "title" in settings:
        settings = {**settings, "title": in_languages(settings["title"], languages)}
    return Project(pack, clauses or {}, calendar or Calendar(), config, policy, settings)


def _load_settings(path: Path) -> LocDict:
    """The pack's own settings (pack.yaml, optional)."""
    return load_valid(path, shown_path(path), "pack", empty=LocDict()) if path.exists() else LocDict()
