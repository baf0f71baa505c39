"""Forms of the ethics review: the proposal, screening, reviewers, declarations, reviews, decision, conditions."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from readiness.domain.answers import CharterStatus
from readiness.domain.incidents import IncidentKind
from readiness.domain.proposals import ConditionStatus, ProposalStatus
from readiness.questionnaire.schema import CharterLevel
from readiness.forms.once import OnceForm
from readiness.domain.review import Mark, Opinion
from readiness.domain.screening import Automation, Category, LegalFramework, RecipientKind, Route, Storage, Subject

LABELS: dict[type, dict[Any, Any]] = {
    Subject: {Subject.CHILDREN: _l("Children"), Subject.CAREGIVERS: _l("Parents and caregivers"),
              Subject.FAMILY_MEMBERS: _l("Other family members"), Subject.STAFF: _l("Staff"),
              Subject.COMMUNITY: _l("Community members")},
    Category: {Category.IDENTITY: _l("Identity (names, dates of birth, documents)"), Category.CONTACT: _l("Contact details"),
               Category.FAMILY: _l("Family composition"), Category.CASE_NOTES: _l("Case notes and assessments"),
               Category.HEALTH: _l("Health"), Category.SEXUAL_VIOLENCE: _l("Sexual violence"),
               Category.JUSTICE: _l("Justice and police matters"), Category.ETHNICITY_RELIGION: _l("Ethnicity or religion"),
               Category.PHOTOS: _l("Photos"), Category.BIOMETRICS: _l("Biometrics"), Category.LOCATION: _l("Location")},
    Storage: {Storage.ORGANISATION_SERVER: _l("On the organisation's own server"), Storage.CLOUD_IN_COUNTRY: _l("Cloud, in the country"),
              Storage.CLOUD_ABROAD: _l("Cloud, abroad"), Storage.DEVICES_ONLY: _l("Only on workers' devices")},
    RecipientKind: {RecipientKind.PARTNER_NGO: _l("Partner NGO"), RecipientKind.UN_AGENCY: _l("UN agency"),
                    RecipientKind.SOCIAL_SERVICES: _l("Government social services"),
                    RecipientKind.POLICE_JUSTICE: _l("Police or justice"), RecipientKind.DONOR: _l("Donor")},
    Automation: {Automation.NONE: _l("Nothing is automated"), Automation.REMINDERS: _l("Reminders only"),
                 Automation.ADVISORY_SCORING: _l("Risk scoring, as advice to the worker"),
                 Automation.AUTOMATED_DECISIONS: _l("Automated decisions")},
    LegalFramework: {LegalFramework.STRONG: _l("A data-protection law that is applied"),
                     LegalFramework.WEAK: _l("A law that is weak or not applied"), LegalFramework.ABSENT: _l("No data-protection law")},
    Route: {Route.FULL: _l("Full review"), Route.EXPEDITED: _l("Expedited review")},
    Mark: {Mark.ACCEPTABLE: _l("Acceptable"), Mark.NEEDS_CHANGE: _l("Needs change"), Mark.NOT_ACCEPTABLE: _l("Not acceptable"),
           Mark.NOT_APPLICABLE: _l("Not applicable")},
    Opinion: {Opinion.APPROVE: _l("Approved"), Opinion.APPROVE_WITH_CONDITIONS: _l("Approved with conditions"),
              Opinion.REVISE: _l("Revise and resubmit"), Opinion.REJECT: _l("Rejected")},
    ProposalStatus: {ProposalStatus.SUBMITTED: _l("Submitted, waiting for screening"), ProposalStatus.IN_REVIEW: _l("In review"),
                     ProposalStatus.APPROVED: _l("Approved"), ProposalStatus.CONDITIONS: _l("Approved with conditions"),
                     ProposalStatus.REVISE: _l("Revise and resubmit"), ProposalStatus.REJECTED: _l("Rejected"),
                     ProposalStatus.CLEARED: _l("Cleared: every condition verified"),
                     ProposalStatus.SUPERSEDED: _l("Superseded by a new version"),
                     ProposalStatus.REOPENED: _l("Review reopened"), ProposalStatus.SUSPENDED: _l("Approval suspended"),
                     ProposalStatus.WITHDRAWN: _l("Approval withdrawn")},
    CharterStatus: {CharterStatus.MET: _l("Met"), CharterStatus.PARTLY: _l("Partly met"), CharterStatus.NOT_MET: _l("Not met"),
                    CharterStatus.NOT_APPLICABLE: _l("Not applicable")},
    CharterLevel: {CharterLevel.BLOCKING: _l("Blocking"), CharterLevel.CONDITION: _l("Condition"),
                   CharterLevel.ADVISORY: _l("Advisory")},
    IncidentKind: {IncidentKind.BREACH: _l("Data breach"), IncidentKind.LOST_DEVICE: _l("Lost or stolen device"),
                   IncidentKind.DATA_REQUESTED: _l("Data requested by authorities or armed groups"),
                   IncidentKind.COMPLAINT: _l("Complaint from a child or family"),
                   IncidentKind.AUTOMATED_SCORE: _l("Automated score used without human judgement"),
                   IncidentKind.OTHER: _l("Other")},
    ConditionStatus: {ConditionStatus.OPEN: _l("Waiting for evidence"),
                      ConditionStatus.SUBMITTED: _l("Evidence submitted, waiting for the chair"),
                      ConditionStatus.RETURNED: _l("Returned: more evidence needed"), ConditionStatus.VERIFIED: _l("Verified")},
}
KINDS = {cls.__name__.lower(): cls for cls in LABELS} | {"recipient": RecipientKind, "legal": LegalFramework}
DESCRIPTION_LABELS = {
    "purpose": _l("What the tool is for, and how it serves social workers' daily work"),
    "data_detail": _l("What data on children and families is recorded, and why each is needed"),
    "access": _l("Who can see which data (roles, partners, supervisors)"),
    "sharing": _l("Which partners receive what, under which agreement"),
    "consent": _l("How children and families are informed, consent, and can see or correct their data"),
    "safeguards": _l("Security, retention and deletion, and what happens when a family objects"),
}


def label(value: Any, kind: str | None = None) -> str:
    """The reader's words for an enum member, or for a stored value of the enum named by ``kind``."""
    enum_class = KINDS[kind] if kind else type(value)
    try:
        return str(LABELS[enum_class][enum_class(value)])
    except (KeyError, ValueError):
        return str(getattr(value, "value", value))


def charter_status_label(value: str) -> str:
    """The delegation's self-assessment of a charter item, in the reader's words ("missing" when unanswered)."""
    return str(_l("Not answered")) if value == "missing" else label(value, "charterstatus")


def status_text(value: str) -> str:
    """A proposal's shown status (``incidents.shown_status``), in the reader's words."""
    return str(REVIEW_DUE) if value == "review_due" else label(value, "proposalstatus")


def choices(enum_class: Any) -> list[tuple[str, str]]:
    return [(member.value, LABELS[enum_class][member]) for member in enum_class]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RecipientForm(Form):
    name = StringField(_l("Recipient"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[("", _l("—"))] + choices(RecipientKind), validate_choice=False)
    receives = StringField(_l("What they receive"), validators=[Optional(), Length(max=500)])

    def validate_kind(self, field: SelectField) -> None:
        if field.data and field.data not in {m.value for m in RecipientKind}:
            raise ValidationError(_l("Choose a kind from the list."))
        if self.name.data and not field.data:
            raise ValidationError(_l("Say what kind of recipient this is."))


class ProposalForm(OnceForm):
    title = StringField(_l("Title of the proposal"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=5000)])
    subjects = MultiCheckboxField(_l("Whose data is recorded"), choices=choices(Subject), validators=[DataRequired()])
    categories = MultiCheckboxField(_l("Which kinds of data"), choices=choices(Category), validators=[DataRequired()])
    storage = RadioField(_l("Where the data is stored"), choices=choices(Storage), validators=[InputRequired()])
    recipients = FieldList(FormField(RecipientForm), min_entries=3, max_entries=10)
    retention_years = FloatField(_l("Retention period, in years"), validators=[Optional(), NumberRange(min=0, max=100)])
    automation = RadioField(_l("What is automated"), choices=choices(Automation), default="none", validators=[InputRequired()])
    new_technology = BooleanField(_l("The technology is new to the delegation or the sector"))
    legal_framework = RadioField(_l("National data-protection law"), choices=choices(LegalFramework), validators=[InputRequired()])
    cases_per_year = IntegerField(_l("Cases recorded per year"), validators=[Optional(), NumberRange(min=0)])
    links_other_systems = BooleanField(_l("The tool links or synchronises with other systems"))
    purpose = TextAreaField(DESCRIPTION_LABELS["purpose"], validators=[DataRequired(), Length(max=5000)])
    data_detail = TextAreaField(DESCRIPTION_LABELS["data_detail"], validators=[DataRequired(), Length(max=5000)])
    access = TextAreaField(DESCRIPTION_LABELS["access"], validators=[DataRequired(), Length(max=5000)])
    sharing = TextAreaField(DESCRIPTION_LABELS["sharing"], validators=[Optional(), Length(max=5000)])
    consent = TextAreaField(DESCRIPTION_LABELS["consent"], validators=[DataRequired(), Length(max=5000)])
    safeguards = TextAreaField(DESCRIPTION_LABELS["safeguards"], validators=[Optional(), Length(max=5000)])
    changes_note = TextAreaField(_l("What you changed since the committee's decision"), validators=[Optional(), Length(max=5000)])
    attachments = MultipleFileField(_l("Attachments (PDF, PNG, JPG, DOCX, XLSX or ODT; 5 MB each at most)"))

    def flows(self) -> dict[str, Any]:
        """The structured description as stored (``screening.DataFlows`` in JSON)."""
        return {
            "subjects": sorted(self.subjects.data or []), "categories": sorted(self.categories.data or []),
            "storage": self.storage.data, "retention_years": self.retention_years.data,
            "recipients": [{"name": r.form.name.data.strip(), "kind": r.form.kind.data, "data": (r.form.receives.data or "").strip()}
                           for r in self.recipients if r.form.name.data and r.form.name.data.strip()],
            "automation": self.automation.data, "new_technology": bool(self.new_technology.data),
            "legal_framework": self.legal_framework.data, "cases_per_year": self.cases_per_year.data,
            "links_other_systems": bool(self.links_other_systems.data),
        }


class ScreeningForm(FlaskForm):
    route = RadioField(_l("Route"), choices=choices(Route), validators=[InputRequired()])
    note = TextAreaField(_l("Note (required when you choose another route than proposed)"), validators=[Length(max=2000)])
    version_id = HiddenField()


class AssignForm(FlaskForm):
    reviewer = SelectField(_l("Committee member"), coerce=int, validators=[InputRequired()])


class DeclarationForm(FlaskForm):
    has_conflict = RadioField(_l("Do you have a conflict of interest with this proposal or its delegation?"), choices=[
        ("no", _l("No: I have no personal, professional or financial interest in it")),
        ("yes", _l("Yes: I recuse myself")),
    ], validators=[InputRequired()])
    note = TextAreaField(_l("If yes, describe the conflict (seen only by the committee chair)"), validators=[Length(max=2000)])


def review_form_class(item_ids: list[str]) -> type[FlaskForm]:
    """A review form with a mark, a comment and a committee-only comment per charter item."""
    fields: dict[str, Any] = {
        "opinion": RadioField(_l("Overall opinion"), choices=choices(Opinion), validators=[InputRequired()]),
        "opinion_comment": TextAreaField(_l("Comment for the delegation"), validators=[Length(max=5000)]),
        "committee_comment": TextAreaField(_l("Committee-only comment (never shown to the delegation)"), validators=[Length(max=5000)]),
    }
    for item_id in item_ids:
        fields[f"mark_{item_id}"] = RadioField(_l("Mark"), choices=choices(Mark), validators=[InputRequired(_l("Mark this item."))])
        fields[f"comment_{item_id}"] = TextAreaField(_l("Comment for the delegation"), validators=[Length(max=3000)])
        fields[f"committee_{item_id}"] = TextAreaField(_l("Committee-only comment"), validators=[Length(max=3000)])
    return type("ReviewForm", (FlaskForm,), fields)


class ConditionForm(Form):
    text = TextAreaField(_l("Condition"), validators=[Optional(), Length(max=2000)])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=200)])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    evidence_required = TextAreaField(_l("Evidence required"), validators=[Optional(), Length(max=2000)])

    def is_blank(self) -> bool:
        texts = (self.text.data, self.owner.data, self.evidence_required.data)
        return not any((value or "").strip() for value in texts) and not self.due_date.data

    def validate_due_date(self, field: DateField) -> None:
        # The decision is recorded today: a condition cannot fall due before it (the service checks too).
        if field.data and field.data < datetime.now(timezone.utc).date():
            raise ValidationError(_l("The due date cannot precede the decision date (today)."))

    def validate_text(self, field: TextAreaField) -> None:
        if self.is_blank():
            return
        missing = [f.label.text for f in (self.text, self.owner, self.due_date, self.evidence_required)
                   if not (f.data.strip() if isinstance(f.data, str) else f.data)]
        if missing:
            raise ValidationError(_l("Give every part of the condition: %(missing)s.", missing=", ".join(map(str, missing))))


class DecisionForm(FlaskForm):
    outcome = RadioField(_l("Decision"), choices=choices(Opinion), validators=[InputRequired()])
    rationale = TextAreaField(_l("Rationale"), validators=[DataRequired(), Length(max=10000)])
    conditions = FieldList(FormField(ConditionForm), min_entries=3, max_entries=20)
    review_interval_months = IntegerField(
        _l("Continuing review every (months), for an approval"), validators=[Optional(), NumberRange(min=1, max=60)])


def shown_version(field: HiddenField) -> int | None:
    """:return: the record version a form was shown with; None when not sent, 0 (never a version) when garbled."""
    raw = str(field.data or "").strip()
    if not raw:
        return None
    return int(raw) if raw.isascii() and raw.isdigit() else 0


class EvidenceForm(FlaskForm):
    note = TextAreaField(_l("What you did and what the files show"), validators=[Length(max=5000)])
    files = MultipleFileField(_l("Files (PDF, PNG, JPG, DOCX, XLSX or ODT; 5 MB each at most)"))
    version_id = HiddenField()


class CheckForm(FlaskForm):
    action = RadioField(_l("Your check"), choices=[("verify", _l("Verified: the evidence meets the condition")),
                                                  ("return", _l("Return: more evidence is needed"))],
                        validators=[InputRequired()])
    reason = TextAreaField(_l("What is missing (required to return)"), validators=[Length(max=2000)])
    version_id = HiddenField()


LIKELIHOOD = {1: _l("1 · Rare: could happen only in exceptional circumstances"),
              2: _l("2 · Unlikely: could happen, not expected"),
              3: _l("3 · Possible: might happen now and then"),
              4: _l("4 · Likely: will probably happen again"),
              5: _l("5 · Almost certain: expected to happen again")}
SEVERITY = {1: _l("1 · Negligible: no harm to a child or family"),
            2: _l("2 · Minor: short distress or inconvenience, quickly put right"),
            3: _l("3 · Moderate: harm or exposure that needs action to put right"),
            4: _l("4 · Major: serious harm, or a child's data exposed to people who may harm"),
            5: _l("5 · Severe: a child's safety or life put at risk")}
REVIEW_DUE = _l("Continuing review due")


class IncidentForm(OnceForm):
    item_id = SelectField(_l("Charter commitment concerned"), validators=[InputRequired()])
    kind = RadioField(_l("What happened"), choices=choices(IncidentKind), validators=[InputRequired()])
    likelihood = RadioField(_l("Likelihood that it happens again"), coerce=int,
                            choices=list(LIKELIHOOD.items()), validators=[InputRequired()])
    severity = RadioField(_l("Severity for children and families"), coerce=int,
                          choices=list(SEVERITY.items()), validators=[InputRequired()])
    occurred_on = DateField(_l("Date of the incident"), validators=[InputRequired()])
    description = TextAreaField(_l("What happened, and what you did"), validators=[DataRequired(), Length(max=5000)])


class ApprovalForm(FlaskForm):
    action = RadioField(_l("Your decision on the approval"), choices=[
        ("reinstate", _l("Continue or reinstate the approval (the next review falls due one interval from today)")),
        ("suspend", _l("Suspend the approval: the tool must stop being used until reinstated")),
        ("withdraw", _l("Withdraw the approval: final")),
    ], validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (the delegation reads it)"), validators=[DataRequired(), Length(max=5000)])
