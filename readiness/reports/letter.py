"""The ethics committee's decision letter: prepared as plain data, rendered as a PDF with ReportLab, in English or French.

The letter goes to the delegation, so it is built only from what the delegation may read:
never committee-only comments, never conflict-of-interest declarations.
The wording lives here rather than in the gettext catalogue because the letter's language is
chosen per letter (the delegation's), not the reader's interface language.
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

from readiness.domain.explain import text as pick
from readiness.domain.policies import counts_as_review
from readiness.questionnaire.schema import Charter

from .pdf_base import MARGIN, Styles, flowing_table, plain, table

LANGUAGES = ("en", "fr")
WORDS: dict[str, dict[str, str]] = {
    "committee": {"en": "Ethics committee", "fr": "Comité d'éthique"},
    "letter": {"en": "Decision letter", "fr": "Lettre de décision"},
    "reference": {"en": "Reference", "fr": "Référence"},
    "date": {"en": "Date", "fr": "Date"},
    "delegation": {"en": "Delegation", "fr": "Délégation"},
    "proposal": {"en": "Proposal", "fr": "Proposition"},
    "tool": {"en": "Tool", "fr": "Outil"},
    "version": {"en": "Version", "fr": "Version"},
    "route": {"en": "Review route", "fr": "Procédure d'examen"},
    "full": {"en": "Full review", "fr": "Examen complet"},
    "expedited": {"en": "Expedited review", "fr": "Examen accéléré"},
    "dear": {"en": "To the {delegation} delegation,", "fr": "À la délégation {delegation},"},
    "intro": {"en": "The ethics committee has reviewed your proposal “{title}” (version {version}) and decided:",
              "fr": "Le comité d'éthique a examiné votre proposition « {title} » (version {version}) et a décidé :"},
    "decision": {"en": "Decision", "fr": "Décision"},
    "approved": {"en": "Approved", "fr": "Approuvée"},
    "approved_with_conditions": {"en": "Approved with conditions", "fr": "Approuvée sous conditions"},
    "revise_and_resubmit": {"en": "Revise and resubmit", "fr": "À réviser et à soumettre de nouveau"},
    "rejected": {"en": "Rejected", "fr": "Rejetée"},
    "rationale": {"en": "Rationale", "fr": "Motivation"},
    "conditions": {"en": "Conditions", "fr": "Conditions"},
    "condition": {"en": "Condition", "fr": "Condition"},
    "owner": {"en": "Owner", "fr": "Responsable"},
    "due": {"en": "Due", "fr": "Échéance"},
    "evidence": {"en": "Evidence required", "fr": "Preuves demandées"},
    "conditions_rule": {"en": "The tool may go live only once the committee has verified every condition. Upload the evidence for each condition in Readiness.",
                        "fr": "L'outil ne peut être mis en service qu'une fois chaque condition vérifiée par le comité. Déposez les preuves de chaque condition dans Readiness."},
    "points": {"en": "Points raised by the reviewers", "fr": "Points soulevés par les membres du comité"},
    "item": {"en": "Charter commitment", "fr": "Engagement de la charte"},
    "comment": {"en": "Comment", "fr": "Commentaire"},
    "next": {"en": "What happens next", "fr": "Suite de la procédure"},
    "next_approved": {"en": "You may proceed as described in the proposal. Tell the committee of any change to the data flows.",
                      "fr": "Vous pouvez procéder comme décrit dans la proposition. Informez le comité de tout changement des flux de données."},
    "next_approved_with_conditions": {"en": "Meet each condition by its date and upload the evidence; the chair verifies each one.",
                                      "fr": "Remplissez chaque condition avant son échéance et déposez les preuves ; la présidence les vérifie une à une."},
    "next_revise_and_resubmit": {"en": "Revise the proposal in the light of the points above and resubmit it; the committee will see what changed.",
                                 "fr": "Révisez la proposition à la lumière des points ci-dessus et soumettez-la de nouveau ; le comité verra ce qui a changé."},
    "next_rejected": {"en": "The tool must not be introduced as proposed.", "fr": "L'outil ne doit pas être introduit tel que proposé."},
    "signed": {"en": "For the ethics committee", "fr": "Pour le comité d'éthique"},
    "chair": {"en": "Chair", "fr": "Présidence"},
    "page": {"en": "Page {n}", "fr": "Page {n}"},
    "continuing": {"en": "Continuing review", "fr": "Suivi éthique continu"},
    "next_suspended": {"en": "The approval is suspended: the tool must not be used until the committee reinstates it.",
                       "fr": "L'approbation est suspendue : l'outil ne doit pas être utilisé avant que le comité la rétablisse."},
    "next_withdrawn": {"en": "The approval is withdrawn: the tool must not be used.",
                       "fr": "L'approbation est retirée : l'outil ne doit pas être utilisé."},
    "next_review_reopened": {"en": "The committee is reviewing the approval again and will tell you its decision.",
                             "fr": "Le comité réexamine l'approbation et vous communiquera sa décision."},
    "status_on": {"en": "Status on {date}", "fr": "Statut au {date}"},
    "next_review": {"en": "Next continuing review", "fr": "Prochain réexamen"},
    "reason": {"en": "Reason", "fr": "Motif"},
    "risk_map": {"en": "Incidents by likelihood (columns) and severity (rows)",
                 "fr": "Incidents par probabilité (colonnes) et gravité (lignes)"},
    "severity_likelihood": {"en": "Severity / likelihood", "fr": "Gravité / probabilité"},
    "review_reopened": {"en": "Review reopened", "fr": "Examen rouvert"},
    "review_due": {"en": "Continuing review due", "fr": "Réexamen à faire"},
    "suspended": {"en": "Approval suspended", "fr": "Approbation suspendue"},
    "withdrawn": {"en": "Approval withdrawn", "fr": "Approbation retirée"},
    "cleared": {"en": "Cleared: every condition verified", "fr": "Levée : chaque condition vérifiée"},
}


def word(key: str, lang: str, **values: str) -> str:
    wording = WORDS[key]
    return (wording.get(lang) or wording["en"]).format(**values)


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
        points=_points(proposal, charter, lang),
        **_continuing(proposal, lang, shown_status, today),
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
        canvas.drawString(MARGIN, 10 * mm, f"{word('committee', letter.lang)} · {letter.reference}")
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, word("page", letter.lang, n=str(doc.page)))
        canvas.restoreState()

    return draw
