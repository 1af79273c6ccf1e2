"""The dask engine put together: the by-case rules judged partition by partition on the
cluster while the client judges the others on the whole data, then the outcomes in rule order."""
from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Callable

from ..engine import EvalContext, RuleOutcome, evaluate_pack
from ..rules import RulePack
from .cluster import cluster_options, connected
from .layout import Layout, case_layout
from .merge import merged
from .piece import Settings, evaluate_piece
from .split import pieces, shared_part

PARTITIONS_PER_THREAD = 2    # a slow partition is made up for by the others


def evaluate_on_cluster(pack: RulePack, ctx: EvalContext, args: argparse.Namespace,
                        progress: Callable[[str], None] | None = None) -> tuple[dict[str, RuleOutcome], dict]:
    """Outcomes by rule id in rule-id order, equal to engine.evaluate_pack's, and the run
    section's `engine` entry: the cluster, the partitions and which rules were judged where."""
    with connected(*cluster_options(args)) as (client, cluster):
        outcomes, engine = evaluate_with(client, pack, ctx, progress)
    return outcomes, {"engine": {"name": "dask", **cluster, **engine}}


def evaluate_with(client, pack: RulePack, ctx: EvalContext, progress: Callable[[str], None] | None = None,
                  parts: int | None = None) -> tuple[dict[str, RuleOutcome], dict]:
    """evaluate_on_cluster on a connected client, in `parts` partitions (by default two per
    worker thread); also what was judged where."""
    layout = case_layout(pack.model, ctx.tables)
    split = [rule for rule in pack.rules if layout.by_case(rule)]
    whole = [rule for rule in pack.rules if not layout.by_case(rule)]
    parts = (parts or PARTITIONS_PER_THREAD * sum(client.nthreads().values())) if split else 0
    running = _submit(client, replace(pack, rules=tuple(split)), ctx, layout, parts)
    # The client judges the other rules while the workers judge theirs.
    outcomes = evaluate_pack(replace(pack, rules=tuple(whole)), ctx, progress)
    partials = client.gather(running)
    for rule in split:
        outcomes[rule.id] = merged([found[rule.id] for found in partials], rule.tolerance_value(ctx.params))
        if progress:
            progress(rule.id)
    return {rule.id: outcomes[rule.id] for rule in pack.rules}, \
        {"partitions": parts, "split_by": layout.case_table, "by_partition": [rule.id for rule in split],
         "on_whole_data": [rule.id for rule in whole]}


def _submit(client, pack: RulePack, ctx: EvalContext, layout: Layout, parts: int) -> list:
    """One task per partition, the settings and broadcast tables sent to every worker once."""
    if not parts:
        return []
    settings = Settings(pack, ctx.params, ctx.calendar, ctx.as_of, ctx.tz, ctx.period)
    common = client.scatter([settings, shared_part(ctx.tables, layout)], broadcast=True)
    data = client.scatter(pieces(ctx.tables, layout, parts))
    return [client.submit(evaluate_piece, *common, piece, pure=False) for piece in data]
