"""`checker check --engine dask`: the rules evaluated on a dask.distributed cluster.

The dataset is loaded as for the pandas engine; the case table and the tables linked to it
are split by case into partitions (layout.py, split.py), each partition is evaluated on a
worker by the same kind modules (piece.py), and the partial outcomes are merged into the
pandas engine's outcomes (merge.py), so results are built from them unchanged. cluster.py
starts or joins the cluster; run.py puts it together."""
from __future__ import annotations

from .run import evaluate_on_cluster

__all__ = ["evaluate_on_cluster"]
