"""Pieces shared by the check kinds: the outcome frame every evaluator returns, and the
not-evaluable reasons that are not any one kind's."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..expr import compile_expression
from ..views import LATEST, NAT, Occurrences, instants

PASS, VIOLATION, NOT_EVALUABLE = "pass", "violation", "not_evaluable"
OUTCOMES = pd.CategoricalDtype([PASS, VIOLATION, NOT_EVALUABLE])
# The types of evidence, with what each holds for a record that has none (times and people
# are codes in outcome frames; results turn them into text).
# A frame whose records are parts of a judged record (an entity's periods) names the part in
# this column; the record's key is then `<key>/<part>`.
PART = "part"
EMPTY_EVIDENCE = {"time": np.iinfo("int64").min, "person": -1, "role": -1, "value": None}

REASONS = {
    "log_unusable": {"en": "an event of this case has an unknown step, or an event of a step the rule reads has "
                           "an unreadable time",
                     "zh": "该记录的某条活动步骤未知,或本规则所读步骤的某条活动时间无法读取"},
    "scope_empty": {"en": "the scope condition reads an empty field", "zh": "适用条件所需字段为空"},
    "no_key": {"en": "the record has no key, so no other record can be linked to it",
               "zh": "该记录缺少编号,无法关联其他记录"},
    "calendar_range": {"en": "a deadline in work days falls outside the work calendar ({calendar})",
                       "zh": "以工作日计算的期限超出了工作日历的范围({calendar})"},
}
# One step, or a set of steps any of which will do ("returned or cancelled").
STEPS = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1,
                                        "uniqueItems": True}]}
# What an event at the same instant as the one it is compared with means (order, response).
TIES = {"enum": ["not_in_order", "in_order"],
        "description": "A tie (the same instant): not_in_order (default) or in_order"}
# A number of days in a kind's settings: a whole number or a parameter.
PARAM = {"type": "string", "pattern": r"^params\.[a-z][a-z0-9_]*$"}
AMOUNT = {"anyOf": [{"type": "integer", "minimum": 0}, PARAM]}


def step_set(value: str | list[str]) -> list[str]:
    """The steps a setting names: one step, or a set of steps any of which will do."""
    return [value] if isinstance(value, str) else list(value)


def check_steps(ctx, path: list, value: str | list[str]) -> None:
    """Lint each step of a step setting at its own place (anything but a list, say a date YAML
    read from an unquoted 2025-01-01, is linted as one step and reported there)."""
    if not isinstance(value, list):
        ctx.step(path, value)
        return
    for i, step in enumerate(value):
        ctx.step([*path, i], step)


def first_of(views, steps: list[str]) -> np.ndarray:
    """Per case, the time of the earliest event of any of the steps (NAT when none)."""
    firsts = np.stack([views.stats(step).first for step in steps])
    return np.where((firsts == NAT).all(axis=0), NAT, np.where(firsts == NAT, LATEST, firsts).min(axis=0))


def last_of(views, steps: list[str]) -> np.ndarray:
    """Per case, the time of the latest event of any of the steps (NAT, the least time, when none)."""
    return np.stack([views.stats(step).last for step in steps]).max(axis=0)


def events_of(views, steps: list[str]) -> Occurrences:
    """Every event of any of the steps, in no particular order."""
    parts = [views.events(step) for step in steps]
    return Occurrences(*(np.concatenate([getattr(p, name) for p in parts]) for name in ("case", "time", "actor", "row")))


def param_or_number(value: int | str, params: dict) -> int:
    """A whole number given in a kind's settings, or the value of the parameter it names."""
    return int(params[value.removeprefix("params.")] if isinstance(value, str) else value)


def outcome_frame(scope: np.ndarray, activated: np.ndarray | bool, violated: np.ndarray | bool,
                  unusable: np.ndarray | None = None, reason: np.ndarray | pd.Categorical | str = "",
                  detail: np.ndarray | str = "", arg: np.ndarray | None = None,
                  evidence: dict[str, tuple[str, np.ndarray | pd.Series]] | None = None) -> pd.DataFrame:
    """Per-record outcomes on the records' positions: not evaluable beats violation beats pass;
    inactive records pass.

    All arrays run along `scope`. Columns: outcome, activated, detail (the message code of what
    broke), arg (what it was about: steps, a person, a role; part of the fingerprint), reason (the
    not-evaluable reason code) and one `ev:<type>:<name>` column per evidence item, where type
    is a key of EMPTY_EVIDENCE and says how results show it."""
    n = len(scope)
    activated = np.broadcast_to(np.asarray(activated, dtype=bool), (n,))
    unusable = np.zeros(n, dtype=bool) if unusable is None else np.asarray(unusable, dtype=bool)
    violated = np.broadcast_to(np.asarray(violated, dtype=bool), (n,)) & activated & ~unusable
    codes = np.where(unusable, 2, np.where(violated, 1, 0)).astype(np.int8)
    index = pd.Index(scope, dtype=np.int64, name="record")
    columns = {"outcome": pd.Categorical.from_codes(codes, dtype=OUTCOMES, validate=False), "activated": activated | unusable,
               "detail": _labels(violated, detail), "arg": _objects(_where(violated, arg), index),
               "reason": _labels(unusable, reason)}
    for name, (kind, values) in (evidence or {}).items():
        values = np.asarray(values)
        columns[f"ev:{kind}:{name}"] = _objects(values, index) if values.dtype.kind in "OUS" else values
    # Made at once from whole columns: inserting them one by one copies the frame's blocks each time.
    return pd.DataFrame(columns, index=index, copy=False)


def _objects(values: np.ndarray, index: pd.Index) -> pd.Series:
    # dtype=object keeps pandas from turning a text column into arrow strings row by row.
    return pd.Series(values, index=index, dtype=object, copy=False)


def case_outcomes(scope: np.ndarray, ctx, activated: np.ndarray | bool, violated: np.ndarray | bool,
                  detail: np.ndarray | str = "", arg: np.ndarray | None = None,
                  evidence: dict | None = None, also_unusable: np.ndarray | None = None,
                  also_reason: np.ndarray | str = "", settled: np.ndarray | None = None) -> pd.DataFrame:
    """outcome_frame for kinds that read the event log: a case whose log cannot be trusted is
    not evaluable, unless it is `settled` (no unreadable event could change its verdict), and
    so are the cases marked True in also_unusable (for also_reason: one reason, or one per record).
    Only the events of the steps the rule reads count: an unreadable time of another step
    changes nothing it decides."""
    unusable = ctx.views.unusable_cases(scope, steps_read(ctx))
    if settled is not None:
        unusable = unusable & ~settled
    if also_unusable is None:
        return outcome_frame(scope, activated, violated, unusable, "log_unusable", detail, arg, evidence)
    return outcome_frame(scope, activated, violated, unusable | also_unusable, _reasons(unusable, also_reason),
                         detail, arg, evidence)


def steps_read(ctx) -> list[str] | None:
    """The steps the rule being judged reads: those its kind's validate() checks as steps, so
    a kind names them in one place (None, every step, when no rule is set)."""
    if ctx.rule is None:
        return None
    # The registry and lint import the kinds, so they are imported here, not at the top.
    from ..kinds import KINDS
    from ..lint import LintContext
    named: list[str] = []
    collector = LintContext(ctx.rule, ctx.model, ctx.params, ctx.tz)
    collector.step = lambda path, value: named.append(value)
    KINDS[ctx.rule.kind].validate(ctx.rule.spec, collector)
    return [step for step in named if step in ctx.model.steps]


def _reasons(unusable: np.ndarray, also: np.ndarray | str) -> pd.Categorical | np.ndarray | str:
    """log_unusable where the log is unusable, the other reason elsewhere; for one other reason
    a categorical of two codes, not a text per record."""
    if isinstance(also, str):
        return pd.Categorical.from_codes(unusable.astype(np.int8), categories=[also, "log_unusable"]) \
            if also != "log_unusable" else also
    # np.where keeps a text array a text array (np.where of a few reasons): no Python text per record.
    return np.where(unusable, "log_unusable", np.asarray(also))


def where_on_rows(text: str | None, table: str, rows: np.ndarray, ctx) -> tuple[np.ndarray, np.ndarray]:
    """For the given rows of `table`: whether the condition holds (every row without one), and
    where it is unknown (it reads an empty field)."""
    if text is None:
        return np.ones(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool)
    expr = compile_expression(text, ctx.model.expr_columns(table), ctx.params, ctx.tz, "boolean")
    result = expr.evaluate(ctx.expression_frame(table, expr.columns, rows), ctx.as_of)
    return result.fillna(False).to_numpy(dtype=bool), result.isna().to_numpy()


def field_evidence(values: pd.Series, shown: np.ndarray) -> tuple[str, np.ndarray]:
    """A field's values as evidence where they are reported (`shown`); times as times."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return "time", instants(values)
    out = np.full(len(values), None, dtype=object)
    out[shown] = values.iloc[np.flatnonzero(shown)].to_numpy(dtype=object)
    return "value", out


def scatter(n: int, at: np.ndarray, values: np.ndarray | object, fill: object) -> np.ndarray:
    """An array over all n cases holding values at the positions `at`, fill elsewhere."""
    values = np.asarray(values)
    dtype = object if values.dtype.kind in "OUS" or fill is None else np.result_type(values.dtype, np.asarray(fill))
    out = np.full(n, fill, dtype=dtype)
    out[at] = values
    return out


def step_lists(chosen: np.ndarray, steps: list[str]) -> np.ndarray:
    """For each row of a (rows x steps) mask, the chosen steps comma-joined, spelt once per
    distinct pattern."""
    bits = chosen.astype(np.int64) @ (1 << np.arange(len(steps), dtype=np.int64))
    patterns, which = np.unique(bits, return_inverse=True)
    names = np.array([",".join(s for i, s in enumerate(steps) if b >> i & 1) for b in patterns], dtype=object)
    return names[which.reshape(-1)]


def _labels(mask: np.ndarray, values: np.ndarray | pd.Categorical | str) -> pd.Categorical:
    """Codes (detail, reason) where the mask holds, missing elsewhere, as a categorical of the
    values that occur there: a byte per record however many records there are."""
    if isinstance(values, str):
        return _categorical(np.where(mask, 0, -1), [values]) if values else _categorical(np.full(len(mask), -1), [])
    if isinstance(values, pd.Categorical):
        picked = np.where(mask, values.codes, -1)
        used = np.unique(picked[picked >= 0])
        renumbered = np.full(len(values.categories), -1, dtype=np.int64)
        renumbered[used] = np.arange(len(used))
        return _categorical(np.where(picked >= 0, renumbered[picked], -1), values.categories[used])
    # factorize, not Categorical(): the same codes and sorted categories at a tenth of the cost.
    chosen, categories = pd.factorize(np.asarray(values)[mask], sort=True)
    codes = np.full(len(mask), -1, dtype=np.int64)
    codes[mask] = chosen
    return _categorical(codes, categories)


def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    """Codes made here are valid by construction: pandas need not check them again."""
    small = codes.astype(np.int8 if len(categories) < 128 else np.int32)
    return pd.Categorical.from_codes(small, dtype=_dtype(tuple(categories)), validate=False)


@lru_cache(maxsize=1024)
def _dtype(categories: tuple) -> pd.CategoricalDtype:
    # Making a dtype costs milliseconds (pandas checks its categories); rules reuse a few sets of codes.
    return pd.CategoricalDtype(list(categories))


def _where(mask: np.ndarray, values: np.ndarray | None) -> np.ndarray:
    """Values where the mask holds, None elsewhere, as an object column."""
    out = np.full(len(mask), None, dtype=object)
    if values is not None:
        out[mask] = np.asarray(values)[mask]
    return out
