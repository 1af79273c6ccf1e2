"""JSON text of the reports, by orjson: the results of a large run are hundreds of megabytes of
small records, which the standard library encodes at about 15 MB/s and orjson at several
hundred. Output is UTF-8 as it is (no \\u escapes), compact inside a record, and strict JSON:
a non-finite number is written as null, never as `NaN` or `Infinity`."""
from __future__ import annotations

from typing import Any

import orjson

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def compact(value: Any, sort_keys: bool = False) -> str:
    """One line of JSON; mappings in their own order unless sort_keys."""
    return compact_bytes(value, sort_keys).decode()


def compact_bytes(value: Any, sort_keys: bool = False) -> bytes:
    """compact() as the UTF-8 bytes a file holds, for writers that never need the text."""
    return orjson.dumps(value, option=_OPTIONS | (orjson.OPT_SORT_KEYS if sort_keys else 0))


def indented(value: Any) -> bytes:
    """JSON indented by two spaces, for the small parts of a document that people read."""
    return orjson.dumps(value, option=_OPTIONS | orjson.OPT_INDENT_2)


def each_encoded(objects: list[dict], sort_keys: bool = False) -> list[str]:
    """Each dict's JSON text, from one call of the encoder for the whole list."""
    return [part.decode() for part in each_encoded_bytes(objects, sort_keys)]


def each_encoded_bytes(objects: list[dict], sort_keys: bool = False) -> list[bytes]:
    """Each dict's JSON, cut from one call of the encoder for the whole list where one dict ends
    and the next begins ('},{'). Where that text also occurs inside a value (the count shows
    it), each dict is encoded on its own instead."""
    if not objects:
        return []
    parts = compact_bytes(objects, sort_keys)[1:-1].split(b"},{")
    if len(parts) != len(objects):
        return [compact_bytes(o, sort_keys) for o in objects]
    if len(parts) == 1:
        return parts
    return [parts[0] + b"}", *[b"{" + part + b"}" for part in parts[1:-1]], b"{" + parts[-1]]


def records_joined(records: list[dict], separator: bytes) -> bytes:
    """The records' JSON joined by the separator (say a line break), each record compact."""
    return separator.join(each_encoded_bytes(records))
