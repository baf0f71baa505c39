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

from readiness.domain import policies
from readiness.domain.collection import AnswerState, TokenStatus
from readiness.domain.explain import describe_flag, text
from readiness.domain.indicators import compute_indicator, ratio_inputs
from readiness.domain.journey import Step
from readiness.domain.result import Result
from readiness.domain.workflow import Status, Transition, allowed_transitions
from readiness.extensions import db
from readiness.forms.questionnaire import VERSION, WAS, charter_choices
from readiness.models import Answer, Assessment, CharterAnswer, Evidence, MeasuredInput, Respondent, User
from readiness.models.types import utcnow
from readiness.questionnaire.schema import Charter, Questionnaire, Role
from readiness.read.labels import STATUSES
from readiness.reports.source import result_for
from readiness.read.respondents import STATES, respondent_page, state_counts
from readiness.read.work import AssessmentLine
from readiness.reports.source import invitations_of
from readiness.reports.waiting import waiting_view
from readiness.services.answers import SaveOutcome, charter_versions, figure_versions
from readiness.web.helpers import current_lang

TOP_FLAGS = 5


def status_label(status: str) -> str:
    """The status's one label (``read/labels.py``), in lower case for the middle of a sentence."""
    label = STATUSES.get(status)
    return str(label).lower() if label is not None else status


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
class RoleCount:
    role: Role
    states: dict[str, int]  # state -> respondents

    @property
    def total(self) -> int:
        return sum(self.states.values())


@dataclass(frozen=True)
class Listing:
    """Which respondents the page lists: a role, a state, a page number (from the query string)."""

    role: str | None = None
    state: str | None = None
    page: int = 1


def respondent_listing(assessment: Assessment, q: Questionnaire, listing: Listing) -> dict[str, Any]:
    """:return: the respondents' counts per role and state, and one page of them, for the assessment page."""
    found = state_counts(assessment.id)
    counts = [RoleCount(role, {state: found.get(role.id, {}).get(state, 0) for state in STATES}) for role in q.roles]
    role = listing.role if listing.role in {r.id for r in q.roles} else None
    state = listing.state if listing.state in STATES else None
    pages, rows = respondent_page(assessment.id, role, state, listing.page, utcnow())
    return {
        "counts": counts,
        "answering": sum(c.states["in_progress"] for c in counts),
        "not_started": sum(c.states["invited"] for c in counts),
        "listing": Listing(role, state, pages.page),
        "respondent_pages": pages,
        "respondent_rows": rows,
        "item_totals": {r.id: len(q.items_for_role(r.id)) for r in q.roles},
        "role_labels": {r.id: role_label(r) for r in q.roles},
        "STATES": STATES,
    }


def current_result(assessment: Assessment) -> tuple[Result, bool]:
    """:return: the frozen snapshot once closed, else the live result; and whether it is live."""
    result, frozen_at = result_for(assessment)  # the report's read of the same rule
    return result, frozen_at is None


def evidence_files(assessment: Assessment) -> list[tuple[Evidence, Answer]]:
    rows = db.session.execute(
        select(Evidence, Answer).join(Answer, Evidence.answer_id == Answer.id)
        .join(Respondent, Answer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id).order_by(Evidence.id)
    )
    return [(evidence, answer) for evidence, answer in rows]


def has_any_input(assessment: Assessment) -> bool:
    """:return: whether anyone answered anything yet: a question, a figure or a charter commitment."""
    answered = select(Answer.id).join(Respondent, Answer.respondent_id == Respondent.id).where(
        Respondent.assessment_id == assessment.id)
    figures = select(MeasuredInput.id).where(MeasuredInput.assessment_id == assessment.id)
    charter = select(CharterAnswer.id).where(CharterAnswer.assessment_id == assessment.id)
    return any(db.session.scalar(query.limit(1)) is not None for query in (answered, figures, charter))


def has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def assessment_context(assessment: Assessment, q: Questionnaire, charter: Charter, user: User, lang: str,
                       listing: Listing = Listing()) -> dict[str, Any]:
    result, live = current_result(assessment)
    flags = [(flag, describe_flag(flag, q, charter, lang)) for flag in result.flags[:TOP_FLAGS]]
    can_edit = policies.can_edit_assessment(user, assessment)
    transitions = [t for t in allowed_transitions(Status(assessment.status.value)) if t is not Transition.DECIDE]
    invited, unfinished = invitations_of(assessment)
    return {
        "result": result,
        "live": live,
        "nothing_yet": live and not has_any_input(assessment),
        "waiting": waiting_view(result, q, live=live, invited=invited, unfinished=unfinished, lang=lang),
        "flags": flags,
        "more_flags": max(0, len(result.flags) - TOP_FLAGS),
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
        **respondent_listing(assessment, q, listing),
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


def _refresh_was(form: Any, ids: list[str], states: dict[str, Any], versions: dict[str, int]) -> None:
    # The hidden fields always carry what is stored now, so a second save after a conflict is deliberate.
    for item_id in ids:
        form[item_id + WAS].data = states.get(item_id, AnswerState()).digest()
        form[item_id + VERSION].data = str(versions[item_id]) if item_id in versions else ""


def refuse_frozen(assessment: Assessment) -> ResponseReturnValue:
    """The assessment was closed while the form was being saved: nothing was saved."""
    db.session.rollback()
    flash(_("The assessment was closed meanwhile, so this form was not saved."), "error")
    return redirect(url_for("delegation.assessment", assessment_id=assessment.id))


def render_figures(assessment: Assessment, q: Questionnaire, form: Any, states: dict[str, Any],
                   conflicts: Any = (), status: int = 200) -> ResponseReturnValue:
    _refresh_was(form, [e.id for e in q.inputs], states, figure_versions(assessment))
    return render_template(
        "delegation/figures.html", assessment=assessment, q=q, form=form, ratios=figure_ratios(q, states),
        conflicts=_conflict_map(conflicts, _figure_text), editable=policies.can_collect(g.user, assessment),
    ), status


def figure_ratios(q: Questionnaire, states: dict[str, Any]) -> dict[str, tuple[Any, str | None]]:
    """:return: input id -> (its ratio indicator, the ratio the saved figures give, or None)."""
    values = {input_id: state.value for input_id, state in states.items() if state.special is None}
    shown = {}
    for input_id, indicator in ratio_inputs(q).items():
        value = compute_indicator(indicator.model_copy(update={"checks_item": None}), values, {}).value
        shown[input_id] = (indicator, None if value is None else f"{value:.1f}".removesuffix(".0"))
    return shown


def render_charter(assessment: Assessment, charter: Charter, form: Any, states: dict[str, Any],
                   conflicts: Any = (), status: int = 200) -> ResponseReturnValue:
    _refresh_was(form, [i.id for i in charter.items], states, charter_versions(assessment))
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


# --- Where each assessment stands (the member's home and the delegation page) -------------


def step_text(step: Step) -> str:
    return {
        Step.INVITE: _("Invite respondents"),
        Step.OPEN: _("Open it for answers"),
        Step.COLLECT: _("Collect answers, then close"),
        Step.DECIDE: _("Read the report and record the decision"),
        Step.PROPOSE: _("Submit the proposal to the ethics committee"),
        Step.AWAIT_COMMITTEE: _("Wait for the ethics committee"),
        Step.REVISE: _("Revise and resubmit the proposal"),
        Step.MEET_CONDITIONS: _("Send evidence for the committee's conditions"),
        Step.GO_LIVE: _("Follow the action plan to go-live"),
        Step.REASSESS: _("Follow the action plan, then re-assess"),
    }[step]


def step_url(line: AssessmentLine) -> str:
    """:return: the page where the next step is taken, or the assessment page for a reader who may not take it."""
    a, step, user = line.assessment, line.step, g.get("user")
    if step is Step.DECIDE and policies.can_decide(user, a):
        return url_for("reports.decision", assessment_id=a.id)
    if step in (Step.PROPOSE, Step.REVISE) and policies.can_submit_proposal(user, a):
        return url_for("proposals.submit", assessment_id=a.id)
    if (step in (Step.AWAIT_COMMITTEE, Step.MEET_CONDITIONS) and line.proposal is not None
            and policies.can_view_proposal(user, line.proposal)):
        return url_for("proposals.show", proposal_id=line.proposal.id)
    if step in (Step.GO_LIVE, Step.REASSESS):
        return url_for("reports.actions", assessment_id=a.id)
    return url_for("delegation.assessment", assessment_id=a.id)
