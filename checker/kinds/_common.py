"""Pieces shared by the check kinds: the outcome frame every evaluator returns."""
from __future__ import annotations

import numpy as np
import pandas as pd

PASS, VIOLATION, NOT_EVALUABLE = "pass", "violation", "not_evaluable"
OUTCOMES = pd.CategoricalDtype([PASS, VIOLATION, NOT_EVALUABLE])


def outcome_frame(keys: pd.Index, activated: pd.Series, violated: pd.Series,
                  unusable: pd.Series | None = None, detail: pd.Series | str = "",
                  evidence: dict[str, pd.Series] | None = None, reason: str = "") -> pd.DataFrame:
    """Per-record outcomes: not evaluable beats violation beats pass; inactive records pass.

    Columns: outcome, activated, detail (what broke, part of the fingerprint), reason (why not
    evaluable) and one `ev:<name>` column per evidence item."""
    activated = _aligned(activated, keys, False)
    violated = _aligned(violated, keys, False) & activated
    unusable = _aligned(unusable, keys, False) if unusable is not None else pd.Series(False, index=keys)
    outcome = np.select([unusable.to_numpy(), violated.to_numpy()], [NOT_EVALUABLE, VIOLATION], PASS)
    frame = pd.DataFrame({"outcome": pd.Categorical(outcome, dtype=OUTCOMES),
                          "activated": activated.to_numpy() | unusable.to_numpy()}, index=keys)
    frame["detail"] = _aligned(detail, keys, "") if isinstance(detail, pd.Series) else detail
    frame["reason"] = np.where(unusable.to_numpy(), reason, "")
    for name, values in (evidence or {}).items():
        frame[f"ev:{name}"] = values.reindex(keys)
    return frame


def case_outcomes(keys: pd.Index, ctx, activated: pd.Series, violated: pd.Series, detail: pd.Series | str = "",
                  evidence: dict[str, pd.Series] | None = None, also_unusable: pd.Series | None = None,
                  also_reason: str = "") -> pd.DataFrame:
    """outcome_frame for kinds that read the event log: a case whose log cannot be trusted
    is not evaluable, and so are the cases marked True in also_unusable (for also_reason)."""
    unusable, reason = ctx.views.unusable_cases(keys), ctx.views.UNUSABLE_REASON
    if also_unusable is not None:
        unusable = unusable | _aligned(also_unusable, keys, False)
        reason = f"{reason}, or {also_reason}"
    return outcome_frame(keys, activated, violated, unusable, detail, evidence, reason)


def _aligned(series: pd.Series, keys: pd.Index, fill: object) -> pd.Series:
    out = series.reindex(keys)
    if isinstance(fill, bool):
        return out.astype("boolean").fillna(fill).astype(bool)
    return out.fillna(fill)


def step_label(model, step: str, lang: str) -> str:
    """A step's name in the report language."""
    return model.steps.get(step, {}).get("zh", step) if lang == "zh" else step
