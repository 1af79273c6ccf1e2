"""A pack's languages: the ones its texts are written in (pack.yaml `languages:`), what every
title and text must hold, and how a text is read in a language it lacks.

A pack's texts (titles, clause texts, messages, remediations) are required in its declared
languages only. The engine's own words (the kinds' messages, the report's labels) exist in
Chinese and English; in any other language they are the English ones, label by label.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from .problems import Problem, UserError
from .schema_check import locate

DEFAULT_LANGUAGES = ("en",)   # a pack that declares none writes English
FALLBACK = "en"
ENGINE_LANGUAGES = ("zh", "en")   # the languages of the engine's own words
LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"   # a language tag: en, zh, nl, pt-BR
# The schema of a text: its words by language. Which languages it must hold is the pack's to say.
TEXTS = {"type": "object", "minProperties": 1, "propertyNames": {"pattern": LANGUAGE_PATTERN},
         "additionalProperties": {"type": "string", "minLength": 1, "pattern": r"\S"}}


def spoken(languages: Sequence[str]) -> tuple[str, ...]:
    """The languages a run writes its texts in: the engine's and every declared one."""
    return tuple(dict.fromkeys((*ENGINE_LANGUAGES, *languages)))


def in_languages(text: Mapping[str, str], languages: Sequence[str]) -> dict[str, str]:
    """The text in each of the languages a run writes: its own words where it has them,
    else its English, else the first language it is written in."""
    given = {str(k): str(v) for k, v in text.items()}
    other = given.get(FALLBACK) or next(iter(given.values()), "")
    return {**{lang: given.get(lang) or other for lang in spoken(languages)}, **given}


def missing_texts(raw: object, paths: Sequence[list], languages: Sequence[str], file: str) -> list[Problem]:
    """A problem for each text at ``paths`` (those present) that lacks a declared language."""
    problems = []
    for path in paths:
        text = _at(raw, path)
        if not isinstance(text, Mapping):
            continue
        for lang in languages:
            if not text.get(lang):
                mark = locate(raw, path)
                problems.append(Problem(file, mark.line, mark.col,
                                        f"{_name(path)} has no '{lang}' text; the pack's languages are "
                                        f"{', '.join(languages)} (pack.yaml languages:), so add {lang}: ...",
                                        "missing-language"))
    return problems


def report_language(requested: str | None, languages: Sequence[str]) -> str:
    """The language a report is written in: the one asked for, which the pack must declare,
    or the pack's first."""
    if requested is None:
        return languages[0]
    if requested not in languages:
        raise UserError(f"--lang {requested}: the pack's languages are {', '.join(languages)} "
                        f"(pack.yaml languages:); pass one of them")
    return requested


def _at(raw: object, path: list) -> object:
    node = raw
    for step in path:
        if isinstance(node, Mapping) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return None
    return node


def _name(path: list) -> str:
    return ".".join(str(p) for p in path)
