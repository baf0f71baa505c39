"""What the delegation's pages show: labels, the respondents' table, the live result, form pages.

Kept apart from the views so each view stays load -> authorize -> validate -> save -> redirect.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from readiness.domain import policies
from readiness.domain.collection import AnswerState, TokenStatus, token_status
from readiness.domain.explain import describe_flag, text
from readiness.domain.result import Result, result_from_json
from readiness.domain.workflow import Status, Transition, allowed_transitions
from readiness.extensions import db
from readiness.forms.questionnaire import WAS, charter_choices
from readiness.models import Answer, Assessment, Evidence, Respondent, ResultSnapshot, User
from readiness.models.types import utcnow
from readiness.questionnaire.schema import Charter, Questionnaire, Role
from readiness.services.answers import SaveOutcome, answered_item_ids
from readiness.services.results import compute_result
from readiness.web.helpers import current_lang

TOP_FLAGS = 5


def status_label(status: str) -> str:
    return {
        "draft": _("draft"),
        "collecting": _("collecting answers"),
        "closed": _("closed"),
        "decided": _("decided"),
    }.get(status, status)


def transition_label(transition: Transition) -> str:
    return {
        Transition.OPEN: _("Open for answers"),
        Transition.CLOSE: _("Close and freeze the result"),
        Transition.REOPEN: _("Reopen for answers"),
    }[transition]


def transition_done(transition: Transition) -> str:
    return {
        Transition.OPEN: _("The assessment is open: respondents can now answer with their links."),
        Transition.CLOSE: _("The assessment is closed and its result is frozen. Answers can no longer change."),
        Transition.REOPEN: _("The assessment is open for answers again. Closing it again replaces the frozen result."),
    }[transition]


def role_label(role: Role) -> str:
    return text(role.label, current_lang())


# --- The assessment page ---------------------------------------------------------


@dataclass(frozen=True)
class RespondentRow:
    respondent: Respondent
    state: str  # invited / in_progress / answered
    answered: int
    total: int
    link: str  # valid / expired / revoked


@dataclass(frozen=True)
class RoleGroup:
    role: Role
    rows: list[RespondentRow]

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)


def respondent_groups(assessment: Assessment, questionnaire: Questionnaire) -> list[RoleGroup]:
    respondents = db.session.scalars(
        select(Respondent).where(Respondent.assessment_id == assessment.id)
        .options(selectinload(Respondent.answers)).order_by(Respondent.id)
    ).all()
    now = utcnow()
    groups = []
    for role in questionnaire.roles:
        total = len(questionnaire.items_for_role(role.id))
        rows = []
        for r in (r for r in respondents if r.role == role.id):
            answered = len(answered_item_ids(r))
            state = "answered" if r.submitted_at else "in_progress" if answered else "invited"
            rows.append(RespondentRow(r, state, answered, total, token_status(r.token_expires_at, r.revoked_at, now).value))
        groups.append(RoleGroup(role, rows))
    return groups


def current_result(assessment: Assessment) -> tuple[Result, bool]:
    """:return: the frozen snapshot once closed, else the live result; and whether it is live."""
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    if snapshot is not None and assessment.status.value in (Status.CLOSED, Status.DECIDED):
        return result_from_json(snapshot.result), False
    return compute_result(assessment), True


def evidence_files(assessment: Assessment) -> list[tuple[Evidence, Answer]]:
    rows = db.session.execute(
        select(Evidence, Answer).join(Answer, Evidence.answer_id == Answer.id)
        .join(Respondent, Answer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id).order_by(Evidence.id)
    )
    return [(evidence, answer) for evidence, answer in rows]


def has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def assessment_context(assessment: Assessment, q: Questionnaire, charter: Charter, user: User, lang: str) -> dict[str, Any]:
    result, live = current_result(assessment)
    flags = [(flag, describe_flag(flag, q, charter, lang)) for flag in result.flags[:TOP_FLAGS]]
    can_edit = policies.can_edit_assessment(user, assessment)
    transitions = [t for t in allowed_transitions(Status(assessment.status.value)) if t is not Transition.DECIDE]
    return {
        "result": result,
        "live": live,
        "flags": flags,
        "more_flags": max(0, len(result.flags) - TOP_FLAGS),
        "groups": respondent_groups(assessment, q),
        "files": evidence_files(assessment),
        "transitions": transitions if can_edit else [],
        "transition_label": transition_label,
        "status_label": status_label,
        "can_edit": can_edit,
        "can_collect": policies.can_collect(user, assessment),
        "can_view_audit": policies.can_view_audit(user, assessment),
        "can_decide": policies.can_decide(user, assessment) and has_endpoint("reports.decision"),
        "has_report": has_endpoint("reports.report"),
        "dimension_labels": {d.id: text(d.label, lang) for d in q.dimensions},
        "TokenStatus": TokenStatus,
    }


# --- The owner's forms -------------------------------------------------------------


def _conflict_map(conflicts: Any, shown: Callable[[Any], str]) -> dict[str, tuple[str, str, Any]]:
    return {c.item_id: (shown(c.mine), shown(c.theirs), c) for c in conflicts}


def _figure_text(state: Any) -> str:
    if state.special == "unknown":
        return _("not known")
    return _("not given") if state.value is None else f"{state.value:g}"


def _charter_text(state: Any) -> str:
    return dict(charter_choices()).get(state.value, _("not answered"))


def _refresh_was(form: Any, ids: list[str], states: dict[str, Any]) -> None:
    for item_id in ids:
        form[item_id + WAS].data = states.get(item_id, AnswerState()).digest()


def render_figures(assessment: Assessment, q: Questionnaire, form: Any, states: dict[str, Any],
                   conflicts: Any = (), status: int = 200) -> ResponseReturnValue:
    _refresh_was(form, [e.id for e in q.inputs], states)
    return render_template(
        "delegation/figures.html", assessment=assessment, q=q, form=form,
        conflicts=_conflict_map(conflicts, _figure_text), editable=policies.can_collect(g.user, assessment),
    ), status


def render_charter(assessment: Assessment, charter: Charter, form: Any, states: dict[str, Any],
                   conflicts: Any = (), status: int = 200) -> ResponseReturnValue:
    _refresh_was(form, [i.id for i in charter.items], states)
    answered = sum(1 for s in states.values() if s.answered)
    return render_template(
        "delegation/charter.html", assessment=assessment, charter=charter, form=form, answered=answered,
        conflicts=_conflict_map(conflicts, _charter_text), editable=policies.can_collect(g.user, assessment),
    ), status


def after_owner_save(assessment: Assessment, endpoint: str, outcome: SaveOutcome,
                     render_conflicts: Callable[[Any], ResponseReturnValue]) -> ResponseReturnValue:
    if outcome.conflicts:
        return render_conflicts(outcome.conflicts)
    if outcome.saved:
        flash(_("Saved: %(num)d change(s).", num=len(outcome.saved)), "success")
    else:
        flash(_("Nothing had changed, so nothing was saved."), "info")
    return redirect(url_for(endpoint, assessment_id=assessment.id))


# --- The audit trail ---------------------------------------------------------------


def describe_action(action: str) -> str:
    return {
        "assessment.create": _("Assessment created"),
        "assessment.open": _("Opened for answers"),
        "assessment.close": _("Closed"),
        "assessment.reopen": _("Reopened for answers"),
        "assessment.decide": _("Decision recorded"),
        "result.snapshot": _("Result frozen"),
        "respondent.invite": _("Respondent invited"),
        "respondent.revoke": _("Link withdrawn"),
        "respondent.reissue": _("New link issued"),
        "answer.create": _("Answer given"),
        "answer.update": _("Answer changed"),
        "evidence.attach": _("Evidence attached"),
        "figure.update": _("Figure entered"),
        "charter.update": _("Charter answer entered"),
        "respondent.receive": _("Respondent added from paper or an import"),
        "assessment.import": _("KoboToolbox or ODK submissions imported"),
        "respondents.email_invitations": _("Invitations e-mailed"),
        "respondents.remind": _("Reminders e-mailed"),
    }.get(action, action)


def show_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
