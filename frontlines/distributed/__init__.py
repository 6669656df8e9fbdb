"""Distributed coding on Dask (``frontlines run --engine dask``) and fusion partitioned by time
window.  Needs the ``dask`` extra (``pip install 'frontlines[dask]'``).

Public API::

    make_client(scheduler=None, workers=2) -> (Client, LocalCluster | None)
    run_backfill(paths, store, *, client, ...) -> BackfillReport       # code, store, fuse
    fuse_partitioned(store, client=None) -> FusionReport               # = fusion.fuse_all(store)
    recluster_partitioned(parts, forbidden, client) -> clusters        # = fusion.recluster(parts, forbidden)
    plan(paths, size=200) -> [Partition]; read(partition) -> (articles, problems)
"""
from __future__ import annotations

from .engine import BackfillReport, CoderPlugin, make_client, run_backfill
from .fusion import FusionStats, fuse_partitioned, recluster_partitioned
from .inputs import Partition, plan, read

__all__ = ["BackfillReport", "CoderPlugin", "FusionStats", "Partition", "fuse_partitioned", "make_client", "plan",
           "read", "recluster_partitioned", "run_backfill"]
