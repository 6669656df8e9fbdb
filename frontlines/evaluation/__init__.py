"""Scorers against public gold sets (issue 4): CASE 2021 event types, UCDP GED, PLOVER.

    from frontlines.evaluation.event_type import evaluate_event_type
    from frontlines.evaluation.ucdp import evaluate_ucdp
    from frontlines.evaluation.plover import evaluate_plover, check_mapping_file

The click commands live in ``frontlines.evaluation.cli`` (eval_event_type, eval_ucdp,
eval_plover); the gold sets are read from ``../shared/bench`` (or ``$FRONTLINES_SHARED``).
"""
