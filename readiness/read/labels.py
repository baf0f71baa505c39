"""Display names for what the HQ pages list: flag codes, context types, statuses."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from readiness.domain.explain import text
from readiness.questionnaire.schema import Charter, Questionnaire

CONTEXT_TYPES = {
    "acute_emergency": _l("Acute emergency"),
    "protracted_crisis": _l("Protracted crisis"),
    "stable": _l("Stable / development"),
}
STATUSES = {
    "draft": _l("Draft"),
    "collecting": _l("Collecting answers"),
    "closed": _l("Closed"),
    "decided": _l("Decided"),
}
ETHICS = {
    "not_submitted": _l("not submitted"),
    "submitted": _l("submitted"),
    "in_review": _l("in review"),
    "approved": _l("approved"),
    "approved_with_conditions": _l("approved with conditions"),
    "revise_and_resubmit": _l("revise and resubmit"),
    "rejected": _l("rejected"),
    "cleared": _l("cleared"),
    "superseded": _l("superseded"),
    "review_reopened": _l("review reopened"),
    "suspended": _l("suspended"),
    "withdrawn": _l("withdrawn"),
}
_FLAG_TITLES = {
    "critical_gate": _l("Critical item below its minimum: %(subject)s"),
    "critical_unknown": _l("Critical item not established: %(subject)s"),
    "dimension_floor": _l("%(subject)s below its floor"),
    "dimension_below_go": _l("%(subject)s below the go threshold"),
    "unknowns": _l("%(subject)s: too many unknown answers"),
    "perception_gap": _l("%(subject)s: roles see it differently"),
    "indicator_low": _l("Low figure: %(subject)s"),
    "self_rating": _l("Self-rating contradicted by figures: %(subject)s"),
    "figures_missing": _l("Measured figures missing"),
    "charter_blocking": _l("Blocking charter item not met: %(subject)s"),
    "charter_condition": _l("Charter condition not met: %(subject)s"),
    "charter_unanswered": _l("Ethics charter not fully answered"),
    "charter_advisory": _l("Advisory charter items not fully met"),
    "critical_golive": _l("Before go-live, critical item below its minimum: %(subject)s"),
    "charter_golive": _l("Before go-live, blocking charter item not met: %(subject)s"),
    "floor_low_evidence": _l("%(subject)s: not enough evidence to judge its floor"),
    "role_not_heard": _l("Role not heard: %(subject)s"),
    "purpose": _l("Tool wanted mainly for reporting rather than daily casework"),
}


def flag_title(code: str, q: Questionnaire, charter: Charter | None, lang: str) -> str:
    """A short title for a flag code such as ``critical_gate:cm_procedures``, in ``lang``."""
    kind, _, subject_id = code.partition(":")
    template = _FLAG_TITLES.get(kind)
    if template is None:
        return code
    return str(template) % {"subject": _subject(kind, subject_id, q, charter, lang)}


def _subject(kind: str, subject_id: str, q: Questionnaire, charter: Charter | None, lang: str) -> str:
    try:
        if kind.startswith("critical"):
            return text(q.item(subject_id).text, lang)
        if kind.startswith("charter") and charter is not None:
            return text(charter.item(subject_id).text, lang)
        if kind == "role_not_heard":
            return role_label(q, subject_id, lang)
        if kind in ("indicator_low", "self_rating"):
            return text(next(i.label for i in q.indicators if i.id == subject_id), lang)
        return dimension_label(q, subject_id, lang)
    except (KeyError, StopIteration):
        return subject_id


def dimension_label(q: Questionnaire, dimension_id: str, lang: str) -> str:
    for dim in q.dimensions:
        if dim.id == dimension_id:
            return text(dim.label, lang)
    return dimension_id


def role_label(q: Questionnaire, role_id: str, lang: str) -> str:
    for role in q.roles:
        if role.id == role_id:
            return text(role.label, lang)
    return role_id
