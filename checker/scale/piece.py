"""What a worker does with one partition: the by-case rules evaluated on it by the engine's
own evaluate_rule and the kinds' modules, kept as partial outcomes (merge.py)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..engine import evaluate_rule, make_context
from ..periods import AuditPeriod
from ..rules import RulePack
from ..workdays import Calendar
from .merge import Partial, partial_of
from .split import Piece, Shared


@dataclass(frozen=True)
class Settings:
    """Everything a partition is judged with besides its data: sent once to every worker."""

    pack: RulePack            # its rules are the by-case rules only
    params: dict
    calendar: Calendar
    as_of: pd.Timestamp
    tz: str | None
    period: AuditPeriod


def evaluate_piece(settings: Settings, shared: Shared, piece: Piece) -> dict[str, Partial]:
    """Partial outcomes by rule id of the settings' rules on one partition."""
    tables = piece.tables(shared)
    ctx = make_context(settings.pack, tables, settings.calendar, settings.as_of, settings.tz, settings.params,
                       settings.period)
    return {rule.id: partial_of(evaluate_rule(rule, ctx), ctx.views, piece.rows[rule.applies_to])
            for rule in settings.pack.rules}
