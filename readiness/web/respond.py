"""Respondents answer through their personal link: one dimension per page, saved at every step.

The whole blueprint is public: the token in the URL is the credential. Nothing about the
assessment is shown for an unknown, expired or withdrawn link.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE
from readiness.domain.collection import (
    FINISH_PAGE,
    hash_token,
    AnswerState,
    EvidenceProblem,
    TokenStatus,
    neighbour,
    Page,
    role_pages,
    progress,
    resume_page,
)
from readiness.domain.explain import text
from readiness.domain.workflow import Status, is_frozen
from readiness.extensions import csrf, db
from readiness.forms import questionnaire as qforms
from readiness.models import Assessment, Evidence, Respondent
from readiness.questionnaire.effort import minutes_for_role
from readiness.questionnaire.schema import Item, ItemType, Questionnaire
from readiness.models import AnswerSource
from readiness.services import answers as answer_service
from readiness.services import evidence as evidence_service
from readiness.services import submissions
from readiness.services.answers import Conflict, SavingClosed, Submission
from readiness.services.respondents import find_by_token, respondent_label
from readiness.services.submissions import Entry, Upload
from readiness.services.results import definitions_for
from readiness.web.helpers import current_lang

bp = Blueprint("respond", __name__, url_prefix="/r")
PROOF = "link_proof"


class LinkProblem(Exception):
    def __init__(self, status: TokenStatus | None) -> None:
        super().__init__(status)
        self.status = status


@bp.errorhandler(LinkProblem)
def _link_problem(error: LinkProblem) -> ResponseReturnValue:
    code = 404 if error.status is None else 410
    return render_template("respond/link_problem.html", status=error.status), code


csrf.exempt(bp)  # protected by check_link_post below, which needs no session


def link_proof(token: str) -> str:
    """A value only this app can derive from the link: posted with every page, it proves the form came from us."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"respond-form|" + hash_token(token).encode(), hashlib.sha256).hexdigest()[:40]


@bp.before_request
def check_link_post() -> None:
    """Refuse cross-site posts: a foreign Origin or Referer, or a missing or wrong link proof."""
    if request.method != "POST":
        return
    token = (request.view_args or {}).get("token", "")
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin and urlsplit(origin).netloc != request.host:
        abort(403)
    # Bytes: compare_digest refuses str with characters outside ASCII (a hostile proof would give a 500).
    if not hmac.compare_digest(request.form.get(PROOF, "").encode(), link_proof(token).encode()):
        abort(400)


@bp.after_request
def _private(response: Response) -> Response:
    # The page is the respondent's alone: never cached by a shared device or proxy, never indexed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@dataclass(frozen=True)
class Visit:
    respondent: Respondent
    assessment: Assessment
    questionnaire: Questionnaire
    page_list: list[Page]
    role_label: str
    anonymous: bool = False

    @property
    def pages(self) -> list[str]:
        return [page.id for page in self.page_list]

    def page(self, page_id: str) -> Page | None:
        return next((page for page in self.page_list if page.id == page_id), None)

    def items_on(self, page: Page) -> list[Item]:
        return [self.questionnaire.item(item_id) for item_id in page.item_ids]


def _visit(token: str) -> Visit:
    lookup = find_by_token(token)
    if lookup.respondent is None or lookup.status is not TokenStatus.VALID:
        raise LinkProblem(lookup.status)
    respondent = lookup.respondent
    assessment = db.get_or_404(Assessment, respondent.assessment_id)
    questionnaire, _charter = definitions_for(assessment)
    role = next(r for r in questionnaire.roles if r.id == respondent.role)
    return Visit(respondent, assessment, questionnaire, role_pages(questionnaire, role.id), role.label.get("en", role.id),
                 role.anonymous)


def _gate(token: str, visit: Visit) -> ResponseReturnValue | None:
    """Answers are taken only while the assessment is collecting."""
    status = Status(visit.assessment.status.value)
    if status is Status.DRAFT:
        return render_template("respond/not_open.html", visit=visit)
    if status is not Status.COLLECTING:
        return redirect(url_for("respond.closed", token=token))
    return None


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    """The service worker that lets respondent pages open offline; served here so its scope is /r/."""
    script = (Path(cast(str, current_app.static_folder)) / "js" / "respond-sw.js").read_bytes()
    return Response(script, mimetype="text/javascript")


@bp.get("/<token>")
def start(token: str) -> ResponseReturnValue:
    """Send the respondent back to the page they stopped at."""
    visit = _visit(token)
    if (stop := _gate(token, visit)) is not None:
        return stop
    if visit.respondent.last_page is None:
        return _welcome_page(visit)
    page = resume_page(visit.pages, visit.respondent.last_page)
    if page == FINISH_PAGE:
        return redirect(url_for("respond.finish", token=token))
    return redirect(url_for("respond.page", token=token, dimension=page))


@bp.get("/<token>/welcome")
def welcome(token: str) -> ResponseReturnValue:
    """Say who asks, why, how long it takes and who will see the answers."""
    visit = _visit(token)
    if (stop := _gate(token, visit)) is not None:
        return stop
    return _welcome_page(visit)


def _welcome_page(visit: Visit) -> ResponseReturnValue:
    role = next(r for r in visit.questionnaire.roles if r.id == visit.respondent.role)
    return render_template(
        "respond/welcome.html", visit=visit, role=role, first_page=visit.pages[0] if visit.pages else FINISH_PAGE,
        minutes=minutes_for_role(visit.questionnaire, role.id),
        question_count=len(visit.questionnaire.items_for_role(role.id)),
    )


@bp.route("/<token>/<dimension>", methods=["GET", "POST"])
def page(token: str, dimension: str) -> ResponseReturnValue:
    """Show one dimension's questions for the respondent's role; every press of a button saves."""
    visit = _visit(token)
    if (stop := _gate(token, visit)) is not None:
        return stop
    shown = visit.page(dimension)  # "dimension" in the URL names a page: one dimension, a part of one, or two short ones
    if shown is None:
        abort(404)
    items = visit.items_on(shown)
    form = qforms.page_form(items, current_lang())()
    if request.method == "GET":
        qforms.fill_page(form, items, {k: answer_service.state_of(a) for k, a in answer_service.answers_by_item(visit.respondent).items()})
        return _render_page(visit, dimension, items, form)
    valid = form.validate()  # first: validating resets every field's errors
    uploads = uploads_in(form, items)
    refused = submissions.refused_files([Entry([], uploads, visit.respondent)])
    for (_entry, item_id), problem in refused.items():
        # A refused file is marked on its question and left out; the page's answers are still saved.
        form[item_id + qforms.FILE].errors = [evidence_message(problem)]
        uploads.pop(item_id, None)
    if not valid:
        return _render_page(visit, dimension, items, form, status=400)
    go = "stay" if refused else request.form.get("go", "next")
    target = neighbour(visit.pages, dimension, -1 if go == "back" else 1) if go in ("next", "back") else dimension
    entry = Entry(submissions_for(form, items), uploads, visit.respondent,
                  stop_at=FINISH_PAGE if go == "next" and target is None else (target or dimension))
    who = respondent_label(visit.respondent, visit.role_label, visit.anonymous)
    try:
        receipt = submissions.receive(AnswerSource.WEB, visit.assessment, visit.questionnaire, [entry], who)
    except SavingClosed:
        # The link was withdrawn, or the assessment closed, while this page was on its way.
        db.session.rollback()
        return start(token)
    db.session.commit()
    if receipt.conflicts:
        return _render_page(visit, dimension, items, form, conflicts=receipt.conflicts, status=409)
    if refused:
        return _render_page(visit, dimension, items, form, status=400, files_refused=True)
    if go == "later":
        return redirect(url_for("respond.saved", token=token))
    if entry.stop_at == FINISH_PAGE:
        return redirect(url_for("respond.finish", token=token))
    return redirect(url_for("respond.page", token=token, dimension=entry.stop_at))


def uploads_in(form, items: list[Item]) -> dict[str, Upload]:
    """The files attached on the page, by item (checked by the service before anything is saved)."""
    uploads = {}
    for item in items:
        storage = request.files.get(item.id + qforms.FILE) if item.evidence != "none" else None
        if storage is not None and storage.filename:
            uploads[item.id] = Upload(storage.filename, evidence_service.read_upload(storage.stream))
    return uploads


def _render_page(visit: Visit, dimension: str, items: list[Item], form, conflicts=(), status: int = 200,
                 files_refused: bool = False) -> ResponseReturnValue:
    context = page_context(visit.respondent, visit.questionnaire, dimension, items, form, conflicts)
    shown = visit.page(dimension)
    assert shown is not None  # the view answered an unknown page with a 404 before
    return render_template("respond/page.html", visit=visit, dimension=dimension, items=items, form=form,
                           files_refused=files_refused, proof=link_proof((request.view_args or {})["token"]),
                           page_title=page_title(visit.questionnaire, shown), page_dimensions=_dimensions_of(visit, shown),
                           **context), status


def page_title(q: Questionnaire, page: Page) -> str:
    """:return: the page's heading: its dimension(s), and which part of a split dimension it is."""
    lang = current_lang()
    labels = " · ".join(text(next(d.label for d in q.dimensions if d.id == dim), lang) for dim in page.dimensions)
    return _("%(title)s (part %(part)d of %(parts)d)", title=labels, part=page.part, parts=page.parts) if page.part else labels


def _dimensions_of(visit: Visit, page: Page) -> list[Any]:
    """The dimensions whose description the page opens with (a split dimension's first part only)."""
    return [d for d in visit.questionnaire.dimensions if d.id in page.dimensions] if page.part <= 1 else []


@bp.get("/<token>/finish")
def finish(token: str) -> ResponseReturnValue:
    """Thank the respondent, say what happens next, and let them review any page."""
    visit = _visit(token)
    if (stop := _gate(token, visit)) is not None:
        return stop
    return render_template("respond/finish.html", visit=visit, **_summary(visit))


@bp.get("/<token>/saved")
def saved(token: str) -> ResponseReturnValue:
    """Confirm that the answers are saved and how to come back."""
    visit = _visit(token)
    if (stop := _gate(token, visit)) is not None:
        return stop
    return render_template("respond/saved.html", visit=visit, **_summary(visit))


@bp.get("/<token>/closed")
def closed(token: str) -> ResponseReturnValue:
    """Once the assessment is closed, show the respondent's answers read-only."""
    visit = _visit(token)
    if not is_frozen(visit.assessment.status):
        return redirect(url_for("respond.start", token=token))
    return render_template("respond/closed.html", visit=visit, **_summary(visit))


def _summary(visit: Visit) -> dict[str, object]:
    states = {k: answer_service.state_of(a) for k, a in answer_service.answers_by_item(visit.respondent).items()}
    answered = {k for k, s in states.items() if s.answered}
    role_items = visit.questionnaire.items_for_role(visit.respondent.role)
    return {
        "progress": progress(visit.questionnaire, visit.respondent.role, answered, None),
        "states": states,
        "answer_text": answer_text,
        "items_by_page": {p.id: visit.items_on(p) for p in visit.page_list},
        "page_titles": {p.id: page_title(visit.questionnaire, p) for p in visit.page_list},
        "page_of": {item_id: p.id for p in visit.page_list for item_id in p.item_ids},
        "missing_evidence": [i for i in role_items if evidence_on(i, states.get(i.id), visit.respondent) == "missing"],
        "answered": answered,
    }


# --- Helpers of the pages above ------------------------------------------------------


def submissions_for(form: Any, items: list[Item]) -> list[Submission]:
    """Pair what was posted for each item with the state and version the page had shown."""
    subs = []
    for item in items:
        version = form[item.id + qforms.VERSION].data
        subs.append(Submission(
            item.id, qforms.submitted_state(form, item), form[item.id + qforms.WAS].data or "",
            qforms.parse_version(version),
        ))
    return subs


def evidence_message(problem: EvidenceProblem) -> str:
    return {
        EvidenceProblem.EMPTY: _("The file is empty."),
        EvidenceProblem.TOO_LARGE: _("The file is larger than 5 MB. Attach a smaller file or give a link instead."),
        EvidenceProblem.EXTENSION: _("This type of file is not accepted. Attach a PDF, PNG, JPG, DOCX, XLSX or ODT file."),
        EvidenceProblem.CONTENT: _("The file's content does not match its type. Attach a real PDF, PNG, JPG, DOCX, XLSX or ODT file."),
        EvidenceProblem.ARCHIVE: _("The file expands to far more than any real document (over 200 MB or 20,000 parts), so it is refused. Attach the document saved again, or a PDF."),
    }[problem]


def answer_text(item: Item, state: AnswerState | None) -> str:
    """An answer as the respondent would say it, for summaries and conflict messages."""
    lang = current_lang()
    if state is None or not state.answered:
        return _("No answer")
    if state.special == DONT_KNOW:
        return _("Don't know")
    if state.special == NOT_APPLICABLE:
        return _("Not applicable")
    if item.type is ItemType.LEVEL:
        return _("Level %(level)s: %(text)s", level=state.value, text=text((item.levels or {}).get(int(state.value)), lang))
    if item.type is ItemType.YES_NO:
        return dict(qforms.yes_no_choices()).get(str(state.value), str(state.value))
    if item.type is ItemType.NUMBER:
        return f"{float(state.value):g}"
    return str(state.value)


def evidence_on(item: Item, state: AnswerState | None, respondent: Respondent, files: list[Evidence] | None = None) -> str:
    """:return: "none" (not asked), "given", "missing" (required, answered, nothing attached) or "optional"."""
    if item.evidence == "none":
        return "none"
    if files is None:
        answer = answer_service.answers_by_item(respondent).get(item.id)
        files = _files_of([answer.id]).get(answer.id, []) if answer is not None else []
    if files or (state is not None and state.evidence_link):
        return "given"
    if item.evidence == "required" and state is not None and state.answered and state.special != NOT_APPLICABLE:
        return "missing"
    return "optional"


def _files_of(answer_ids: list[int]) -> dict[int, list[Evidence]]:
    found: dict[int, list[Evidence]] = {}
    if answer_ids:
        for evidence in db.session.scalars(select(Evidence).where(Evidence.answer_id.in_(answer_ids)).order_by(Evidence.id)):
            found.setdefault(cast(int, evidence.answer_id), []).append(evidence)  # not None: filtered above
    return found


def page_context(respondent: Respondent, q: Questionnaire, dimension: str, items: list[Item], form: Any,
                 conflicts: Any = ()) -> dict[str, Any]:
    """Everything the page shows besides the form: progress, files, notes, conflicts."""
    answers = answer_service.answers_by_item(respondent)
    states = {k: answer_service.state_of(a) for k, a in answers.items()}
    files = _files_of([answers[i.id].id for i in items if i.id in answers])
    for item in items:  # the hidden fields always carry what is stored now
        form[item.id + qforms.WAS].data = states.get(item.id, AnswerState()).digest()
        form[item.id + qforms.VERSION].data = str(answers[item.id].version_id) if item.id in answers else ""
    answered = {k for k, s in states.items() if s.answered}
    pages = [page.id for page in role_pages(q, respondent.role)]
    by_item: dict[str, Conflict] = {c.item_id: c for c in conflicts}
    return {
        "progress": progress(q, respondent.role, answered, dimension),
        "has_back": neighbour(pages, dimension, -1) is not None,
        "is_last": neighbour(pages, dimension, 1) is None,
        "files": {i.id: files.get(answers[i.id].id, []) if i.id in answers else [] for i in items},
        "evidence_status": {
            i.id: evidence_on(i, states.get(i.id), respondent, files.get(answers[i.id].id, []) if i.id in answers else [])
            for i in items
        },
        "conflicts": {k: (answer_text(q.item(k), c.mine), answer_text(q.item(k), c.theirs), c) for k, c in by_item.items()},
        "typed": qforms.TYPED,
        "f": qforms,
    }
