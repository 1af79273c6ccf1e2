"""The check kinds, one module each, found here by scanning this package (every module whose
name does not start with an underscore is a kind), in the order of their module names.

A kind's module holds its whole meaning: KIND (its name in rules), a docstring whose first
line is the finding message and whose next paragraphs give the exact semantics, SCHEMA (a
strict JSON-Schema fragment of its settings), MESSAGES and REASONS ({code: {zh, en}}: what
broke, and why a record is not evaluable; shared reasons are in _common.REASONS), NEEDS (what
it reads: "event_log", "roster", "approvals", "calendar", "expression" (its settings are one),
"expression:<name>" for the expression its <name> option holds, "option:<name>" for the
field (or {from, to} fields) of the judged table its <name> option names, or "table:<name>"
for another table its <name> option names, whose fields the kind's optional
reads(spec, model, params) -> [(table, fields)] lists), EXAMPLE (a whole rule with tests),
validate(spec, ctx) and evaluate(spec, scope, ctx). A kind whose records are groups of the
judged records (count) sets TAKES_UNDECIDED = True and reads ctx.undecided, the records whose
scope could not be decided, itself; for every other kind those records are not evaluable.
A kind that sees broken data in the records it judges may give it as data-quality findings
with an optional findings(spec, reported, table, tables, source_of) -> frame or None.

Beside it, found by name: tests/kinds/<kind>.yaml (its cases) and tests/reference/<module>.py
(its plain reference and the hypothesis strategy of its settings). docs/rules.md and
checker/schemas/rules.schema.json are generated from the modules. tests/test_kind_pieces.py
fails, naming what is missing, when a kind lacks any of these, and when anything else in the
engine names a kind."""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def _kind_modules() -> tuple[ModuleType, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return tuple(importlib.import_module(f"{__name__}.{name}") for name in names)


def _registry(modules: tuple[ModuleType, ...]) -> dict[str, ModuleType]:
    registry: dict[str, ModuleType] = {}
    for module in modules:
        if module.KIND in registry:
            raise ImportError(f"check kind '{module.KIND}' is declared by both {registry[module.KIND].__name__} "
                              f"and {module.__name__}; give one of them another KIND")
        registry[module.KIND] = module
    return registry


KIND_MODULES: tuple[ModuleType, ...] = _kind_modules()
KINDS: dict[str, ModuleType] = _registry(KIND_MODULES)
