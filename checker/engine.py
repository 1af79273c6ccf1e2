"""Evaluating a rule pack against a dataset: scope, then each rule's kind, vectorized."""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np
import pandas as pd

from .expr import compile_expression
from .kinds import KINDS
from .kinds._dates import local_days
from .kinds._common import EMPTY_EVIDENCE, OUTCOMES, PART, PASS, VIOLATION, outcome_frame
from .load.keys import Tables
from .model import DataModel
from .periods import AuditPeriod
from .related import expression_frame
from .rules import Rule, RulePack
from .views import Views
from .workdays import Calendar



@dataclass(frozen=True)
class EvalContext:
    """Everything an evaluator may read. `rule` is set for the rule being evaluated."""

    model: DataModel
    tables: Tables
    params: dict
    calendar: Calendar
    as_of: pd.Timestamp
    tz: str | None
    views: Views = field(repr=False)
    period: AuditPeriod | None = None
    rule: Rule | None = None
    undecided: np.ndarray | None = None    # records whose scope the rule's `when` cannot decide
    # Per table, its records dated outside the period: computed once, read by every rule on it.
    outside_period: dict = field(default_factory=dict, repr=False, compare=False)

    def expression_frame(self, table: str, columns, rows: np.ndarray | None = None) -> pd.DataFrame:
        """The columns an expression on `table` reads, related tables' fields included, for
        the given records (all by default)."""
        return expression_frame(self.model, self.tables, table, columns, rows)


def make_context(pack: RulePack, tables: Tables, calendar: Calendar, as_of: pd.Timestamp, tz: str | None,
                 params: dict | None = None, period: AuditPeriod | None = None) -> EvalContext:
    """The context of a run; the audit period defaults to the as-of year up to the as-of day."""
    day = as_of.date()
    return EvalContext(pack.model, tables, pack.params if params is None else params, calendar, as_of, tz,
                       Views(pack.model, tables), period or AuditPeriod(dt.date(day.year, 1, 1), day))


def evaluate_rule(rule: Rule, ctx: EvalContext) -> pd.DataFrame:
    """Outcome frame of one rule over the records of its table, on their positions
    (see kinds._common.outcome_frame); records the scope cannot decide are not evaluable."""
    ctx = replace(ctx, rule=rule)
    table = ctx.tables[rule.applies_to]
    scope, undecided = np.arange(len(table), dtype=np.int64), np.zeros(0, dtype=np.int64)
    if rule.when:
        expr = compile_expression(rule.when, ctx.model.expr_columns(rule.applies_to), ctx.params, ctx.tz, "boolean")
        mask = expr.evaluate(ctx.expression_frame(rule.applies_to, expr.columns), ctx.as_of)
        undecided = np.flatnonzero(mask.isna().to_numpy())
        scope = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
    outside = dated_outside(ctx, rule.applies_to)
    scope, undecided = scope[~outside[scope]], undecided[~outside[undecided]]
    kind = KINDS[rule.kind]
    frame = kind.evaluate(rule.spec, scope, replace(ctx, undecided=undecided))
    # A kind that counts records decides itself what the undecided ones mean for its groups.
    if len(undecided) and not getattr(kind, "TAKES_UNDECIDED", False):
        frame = pd.concat([frame, _not_evaluable(undecided, frame.columns)]).sort_index(kind="stable")
    return _without_unlinked(frame, ctx.tables.unlinked.get(rule.applies_to))


def _without_unlinked(frame: pd.DataFrame, unlinked: np.ndarray | None) -> pd.DataFrame:
    """The frame with the records nothing could be linked to (no key) not evaluable: their
    events, approvals and other linked records are lost, so neither a pass nor a violation
    can be trusted."""
    if unlinked is None or not len(unlinked):
        return frame
    hit = frame.index.isin(unlinked)
    if not hit.any():
        return frame
    records = np.unique(frame.index[hit])
    return pd.concat([frame[~hit], _not_evaluable(records, frame.columns, "no_key")]).sort_index(kind="stable")


def dated_outside(ctx: EvalContext, table: str) -> np.ndarray:
    """Which records of a table its `dated_by` date places outside the audit period (none for
    a table the data model dates by nothing). Only the judged records are scoped: the events a
    check reads about a deal in the period count whenever they happened."""
    if table not in ctx.outside_period:
        column = ctx.model.tables[table].dated_by
        ctx.outside_period[table] = np.zeros(len(ctx.tables[table]), dtype=bool) if column is None else \
            ctx.period.outside(local_days(ctx.tables[table][column], ctx.tz))
    return ctx.outside_period[table]


def population(ctx: EvalContext) -> dict[str, dict]:
    """Per dated table, the records the audit period holds: results.json states them."""
    out = {}
    for name, spec in sorted(ctx.model.tables.items()):
        if spec.dated_by and name in ctx.tables:
            undated = int(ctx.tables[name][spec.dated_by].isna().sum())
            outside = int(dated_outside(ctx, name).sum())
            out[name] = {"dated_by": spec.dated_by, "records": len(ctx.tables[name]),
                         "in_period": len(ctx.tables[name]) - outside - undated, "undated": undated}
    return out


def _not_evaluable(records: np.ndarray, columns: pd.Index, reason: str = "scope_empty") -> pd.DataFrame:
    frame = outcome_frame(records, True, False, np.ones(len(records), dtype=bool), reason)
    if PART in columns:
        frame[PART] = None
    for column in (c for c in columns if c.startswith("ev:")):
        frame[column] = np.full(len(records), EMPTY_EVIDENCE[column.split(":")[1]])
    return frame[list(columns)]


@dataclass(frozen=True)
class RuleOutcome:
    """What a run keeps of a rule's outcome frame: its counts, and the rows results report
    (violations and not-evaluable records). Passing records are counted, not kept, so a
    million passes cost nothing once the rule is done."""

    in_scope: int
    activated: int
    counts: dict[str, int]
    reported: pd.DataFrame
    tolerance: float | None = None
    met: bool | None = None    # with a tolerance: whether the rate reached it (None: nothing decided)

    @classmethod
    def of(cls, frame: pd.DataFrame, views: Views, tolerance: float | None = None) -> RuleOutcome:
        codes = frame["outcome"].cat.codes.to_numpy()
        counts = dict(zip(OUTCOMES.categories, np.bincount(codes, minlength=len(OUTCOMES.categories)).tolist()))
        met = tolerance_met(counts[PASS], counts[PASS] + counts[VIOLATION], tolerance)
        # A rule met as a whole reports no violations: its failing records are tolerated.
        unreported = [OUTCOMES.categories.get_loc(k) for k in ([PASS, VIOLATION] if met else [PASS])]
        reported = people_named(frame[~np.isin(codes, unreported)], views)
        return cls(len(frame), int(frame["activated"].sum()), counts, reported, tolerance, met)


def tolerance_met(passed: int, decided: int, tolerance: float | None) -> bool | None:
    """Whether passed / decided reaches the tolerance, compared exactly (0.9 of 10 is 9, not
    9.000000000000002); None without a tolerance or a decided record."""
    if tolerance is None or not decided:
        return None
    least = Fraction(str(tolerance))
    return passed * least.denominator >= least.numerator * decided


def evaluate_pack(pack: RulePack, ctx: EvalContext, progress=None, threads: int | None = None) -> dict[str, RuleOutcome]:
    """Outcomes by rule id, in rule-id order; progress(rule_id, seconds) is called as each rule
    is done. Rules are judged `threads` at a time (default: one per core, at most four): most
    of a rule's work is NumPy's and pandas', which let go of the interpreter lock, and rules
    only read the shared views (one that two rules ask for first at once may be built twice,
    the same both times)."""
    ctx.views.prepare_people()

    def judged(rule: Rule) -> RuleOutcome:
        start = time.perf_counter()
        outcome = RuleOutcome.of(evaluate_rule(rule, ctx), ctx.views, rule.tolerance_value(ctx.params))
        if progress:
            with reporting:
                progress(rule.id, time.perf_counter() - start)
        return outcome

    reporting = threading.Lock()
    workers = threads or min(os.cpu_count() or 1, MOST_THREADS)
    if workers == 1 or len(pack.rules) < 2:
        return {rule.id: judged(rule) for rule in pack.rules}
    # The warning filters are the process's, and expressions set and restore them as they run:
    # rules side by side would restore each other's, so the filters are kept for the whole pool.
    with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rule") as pool:
        warnings.simplefilter("ignore")
        return dict(zip((rule.id for rule in pack.rules), pool.map(judged, pack.rules)))


MOST_THREADS = 4


def keyed(frame: pd.DataFrame, ctx: EvalContext, table: str) -> pd.DataFrame:
    """An outcome frame as people read it: indexed by the records' keys instead of their
    positions, and people in the evidence by their keys instead of their roster positions."""
    keys = record_keys(frame, ctx.tables, ctx.model, table)
    return people_named(frame, ctx.views).drop(columns=[PART], errors="ignore").set_axis(pd.Index(keys, name="key"))


def record_keys(frame: pd.DataFrame, tables: Tables, model: DataModel, table: str) -> np.ndarray:
    """The key of each row of an outcome frame: its record's key, followed by `/part` for a
    frame whose records are parts of one (an entity's periods: `E002/2025-03`); a row on no
    record (position -1: a group) is keyed by its part alone."""
    rows = frame.index.to_numpy()
    column = tables[table][model.tables[table].key]
    # Only the rows reported become Python text: a rule reports a few of a million records.
    base = column.iloc[np.maximum(rows, 0)].to_numpy(dtype=object) if len(column) else np.full(len(rows), None, object)
    if PART not in frame.columns:
        return base
    part = frame[PART].to_numpy(dtype=object)
    whole = pd.Series(base, dtype=object).where(rows >= 0)
    joined = (whole + "/" + pd.Series(part, dtype=object)).to_numpy(dtype=object)
    return np.where(pd.isna(part), base, np.where(rows >= 0, joined, part))


def people_named(frame: pd.DataFrame, views: Views) -> pd.DataFrame:
    """The frame with the people in its evidence named by their keys instead of their codes."""
    named = {c: views.person_keys(frame[c].to_numpy(dtype=np.int64)) for c in frame.columns if c.startswith("ev:person:")}
    return frame.assign(**named) if named else frame
