"""Paper questionnaires: print numbered copies per role, then type each returned sheet in (one respondent each)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from readiness.domain import policies
from readiness.domain.explain import text
from readiness.extensions import db
from readiness.forms import questionnaire as qforms
from readiness.forms.collect import PrintPaperForm, SheetCodeForm, add_double_entry
from readiness.models import Assessment
from readiness.questionnaire.schema import Questionnaire
from readiness.services import paper
from readiness.services.results import definitions_for
from readiness.web.auth import allowed
from readiness.web.helpers import current_lang
from readiness.web.respond import answer_text

bp = Blueprint("paper", __name__)


def _assessment(assessment_id: int) -> tuple[Assessment, Questionnaire]:
    assessment = db.get_or_404(Assessment, assessment_id)
    allowed(policies.can_collect, assessment)
    return assessment, definitions_for(assessment)[0]


def _forms(q: Questionnaire) -> tuple[PrintPaperForm, SheetCodeForm]:
    printing = PrintPaperForm(request.args)
    printing.role.choices = [(r.id, text(r.label, current_lang())) for r in q.roles]
    return printing, SheetCodeForm(request.args)


@bp.get("/assessments/<int:assessment_id>/paper")
def index(assessment_id: int) -> ResponseReturnValue:
    """Print numbered copies of a role's questionnaire, or open a returned sheet by its code."""
    found, q = _assessment(assessment_id)
    printing, finding = _forms(q)
    if "code" in request.args and finding.validate():
        sheet = paper.find_sheet(found, q, finding.code.data)
        if sheet is not None:
            return redirect(url_for("paper.sheet", assessment_id=found.id, code=str(sheet.code)))
        finding.code.errors = [_("No sheet of this assessment has this code. Check it against the top of the sheet, for example 12-3-007-K.")]
    return render_template("collect/paper.html", assessment=found, q=q, printing=printing, finding=finding), 200 if not finding.errors else 400


@bp.get("/assessments/<int:assessment_id>/paper.pdf")
def pdf(assessment_id: int) -> ResponseReturnValue:
    """The PDF of numbered copies of one role's questionnaire."""
    found, q = _assessment(assessment_id)
    printing, finding = _forms(q)
    if not printing.validate():
        return render_template("collect/paper.html", assessment=found, q=q, printing=printing, finding=finding), 400
    data = paper.paper_pdf(found, q, printing.role.data, printing.first.data, printing.copies.data)
    name = f"paper-{found.id}-{printing.role.data}-{printing.first.data}.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.route("/assessments/<int:assessment_id>/paper/<code>", methods=["GET", "POST"])
def sheet(assessment_id: int, code: str) -> ResponseReturnValue:
    """Type in one paper sheet as one respondent; with double entry, show differences before saving."""
    found, q = _assessment(assessment_id)
    sheet = paper.find_sheet(found, q, code)
    if sheet is None:
        abort(404)
    items = q.items_for_role(sheet.role)
    form = add_double_entry(qforms.page_form(items, current_lang(), link_protected=False))()
    if sheet.transcribed or request.method == "GET" or not form.validate():
        return _render(found, q, sheet, items, form, status=400 if form.errors else 200)
    answers = {i.id: qforms.submitted_state(form, i) for i in items}
    first = paper.first_entry(found, sheet)
    if (first is None and form.double_entry.data) or (first is not None and first[0] == g.user.id):
        paper.keep_first_entry(g.user, found, sheet, answers)  # a second entry must come from someone else
        flash(_("First entry of sheet %(code)s kept. It is saved when another person has typed it again and both entries agree.",
                code=str(sheet.code)), "success")
        return redirect(url_for("paper.index", assessment_id=found.id))
    if first is not None and not form.resolved.data and (differing := paper.differences(first[1], answers)):
        form.resolved.data = "1"
        return _render(found, q, sheet, items, form, first=first[1], differing=differing, status=409)
    paper.transcribe(g.user, found, q, sheet, answers)
    db.session.commit()
    flash(_("Sheet %(code)s saved as one respondent.", code=str(sheet.code)), "success")
    return redirect(url_for("paper.index", assessment_id=found.id))


def _render(found: Assessment, q: Questionnaire, sheet: paper.Sheet, items: list, form: Any, first=None,
            differing=(), status: int = 200) -> ResponseReturnValue:
    waiting = paper.first_entry(found, sheet)
    return render_template(
        "collect/transcribe.html", assessment=found, q=q, sheet=sheet, items=items, form=form, f=qforms,
        typed=qforms.TYPED, first=first, differing=set(differing), answer_text=answer_text,
        second_entry=waiting is not None and waiting[0] != g.user.id,
    ), status
