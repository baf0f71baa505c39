"""Collecting answers beyond the web pages: XLSForms for KoboToolbox/ODK and importing their exports."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from readiness.domain import policies
from readiness.extensions import db
from readiness.forms.collect import ConfirmImportForm, ImportForm
from readiness.models import Assessment
from readiness.questionnaire.kobo_export import MAX_FILE_BYTES, Located, Problem
from readiness.services import kobo_import, uploads
from readiness.services.results import definitions_for
from readiness.services.xlsform import filename_for, xlsform_for
from readiness.web.auth import allowed
from readiness.web.respond import answer_text

bp = Blueprint("collect", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _assessment(assessment_id: int, policy=policies.can_view_assessment) -> Assessment:
    assessment = db.get_or_404(Assessment, assessment_id)
    allowed(policy, assessment)
    return assessment


@bp.get("/assessments/<int:assessment_id>/xlsform/<role>.xlsx")
def xlsform(assessment_id: int, role: str) -> ResponseReturnValue:
    """Download the role's XLSForm for this assessment's questionnaire version."""
    found = _assessment(assessment_id)
    questionnaire, _charter = definitions_for(found)
    if role not in {r.id for r in questionnaire.roles}:
        abort(404)
    return Response(xlsform_for(questionnaire, role), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{filename_for(questionnaire, role)}"'})


def _scope(found: Assessment) -> str:
    return f"import-{found.id}-{g.user.id}"


@bp.route("/assessments/<int:assessment_id>/import", methods=["GET", "POST"])
def import_file(assessment_id: int) -> ResponseReturnValue:
    """Upload a Kobo/ODK export and see what it holds before anything is saved."""
    found = _assessment(assessment_id, policies.can_collect)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(found, form, status=400 if form.is_submitted() else 200)
    data = form.file.data.stream.read(MAX_FILE_BYTES + 1)
    questionnaire, _charter = definitions_for(found)
    preview = kobo_import.preview_import(found, questionnaire, form.file.data.filename or "", data)
    confirm = None
    if preview.ok and preview.new_rows:
        confirm = ConfirmImportForm(key=uploads.hold(_scope(found), data), filename=form.file.data.filename)
    return _render(found, form, preview=preview, confirm=confirm, status=200 if preview.ok else 422)


@bp.post("/assessments/<int:assessment_id>/import/confirm")
def confirm_import(assessment_id: int) -> ResponseReturnValue:
    """Create one respondent per new submission in the previewed file, all or nothing."""
    found = _assessment(assessment_id, policies.can_collect)
    form = ConfirmImportForm()
    data = uploads.peek(_scope(found), form.key.data or "") if form.validate_on_submit() else None
    if data is None:
        flash(_("That import was already done or has expired. Upload the file again."), "error")
        return redirect(url_for("collect.import_file", assessment_id=found.id))
    questionnaire, _charter = definitions_for(found)
    preview, receipt = kobo_import.import_submissions(g.user, found, questionnaire, form.filename.data or "export", data)
    if receipt is None:
        db.session.rollback()
        return _render(found, ImportForm(), preview=preview, status=422)
    db.session.commit()
    uploads.drop(_scope(found), form.key.data)
    flash(ngettext("%(num)d respondent imported.", "%(num)d respondents imported.", len(receipt.received)), "success")
    return redirect(url_for("delegation.assessment", assessment_id=found.id, _anchor="respondents"))


def _render(found: Assessment, form: ImportForm, preview=None, confirm=None, status: int = 200) -> ResponseReturnValue:
    questionnaire, _charter = definitions_for(found)
    return render_template("collect/import.html", assessment=found, q=questionnaire, form=form, preview=preview,
                           confirm=confirm, problem_text=problem_text, answer_text=answer_text), status


def problem_text(found: Located) -> str:
    """A problem of an import in the reader's words, with where to find it."""
    messages = {
        Problem.MALFORMED: _("This is not a CSV or XLSX file we can read. Export the submissions from KoboToolbox or ODK as CSV or XLSX, with XML values and headers."),
        Problem.TOO_LARGE: _("The file is too large (at most 5 MB and 5,000 submissions). Export fewer submissions at a time."),
        Problem.BOMB: _("This XLSX file would unpack to far more than its size, so it was not opened. Export it again from KoboToolbox or ODK."),
        Problem.NO_PIN: _("The column “readiness_form” is missing: this export is not from a form downloaded from this assessment, or it was exported with labels instead of XML values and headers."),
        Problem.NO_ROWS: _("The file holds no submissions."),
        Problem.NO_UUID: _("Each submission needs its id (the “_uuid”, “instanceID” or “KEY” column), so that importing the same file twice creates nothing new."),
        Problem.OTHER_FORM: _("This submission answers the form “%(value)s”, not this assessment's questionnaire version. Download this assessment's form and collect with it, or import into the assessment that uses that version.", value=found.value),
        Problem.UNKNOWN_ROLE: _("The role “%(value)s” is not a role of this questionnaire.", value=found.value),
        Problem.MIXED_FORMS: _("This submission comes from another form (“%(value)s”) than the rows above it. Import one form (one role) per file.", value=found.value),
        Problem.DUPLICATE: _("The submission “%(value)s” appears twice in the file.", value=found.value),
        Problem.UNKNOWN_CHOICE: _("“%(value)s” is not one of this question's choices.", value=found.value),
        Problem.NOT_A_NUMBER: _("“%(value)s” is not a number.", value=found.value),
    }
    where = ""
    if found.row is not None and found.letter:
        where = _("Row %(row)d, column %(letter)s (%(column)s): ", row=found.row, letter=found.letter, column=found.column)
    elif found.row is not None:
        where = _("Row %(row)d: ", row=found.row)
    return where + messages[found.problem]
