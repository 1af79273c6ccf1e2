"""The report's words: the label catalogue (labels.yaml) and picking a language from {zh, en} texts.

Labels live in data beside the template so that a translator edits one YAML file and
never Python. Both languages carry the same keys; a test holds the catalogue, the
template and the view code to that.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).resolve().parent / "labels.yaml"
# The first language is the default; localized() falls back through this order.
LANGS: tuple[str, ...] = ("zh", "en")


def load_labels(path: Path = CATALOGUE) -> dict[str, dict[str, str]]:
    """Read the catalogue: {lang: {key: text}} for every language in LANGS."""
    with path.open(encoding="utf-8") as handle:
        catalogue = yaml.safe_load(handle)
    return {lang: {str(key): str(text) for key, text in catalogue[lang].items()} for lang in LANGS}


class _Catalogue(dict):
    """The labels by language; a language the catalogue lacks reads its English labels."""

    def __missing__(self, lang: str) -> dict[str, str]:
        return {**self["en"], "html_lang": lang}


LABELS: dict[str, dict[str, str]] = _Catalogue(load_labels())


def localized(value: Any, lang: str) -> str:
    """Pick ``lang`` from a {"zh": ..., "en": ...} text, falling back to English, then any other."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        for candidate in (lang, "en", *LANGS):
            text = value.get(candidate)
            if text not in (None, ""):
                return str(text)
        for text in value.values():
            if text not in (None, ""):
                return str(text)
        return ""
    return str(value)
