"""One order of importance for flags, used by every summary (report, PDF, assessment page, CLI, API).

1. fundamental blockers: requirements that must hold before deciding (first those about the tool's own
   design, which no work on the context can fix), and floors breached on enough evidence; then the
   purpose flag, which often explains them;
2. unknowns that decide the verdict (``Robustness.deciding`` or ``find_out_first``);
3. requirements that gate go-live;
4. the rest, by severity, then size (gap points, margin below the threshold), then definition order.
"""
from __future__ import annotations

from .result import Flag, Result

FUNDAMENTAL = ("critical_gate", "charter_blocking", "dimension_floor")
PURPOSE = "purpose"
GOLIVE = ("critical_golive", "charter_golive")
SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}


def rank_flags(result: Result) -> list[Flag]:
    """:return: ``result.flags`` ordered by importance (a stable, total order)."""
    robustness = result.robustness
    deciding = list(robustness.find_out_first) + list(robustness.deciding) if robustness else []
    position = {unit: index for index, unit in enumerate(deciding)}
    original = {flag.code: index for index, flag in enumerate(result.flags)}

    def key(flag: Flag) -> tuple:
        decides = [position[u] for u in unknowns_of(flag) if u in position]
        within: tuple[float, ...]
        if flag.kind in FUNDAMENTAL:
            design = 0 if flag.evidence.get("about_tool_design") else 1
            partly = 1 if flag.evidence.get("status") == "partly" else 0  # not met at all comes first
            group, within = 0, (design, partly, FUNDAMENTAL.index(flag.kind), original[flag.code])
        elif flag.kind == PURPOSE:
            group, within = 1, (0,)
        elif decides:
            group, within = 2, (min(decides),)
        elif flag.kind in GOLIVE:
            group, within = 3, (original[flag.code],)
        else:
            group, within = 4, (SEVERITY_ORDER.get(flag.severity, 3), -size(flag))
        return (group, *within, original[flag.code])

    return sorted(result.flags, key=key)


def unknowns_of(flag: Flag) -> list[str]:
    """:return: the unknowns (as named by ``Robustness``) a flag is about."""
    ev = flag.evidence
    if flag.kind == "critical_unknown":
        return [f"item:{flag.subject}"]
    if flag.kind == "role_not_heard":
        return [f"role:{flag.subject}"]
    if flag.kind == "unknowns":
        items = [*ev.get("dont_know_items", []), *ev.get("unanswered_items", []), *ev.get("partly_covered_items", [])]
        return [f"item:{i}" for i in items]
    if flag.kind == "floor_low_evidence":
        return [f"item:{i}" for i in ev.get("find_out", [])]
    if flag.kind == "charter_unanswered":
        return [f"charter:{i}" for i in ev.get("items", [])]
    if flag.kind == "figures_missing":
        return [f"input:{i}" for i in ev.get("inputs", [])]
    return []


def size(flag: Flag) -> float:
    """:return: how large the problem is, in points where it has points (bigger first)."""
    ev = flag.evidence
    if flag.kind == "perception_gap":
        return float(ev.get("gap") or 0)
    if flag.kind in ("dimension_floor", "dimension_below_go", "floor_low_evidence") and ev.get("score") is not None:
        return float(ev["go"]) - float(ev["score"])
    if flag.kind == "self_rating":
        return float(ev.get("gap") or 0) * 25
    if flag.kind == "indicator_low" and ev.get("level") is not None:
        return (4 - float(ev["level"])) * 25
    if flag.kind in ("unknowns", "charter_unanswered", "charter_advisory"):
        return float(len(unknowns_of(flag)) or len(ev.get("items", [])))
    return 0.0
