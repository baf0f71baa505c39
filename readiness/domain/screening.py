"""Ethics screening: which review route a proposal needs, and why.

The facts are computed here from the proposal's description of its data flows; which facts
trigger a full review, and the reasons given, live in the screening definition file, so a
committee can change its policy without touching code. The system proposes; the chair decides.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Subject(StrEnum):
    CHILDREN = "children"
    CAREGIVERS = "caregivers"
    FAMILY_MEMBERS = "family_members"
    STAFF = "staff"
    COMMUNITY = "community"


class Category(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    FAMILY = "family"
    CASE_NOTES = "case_notes"
    HEALTH = "health"
    SEXUAL_VIOLENCE = "sexual_violence"
    JUSTICE = "justice"
    ETHNICITY_RELIGION = "ethnicity_religion"
    PHOTOS = "photos"
    BIOMETRICS = "biometrics"
    LOCATION = "location"


SENSITIVE = frozenset(
    {Category.HEALTH, Category.SEXUAL_VIOLENCE, Category.JUSTICE, Category.ETHNICITY_RELIGION, Category.BIOMETRICS}
)


class Storage(StrEnum):
    ORGANISATION_SERVER = "organisation_server"
    CLOUD_IN_COUNTRY = "cloud_in_country"
    CLOUD_ABROAD = "cloud_abroad"
    DEVICES_ONLY = "devices_only"


class RecipientKind(StrEnum):
    PARTNER_NGO = "partner_ngo"
    UN_AGENCY = "un_agency"
    SOCIAL_SERVICES = "government_social_services"
    POLICE_JUSTICE = "police_justice"
    DONOR = "donor"


AUTHORITIES = frozenset({RecipientKind.SOCIAL_SERVICES, RecipientKind.POLICE_JUSTICE})


class Automation(StrEnum):
    NONE = "none"
    REMINDERS = "reminders_only"
    ADVISORY_SCORING = "risk_scoring_advisory"
    AUTOMATED_DECISIONS = "automated_decisions"


class LegalFramework(StrEnum):
    STRONG = "strong"
    WEAK = "weak"
    ABSENT = "absent"


class Route(StrEnum):
    FULL = "full"
    EXPEDITED = "expedited"


@dataclass(frozen=True)
class Recipient:
    name: str
    kind: RecipientKind
    data: str = ""


@dataclass(frozen=True)
class DataFlows:
    """The structured part of a proposal: what data on whom, where, shared with whom, automated how."""

    subjects: frozenset[Subject]
    categories: frozenset[Category]
    storage: Storage
    recipients: tuple[Recipient, ...] = ()
    retention_years: float | None = None
    automation: Automation = Automation.NONE
    new_technology: bool = False
    legal_framework: LegalFramework = LegalFramework.STRONG
    cases_per_year: int | None = None
    links_other_systems: bool = False


FACTS = (
    "children_are_data_subjects",
    "sensitive_categories",
    "shares_with_authorities",
    "automated_risk_scoring",
    "automated_decisions",
    "new_technology",
    "weak_or_absent_law",
    "cross_border_storage",
    "large_scale",
    "combines_datasets",
    "blocking_charter_unmet",
    "no_retention_limit",
)
"""Every fact a screening trigger may name; the loader refuses any other."""


def facts_of(flows: DataFlows, *, blocking_charter_unmet: bool, large_scale_cases: int) -> dict[str, bool]:
    """:return: every fact in ``FACTS`` for this proposal, true or false."""
    kinds = {recipient.kind for recipient in flows.recipients}
    return {
        "children_are_data_subjects": Subject.CHILDREN in flows.subjects,
        "sensitive_categories": bool(flows.categories & SENSITIVE),
        "shares_with_authorities": bool(kinds & AUTHORITIES),
        "automated_risk_scoring": flows.automation in (Automation.ADVISORY_SCORING, Automation.AUTOMATED_DECISIONS),
        "automated_decisions": flows.automation is Automation.AUTOMATED_DECISIONS,
        "new_technology": flows.new_technology,
        "weak_or_absent_law": flows.legal_framework is not LegalFramework.STRONG,
        "cross_border_storage": flows.storage is Storage.CLOUD_ABROAD,
        "large_scale": flows.cases_per_year is not None and flows.cases_per_year >= large_scale_cases,
        "combines_datasets": flows.links_other_systems,
        "blocking_charter_unmet": blocking_charter_unmet,
        "no_retention_limit": flows.retention_years is None,
    }


@dataclass(frozen=True)
class Reason:
    trigger_id: str
    route: Route
    text: dict[str, str]
    source: str
    dpia_criterion: bool


@dataclass(frozen=True)
class Screening:
    proposed_route: Route
    reasons: list[Reason] = field(default_factory=list)
    dpia_criteria: int = 0  # WP248 criteria met; two or more means a DPIA is required

    @property
    def dpia_required(self) -> bool:
        return self.dpia_criteria >= 2


def screen(definition: object, facts: dict[str, bool]) -> Screening:
    """Propose a route: "full" when any full-route trigger fires, otherwise the default.

    :param definition: a loaded screening definition (``readiness.questionnaire.schema.ScreeningPolicy``).
    :param facts: from ``facts_of``.
    """
    fired = [t for t in definition.triggers if facts[t.fact]]  # type: ignore[attr-defined]
    reasons = [Reason(t.id, Route(t.route), t.reason, t.source, t.dpia_criterion) for t in fired]
    route = Route.FULL if any(r.route is Route.FULL for r in reasons) else Route(definition.default_route)  # type: ignore[attr-defined]
    return Screening(route, reasons, sum(1 for r in reasons if r.dpia_criterion))
