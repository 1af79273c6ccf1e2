"""The check kinds. Each module holds one kind: KIND, SCHEMA (strict JSON-Schema fragment
for the kind's settings), EXAMPLE (a whole rule with test cases), validate() and evaluate().
Adding a kind means adding its module to KIND_MODULES below, its cases in
tests/kinds/<kind>.yaml, and a line in docs/rules.md."""
from __future__ import annotations

from types import ModuleType

from . import approval, assertion, different_actors, exists, order, performed_by, response

KIND_MODULES: tuple[ModuleType, ...] = (
    assertion, exists, order, response, different_actors, performed_by, approval,
)
KINDS: dict[str, ModuleType] = {m.KIND: m for m in KIND_MODULES}
