"""JSON-Schema validation that reports problems at the line and column of the offending value."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from .problems import Problem, did_you_mean
from .yamlsrc import LocDict, LocList, Mark

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@lru_cache(maxsize=None)
def packaged_schema(name: str) -> dict:
    """One of the JSON Schemas shipped in checker/schemas (e.g. 'params')."""
    text = resources.files("checker").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def schema_problems(data: Any, schema: dict, file: str) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for error in validator.iter_errors(_plain(data)):
        if error.context:
            error = best_match(error.context)
        problems.append(_to_problem(error, data, file))
    return sorted(set(problems))


def _plain(value: Any) -> Any:
    """Dates from YAML are compared as text by the schemas, as editors see them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return value


def locate(data: Any, path: list) -> Mark:
    """The position of the value at a JSON path inside loaded YAML (the closest known one)."""
    node, mark = data, getattr(data, "start", Mark(1, 1))
    for step in path:
        if isinstance(node, LocDict) and step in node:
            mark, node = node.value_mark(step), node[step]
        elif isinstance(node, LocList) and isinstance(step, int) and step < len(node):
            mark, node = node.item_mark(step), node[step]
        else:
            break
    return mark


def _to_problem(error: ValidationError, data: Any, file: str) -> Problem:
    path = list(error.absolute_path)
    where = ".".join(str(p) for p in path) or "top level"
    if error.validator == "additionalProperties":
        parent = _node_at(data, path)
        allowed = list(error.schema.get("properties", {}))
        for key in sorted(set(parent or {}) - set(allowed)):
            mark = parent.key_mark(key) if isinstance(parent, LocDict) else locate(data, path)
            return Problem(file, mark.line, mark.col,
                           f"unknown key '{key}' in {where}{did_you_mean(key, allowed)}", "unknown-key")
    mark = locate(data, path)
    if error.validator == "required":
        return Problem(file, mark.line, mark.col, f"{where}: {error.message}; add it", "missing-key")
    if error.validator == "enum":
        hint = did_you_mean(error.instance, [str(v) for v in error.validator_value])
        choices = ", ".join(str(v) for v in error.validator_value)
        return Problem(file, mark.line, mark.col,
                       f"{where}: '{error.instance}' is not allowed{hint}; use one of: {choices}", "bad-value")
    return Problem(file, mark.line, mark.col, f"{where}: {error.message}", "schema")


def _node_at(data: Any, path: list) -> Any:
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node
