"""The ethics committee's decision letter: prepared as plain data, rendered as a PDF with ReportLab, in any catalogue language.

The letter goes to the delegation, so it is built only from what the delegation may read:
never committee-only comments, never conflict-of-interest declarations.
The letter's language is chosen per letter (the delegation's), not the reader's interface
language, so its words are catalogue msgids rendered with ``readiness.i18n.gettext_in``.
"""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from readiness.i18n import N_, NC_, draft_notice, gettext_in
from readiness.config import Config
from readiness.domain.explain import text as pick
from readiness.domain.policies import counts_as_review
from readiness.questionnaire.schema import Charter

from .pdf_base import MARGIN, document_language, visual, Styles, flowing_table, plain, table

LANGUAGES = tuple(Config.LANGUAGES)
WORDS: dict[str, str] = {
    "committee": N_("Ethics committee"),
    "letter": N_("Decision letter"),
    "reference": N_("Reference"),
    "date": N_("Date"),
    "delegation": N_("Delegation"),
    "proposal": N_("Proposal"),
    "tool": N_("Tool"),
    "version": N_("Version"),
    "route": N_("Review route"),
    "full": N_("Full review"),
    "expedited": N_("Expedited review"),
    "dear": N_("To the {delegation} delegation,"),
    "intro": N_("The ethics committee has reviewed your proposal “{title}” (version {version}) and decided:"),
    "decision": N_("Decision"),
    "approved": N_("Approved"),
    "approved_with_conditions": N_("Approved with conditions"),
    "revise_and_resubmit": N_("Revise and resubmit"),
    "rejected": N_("Rejected"),
    "rationale": NC_("letter", "Rationale"),
    "conditions": N_("Conditions"),
    "condition": N_("Condition"),
    "owner": N_("Owner"),
    "due": N_("Due"),
    "evidence": N_("Evidence required"),
    "conditions_rule": N_("The tool may go live only once the committee has verified every condition. Upload the evidence for each condition in Readiness."),
    "points": N_("Points raised by the reviewers"),
    "item": N_("Charter commitment"),
    "comment": N_("Comment"),
    "next": N_("What happens next"),
    "next_approved": N_("You may proceed as described in the proposal. Tell the committee of any change to the data flows."),
    "next_approved_with_conditions": N_("Meet each condition by its date and upload the evidence; the chair verifies each one."),
    "next_revise_and_resubmit": N_("Revise the proposal in the light of the points above and resubmit it; the committee will see what changed."),
    "next_rejected": N_("The tool must not be introduced as proposed."),
    "signed": N_("For the ethics committee"),
    "chair": N_("Chair"),
    "page": N_("Page {n}"),
    "continuing": N_("Continuing review"),
    "next_suspended": N_("The approval is suspended: the tool must not be used until the committee reinstates it."),
    "next_withdrawn": N_("The approval is withdrawn: the tool must not be used."),
    "next_review_reopened": N_("The committee is reviewing the approval again and will tell you its decision."),
    "status_on": N_("Status on {date}"),
    "next_review": N_("Next continuing review"),
    "reason": N_("Reason"),
    "risk_map": N_("Incidents by likelihood (columns) and severity (rows)"),
    "severity_likelihood": N_("Severity / likelihood"),
    "review_reopened": N_("Review reopened"),
    "review_due": N_("Continuing review due"),
    "suspended": N_("Approval suspended"),
    "withdrawn": N_("Approval withdrawn"),
    "cleared": N_("Cleared: every condition verified"),
}


def word(key: str, lang: str, **values: str) -> str:
    return gettext_in(lang, WORDS[key], **values)


@dataclass(frozen=True)
class LetterCondition:
    text: str
    owner: str
    due: str
    evidence: str


@dataclass(frozen=True)
class Letter:
    lang: str
    reference: str
    issued: str
    delegation: str
    title: str
    tool: str
    version: int
    route: str
    outcome: str
    outcome_label: str
    rationale: str
    chair: str
    conditions: list[LetterCondition] = field(default_factory=list)
    points: list[tuple[str, str]] = field(default_factory=list)  # (charter item text, comment for the delegation)
    # The continuing review, when the approval has moved on since the decision (or incidents were logged).
    status_label: str = ""
    status_on: str = ""
    status_reason: str = ""
    next_review: str = ""
    risk: list[list[int]] = field(default_factory=list)  # counts, severity 5 to 1 by likelihood 1 to 5
    draft: str | None = None  # the draft-translation notice, when the letter's language is not reviewed


def build_letter(proposal: object, charter: Charter, lang: str, shown_status: str = "", today: date | None = None) -> Letter:
    """Prepare the letter of a decided proposal, from delegation-visible fields only.

    :param proposal: a ``readiness.models.Proposal`` with its decision.
    :param shown_status: the status people see now (``incidents.shown_status``); the letter adds the
        continuing review when it differs from the decision or incidents were logged.
    """
    lang = lang if lang in LANGUAGES else "en"
    decision = proposal.decision  # type: ignore[attr-defined]
    outcome = decision.outcome.value
    return Letter(
        lang=lang, reference=f"EC-{proposal.id}-v{proposal.version}",  # type: ignore[attr-defined]
        issued=_long_date(decision.decided_at.date(), lang),
        delegation=proposal.delegation.name, title=proposal.title,  # type: ignore[attr-defined]
        tool=proposal.assessment.tool_name, version=proposal.version,  # type: ignore[attr-defined]
        route=word(proposal.route.value if proposal.route else "full", lang),  # type: ignore[attr-defined]
        outcome=outcome, outcome_label=word(outcome, lang), rationale=decision.rationale, chair=decision.decided_by_name,
        conditions=[LetterCondition(c.text, c.owner, _long_date(c.due_date, lang), c.evidence_required)
                    for c in proposal.conditions],  # type: ignore[attr-defined]
        points=_points(proposal, charter, lang), draft=draft_notice(lang, charter),
        **_continuing(proposal, lang, shown_status, today),  # type: ignore[arg-type]
    )


def _continuing(proposal: object, lang: str, shown: str, today: date | None) -> dict[str, object]:
    incidents = list(getattr(proposal, "incidents", []) or [])
    outcome = proposal.decision.outcome.value  # type: ignore[attr-defined]
    if not shown or (shown == outcome and not incidents):
        return {}
    counts = Counter((i.likelihood, i.severity) for i in incidents)
    due = getattr(proposal, "review_due", None)
    return {
        "status_label": word(shown, lang) if shown in WORDS else shown,
        "status_on": word("status_on", lang, date=_long_date(today or date.today(), lang)),
        "status_reason": getattr(proposal, "status_reason", "") or "",
        "next_review": _long_date(due, lang) if due else "",
        "risk": [[counts.get((lk, sv), 0) for lk in range(1, 6)] for sv in range(5, 0, -1)] if incidents else [],
    }


def _points(proposal: object, charter: Charter, lang: str) -> list[tuple[str, str]]:
    # Reviewers stay anonymous in the letter; only their comments meant for the delegation appear.
    order = {item.id: index for index, item in enumerate(charter.items)}
    points = []
    for assignment in proposal.assignments:  # type: ignore[attr-defined]
        if not counts_as_review(assignment):
            continue
        points += [(row.item_id, row.comment) for row in assignment.items if row.comment]
    grouped: dict[str, list[str]] = {}
    for item_id, comment in sorted(points, key=lambda p: order.get(p[0], len(order))):
        grouped.setdefault(item_id, []).append(comment)
    # The delegation reads the commitment's words, never the charter's internal item id.
    return [(pick(charter.item(item_id).text, lang) if item_id in order else word("comment", lang), "\n\n".join(comments))
            for item_id, comments in grouped.items()]


def _long_date(day: date, lang: str) -> str:
    return format_date(day, format="long", locale=lang)


def render_letter(letter: Letter) -> bytes:
    """:return: the letter as PDF bytes (A4)."""
    with document_language(letter.lang):
        s = Styles()
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                                title=f"{word('letter', letter.lang)} {letter.reference}", author=word("committee", letter.lang),
                                lang=letter.lang)
        doc.build(_story(letter, s), onFirstPage=_footer(letter, s), onLaterPages=_footer(letter, s))
        return buffer.getvalue()


def _story(letter: Letter, s: Styles) -> list:
    w = lambda key, **v: word(key, letter.lang, **v)  # noqa: E731
    facts = [[w("reference"), letter.reference], [w("date"), letter.issued], [w("delegation"), letter.delegation],
             [w("proposal"), letter.title], [w("tool"), letter.tool], [w("version"), str(letter.version)], [w("route"), letter.route]]
    story: list = [Paragraph(plain(w("committee")), s.small), Paragraph(plain(w("letter")), s.title), Spacer(1, 2 * mm),
                   _facts(facts, s), Spacer(1, 5 * mm),
                   Paragraph(plain(w("dear", delegation=letter.delegation)), s.body),
                   Paragraph(plain(w("intro", title=letter.title, version=str(letter.version))), s.body),
                   Paragraph(plain(letter.outcome_label), s.big),
                   Paragraph(plain(w("rationale")), s.h2), Paragraph(plain(letter.rationale), s.body)]
    if letter.draft:
        story.insert(2, Paragraph(plain(letter.draft), s.small))
    if letter.conditions:
        rows = [["#", w("condition"), w("owner"), w("due"), w("evidence")]]
        rows += [[str(i), c.text, c.owner, c.due, c.evidence] for i, c in enumerate(letter.conditions, 1)]
        story += [Paragraph(plain(w("conditions")), s.h2), table(rows, s, [0.05, 0.35, 0.16, 0.16, 0.28]),
                  Spacer(1, 2 * mm), Paragraph(plain(w("conditions_rule")), s.body)]
    if letter.points:
        rows = [[w("item"), w("comment")]] + [[item, comment] for item, comment in letter.points]
        story += [Paragraph(plain(w("points")), s.h2), table(rows, s, [0.4, 0.6])]
    if letter.status_label:
        story += _continuing_story(letter, s)
    story += [Paragraph(plain(w("next")), s.h2), Paragraph(plain(w(_next_key(letter))), s.body), Spacer(1, 8 * mm),
              KeepTogether([Paragraph(plain(w("signed")), s.body), Paragraph(f"<b>{plain(letter.chair)}</b>", s.body),
                            Paragraph(plain(w("chair")), s.small)])]
    return story


def _next_key(letter: Letter) -> str:
    shown = next((key for key in ("suspended", "withdrawn", "review_reopened") if letter.status_label == word(key, letter.lang)), None)
    return f"next_{shown}" if shown else f"next_{letter.outcome}"


def _continuing_story(letter: Letter, s: Styles) -> list:
    w = lambda key, **v: word(key, letter.lang, **v)  # noqa: E731
    facts = [[letter.status_on, letter.status_label]]
    if letter.status_reason:
        facts.append([w("reason"), letter.status_reason])
    if letter.next_review:
        facts.append([w("next_review"), letter.next_review])
    story: list = [Paragraph(plain(w("continuing")), s.h2), _facts(facts, s)]
    if letter.risk:
        rows = [[w("severity_likelihood"), "1", "2", "3", "4", "5"]]
        rows += [[str(5 - index)] + [str(n) for n in counts] for index, counts in enumerate(letter.risk)]
        story += [Spacer(1, 2 * mm), KeepTogether([Paragraph(plain(w("risk_map")), s.small), table(rows, s, [0.3] + [0.14] * 5)])]
    return story


def _facts(facts: list[list[str]], s: Styles) -> Table:
    body = [[Paragraph(plain(k), s.small), Paragraph(plain(v), s.compact)] for k, v in facts]
    facts_table = flowing_table(body, colWidths=[40 * mm, None], hAlign="LEFT")
    facts_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                     ("TOPPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return facts_table


def _footer(letter: Letter, s: Styles):  # noqa: ANN202
    def draw(canvas, doc) -> None:  # noqa: ANN001
        canvas.saveState()
        canvas.setFont(s.body.fontName, 7.5)
        canvas.drawString(MARGIN, 10 * mm, visual(f"{word('committee', letter.lang)} · {letter.reference}", paragraph=False))
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, word("page", letter.lang, n=str(doc.page)))
        canvas.restoreState()

    return draw
