"""Findings in words (in every language of the run), their fingerprints, and not-evaluable reasons, from the
templates each kind declares. Words are built once per distinct finding, not per record."""
from __future__ import annotations

import hashlib

import numpy as np

from ..kinds import KINDS
from ..kinds._common import REASONS as COMMON_REASONS
from ..languages import FALLBACK
from ..model import DataModel
from ..rules import Rule
from .types import Text


def fingerprints(rule_id: str, table: str, keys: list, details: list, args: list) -> list[str]:
    """Each finding's fingerprint, stable across runs: the rule, the record and what broke. A
    digest is one call per finding whatever is done (hashlib has no call for many texts): the
    texts are spelt in one comprehension, so that nothing else is done per finding."""
    head, sha = f"{rule_id}\x1f{table}\x1f", hashlib.sha256
    texts = [f"{head}{key}\x1f{detail}:{arg}" if arg else f"{head}{key}\x1f{detail}"
             for key, detail, arg in zip(keys, details, args)]
    return [sha(text.encode()).hexdigest()[:16] for text in texts]


def messages_for(rule: Rule, details: list, args: list, model: DataModel) -> tuple[list[Text], np.ndarray]:
    """The distinct messages of the findings and each finding's position among them; a rule's
    own `message` replaces the kind's templates."""
    if rule.message:
        return [rule.message], np.zeros(len(details), dtype=np.int64)
    spelt: dict[tuple, int] = {}
    codes = np.fromiter((spelt.setdefault(finding, len(spelt)) for finding in zip(details, args)),
                        dtype=np.int64, count=len(details))
    return [message_for(rule, detail or "", arg, model) for detail, arg in spelt], codes


def message_for(rule: Rule, detail: str, arg: str | None, model: DataModel) -> Text:
    templates = KINDS[rule.kind].MESSAGES
    template = templates.get(detail) or next(iter(templates.values()))
    spec = rule.spec if isinstance(rule.spec, dict) else {rule.kind: rule.spec}
    out = {}
    for lang in rule.title:   # the rule's texts are in every language the run writes (languages.spoken)
        fields = {k: _label(v, model, lang) for k, v in spec.items()}
        words = template.get(lang) or template[FALLBACK]
        out[lang] = words.format_map(_Default(fields, arg=_label(arg.split(","), model, lang) if arg else ""))
    return out


def reason_text(rule: Rule, code: str, context: dict[str, str]) -> Text:
    """A not-evaluable reason in both languages, from the kind's REASONS or the shared ones;
    context fills their placeholders (e.g. {calendar}: the calendar file and its range)."""
    text = KINDS[rule.kind].REASONS.get(code) or COMMON_REASONS[code]
    return {lang: (text.get(lang) or text[FALLBACK]).format_map(_Default(context, arg="")) for lang in rule.title}


class _Default(dict):
    def __init__(self, fields: dict, arg: str):
        super().__init__(fields, arg=arg)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _label(value: object, model: DataModel, lang: str) -> str:
    if isinstance(value, list):
        sep = "、" if lang == "zh" else ", "
        return sep.join(_label(v, model, lang) for v in value)
    text = str(value)
    return model.steps.get(text, {}).get(lang) or model.roles.get(text, {}).get(lang) or text
