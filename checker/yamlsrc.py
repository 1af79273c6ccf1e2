"""Safe YAML loading that remembers where every value came from.

Only plain data is accepted: no language tags, no aliases (which is also what stops
"billion laughs" alias bombs), bounded size. Every mapping and list keeps the line and
column of its entries so later checks can point at the exact spot.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, UserError

MAX_BYTES = 5_000_000
MAX_DEPTH = 64
_STANDARD = "tag:yaml.org,2002:"
_PLAIN_TAGS = {
    _STANDARD + t
    for t in ("null", "bool", "int", "float", "str", "timestamp", "map", "seq")
}


@dataclass(frozen=True)
class Mark:
    """1-based position of a value, and its scalar style (None plain, quote char, | or >)."""

    line: int
    col: int
    style: str | None = None
    source: str | None = field(default=None, compare=False, repr=False)  # a scalar as written in the file

    def point(self, offset: int = 0, value: str | None = None) -> tuple[int, int]:
        """Line and column of character ``offset`` of this scalar's ``value``.

        Quotes, escapes, block-scalar headers and folded line breaks make the text in the file
        differ from the value, so the value is walked against its source to find the spot."""
        if value is not None and not isinstance(value, str):  # YAML may have made the scalar a date or a number
            value, offset = None, 0
        if self.source is not None:
            index = _source_index(self.source, self.style, value or "", offset if value is not None else 0)
            if index is not None:
                before = self.source[:index]
                newline = before.rfind("\n")
                if newline < 0:
                    return self.line, self.col + index
                return self.line + before.count("\n"), index - newline
        return self.line, self.col + offset + (1 if self.style in ("'", '"') else 0)


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


def _source_index(source: str, style: str | None, value: str, offset: int) -> int | None:
    """Index in ``source`` of the character that gives ``value[offset]``; None when they do not line up."""
    i = 1 if style in ("'", '"') else 0
    if style in ("|", ">"):
        i = source.find("\n") + 1
        if i == 0:
            return None
    for j in range(len(value) + 1):
        ch = value[j] if j < len(value) else None
        width = 1
        while i < len(source):
            c = source[i]
            if style == '"' and c == "\\":
                after = source[i + 1:i + 2]
                if after in ("\n", "\r"):  # an escaped line break, and the indentation after it, give nothing
                    i += 3 if source[i + 1:i + 3] == "\r\n" else 2
                    while i < len(source) and source[i] in " \t":
                        i += 1
                    continue
                width = 2 + {"x": 2, "u": 4, "U": 8}.get(after, 0)
                break
            if c == ch:
                break
            if c in " \t\r\n" or (style == "'" and c == "'"):  # folding, indentation, doubled quotes
                i += 1
                continue
            if ch is None:
                break
            return None
        if j == offset:
            return min(i, len(source))
        if i >= len(source):
            return None
        i += width
    return None


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
        head = raw[:exc.start].removeprefix(b"\xef\xbb\xbf")
        line = head.count(b"\n") + 1
        col = len(head[head.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise UserError([Problem(shown, line, col, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8",
                                 "encoding")]) from None
    return load_text(text, shown)


def load_text(text: str, display: str = "<text>") -> Any:
    node = _composed(text, display)
    if node is None:
        return None
    _attach_text(node, text)
    return _build(node, display, 0)


# libyaml's parser, where PyYAML was built with it, parses a rule pack several times faster.
# A text it refuses is parsed again by the pure-Python parser, whose words and positions the
# error then takes: they name the offending character and count positions in characters.
_FAST = getattr(yaml, "CSafeLoader", None)


def _composed(text: str, display: str) -> yaml.Node | None:
    if _FAST is not None:
        try:
            _prescan(text, display, _FAST)
            return yaml.compose(text, Loader=_FAST)
        except yaml.YAMLError:
            pass
    try:
        _prescan(text, display, yaml.SafeLoader)
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise UserError([Problem(display, line, col, f"YAML syntax: {_syntax_message(exc)}", "yaml-syntax")]) from None
    except yaml.reader.ReaderError as exc:
        # The reader's own text spans two lines and names no line; point at the character instead.
        at = max(0, min(exc.position, len(text)))
        line = text.count("\n", 0, at) + 1
        col = at - text.rfind("\n", 0, at)
        raise UserError([Problem(display, line, col, f"character U+{exc.character:04X} is not allowed in YAML; "
                                                     "remove it", "yaml-syntax")]) from None
    except yaml.YAMLError as exc:
        raise UserError([Problem(display, 1, 1, "YAML syntax: " + " ".join(str(exc).split()), "yaml-syntax")]) from None


def _attach_text(root: yaml.Node, text: str) -> None:
    """Give every scalar the text it was written as (`written`): libyaml's marks do not hold
    the text, both parsers' marks index it by character."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            node.written = text[node.start_mark.index:node.end_mark.index]
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        else:
            stack.extend(node.value)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem, context = exc.problem or "", exc.context or ""
    # Some problems only make sense after their context ("... but found another document").
    text = f"{context}, {problem}" if problem.startswith("but ") and context else problem or context
    return " ".join(text.split())


def _prescan(text: str, display: str, loader: type) -> None:
    """Refuse aliases and deep nesting from the event stream, before anything is built:
    composing nodes recurses, so depth must be bounded before yaml.compose runs."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        m = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise UserError([Problem(display, m.line + 1, m.column + 1,
                                     "YAML aliases (*name) are not allowed; write the value out", "yaml-alias")])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise UserError([Problem(display, m.line + 1, m.column + 1,
                                         f"nesting is too deep (more than {MAX_DEPTH} levels)", "too-deep")])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _mark(node: yaml.Node) -> Mark:
    style = getattr(node, "style", None) or None
    source = getattr(node, "written", None)
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1, style, source)


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_STANDARD) if tag.startswith(_STANDARD) else tag


def _build(node: yaml.Node, display: str, depth: int) -> Any:
    if depth > MAX_DEPTH:
        m = _mark(node)
        raise UserError([Problem(display, m.line, m.col, f"nesting is too deep (more than {MAX_DEPTH} levels)",
                                 "too-deep")])
    if node.tag == _STANDARD + "value" and isinstance(node, yaml.ScalarNode) and not node.style:
        return node.value  # a bare '=' resolves to the 'value' tag; here it is just text
    if node.tag not in _PLAIN_TAGS:
        m = _mark(node)
        raise UserError([Problem(display, m.line, m.col,
                                 f"tag '{_shown_tag(node.tag)}' is not allowed; only plain YAML data is accepted",
                                 "yaml-tag")])
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, display, depth)
    if isinstance(node, yaml.SequenceNode):
        out = LocList(_build(item, display, depth + 1) for item in node.value)
        out.start, out.items_at = _mark(node), [_mark(item) for item in node.value]
        return out
    try:
        return _scalar(node)
    except ValueError:   # a date YAML recognises by its shape but no calendar has (2026-13-01)
        m = _mark(node)
        raise UserError([Problem(display, m.line, m.col, f"'{node.value}' is not a real date; write an existing "
                                                         f"date as YYYY-MM-DD, or quote the text", "bad-date")]) from None


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
