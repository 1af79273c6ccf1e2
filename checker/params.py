"""Policy parameters (rules/params.yaml): thresholds that rules use as params.NAME."""
from __future__ import annotations

from pathlib import Path

from .schema_check import load_valid
from .yamlsrc import LocDict


def load_params(path: Path, display: str | None = None) -> tuple[dict, LocDict]:
    """Parameter values by name, and the raw document (for positions in lint messages)."""
    shown = display or str(path)
    if not path.exists():
        return {}, LocDict()
    raw = load_valid(path, shown, "params", empty=LocDict())
    return {name: _plain(spec["value"]) for name, spec in raw.items()}, raw


def _plain(value: object) -> object:
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value
