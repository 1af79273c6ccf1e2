"""The check kinds, one module each, registered in KIND_MODULES below.

A kind's module holds its whole meaning: KIND (its name in rules), a docstring whose first
line is the finding message and whose next paragraphs give the exact semantics, SCHEMA (a
strict JSON-Schema fragment of its settings), MESSAGES and REASONS ({code: {zh, en}}: what
broke, and why a record is not evaluable; shared reasons are in _common.REASONS), NEEDS (what
it reads: "event_log", "roster", "approvals", "calendar", "expression", or "option:<name>" for
the field of the judged table its <name> option names), EXAMPLE (a whole rule with tests),
validate(spec, ctx) and evaluate(spec, scope, ctx).

Beside it, found by name: tests/kinds/<kind>.yaml (its cases) and tests/reference/<module>.py
(its plain reference and the hypothesis strategy of its settings). docs/rules.md and
checker/schemas/rules.schema.json are generated from the modules. tests/test_kind_pieces.py
fails, naming what is missing, when a kind lacks any of these, and when anything else in the
engine names a kind."""
from __future__ import annotations

from types import ModuleType

from . import approval, assertion, different_actors, exists, order, performed_by, response

KIND_MODULES: tuple[ModuleType, ...] = (
    assertion, exists, order, response, different_actors, performed_by, approval,
)
KINDS: dict[str, ModuleType] = {m.KIND: m for m in KIND_MODULES}
