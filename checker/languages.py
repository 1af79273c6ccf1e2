"""A pack's languages: the ones its texts are written in (pack.yaml `languages:`), what every
title and text must hold, and how a text is read in a language it lacks.

A pack's texts (titles, clause texts, messages, remediations) are required in its declared
languages only. The engine's own words (the kinds' messages, the report's labels) exist in
Chinese and English; in any other language they are the English ones, label by label.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from .problems import Problem, UserError, shown_path
from .schema_check import load_valid, locate

DEFAULT_LANGUAGES = ("en",)   # a pack that declares none writes English
FALLBACK = "en"
ENGINE_LANGUAGES = ("zh", "en")   # the languages of the engine's own words
LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"   # a language tag: en, zh, nl, pt-BR
# ISO 639-1: the two-letter codes a language tag starts with (BCP 47 writes a language that
# has one with it, not with a three-letter code).
TWO_LETTER_CODES = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el
en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu
ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na
nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so
sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())
# Three-letter codes often written for languages that have a two-letter one.
THREE_LETTER_TWINS = {"ara": "ar", "chi": "zh", "deu": "de", "dut": "nl", "eng": "en", "fra": "fr", "fre": "fr",
                      "ger": "de", "ita": "it", "jpn": "ja", "kor": "ko", "nld": "nl", "por": "pt", "rus": "ru",
                      "spa": "es", "zho": "zh"}
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


def declared_language_problems(settings: Mapping, file: str) -> list[Problem]:
    """A problem at each tag of pack.yaml `languages:` (already of a tag's form) whose language
    code is no ISO 639 one, or a three-letter twin of a two-letter code."""
    problems = []
    for i, tag in enumerate(settings.get("languages", ())):
        code, _, rest = tag.partition("-")
        twin = THREE_LETTER_TWINS.get(code)
        if twin:
            what = f"'{code}' is written '{twin}' in a language tag; write {twin}{'-' + rest if rest else ''}"
        elif len(code) == 2 and code not in TWO_LETTER_CODES:
            what = (f"'{code}' is not an ISO 639 language code; write the language's two-letter code, "
                    "such as en, zh, nl or de")
        else:
            continue
        mark = locate(settings, ["languages", i])
        problems.append(Problem(file, mark.line, mark.col, f"languages.{i}: {what}", "bad-value"))
    return problems


def declared_languages(rules_dir: Path) -> tuple[str, ...]:
    """The languages the pack in rules_dir declares (its pack.yaml `languages:`), for a command
    that needs no more of the pack; a pack.yaml that is wrong is reported as `checker validate` does."""
    path = rules_dir / "pack.yaml"
    settings = load_valid(path, shown_path(path), "pack", empty={}) if path.exists() else {}
    problems = declared_language_problems(settings, shown_path(path))
    if problems:
        raise UserError(problems)
    return tuple(settings.get("languages", DEFAULT_LANGUAGES))


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
