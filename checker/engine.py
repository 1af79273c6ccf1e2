"""Evaluating a rule pack against a dataset: scope, then each rule's kind, vectorized."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from .expr import compile_expression
from .kinds import KINDS
from .kinds._common import NOT_EVALUABLE, OUTCOMES
from .model import DataModel
from .rules import Rule, RulePack
from .views import Views
from .workdays import Calendar

SCOPE_REASON = "the scope condition reads an empty field"


@dataclass(frozen=True)
class EvalContext:
    """Everything an evaluator may read. `rule` is set for the rule being evaluated."""

    model: DataModel
    tables: dict[str, pd.DataFrame]
    params: dict
    calendar: Calendar
    as_of: pd.Timestamp
    tz: str | None
    views: Views = field(repr=False)
    rule: Rule | None = None


def make_context(pack: RulePack, tables: dict[str, pd.DataFrame], calendar: Calendar,
                 as_of: pd.Timestamp, tz: str | None, params: dict | None = None) -> EvalContext:
    return EvalContext(pack.model, tables, pack.params if params is None else params, calendar, as_of, tz,
                       Views(pack.model, tables))


def evaluate_rule(rule: Rule, ctx: EvalContext) -> pd.DataFrame:
    """Outcome frame of one rule over the records of its table (see kinds._common.outcome_frame)."""
    ctx = replace(ctx, rule=rule)
    table = ctx.tables[rule.applies_to]
    keys, undecided = table.index, pd.Index([])
    if rule.when:
        expr = compile_expression(rule.when, ctx.model.expr_columns(rule.applies_to), ctx.params, ctx.tz, "boolean")
        mask = expr.evaluate(table, ctx.as_of)
        undecided = keys[mask.isna().to_numpy()]
        keys = keys[mask.fillna(False).astype(bool).to_numpy()]
    frame = KINDS[rule.kind].evaluate(rule.spec, keys, ctx)
    if len(undecided):
        frame = pd.concat([frame, _not_evaluable(undecided, frame.columns)])
    return frame


def _not_evaluable(keys: pd.Index, columns: pd.Index) -> pd.DataFrame:
    frame = pd.DataFrame(index=keys, columns=columns)
    frame["outcome"] = pd.Categorical([NOT_EVALUABLE] * len(keys), dtype=OUTCOMES)
    frame["activated"], frame["detail"], frame["reason"] = True, "", SCOPE_REASON
    return frame


def evaluate_pack(pack: RulePack, ctx: EvalContext, progress=None) -> dict[str, pd.DataFrame]:
    """Outcome frames by rule id, in rule-id order."""
    results = {}
    for rule in pack.rules:
        results[rule.id] = evaluate_rule(rule, ctx)
        if progress:
            progress(rule.id)
    return results
