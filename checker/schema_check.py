"""JSON-Schema validation that reports problems at the line and column of the offending value."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match, relevance

from .problems import Problem, UserError, did_you_mean
from .yamlsrc import LocDict, LocList, Mark, load_file

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
            error = best_match(error.context, key=_relevance)
        problems += _to_problems(error, data, file)
    return sorted(set(problems))


def _relevance(error: ValidationError):
    # Of the alternatives of an anyOf, the one written for the value's type explains it best
    # (-1 for "an integer >= 0 or params.NAME" is too small, rather than "not a string").
    return error.validator != "type", relevance(error)


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


def locate_key(data: Any, path: list) -> Mark:
    """The position of the key that ends a JSON path (of the value when the key is not known)."""
    parent = _node_at(data, path[:-1]) if path else None
    if isinstance(parent, LocDict) and path[-1] in parent:
        return parent.key_mark(path[-1])
    return locate(data, path)


_TYPE_WORDS = {"object": "a mapping (key: value)", "array": "a list", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "nothing"}


def _to_problems(error: ValidationError, data: Any, file: str) -> list[Problem]:
    path = list(error.absolute_path)
    where = ".".join(str(p) for p in path) or "top level"
    if error.validator == "additionalProperties":
        parent = _node_at(data, path)
        allowed = list(error.schema.get("properties", {}))
        found = []
        for key in sorted(set(parent or {}) - set(allowed), key=str):
            mark = parent.key_mark(key) if isinstance(parent, LocDict) else locate(data, path)
            found.append(Problem(file, mark.line, mark.col,
                                 f"unknown key '{key}' in {where}{did_you_mean(key, allowed)}", "unknown-key"))
        if found:
            return found
    mark = locate(data, path)
    if "propertyNames" in error.absolute_schema_path:  # the instance is a key: point at it, not its mapping
        mark = locate_key(data, [*path, error.instance])
    if error.validator == "required":
        return [Problem(file, mark.line, mark.col, f"{where}: {error.message}; add it", "missing-key")]
    choices = [str(_yaml_word(v)) for v in error.validator_value] if error.validator == "enum" else []
    if error.validator == "enum" and "propertyNames" in error.absolute_schema_path:
        # A key that is not one of the allowed names: point at the key itself.
        key = error.instance
        return [Problem(file, mark.line, mark.col, f"unknown key '{key}' in {where}{did_you_mean(key, choices)}; "
                                                   f"use one of: {', '.join(choices)}", "unknown-key")]
    if error.validator == "enum":
        word = _yaml_word(error.instance)
        hint = did_you_mean(word, choices) or ("; quote it if you meant text" if isinstance(error.instance, bool) else "")
        return [Problem(file, mark.line, mark.col,
                        f"{where}: '{word}' is not allowed{hint}; use one of: {', '.join(choices)}", "bad-value")]
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        want = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
        return [Problem(file, mark.line, mark.col, f"{where}: expected {want}, found {_describe(error.instance)}",
                        "schema")]
    if error.validator in ("minProperties", "maxProperties") and isinstance(error.instance, dict):
        names = error.schema.get("propertyNames", {}).get("enum")
        keys = ", ".join(str(k) for k in error.instance) or "none"
        limit = error.validator_value
        need = (f"exactly {limit}" if error.schema.get("minProperties") == error.schema.get("maxProperties")
                else f"at least {limit}" if error.validator == "minProperties" else f"at most {limit}")
        choices = f" of: {', '.join(names)}" if names else ""
        return [Problem(file, mark.line, mark.col,
                        f"{where}: needs {need} key(s){choices}; found {keys}", "schema")]
    if error.validator == "pattern":
        hint = error.schema.get("description") or f"it must match {error.validator_value}"
        return [Problem(file, mark.line, mark.col,
                        f"{where}: '{_shorten(str(error.instance))}' does not have the expected form ({hint})",
                        "bad-value")]
    return [Problem(file, mark.line, mark.col, f"{where}: {_shorten(error.message)}", "schema")]


def _yaml_word(value: Any) -> Any:
    """A value spelt the way YAML writes it (true, not True)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else value


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{_yaml_word(value)} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text '{_shorten(str(value))}'"


def _shorten(text: str, limit: int = 120) -> str:
    # Messages quote the offending value; a whole section pasted into one line helps nobody.
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _node_at(data: Any, path: list) -> Any:
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def load_valid(path: Path, shown: str, schema_name: str, empty: Any = None) -> Any:
    """Load a YAML file and check it against one of the packaged schemas; UserError otherwise.
    An empty file stands for `empty` (when given) before it is checked."""
    raw = load_file(path, shown)
    if raw is None and empty is not None:
        raw = empty
    problems = schema_problems(raw, packaged_schema(schema_name), shown)
    if problems:
        raise UserError(problems)
    return raw
