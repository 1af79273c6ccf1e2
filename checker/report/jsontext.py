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
    return orjson.dumps(value, option=_OPTIONS | (orjson.OPT_SORT_KEYS if sort_keys else 0)).decode()


def indented(value: Any) -> str:
    """JSON indented by two spaces, for the small parts of a document that people read."""
    return orjson.dumps(value, option=_OPTIONS | orjson.OPT_INDENT_2).decode()


def each_encoded(objects: list[dict], sort_keys: bool = False) -> list[str]:
    """Each dict's JSON text, from one call of the encoder for the whole list: its text is cut
    where one dict ends and the next begins ('},{'). Where that text also occurs inside a
    value (the count shows it), each dict is encoded on its own instead."""
    if not objects:
        return []
    parts = compact(objects, sort_keys)[1:-1].split("},{")
    if len(parts) != len(objects):
        return [compact(o, sort_keys) for o in objects]
    if len(parts) == 1:
        return parts
    return [parts[0] + "}", *["{" + part + "}" for part in parts[1:-1]], "{" + parts[-1]]


def records_joined(records: list[dict], separator: str) -> str:
    """The records' JSON texts joined by the separator (say a line break), each record compact."""
    return separator.join(each_encoded(records))
