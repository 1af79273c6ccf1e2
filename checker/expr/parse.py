"""Reading rule expression text into a vetted Python syntax tree.

Nothing here executes user text: the text goes through the tokenizer and
``ast.parse`` only, and every node of the resulting tree must be on a short
whitelist before the type checker (``check``) looks at it.
"""
from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize
import unicodedata
import warnings
from dataclasses import dataclass

MAX_LENGTH = 2000
MAX_DEPTH = 50

# Rule authors write lower-case literals; Python needs the capitalised ones.
# Each replacement has the same length, so offsets into the text stay valid.
_LITERALS = {"null": "None", "true": "True", "false": "False"}
_PY_WORDS = {"None": "null", "True": "true", "False": "false"}
_KEYWORDS_OK = {"and", "or", "not", "in", "is"}
_OPS_OK = {"(", ")", "[", "]", ",", ".", "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "="}
_OP_HINTS = {
    "&": "use 'and' instead of '&'", "|": "use 'or' instead of '|'", "~": "use 'not' instead of '~'",
    "//": "'//' is not supported; use '/'", "**": "'**' is not supported",
    "{": "'{' is not allowed; use [ ] for a list", "}": "'}' is not allowed; use [ ] for a list",
    "<>": "use '!=' for 'not equal'",
}
_CHAR_HINTS = {"!": "; use 'not' to negate or '!=' to compare", "\\": "; line breaks need no backslash"}

_NODES_OK = frozenset({
    ast.BoolOp, ast.UnaryOp, ast.BinOp, ast.Compare, ast.Call, ast.Constant, ast.Name, ast.Attribute, ast.List,
    ast.Load, ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd, ast.Add, ast.Sub, ast.Mult, ast.Div,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
})
_NODE_HINTS = {
    ast.Subscript: "indexing with [ ] is not allowed",
    ast.Tuple: "use [ ] for a list, e.g. x in [1, 2]",
    ast.keyword: "keyword arguments (name=value) are not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Lambda: "'lambda' is not allowed",
    ast.IfExp: "'if ... else' is not allowed",
}


class ExprError(Exception):
    """A problem with an expression, located by a 0-based character offset."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # keeps both fields when errors cross process boundaries
        return (type(self), (self.message, self.offset))


@dataclass(frozen=True)
class Parsed:
    """The vetted tree plus what is needed to map its nodes back onto the text."""

    text: str
    tree: ast.expr
    _shift: int
    _encoded: bytes

    def _char(self, byte_offset: int) -> int:
        if len(self._encoded) == len(self.text) - self._shift:
            return self._shift + byte_offset
        return self._shift + len(self._encoded[:byte_offset].decode("utf-8", "ignore"))

    def start(self, node: ast.AST) -> int:
        return self._char(getattr(node, "col_offset", 0))

    def end(self, node: ast.AST) -> int:
        return self._char(getattr(node, "end_col_offset", 0) or 0)

    def source(self, node: ast.AST) -> str:
        return self.text[self.start(node):self.end(node)]

    def symbol_after(self, offset: int) -> int:
        """Offset of the first operator-ish character at or after ``offset`` (skips spaces and ')')."""
        i = offset
        while i < len(self.text) and (self.text[i].isspace() or self.text[i] == ")"):
            i += 1
        return min(i, len(self.text))


def parse(text: object) -> Parsed:
    """Tokenize, rewrite literals, parse and whitelist-check ``text``; raises ExprError only."""
    if not isinstance(text, str):
        raise ExprError("an expression must be text", 0)
    if not text.strip():
        raise ExprError("the expression is empty; write a condition such as amount > 0", 0)
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is too long ({len(text)} characters; at most {MAX_LENGTH}); "
                        "split it into simpler rules", MAX_LENGTH)
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r\f":
            raise ExprError(f"unexpected control character U+{ord(ch):04X}", i)
    # Line breaks (YAML block scalars) are layout only; as spaces they keep every offset.
    flat = text.replace("\r", " ").replace("\n", " ")
    rewritten, tokens = _scan(flat)
    shift = len(flat) - len(flat.lstrip())
    body = rewritten[shift:]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(body, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, flat, shift, tokens) from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise ExprError("the expression could not be read", 0) from None
    parsed = Parsed(text, tree.body, shift, body.encode("utf-8"))
    _vet(parsed)
    return parsed


def _scan(text: str) -> tuple[str, dict[int, str]]:
    """Token-level checks and the literal rewrite; returns new text and tokens by offset."""
    out = list(text)
    tokens: dict[int, str] = {}
    depth = 0
    prev = ""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            kind, s = tok.type, tok.string
            col = tok.start[1] if tok.start[0] == 1 else len(text)
            if kind in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
                continue
            tokens[col] = s
            if kind == tokenize.ERRORTOKEN:
                if s.isspace():
                    continue
                if s[0] in "'\"":
                    break  # unterminated string: ast.parse words this best
                hint = _CHAR_HINTS.get(s, "")
                if not hint and ord(s[0]) > 127 and unicodedata.category(s[0])[0] in "PZ":
                    hint = "; write brackets, quotes and commas in plain ASCII"
                raise ExprError(f"unexpected character {s!r}{hint}", col)
            if kind == tokenize.COMMENT:
                raise ExprError("'#' comments are not allowed", col)
            if kind == tokenize.NAME:
                if s in _PY_WORDS:
                    raise ExprError(f"write {_PY_WORDS[s]} instead of {s}", col)
                if keyword.iskeyword(s) and s not in _KEYWORDS_OK:
                    raise ExprError(f"'{s}' is not allowed", col)
                if s in _LITERALS and prev != ".":
                    out[col:col + len(s)] = _LITERALS[s]
            elif kind == tokenize.STRING:
                prefix = re.match(r"[A-Za-z]*", s).group().lower()
                if "f" in prefix:
                    raise ExprError("f-strings are not allowed", col)
                if "b" in prefix:
                    raise ExprError("byte strings are not allowed", col)
            elif kind == tokenize.OP:
                if s not in _OPS_OK:
                    raise ExprError(_OP_HINTS.get(s, f"'{s}' is not allowed"), col)
                depth += 1 if s in "([" else -1 if s in ")]" else 0
                if depth > MAX_DEPTH:
                    raise ExprError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)", col)
            elif tokenize.tok_name.get(kind) == "FSTRING_START":
                raise ExprError("f-strings are not allowed", col)
            prev = s
    except (tokenize.TokenError, SyntaxError):
        pass  # unbalanced brackets and the like: ast.parse reports them with a position
    return "".join(out), tokens


def _syntax_error(exc: SyntaxError, text: str, shift: int, tokens: dict[int, str]) -> ExprError:
    end = len(text.rstrip())
    offset = end
    if exc.lineno in (None, 1) and exc.offset and exc.offset > 0:
        offset = min(shift + exc.offset - 1, end)
    msg = re.sub(r"\s*\(detected at line \d+\)", "", exc.msg or "invalid syntax")
    msg = re.sub(r"\b(None|True|False)\b", lambda m: _PY_WORDS[m.group()], msg)
    if msg.startswith("unterminated string"):
        return ExprError("unterminated string; add the closing quote", offset)
    if msg.startswith("invalid syntax") or msg.startswith("expected"):
        if offset >= end:
            return ExprError("the expression is incomplete; something is missing at the end", end)
        token = tokens.get(offset) or text[offset]
        hint = "; use '==' to compare" if token == "=" else ""
        return ExprError(f"unexpected '{token}'{hint}", offset)
    return ExprError(msg, offset)


def _vet(parsed: Parsed) -> None:
    """Reject every node type outside the whitelist, and trees nested too deeply."""
    stack: list[tuple[ast.AST, ast.AST, int]] = [(parsed.tree, parsed.tree, 1)]
    while stack:
        node, parent, depth = stack.pop()
        where = node if hasattr(node, "col_offset") else parent
        if type(node) not in _NODES_OK:
            if isinstance(node, ast.Subscript):
                raise ExprError(_NODE_HINTS[ast.Subscript], parsed.text.find("[", parsed.end(node.value)))
            if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp, ast.comprehension)):
                raise ExprError("comprehensions are not allowed", parsed.start(where))
            raise ExprError(_NODE_HINTS.get(type(node), "this kind of expression is not allowed"),
                            parsed.start(where))
        if isinstance(node, ast.Constant) and type(node.value) not in (str, int, float, bool, type(None)):
            raise ExprError(f"unsupported literal {parsed.source(node)!r}", parsed.start(node))
        if isinstance(node, ast.expr):
            if depth > MAX_DEPTH:
                raise ExprError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)",
                                parsed.start(node))
            depth += 1
        stack.extend((child, where, depth) for child in ast.iter_child_nodes(node))
