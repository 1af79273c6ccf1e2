"""'{field}' does not point to a valid record.

For each record in scope, the foreign key `field` is filled and names a record of the table
it references; with `where`, that condition also holds (an expression on the judged table,
which reads the referenced record through the relation: `supervisor.region ==
region`). Every record in scope is activated.

An empty field is a violation (`empty`), a key its table does not hold is a violation
(`dangling`; loading also reports it as a data-quality finding), a condition that fails is
a violation (`condition`). A filled key into a table the export does not provide, or a
condition that reads an empty field, makes the record not evaluable.

Options: field (a foreign key of the judged table), where (condition, optional).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..expr import compile_expression
from ._common import field_evidence, outcome_frame

KIND = "reference"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["field"],
    "description": "A foreign key is filled, resolves, and the record it names meets a condition",
    "properties": {"field": {"type": "string", "description": "A foreign key of the judged table"},
                   "where": {"type": "string", "description": "A condition the record must meet, reading the "
                                                             "referenced record through its relation"}},
}
MESSAGES = {
    "empty": {"zh": "“{field}”为空", "en": "'{field}' is empty"},
    "dangling": {"zh": "“{field}”指向不存在的记录 {arg}", "en": "'{field}' points to {arg}, which does not exist"},
    "condition": {"zh": "“{field}”指向的记录 {arg} 不满足条件:{where}",
                  "en": "'{field}' points to {arg}, which does not meet: {where}"},
}
REASONS = {
    "no_target": {"en": "the table the field refers to is not in the export",
                  "zh": "该字段所指向的数据表不在导出数据中"},
    "empty_field": {"en": "a field the condition reads is empty", "zh": "条件所需字段为空"},
}
NEEDS = ("option:field", "expression:where")
EXAMPLE = """
id: ORG-002
title: {zh: 员工须向同区域的主管汇报, en: "An employee reports to a supervisor of the same region"}
clause: "2.1.2"
severity: medium
applies_to: employees
when: role == "sales_rep"
check:
  reference:
    field: supervisor_id
    where: 'supervisor.role == "sales_supervisor" and supervisor.region == region'
tests:
  - name: no supervisor, a supervisor elsewhere, a rep as supervisor
    data:
      employees:
        - {id: E1, role: sales_supervisor, region: east}
        - {id: E2, role: sales_rep, region: east, supervisor_id: E1}
        - {id: E3, role: sales_rep, region: east}
        - {id: E4, role: sales_rep, region: west, supervisor_id: E1}
        - {id: E5, role: sales_rep, region: east, supervisor_id: E2}
    expect: [E3, E4, E5]
"""


def validate(spec: dict, ctx) -> None:
    path = ["check", KIND, "field"]
    if not ctx.column(path, spec["field"]):
        return
    if not ctx.model.tables[ctx.rule.applies_to].columns[spec["field"]].references:
        ctx.report(path, f"'{spec['field']}' is not a foreign key of {ctx.rule.applies_to}; name a column that "
                         f"references another table", "not-a-reference")
    if "where" in spec:
        ctx.expression(["check", KIND, "where"], spec["where"])


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    table, field = ctx.rule.applies_to, spec["field"]
    n = len(ctx.tables[table])
    codes = ctx.tables.code(table, field, n)[scope]
    named = ctx.tables[table][field].iloc[scope].to_numpy(dtype=object, na_value=None)
    dangling = np.zeros(n, dtype=bool)
    held = ctx.tables.dangling.get((table, field))
    if held is not None:
        dangling[held.index.to_numpy()] = True
        named[dangling[scope]] = held.reindex(scope[dangling[scope]]).to_numpy(dtype=object)
    dangling = dangling[scope]
    linked = codes >= 0
    empty = ~linked & ~dangling & pd.isna(named)
    unlinked = ~linked & ~dangling & ~empty        # filled, but there is no table to look in
    holds, unknown, evidence = _condition(spec, scope, ctx, linked)
    failed = linked & ~unknown & ~holds
    detail = np.where(empty, "empty", np.where(dangling, "dangling", "condition"))
    reason = np.where(unlinked, "no_target", "empty_field")
    return outcome_frame(scope, True, empty | dangling | failed, unlinked | (linked & unknown), reason,
                         detail, named, {field: ("value", named), **evidence})


def _condition(spec: dict, scope: np.ndarray, ctx, linked: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
    """Whether the condition holds, where it is unknown, and the fields it read as evidence
    (shown where it fails)."""
    if "where" not in spec:
        return np.ones(len(scope), dtype=bool), np.zeros(len(scope), dtype=bool), {}
    expr = compile_expression(spec["where"], ctx.model.expr_columns(ctx.rule.applies_to), ctx.params, ctx.tz,
                              "boolean")
    read = sorted(expr.columns)
    frame = ctx.expression_frame(ctx.rule.applies_to, read, scope)
    result = expr.evaluate(frame, ctx.as_of)
    holds, unknown = result.fillna(True).to_numpy(dtype=bool), result.isna().to_numpy()
    shown = linked & ~unknown & ~holds
    return holds, unknown, {column: field_evidence(frame[column], shown) for column in read}
