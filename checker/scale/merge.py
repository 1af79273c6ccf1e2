"""Partial outcomes of a rule on one partition, and their merge into the outcome the pandas
engine gives on the whole data (engine.RuleOutcome).

A partition keeps what RuleOutcome keeps, before the rule's tolerance is applied: its counts
and its records that did not pass, on the whole table's positions, people named by their
keys (a person's code depends on the partition, for people the roster lacks). The tolerance
is met or not on the summed counts, so it is applied only once the partials are merged."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine import RuleOutcome, people_named, tolerance_met
from ..kinds._common import OUTCOMES, PASS, VIOLATION
from ..views import Views


@dataclass(frozen=True)
class Partial:
    in_scope: int
    activated: int
    counts: np.ndarray          # per outcome, in the order of OUTCOMES' categories
    unpassed: pd.DataFrame      # the records that did not pass, on whole-table positions


def partial_of(frame: pd.DataFrame, views: Views, rows: np.ndarray) -> Partial:
    """A rule's outcome frame on a partition, kept for the merge; `rows` is the whole-table
    position of each of the partition's records."""
    codes = frame["outcome"].cat.codes.to_numpy()
    unpassed = people_named(frame[codes != OUTCOMES.categories.get_loc(PASS)], views)
    at = unpassed.index.to_numpy()
    whole = pd.Index(np.where(at >= 0, rows[np.maximum(at, 0)] if len(rows) else at, at), dtype=np.int64,
                     name=frame.index.name)
    return Partial(len(frame), int(frame["activated"].sum()),
                   np.bincount(codes, minlength=len(OUTCOMES.categories)), unpassed.set_axis(whole))


def merged(partials: list[Partial], tolerance: float | None) -> RuleOutcome:
    """The rule's outcome on the whole data: counts summed, records in position order, and the
    tolerance judged on the whole, as RuleOutcome.of judges it."""
    counts = dict(zip(OUTCOMES.categories, np.sum([p.counts for p in partials], axis=0).tolist()))
    met = tolerance_met(counts[PASS], counts[PASS] + counts[VIOLATION], tolerance)
    filled = [p.unpassed for p in partials if len(p.unpassed)]
    reported = _concatenated(filled).sort_index(kind="stable") if filled else partials[0].unpassed
    if met:
        reported = reported[reported["outcome"] != VIOLATION]
    # Typed as people_named types the whole frame's keys (text, or object when all are empty).
    named = {c: reported[c].to_numpy(dtype=object) for c in reported.columns if c.startswith("ev:person:")}
    reported = reported.assign(**named) if named else reported
    return RuleOutcome(sum(p.in_scope for p in partials), sum(p.activated for p in partials), counts,
                       reported, tolerance, met)


def _concatenated(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one after the other, each column typed as on the whole data. A code column
    (detail, reason) is a categorical of the codes that occur in its frame, sorted as the kinds
    sort them: the partitions' categories are united in that order. A column typed differently
    by different partitions (codes in one, text where undecided records were added in another)
    is text, as pandas makes it when the whole frame's pieces are joined."""
    frames, mixed = list(frames), []
    for column in frames[0].columns:
        dtypes = [frame[column].dtype for frame in frames]
        if len(set(dtypes)) == 1:
            continue
        if all(isinstance(d, pd.CategoricalDtype) for d in dtypes):
            united = pd.Index(sorted(set().union(*(d.categories for d in dtypes))), dtype="str")
            frames = [frame.assign(**{column: frame[column].cat.set_categories(united)}) for frame in frames]
        else:
            mixed.append(column)
    whole = pd.concat(frames)
    return whole.assign(**{c: whole[c].to_numpy(dtype=object) for c in mixed}) if mixed else whole
