"""A violation's evidence as the reader sees it: one (label, value) pair per item."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .values import format_value

# Evidence lines are joined with this in the page's data; no evidence text holds it.
LINE_BREAK = "\n"


def evidence_pairs(evidence: Any, L: Mapping[str, str]) -> list[tuple[str, str]]:
    if isinstance(evidence, Mapping):
        return [(str(k), format_value(val, L["empty_value"]).replace(LINE_BREAK, " ")) for k, val in evidence.items()]
    if evidence in (None, "", [], {}):
        return []
    return [("", format_value(evidence, L["empty_value"]))]


def evidence_text(evidence: Any, L: Mapping[str, str]) -> str:
    """The pairs as "label: value" lines, the form the page's data carries."""
    return LINE_BREAK.join(f"{k}: {v}" if k else v for k, v in evidence_pairs(evidence, L))
