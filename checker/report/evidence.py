"""A violation's evidence as the reader sees it: each item named and valued in the report's language.

Evidence names are the check kinds' own (`deadline`, `required_role`, `<step>.first_at`) or the
record's columns; steps, roles, tables, columns and enum values are worded by the results'
vocabulary (the data model and the export mapping), times are shortened to the minute and
large figures get thousands separators.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Mapping
from typing import Any

from .catalogue import localized
from .values import as_mapping, format_value

# Names the check kinds give their evidence; their words are in the label catalogue as ev_<name>.
KIND_EVIDENCE = ("deadline", "actor", "required_role", "role_at_time", "missing", "approvers", "approver_roles",
                 "approved_at")
STEP_SUFFIXES = ("at", "first_at", "last_at", "next_at")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class Words:
    """The results' vocabulary in one language."""

    def __init__(self, vocabulary: Any, lang: str, L: Mapping[str, str]):
        vocabulary = as_mapping(vocabulary)
        self.lang, self.L = lang, L
        self._names: dict[tuple[str, str], str] = {}
        self._value_words: dict[tuple[str, str], dict[str, str]] = {}
        self.steps = {k: localized(v, lang) for k, v in as_mapping(vocabulary.get("steps")).items()}
        self.roles = {k: localized(v, lang) for k, v in as_mapping(vocabulary.get("roles")).items()}
        self.tables = {k: localized(v, lang) for k, v in as_mapping(vocabulary.get("tables")).items()}
        self.columns = {k: localized(v, lang) for k, v in as_mapping(vocabulary.get("columns")).items()}
        self.values = {k: {value: localized(words, lang) for value, words in as_mapping(v).items()}
                       for k, v in as_mapping(vocabulary.get("values")).items()}

    def step(self, name: str) -> str:
        return self.steps.get(name, name)

    def table(self, name: str) -> str:
        return self.tables.get(name, name)

    def column(self, table: str, name: str) -> str:
        return self.columns.get(f"{table}.{name}", name.replace("_", " "))

    def value(self, table: str, column: str, value: Any) -> str:
        words = self._value_words.get((table, column))
        if words is None:
            words = self._value_words[(table, column)] = self.values.get(f"{table}.{column}", {})
        found = words.get(str(value)) if words else None
        return found if found is not None else format_value(value, self.L["empty_value"])

    def name(self, key: str, table: str) -> str:
        """The words for an evidence name (a few dozen distinct ones per run, so each is worded once)."""
        found = self._names.get((key, table))
        if found is None:
            found = self._names[(key, table)] = self._name(key, table)
        return found

    def _name(self, key: str, table: str) -> str:
        step, _, suffix = key.partition(".")
        if suffix in STEP_SUFFIXES:
            return f"{self.step(step)}{self.L['ev_join']}{self.L[f'ev_{suffix}']}"
        if key in KIND_EVIDENCE:
            return self.L[f"ev_{key}"]
        return self.column(table, key)

    def shown(self, key: str, value: Any, table: str) -> str:
        """The words for an evidence value."""
        if type(value) is str and len(value) >= 16 and value[10] == "T" and _ISO_TIME.match(value):
            return f"{value[:10]} {value[11:16]}"      # the usual evidence value: a time
        if value is None or value == "" or value == []:
            return self.L["empty_value"]
        if isinstance(value, list):
            return self.L["list_sep"].join(self.shown(key, item, table) for item in value)
        if isinstance(value, str):
            if value in self.roles:
                return self.roles[value]
            if value in self.steps:
                return self.steps[value]
            return self.value(table, key, value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return figure(value)
        return format_value(value, self.L["empty_value"])


def short_time(text: str) -> str:
    """An ISO time to the minute in its own zone ("2025-03-06 09:04"); other text as it is."""
    return f"{text[:10]} {text[11:16]}" if _ISO_TIME.match(text) else text


def figure(value: float) -> str:
    """A number with thousands separators and no needless decimals."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def evidence_pairs(evidence: Any, words: Words, table: str) -> list[tuple[str, str]]:
    if isinstance(evidence, Mapping):
        return [(words.name(str(k), table), words.shown(str(k), val, table)) for k, val in evidence.items()]
    if evidence in (None, "", [], {}):
        return []
    return [("", format_value(evidence, words.L["empty_value"]))]


@lru_cache(maxsize=1024)
def steps_named(keys: tuple[str, ...]) -> str:
    """The steps that evidence with these keys names, comma-separated (contract_signed of
    contract_signed.first_at): what broke."""
    return ",".join(dict.fromkeys(str(k).partition(".")[0] for k in keys if str(k).partition(".")[2] in STEP_SUFFIXES))
