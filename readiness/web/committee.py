"""The ethics committee's side: screening, reviewers, declarations, reviews, decision, condition checks."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from readiness.domain import policies
from readiness.domain.explain import text
from readiness.domain.proposals import ProposalTransitionNotAllowed
from readiness.domain.review import Mark, Opinion
from readiness.domain.screening import Route
from readiness.exports.tables import Table, to_csv
from readiness.extensions import db
from readiness.forms.ethics import (
    ApprovalForm,
    AssignForm,
    CheckForm,
    DecisionForm,
    DeclarationForm,
    ScreeningForm,
    label,
    review_form_class,
    shown_version,
)
from readiness.models import Proposal, ProposalCondition, ReviewerAssignment, User, utcnow
from readiness.services import ethics, ethics_conditions, ethics_continuing, ethics_review, ethics_views
from readiness.services.ethics import ProposalRefused
from readiness.services.ethics_continuing import ApprovalRefused
from readiness.services.ethics_review import ConditionInput, ItemMark, ReviewRefused, charter_of
from readiness.services.locking import EditConflict
from readiness.web.auth import allowed, role_required
from readiness.web import review_views
from readiness.web.helpers import current_lang

bp = Blueprint("committee", __name__, url_prefix="/committee")
WHY_DECLARE = _l("Declare your conflicts of interest first: a reviewer reads a proposal only once they have said "
                 "they have no interest in it or its delegation, so that no one judges a project they are part of.")


def _proposal(proposal_id: int) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    send_to_declaration(proposal)
    allowed(policies.can_read_committee_comments, proposal)
    return proposal


def send_to_declaration(proposal: Proposal) -> None:
    """A reviewer who has not declared their conflicts is sent to the declaration, told why, instead of a bare 403."""
    if not policies.awaits_declaration(g.user, proposal):
        return
    assignment = next(a for a in proposal.assignments if a.reviewer_id == g.user.id)
    flash(WHY_DECLARE, "warning")
    abort(redirect(url_for("committee.declare", assignment_id=assignment.id)))


def _assignment(assignment_id: int) -> ReviewerAssignment:
    assignment = db.get_or_404(ReviewerAssignment, assignment_id)
    allowed(policies.can_declare_conflicts, assignment)
    return assignment


@bp.get("/")
@role_required(policies.is_committee)
def index() -> ResponseReturnValue:
    """List the proposals (chair) or my assignments (member), with overdue conditions."""
    chair = policies.is_chair(g.user)
    proposals = ethics.proposals_by_status() if chair else []
    return render_template("committee/index.html", proposals=proposals,
                           assignments=ethics_review.assignments_for(g.user),
                           overdue=ethics_conditions.overdue_conditions(),
                           evidence_queue=ethics_conditions.evidence_waiting() if chair else [])


@bp.get("/overdue")
@role_required(policies.can_see_overdue_conditions)
def overdue() -> ResponseReturnValue:
    """List conditions past their date for the committee and headquarters."""
    return render_template("committee/overdue.html", overdue=ethics_conditions.overdue_conditions())


@bp.get("/proposals/<int:proposal_id>")
def proposal(proposal_id: int) -> ResponseReturnValue:
    """Show the committee's file: screening, reviewers and declarations, decision, conditions, trail."""
    return _proposal_page(_proposal(proposal_id))


def _proposal_page(item: Proposal, screening: ScreeningForm | None = None, status: int = 200) -> ResponseReturnValue:
    """The committee's file, with ``screening`` as the chair left it when it must be corrected."""
    screening = screening or ScreeningForm(route=item.proposed_route.value)
    assign = AssignForm()
    assign.reviewer.choices = [(u.id, u.name) for u in ethics_review.committee_members()
                               if all(a.reviewer_id != u.id for a in item.assignments)]
    return render_template("committee/proposal.html", proposal=item, screening_form=screening, assign_form=assign,
                           reviews_done=len(ethics_review.submitted_reviews(item)),
                           reviews_needed=ethics_review.REVIEWS_NEEDED[item.route or Route.FULL],
                           trail=[policies.audit_entry_for(g.user, e, item) for e in ethics_views.trail(item)], check_form=CheckForm(), today=utcnow().date()), status


@bp.post("/proposals/<int:proposal_id>/screening")
def screen(proposal_id: int) -> ResponseReturnValue:
    """Record the chair's choice of route."""
    item = _proposal(proposal_id)
    allowed(policies.can_screen, item)
    form = ScreeningForm()
    if form.validate_on_submit():
        try:
            ethics.record_screening(g.user, item, Route(form.route.data), form.note.data or "",
                                    version=shown_version(form.version_id))
        except ProposalRefused as refused:
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash(_("Route recorded: %(route)s.", route=label(Route(form.route.data))), "success")
    elif form.errors:
        return _proposal_page(item, screening=form, status=400)
    return redirect(url_for(".proposal", proposal_id=item.id))


@bp.post("/proposals/<int:proposal_id>/reviewers")
def assign(proposal_id: int) -> ResponseReturnValue:
    """Assign a committee member as reviewer (never one from the proposing delegation)."""
    item = _proposal(proposal_id)
    allowed(policies.can_assign_reviewers, item)
    form = AssignForm()
    form.reviewer.choices = [(u.id, u.name) for u in ethics_review.committee_members()]
    if form.validate_on_submit():
        reviewer = db.get_or_404(User, form.reviewer.data)
        try:
            ethics_review.assign_reviewer(g.user, item, reviewer)
        except ReviewRefused as refused:
            db.session.commit()  # keeps the audit entry of the refused assignment
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is assigned; they declare any conflict of interest before reading the proposal.",
                    name=reviewer.name), "success")
    return redirect(url_for(".proposal", proposal_id=item.id) + "#reviewers")


@bp.route("/assignments/<int:assignment_id>/declaration", methods=["GET", "POST"])
def declare(assignment_id: int) -> ResponseReturnValue:
    """Declare conflicts of interest before reading the proposal."""
    assignment = _assignment(assignment_id)
    if assignment.has_conflict is not None:
        return redirect(url_for(".review", assignment_id=assignment.id) if assignment.may_read else url_for(".index"))
    form = DeclarationForm()
    if form.validate_on_submit():
        try:
            ethics_review.declare_conflicts(g.user, assignment, form.has_conflict.data == "yes", form.note.data or "")
        except ReviewRefused as refused:
            form.note.errors = [str(refused)]
        else:
            db.session.commit()
            if assignment.recused:
                flash(_("Your recusal is recorded; the chair will assign someone else."), "success")
                return redirect(url_for(".index"))
            return redirect(url_for(".review", assignment_id=assignment.id))
    # Only the delegation's name and the title: nothing of the proposal's content before the declaration.
    return render_template("committee/declaration.html", assignment=assignment, form=form), 400 if form.errors else 200


@bp.route("/assignments/<int:assignment_id>/review", methods=["GET", "POST"])
def review(assignment_id: int) -> ResponseReturnValue:
    """Mark every charter item, comment, and give an overall opinion; or keep a draft to finish later."""
    assignment = _assignment(assignment_id)
    if assignment.has_conflict is None:
        flash(WHY_DECLARE, "warning")
        return redirect(url_for(".declare", assignment_id=assignment.id))
    allowed(policies.can_review, assignment)
    charter = charter_of(assignment.proposal)
    form = review_form_class([item.id for item in charter.items])(data=_review_data(assignment))
    if request.method == "POST" and request.form.get("action") == "draft":
        return _save_draft(assignment, form)
    if form.validate_on_submit():
        try:
            ethics_review.save_review(g.user, assignment, _marks(form, charter), opinion=Opinion(form.opinion.data),
                                      opinion_comment=form.opinion_comment.data or "",
                                      committee_comment=form.committee_comment.data or "")
        except ReviewRefused as refused:
            form.opinion.errors = [str(refused)]
        else:
            db.session.commit()
            flash(_("Your review is saved. You can change it until the committee decides."), "success")
            return redirect(url_for(".proposal", proposal_id=assignment.proposal_id))
    return _review_page(assignment, form), 400 if form.errors else 200


def _save_draft(assignment: ReviewerAssignment, form: Any) -> ResponseReturnValue:
    try:
        ethics_review.save_review_draft(g.user, assignment, review_views.draft_fields(form))
    except ReviewRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for(".index"))
    db.session.commit()
    flash(_("Draft saved. Nothing is sent to the committee until you submit your review."), "success")
    return redirect(url_for(".review", assignment_id=assignment.id, **request.args.to_dict()))  # type: ignore[arg-type]


def _review_page(assignment: ReviewerAssignment, form: Any) -> str:
    lang = current_lang()
    rows = ethics_views.charter_rows(assignment.proposal, lang)
    only_not_met = request.args.get("filter") == "not_met"
    return render_template("committee/review.html", assignment=assignment, proposal=assignment.proposal, form=form,
                           themes=review_views.themes(rows, form), only_not_met=only_not_met,
                           errors=review_views.error_summary(form, rows),
                           result=ethics_views.result_summary(assignment.proposal, lang))


def _review_data(assignment: ReviewerAssignment) -> dict[str, Any]:
    if assignment.draft:
        return dict(assignment.draft)
    data: dict[str, Any] = {"opinion": assignment.opinion.value if assignment.opinion else None,
                            "opinion_comment": assignment.opinion_comment, "committee_comment": assignment.committee_comment}
    for row in assignment.items:
        data |= {f"mark_{row.item_id}": row.mark.value, f"comment_{row.item_id}": row.comment,
                 f"committee_{row.item_id}": row.committee_comment}
    return data


def _marks(form: Any, charter: Any) -> dict[str, ItemMark]:
    return {item.id: ItemMark(Mark(form[f"mark_{item.id}"].data), form[f"comment_{item.id}"].data or "",
                              form[f"committee_{item.id}"].data or "") for item in charter.items}


@bp.get("/proposals/<int:proposal_id>/reviews")
def reviews(proposal_id: int) -> ResponseReturnValue:
    """Show every submitted review side by side, disagreements highlighted."""
    item = _proposal(proposal_id)
    charter = charter_of(item)
    lang = current_lang()
    texts = {c.id: text(c.text, lang) for c in charter.items}
    return render_template("committee/reviews.html", proposal=item, comparison=ethics_review.compare_reviews(item),
                           item_texts=texts, only_disagreements=request.args.get("show") == "disagreements")


@bp.route("/proposals/<int:proposal_id>/decision", methods=["GET", "POST"])
def decide(proposal_id: int) -> ResponseReturnValue:
    """Record the committee's decision, its rationale and conditions."""
    item = _proposal(proposal_id)
    allowed(policies.can_decide_proposal, item)
    form = DecisionForm()
    if form.validate_on_submit():
        conditions = [ConditionInput(c.form.text.data, c.form.owner.data, c.form.due_date.data, c.form.evidence_required.data)
                      for c in form.conditions if not c.form.is_blank()]
        try:
            ethics_review.record_committee_decision(g.user, item, Opinion(form.outcome.data), form.rationale.data, conditions,
                                                    review_interval_months=form.review_interval_months.data)
        except (ReviewRefused, ProposalTransitionNotAllowed) as refused:
            form.outcome.errors = [str(refused)]
        else:
            db.session.commit()
            flash(_("Decision recorded. The letter is ready."), "success")
            return redirect(url_for(".proposal", proposal_id=item.id))
    texts = {c.id: text(c.text, current_lang()) for c in charter_of(item).items}
    return render_template("committee/decision.html", proposal=item, form=form, item_texts=texts,
                           default_interval=ethics_continuing.policy().interval_months, today=utcnow().date(),
                           comparison=ethics_review.compare_reviews(item)), 400 if form.errors else 200


@bp.route("/proposals/<int:proposal_id>/approval", methods=["GET", "POST"])
def approval(proposal_id: int) -> ResponseReturnValue:
    """Complete a continuing review: reinstate (or continue), suspend or withdraw the approval, with a reason."""
    item = _proposal(proposal_id)
    allowed(policies.can_change_approval, item)
    form = ApprovalForm()
    if form.validate_on_submit():
        try:
            ethics_continuing.change_approval(g.user, item, form.action.data, form.reason.data or "")
        except (ApprovalRefused, ProposalTransitionNotAllowed) as refused:
            form.action.errors = [str(refused)]
        else:
            db.session.commit()
            flash(_("Recorded: %(status)s.", status=label(item.status)), "success")
            return redirect(url_for(".proposal", proposal_id=item.id) + "#continuing")
    return render_template("committee/approval.html", proposal=item, form=form,
                           state=ethics_continuing.state_of(item, utcnow().date()),
                           risk=ethics_continuing.proposal_risk_map(item)), 400 if form.errors else 200


@bp.post("/conditions/<int:condition_id>/check")
def check_condition(condition_id: int) -> ResponseReturnValue:
    """Verify a condition's evidence, or return it with what is missing."""
    condition = db.get_or_404(ProposalCondition, condition_id)
    allowed(policies.can_verify_condition, condition.proposal)
    form = CheckForm()
    if not form.validate_on_submit():
        flash(_("Choose to verify or return the evidence."), "error")
    else:
        version = shown_version(form.version_id)
        try:
            if form.action.data == "verify":
                cleared = ethics_conditions.verify_condition(g.user, condition, version=version)
            else:
                ethics_conditions.return_condition(g.user, condition, form.reason.data or "", version=version)
                cleared = False
        except EditConflict:
            db.session.rollback()
            flash(_("The delegation changed this condition's evidence meanwhile; look again before checking."), "error")
        except ProposalRefused as refused:
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash(_("Every condition is verified: the proposal is cleared.") if cleared else _("Check recorded."), "success")
    return redirect(url_for(".proposal", proposal_id=condition.proposal_id) + f"#condition-{condition.id}")


@bp.get("/proposals/<int:proposal_id>/reviews.csv")
def export_reviews(proposal_id: int) -> ResponseReturnValue:
    """Export every review, committee-only comments included (committee readers only)."""
    item = _proposal(proposal_id)
    rows: list[list[Any]] = []
    for assignment in ethics_review.submitted_reviews(item):
        rows += [[assignment.reviewer.name, row.item_id, row.mark.value, row.comment, row.committee_comment]
                 for row in assignment.items]
        rows.append([assignment.reviewer.name, "overall", assignment.opinion.value if assignment.opinion else "",
                     assignment.opinion_comment, assignment.committee_comment])
    table = Table("reviews", ["reviewer", "item", "mark", "comment", "committee_only_comment"], rows)
    name = f"ethics-reviews-EC-{item.id}-v{item.version}.csv"
    return to_csv(table), 200, {"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "private, no-store",
                                 "Content-Disposition": f'attachment; filename="{name}"'}
