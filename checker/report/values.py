"""Reading loosely shaped results values and showing them as text.

The renderer accepts any results dict (older files, hand-edited ones, a bare ``{}``), so
every field is read through these helpers and settled to a plain string or number here
rather than guarded in the template.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {sev: i for i, sev in enumerate(SEVERITIES)}


def as_mapping(value: Any) -> Mapping[str, Any]:
    # type() first: the exact-dict test is much cheaper than an abstract-class check.
    return value if type(value) is dict or isinstance(value, Mapping) else {}


def as_findings(value: Any) -> Sequence[Mapping[str, Any]]:
    """A results list of findings: one kept as blocks of columns (whose fields the report reads
    as whole columns) as it is, anything else as as_records reads it."""
    return value if hasattr(value, "column") and isinstance(value, Sequence) else as_records(value)


def as_records(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a list (or of a results list kept as columns); anything else in it (or a
    value that is no list) is left out."""
    if not isinstance(value, list):
        if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
            return []
        value = list(value)
    # type() first: the exact-dict test is much cheaper than an abstract-class check, per item.
    return [item for item in value if type(item) is dict or isinstance(item, Mapping)]


def as_int(value: Any, default: int) -> int:
    if isinstance(value, bool) or value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def severity(value: Any) -> str:
    """A known severity name; anything unrecognised counts as "info"."""
    if isinstance(value, str) and value in SEVERITY_RANK:  # the usual case, without string work
        return value
    sev = str(value or "").strip().lower()
    return sev if sev in SEVERITY_RANK else "info"


def format_value(value: Any, empty: str = "") -> str:
    """Show one evidence value compactly; nested structures keep a JSON form an auditor can read."""
    if isinstance(value, str):  # by far the most common case, checked first
        return value
    if value is None:
        return empty
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item, empty) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def format_rate(rate: Any) -> str | None:
    """Compliance rate as a percentage, or None when nothing was in scope."""
    if rate is None or isinstance(rate, bool):
        return None
    try:
        pct = float(rate) * 100
    except (TypeError, ValueError):
        return None
    # 99.96% must not print as 100.0% while a violation is still open.
    text = f"{pct:.1f}"
    if text == "100.0" and pct < 100:
        text = "99.9"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def format_count(n: Any) -> str:
    if isinstance(n, int) and not isinstance(n, bool):
        return f"{n:,}"
    return format_value(n)


def format_timestamp(value: Any) -> str:
    """An ISO time as "YYYY-MM-DD HH:MM:SS UTC+hh:mm"; text that is no ISO time is shown as it is."""
    if not value:
        return ""
    text = str(value)
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return text
    shown = stamp.strftime("%Y-%m-%d %H:%M:%S")
    offset = stamp.strftime("%z")
    if offset:
        shown += f" UTC{offset[:3]}:{offset[3:]}"
    return shown
