"""A condition on the record does not hold: {assert}.

For each record in scope, the expression must be true. False is a violation; when the
expression cannot be decided because a field it reads is empty (null), the record is not
evaluable, unless the expression handles nulls itself (`is null`, `coalesce`, `is_blank`).
Every record in scope is activated.

Options: the expression itself (`check: {assert: "<expression>"}`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..expr import compile_expression
from ._common import field_evidence, outcome_frame

KIND = "assert"
SCHEMA = {"type": "string", "minLength": 1, "description": "Expression that must be true for every record in scope"}
MESSAGES = {"false": {"zh": "条件不成立:{assert}", "en": "condition does not hold: {assert}"}}
EXAMPLE = """
id: CPL-001
title: {zh: 客户投诉须在规定时限内首次响应, en: A complaint gets a first response in time}
clause: "3.3.9"
severity: high
applies_to: complaints
check:
  assert: coalesce(first_response_at, as_of) - received_at <= hours(24)
tests:
  - name: answered late, and never answered
    as_of: "2025-03-31"
    data:
      complaints:
        - {id: C1, received_at: "2025-03-01 09:00", first_response_at: "2025-03-01 15:00"}
        - {id: C2, received_at: "2025-03-01 09:00", first_response_at: "2025-03-02 15:00"}
        - {id: C3, received_at: "2025-03-01 09:00"}
    expect: [C2, C3]
"""
REASONS = {"empty_field": {"en": "a field the condition reads is empty", "zh": "条件所需字段为空"}}
NEEDS = ("expression",)


def validate(spec: str, ctx) -> None:
    ctx.expression(["check", KIND], spec)


def evaluate(spec: str, scope: np.ndarray, ctx) -> pd.DataFrame:
    expr = compile_expression(spec, ctx.model.expr_columns(ctx.rule.applies_to), ctx.params, ctx.tz, "boolean")
    read = sorted(expr.columns)
    frame = ctx.expression_frame(ctx.rule.applies_to, read, scope)
    holds = expr.evaluate(frame, ctx.as_of)
    unknown = holds.isna().to_numpy()
    violated = ~holds.fillna(True).to_numpy(dtype=bool)
    evidence = {col: field_evidence(frame[col], violated & ~unknown) for col in read}
    return outcome_frame(scope, True, violated, unknown, "empty_field", "false", None, evidence)

