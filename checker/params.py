"""Policy parameters (rules/params.yaml): thresholds that rules use as params.NAME."""
from __future__ import annotations

from pathlib import Path

from .languages import DEFAULT_LANGUAGES, missing_texts
from .problems import UserError, did_you_mean
from .schema_check import load_valid
from .yamlsrc import LocDict, load_text


def load_params(path: Path, display: str | None = None,
                languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> tuple[dict, LocDict]:
    """Parameter values by name, and the raw document (for positions in lint messages); each
    parameter's doc holds every one of the pack's `languages`."""
    shown = display or str(path)
    if not path.exists():
        return {}, LocDict()
    raw = load_valid(path, shown, "params", empty=LocDict())
    problems = missing_texts(raw, [[name, "doc"] for name in raw], languages, shown)
    if problems:
        raise UserError(problems)
    return {name: _plain(spec["value"]) for name, spec in raw.items()}, raw


def _plain(value: object) -> object:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def apply_overrides(values: dict, overrides: list[str]) -> dict:
    """The parameter values with `--param NAME=VALUE` overrides applied. A value is read as
    YAML (so lists and mappings can be given) and must be of the kind the parameter already
    is: a whole number for a whole number, a number for a number, true/false, text, or a list
    of items shaped like the parameter's own."""
    out = dict(values)
    for text in overrides:
        name, sep, raw = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UserError(f"--param '{text}': write NAME=VALUE, e.g. --param complaint_resolution_days=5")
        if name not in values:
            raise UserError(f"--param: unknown parameter '{name}'{did_you_mean(name, values)}; "
                            f"the parameters are in params.yaml")
        out[name] = _typed(name, raw.strip(), values[name])
    return out


def _typed(name: str, raw: str, current: object) -> object:
    try:
        value = _plain(load_text(raw, f"--param {name}")) if raw else None
    except UserError:
        value = raw
    if isinstance(current, str):
        return raw
    wanted = _kind_of(current)
    if _kind_of(value) != wanted and not (wanted == "number" and _kind_of(value) == "whole number"):
        raise UserError(f"--param {name}={raw}: {name} is {wanted} (it is {current!r} in params.yaml), "
                        f"not {_kind_of(value)}")
    if isinstance(current, list):
        _check_items(name, raw, value, current)
    return value


def _check_items(name: str, raw: str, value: list, current: list) -> None:
    shapes = {_kind_of(item) for item in current}
    keys = {k for item in current if isinstance(item, dict) for k in item}
    for item in value:
        if current and _kind_of(item) not in shapes | ({"number"} if "whole number" in shapes else set()):
            raise UserError(f"--param {name}={raw}: its items are {' or '.join(sorted(shapes))}, not {_kind_of(item)}")
        unknown = sorted(set(item) - keys) if isinstance(item, dict) and keys else []
        if unknown:
            raise UserError(f"--param {name}={raw}: unknown key '{unknown[0]}'{did_you_mean(unknown[0], keys)} "
                            f"in an item; the items have {', '.join(sorted(keys))}")


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "whole number"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__
