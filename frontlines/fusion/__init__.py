"""Fusion: many reports, one picture.

Public API::

    fuse_article(store, article_id) -> FusionReport   # after each article is stored (incremental, idempotent)
    store_and_fuse(store, article, events)            # both in one transaction (what `run` does)
    unfused_articles(store, ids) -> [article_id]      # stored, not fused (an old crash): fuse_article them
    fuse_all(store) -> FusionReport                   # re-fuse a whole database from its parts
    supersede(store, older_article_id, newer_article_id) -> FusionReport
    unmerge(store, event_id, part_id) -> FusionReport # undo a join; remembered by later re-fusions
    explain(store, event_id) -> dict                  # parts, join reasons, claims, links, merge log
    explain_pair(event_a, event_b) -> (score, reasons)
    signature(event), compatible(sig_a, sig_b), Fuser # the n log n blocking/matching core
    ensure_schema(sqlite3_connection)                 # the fusion tables (see fusion.schema)

Territorial control timelines live in ``frontlines.control``; click commands in
``frontlines.fusion.cli``.
"""
from __future__ import annotations

from .engine import (FusionReport, explain, explain_pair, fuse_all, fuse_article, recluster, store_and_fuse, supersede,
                     unfused_articles, unmerge)
from .match import Fuser, compatible, family_of, signature
from .merge import Part, merge_parts
from .schema import ensure_schema
from .store import FusionStore

__all__ = ["FusionReport", "FusionStore", "Fuser", "Part", "compatible", "ensure_schema", "explain", "explain_pair",
           "family_of", "fuse_all", "fuse_article", "merge_parts", "recluster", "signature", "store_and_fuse", "supersede",
           "unfused_articles", "unmerge"]
