"""Policy parameters (rules/params.yaml): thresholds that rules use as params.NAME."""
from __future__ import annotations

from pathlib import Path

from .problems import UserError
from .schema_check import packaged_schema, schema_problems
from .yamlsrc import LocDict, load_file


def load_params(path: Path, display: str | None = None) -> tuple[dict, LocDict]:
    """Parameter values by name, and the raw document (for positions in lint messages)."""
    shown = display or str(path)
    if not path.exists():
        return {}, LocDict()
    raw = load_file(path, shown) or LocDict()
    problems = schema_problems(raw, packaged_schema("params"), shown)
    if problems:
        raise UserError(problems)
    return {name: _plain(spec["value"]) for name, spec in raw.items()}, raw


def _plain(value: object) -> object:
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value
