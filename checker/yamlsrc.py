"""Safe YAML loading that remembers where every value came from.

Only plain data is accepted: no language tags, no aliases (which is also what stops
"billion laughs" alias bombs), bounded size. Every mapping and list keeps the line and
column of its entries so later checks can point at the exact spot.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, UserError

MAX_BYTES = 5_000_000
MAX_DEPTH = 64
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("null", "bool", "int", "float", "str", "timestamp", "map", "seq")
}


@dataclass(frozen=True)
class Mark:
    """1-based position of a value, and its scalar style (None plain, quote char, | or >)."""

    line: int
    col: int
    style: str | None = None


class LocDict(dict):
    """A dict that knows the position of each key and value."""

    start: Mark
    keys_at: dict
    values_at: dict

    def key_mark(self, key: str) -> Mark:
        return self.keys_at.get(key, self.start)

    def value_mark(self, key: str) -> Mark:
        return self.values_at.get(key, self.start)


class LocList(list):
    """A list that knows the position of each item."""

    start: Mark
    items_at: list

    def item_mark(self, index: int) -> Mark:
        return self.items_at[index] if index < len(self.items_at) else self.start


def load_file(path: Path, display: str | None = None) -> Any:
    """Load one YAML document; raise UserError with file:line:col on anything unsafe or malformed."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError([Problem(shown, 1, 1, f"cannot read file: {exc.strerror}", "unreadable")]) from None
    if len(raw) > MAX_BYTES:
        raise UserError([Problem(shown, 1, 1, f"file is larger than {MAX_BYTES} bytes; split it", "too-large")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError([Problem(shown, 1, 1, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", "encoding")]) from None
    return load_text(text, shown)


def load_text(text: str, display: str = "<text>") -> Any:
    try:
        _refuse_aliases(text, display)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise UserError([Problem(display, line, col, f"YAML syntax: {exc.problem or exc.context}", "yaml-syntax")]) from None
    except yaml.YAMLError as exc:
        raise UserError([Problem(display, 1, 1, f"YAML syntax: {exc}", "yaml-syntax")]) from None
    if node is None:
        return None
    return _build(node, display, 0)


def _refuse_aliases(text: str, display: str) -> None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            m = event.start_mark
            raise UserError([Problem(display, m.line + 1, m.column + 1,
                                     "YAML aliases (*name) are not allowed; write the value out", "yaml-alias")])


def _mark(node: yaml.Node) -> Mark:
    style = getattr(node, "style", None) or None
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1, style)


def _build(node: yaml.Node, display: str, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise UserError([Problem(display, *_mark(node)[:2], "nesting is too deep", "too-deep")])
    if node.tag not in _PLAIN_TAGS:
        m = _mark(node)
        raise UserError([Problem(display, m.line, m.col,
                                 f"tag {node.tag!r} is not allowed; only plain YAML data is accepted", "yaml-tag")])
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, display, depth)
    if isinstance(node, yaml.SequenceNode):
        out = LocList(_build(item, display, depth + 1) for item in node.value)
        out.start, out.items_at = _mark(node), [_mark(item) for item in node.value]
        return out
    return _scalar(node)


def _build_mapping(node: yaml.MappingNode, display: str, depth: int) -> LocDict:
    out = LocDict()
    out.start, out.keys_at, out.values_at = _mark(node), {}, {}
    for key_node, value_node in node.value:
        key = _build(key_node, display, depth + 1)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            m = _mark(key_node)
            raise UserError([Problem(display, m.line, m.col, "mapping keys must be plain words", "yaml-key")])
        if key in out:
            m = _mark(key_node)
            raise UserError([Problem(display, m.line, m.col, f"duplicate key '{key}'; keep one", "duplicate-key")])
        out[key] = _build(value_node, display, depth + 1)
        out.keys_at[key], out.values_at[key] = _mark(key_node), _mark(value_node)
    return out


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.ScalarNode) -> Any:
    return _CONSTRUCTOR.construct_object(node, deep=True)
