"""Plain reference evaluators of the check kinds, for the hypothesis agreement test
(tests/test_kinds_reference.py): one case at a time, over lists of dicts, written from the
kinds' docstrings. Slow and obvious on purpose.

Each kind has one file here, named like its module in checker/kinds/ (a kind whose name is
a Python keyword has a module named otherwise there, and here too), holding:

    evaluate(spec, case, world) -> common.Result   the kind's meaning for one case (a deal)
    SPECS                                          a hypothesis strategy of the kind's settings
    EXAMPLES                                       how many random cases the agreement test runs
    PARAMS (optional)                              a strategy of param values the rule reads

A kind that judges another table, or records that are parts of one (an entity's periods),
holds instead of `evaluate`:

    judge(spec, when, data, as_of, calendar) -> {key: common.Result}   every judged record
    APPLIES_TO                                     the judged table
    DATASETS                                       a strategy of (tables of rows, as-of day)
    WHEN                                           a strategy of scopes (None or an expression)

Shared by all of them: common.py (reading the data, the calendar, outcomes, scope) and
worlds.py (the random datasets). The test finds a kind's file by name: a kind without one,
or a file here named after no kind, fails it."""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
SHARED = frozenset({"__init__", "common", "worlds"})


def file_of(kind_module: ModuleType) -> Path:
    """Where the reference of the kind implemented by kind_module lives."""
    return HERE / f"{kind_module.__name__.rsplit('.', 1)[-1]}.py"


def reference_of(kind_module: ModuleType) -> ModuleType | None:
    """The reference module of a kind, None when its file is missing."""
    path = file_of(kind_module)
    return importlib.import_module(f"{__name__}.{path.stem}") if path.exists() else None


def kind_files() -> list[Path]:
    """Every file here that is not a shared one: each should be some kind's reference."""
    return sorted(p for p in HERE.glob("*.py") if p.stem not in SHARED)
