"""Reported records as columns: a rule's violations (or not-evaluable records) are one block of
equal-length columns, not one dict per record. The writers read the columns whole (the JSON
lines of results.json, the CSV, junit.xml) and a reader that wants records gets each one as
the dict results.json shows, made when it is asked for.

A block's JSON lines are built by arrow from whole columns: each column's cells encoded once
(jsoncells), then joined with the field names between them."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from .jsoncells import encoded, json_cells, joined_lines, present_or_empty
from .types import Text

# A block's JSON is made this many records at a time, so its temporaries stay small.
_ROWS_PER_PIECE = 100_000


_OWN = ("fingerprint", "key", "status", "owner_id", "owner_name", "supervisor_id", "supervisor_name")


class ViolationBlock:
    """One rule's violations. `columns` holds fingerprint, key, status, owner_id, owner_name,
    supervisor_id and supervisor_name; messages are the distinct finding texts with a code per
    violation; evidence, record fields and referenced names are columns by name; cases and
    regions are None where the rule's records have none."""

    def __init__(self, rule: dict[str, str], columns: dict[str, list], messages: list[Text],
                 message_codes: np.ndarray, evidence: dict[str, list], fields: dict[str, list],
                 names: dict[str, list], cases: list | None, regions: list | None):
        self.rule, self.columns, self.messages, self.message_codes = rule, columns, messages, message_codes
        self.evidence, self.fields, self.names, self.cases, self.regions = evidence, fields, names, cases, regions

    def __len__(self) -> int:
        return len(self.message_codes)

    def dicts(self, rows: slice = slice(None)) -> Iterator[dict[str, Any]]:
        """Each violation (of the rows) as results.json writes it."""
        c, rule = self.columns, self.rule
        size = len(range(len(self))[rows])
        evidence, fields, names = (_rows(columns, rows, size) for columns in (self.evidence, self.fields, self.names))
        messages = [self.messages[i] for i in self.message_codes[rows].tolist()]
        cases = self.cases[rows] if self.cases is not None else [None] * size
        regions = self.regions[rows] if self.regions is not None else [None] * size
        for row in zip(*(c[name][rows] for name in _OWN), messages, evidence, fields, names, cases, regions):
            found = {"fingerprint": row[0], "rule_id": rule["rule_id"], "table": rule["table"], "key": row[1],
                     "severity": rule["severity"], "clause": rule["clause"], "status": row[2], "owner_id": row[3],
                     "owner_name": row[4], "supervisor_id": row[5], "supervisor_name": row[6], "message": row[7],
                     "evidence": row[8], "record": {"fields": row[9], "names": row[10]}}
            if row[11] is not None:
                found["case"] = row[11]
            if self.regions is not None:
                found["region"] = row[12]
            yield found

    def head(self, n: int) -> ViolationBlock:
        """The block of its first n violations."""
        first = slice(0, n)
        return ViolationBlock(self.rule, {name: values[first] for name, values in self.columns.items()}, self.messages,
                              self.message_codes[first], *({name: values[first] for name, values in columns.items()}
                                                           for columns in (self.evidence, self.fields, self.names)),
                              None if self.cases is None else self.cases[first],
                              None if self.regions is None else self.regions[first])

    def column(self, name: str) -> list:
        """One field of every violation, as dicts() would give it (None where a violation has
        none), without making the dicts."""
        n = len(self)
        if name in self.columns:
            return list(self.columns[name])
        if name in self.rule:
            return [self.rule[name]] * n
        if name == "message":
            return [self.messages[i] for i in self.message_codes.tolist()]
        if name == "evidence":
            return _rows(self.evidence, slice(None), n)
        if name == "record":
            return [{"fields": f, "names": m} for f, m in zip(_rows(self.fields, slice(None), n),
                                                                _rows(self.names, slice(None), n))]
        found = {"case": self.cases, "region": self.regions}.get(name)
        return list(found) if found is not None else [None] * n

    def json_pieces(self) -> Iterator[pa.Array]:
        """The block's records as JSON lines (arrow text), a slice of rows at a time."""
        for start in range(0, len(self), _ROWS_PER_PIECE):
            yield self._json_slice(slice(start, start + _ROWS_PER_PIECE))

    def _json_slice(self, rows: slice) -> pa.Array:
        c, rule = self.columns, self.rule
        constant = {name: encoded(rule[name]).decode() for name in ("rule_id", "table", "severity", "clause")}
        message_text = pa.array([encoded(m).decode() for m in self.messages], pa.string())
        parts: list[Any] = [
            '{"fingerprint":', json_cells(c["fingerprint"][rows]),
            f',"rule_id":{constant["rule_id"]},"table":{constant["table"]},"key":', json_cells(c["key"][rows]),
            f',"severity":{constant["severity"]},"clause":{constant["clause"]},"status":', json_cells(c["status"][rows])]
        for name in ("owner_id", "owner_name", "supervisor_id", "supervisor_name"):
            parts += [f',"{name}":', json_cells(c[name][rows])]
        parts += [',"message":', message_text.take(pa.array(self.message_codes[rows])), ',"evidence":']
        parts += object_parts(self.evidence, rows)
        parts += [',"record":{"fields":', *object_parts(self.fields, rows), ',"names":',
                  *object_parts(self.names, rows), "}"]
        if self.cases is not None:
            parts.append(present_or_empty(',"case":', self.cases[rows]))
        if self.regions is not None:
            parts += [',"region":', json_cells(self.regions[rows])]
        parts.append("}")
        return joined_lines(parts)


    def flat_columns(self) -> dict[str, pa.Array]:
        """The columns of a flat table (violations.csv): the rule's fields repeated, the message
        in each language, the evidence as JSON with its keys sorted."""
        n, c = len(self), self.columns
        flat = {name: pa.array([value] * n, pa.string()) for name, value in self.rule.items()}
        flat.update({name: text_column(values) for name, values in c.items()})
        codes = pa.array(self.message_codes)
        for lang in ("zh", "en"):
            flat[f"message_{lang}"] = pa.array([m[lang] for m in self.messages], pa.string()).take(codes)
        flat["evidence"] = joined_lines(object_parts(self.evidence, slice(None), sort_keys=True)) if n \
            else pa.array([], pa.string())
        return flat


def text_column(values: list) -> pa.Array:
    """Values as arrow text; values that are no text (a numeric key) by their str()."""
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], pa.string())


class NotEvaluableBlock:
    """One rule's not-evaluable records: keys, and a reason code per record into the distinct reasons."""

    def __init__(self, rule: dict[str, str], keys: list, reasons: list[Text], reason_codes: np.ndarray):
        self.rule, self.keys, self.reasons, self.reason_codes = rule, keys, reasons, reason_codes

    def __len__(self) -> int:
        return len(self.keys)

    def dicts(self, rows: slice = slice(None)) -> Iterator[dict[str, Any]]:
        rule_id, table = self.rule["rule_id"], self.rule["table"]
        for key, code in zip(self.keys[rows], self.reason_codes[rows].tolist()):
            yield {"rule_id": rule_id, "table": table, "key": key, "reason": self.reasons[code]}

    def column(self, name: str) -> list:
        if name == "key":
            return list(self.keys)
        if name == "reason":
            return [self.reasons[i] for i in self.reason_codes.tolist()]
        return [self.rule[name] if name in ("rule_id", "table") else None] * len(self)

    def json_pieces(self) -> Iterator[pa.Array]:
        head = f'{{"rule_id":{encoded(self.rule["rule_id"]).decode()},' \
               f'"table":{encoded(self.rule["table"]).decode()},"key":'
        reasons = pa.array([encoded(r).decode() for r in self.reasons], pa.string())
        for start in range(0, len(self), _ROWS_PER_PIECE):
            rows = slice(start, start + _ROWS_PER_PIECE)
            yield joined_lines([head, json_cells(self.keys[rows]), ',"reason":',
                                reasons.take(pa.array(self.reason_codes[rows])), "}"])


def object_parts(columns: dict[str, list], rows: slice, sort_keys: bool = False) -> list[Any]:
    """The pieces of a JSON object per row whose members are the columns, in their order (or sorted)."""
    names = sorted(columns) if sort_keys else list(columns)
    if not names:
        return ["{}"]
    parts: list[Any] = []
    for i, name in enumerate(names):
        parts += [("{" if i == 0 else ",") + encoded(name).decode() + ":", json_cells(columns[name][rows],
                                                                                         sort_keys)]
    parts.append("}")
    return parts


def _rows(columns: dict[str, list], rows: slice, size: int) -> list[dict]:
    if not columns:
        return [{} for _ in range(size)]
    names = list(columns)
    return [dict(zip(names, row)) for row in zip(*(values[rows] for values in columns.values()))]


class Blocks(Sequence):
    """A results list (violations, not-evaluable records) kept as blocks of columns: it reads as a
    sequence of the dicts results.json shows (each made when read; changing one changes nothing),
    and its writers read the blocks."""

    def __init__(self, blocks: list):
        self.blocks = [b for b in blocks if len(b)]
        self._ends = np.cumsum([len(b) for b in self.blocks], dtype=np.int64)

    def __len__(self) -> int:
        return int(self._ends[-1]) if len(self._ends) else 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for block in self.blocks:
            yield from block.dicts()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self)[index]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("results list index out of range")
        at = int(np.searchsorted(self._ends, index, side="right"))
        row = index - (int(self._ends[at - 1]) if at else 0)
        return next(self.blocks[at].dicts(slice(row, row + 1)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and not isinstance(other, str) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Blocks({len(self)} records in {len(self.blocks)} blocks)"

    def column(self, name: str) -> list:
        """One field of every record, in the order of the sequence (None where a record has
        none): what ``[r.get(name) for r in self]`` gives, read from the blocks' columns."""
        out: list = []
        for block in self.blocks:
            out += block.column(name)
        return out

    def json_pieces(self) -> Iterator[pa.Array]:
        for block in self.blocks:
            yield from block.json_pieces()
