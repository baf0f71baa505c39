"""Demonstration data: delegations, people, and assessments at every stage, reproducible by seed."""
from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE
from readiness.extensions import db
from readiness.models import (
    Answer,
    Assessment,
    CharterAnswer,
    CharterStatus,
    ContextType,
    Delegation,
    MeasuredInput,
    Respondent,
    Role,
    SpecialAnswer,
    User,
)
from readiness.models.types import utcnow
from readiness.questionnaire.schema import ItemType, Questionnaire
from readiness.services.assessments import close_assessment, open_assessment, start_assessment
from readiness.services.results import definitions_for

DEMO_PASSWORD = "demo-readiness-2026"
DEMO_DOMAIN = "demo.readiness.example"

PLACES = [
    ("Burkina Faso", "West Africa", ContextType.PROTRACTED_CRISIS),
    ("Guinea", "West Africa", ContextType.STABLE),
    ("Mali", "West Africa", ContextType.ACUTE_EMERGENCY),
    ("Lebanon", "Middle East", ContextType.PROTRACTED_CRISIS),
    ("Iraq", "Middle East", ContextType.PROTRACTED_CRISIS),
    ("Bangladesh", "South Asia", ContextType.PROTRACTED_CRISIS),
    ("Nepal", "South Asia", ContextType.STABLE),
    ("Ukraine", "Europe", ContextType.ACUTE_EMERGENCY),
    ("Romania", "Europe", ContextType.STABLE),
    ("Colombia", "Latin America", ContextType.PROTRACTED_CRISIS),
    ("Egypt", "Middle East", ContextType.STABLE),
    ("Sudan", "East Africa", ContextType.ACUTE_EMERGENCY),
]
SITES = ["capital office", "north sub-office", "south sub-office", "east base", "west base", "border programme"]
TOOLS = ["Primero / CPIMS+", "CommCare case management app", "Excel-based case tracker", "Tdh-built mobile CM app"]
# Profiles: mean level per dimension, how far managers see things more brightly than social workers.
PROFILES = {
    "strong": ({"needs": 3.4, "system": 3.5, "ict": 3.2, "staff": 3.3, "organisation": 3.4}, 0.2),
    "partial": ({"needs": 3.0, "system": 2.6, "ict": 2.0, "staff": 2.5, "organisation": 2.4}, 0.4),
    "weak": ({"needs": 2.2, "system": 1.2, "ict": 1.3, "staff": 1.6, "organisation": 1.5}, 0.3),
    "optimistic": ({"needs": 2.6, "system": 2.6, "ict": 2.4, "staff": 2.4, "organisation": 2.6}, 1.6),
}
COMMENTS = [
    "Power cuts most afternoons in the sub-office.",
    "We still rely on paper forms during home visits.",
    "Supervision happens, but not every week.",
    "Les coupures d'électricité sont fréquentes l'après-midi.",
]


@dataclass
class DemoSummary:
    delegations: int = 0
    assessments: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    skipped: bool = False

    def describe(self) -> str:
        if self.skipped:
            return "Demo data already loaded; nothing added."
        return f"Demo data: {self.delegations} delegations, {self.assessments} assessments."


def load_demo_data(*, delegations: int = 6, assessments: int = 12, seed: int = 7) -> DemoSummary:
    """Create demo users, delegations and assessments unless the demo admin already exists."""
    summary = DemoSummary(logins=_logins())
    if db.session.scalar(select(User).where(User.email == f"admin@{DEMO_DOMAIN}")) is not None:
        summary.skipped = True
        return summary
    rng = random.Random(seed)
    users = _create_users()
    places = _create_delegations(delegations)
    for user in users:
        if user.role is Role.MEMBER:
            user.delegations = places[:3] if user.email.startswith("member@") else places[3:5]
    for index in range(assessments):
        _create_assessment(rng, places[index % len(places)], users[2], index)
    summary.delegations, summary.assessments = len(places), assessments
    return summary


def _logins() -> list[tuple[str, str]]:
    return [
        (f"admin@{DEMO_DOMAIN}", "admin"),
        (f"hq@{DEMO_DOMAIN}", "headquarters"),
        (f"member@{DEMO_DOMAIN}", "delegation member (first three delegations)"),
        (f"member2@{DEMO_DOMAIN}", "delegation member (delegations four and five)"),
        (f"committee@{DEMO_DOMAIN}", "ethics committee member"),
        (f"chair@{DEMO_DOMAIN}", "ethics committee chair"),
    ]


def _create_users() -> list[User]:
    password = generate_password_hash(DEMO_PASSWORD)
    specs = [
        ("admin", "Amina Diallo", Role.ADMIN),
        ("hq", "Henri Quartier", Role.HQ),
        ("member", "Mariam Ouédraogo", Role.MEMBER),
        ("member2", "Rami Haddad", Role.MEMBER),
        ("committee", "Chiara Conti", Role.COMMITTEE),
        ("chair", "Chen Hui", Role.CHAIR),
    ]
    users = [User(email=f"{key}@{DEMO_DOMAIN}", name=name, password_hash=password, role=role) for key, name, role in specs]
    db.session.add_all(users)
    return users


def _create_delegations(count: int) -> list[Delegation]:
    created = []
    for index in range(count):
        country, region, context = PLACES[index % len(PLACES)]
        site = SITES[(index // len(PLACES)) % len(SITES)]
        suffix = f" {index // (len(PLACES) * len(SITES)) + 1}" if index >= len(PLACES) * len(SITES) else ""
        created.append(
            Delegation(name=f"{country} – {site}{suffix}", country=country, region=region, context_type=context)
        )
    db.session.add_all(created)
    db.session.flush()
    return created


def _create_assessment(rng: random.Random, delegation: Delegation, owner: User, index: int) -> Assessment:
    profile_name = rng.choice(list(PROFILES))
    if delegation.context_type is ContextType.ACUTE_EMERGENCY and rng.random() < 0.5:
        profile_name = "weak"
    assessment = start_assessment(
        owner,
        delegation,
        title=f"{rng.choice(TOOLS).split(' ')[0]} readiness {2024 + index % 3}",
        tool_name=rng.choice(TOOLS),
        scope="Case management for children at risk, from identification to case closure.",
        target_go_live=date(2025 + index % 3, 1 + index % 12, 1),
    )
    questionnaire, charter = definitions_for(assessment)
    stage = rng.random()
    if stage < 0.1:
        return assessment  # left as a draft
    open_assessment(owner, assessment)
    _answer(rng, assessment, questionnaire, PROFILES[profile_name])
    _figures(rng, assessment, profile_name)
    quality = PROFILES[profile_name][0]["system"]
    for item in charter.items:
        status = CharterStatus.MET if rng.random() < quality / 4 + 0.1 else rng.choice(list(CharterStatus))
        db.session.add(CharterAnswer(assessment_id=assessment.id, item_id=item.id, status=status))
    if stage > 0.25:
        close_assessment(owner, assessment)
    return assessment


def _answer(rng: random.Random, assessment: Assessment, q: Questionnaire, profile: tuple[dict[str, float], float]) -> None:
    means, optimism = profile
    counts = {"manager": 1, "social_worker": rng.randint(2, 4), "supervisor": 1, "it_admin": 1, "partner": rng.randint(0, 1)}
    for role in q.roles:
        for number in range(counts.get(role.id, 1)):
            anonymous = role.anonymous and rng.random() < 0.5
            respondent = Respondent(
                assessment_id=assessment.id,
                role=role.id,
                name=None if anonymous else f"{role.id.replace('_', ' ').title()} {number + 1}",
                token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                token_expires_at=utcnow() + timedelta(days=30),
                submitted_at=utcnow(),
            )
            shift = optimism / 2 if role.id == "manager" else -optimism / 2 if role.id == "social_worker" else 0
            respondent.answers = [
                _answer_for(rng, q, item, means.get(item.dimension, 2.5) + shift) for item in q.items_for_role(role.id)
            ]
            db.session.add(respondent)


def _answer_for(rng: random.Random, q: Questionnaire, item, mean: float) -> Answer:
    answer = Answer(item_id=item.id, questionnaire_id=q.id, questionnaire_version=q.version)
    roll = rng.random()
    if item.type is ItemType.TEXT:
        answer.value = rng.choice(COMMENTS) if roll < 0.5 else None
    elif roll < 0.04:
        answer.special = SpecialAnswer(DONT_KNOW)
    elif roll < 0.06 and not item.critical:
        answer.special = SpecialAnswer(NOT_APPLICABLE)
    else:
        level = max(0, min(4, round(rng.gauss(mean, 0.7))))
        if item.type is ItemType.YES_NO:
            answer.value = "yes" if level >= 3 else "partly" if level == 2 else "no"
        elif item.type is ItemType.NUMBER:
            answer.value = rng.randint(0, 40)
        else:
            answer.value = level
        if rng.random() < 0.1:
            answer.comment = rng.choice(COMMENTS)
    return answer


def _figures(rng: random.Random, assessment: Assessment, profile_name: str) -> None:
    workers = rng.randint(6, 40)
    strong = profile_name == "strong"
    figures = {
        "social_workers_fte": workers,
        "open_cases": workers * (rng.randint(10, 16) if strong else rng.randint(14, 40)),
        "supervisors_fte": max(1, workers // (rng.randint(4, 6) if strong else rng.randint(6, 14))),
        "staff_trained_cm": round(workers * (rng.uniform(0.75, 1) if strong else rng.uniform(0.2, 0.8))),
        "devices_available": round(workers * (rng.uniform(0.9, 1.2) if strong else rng.uniform(0.2, 0.9))),
        "power_hours": rng.randint(8, 12) if strong else rng.randint(2, 10),
        "field_sites_connected_pct": rng.randint(70, 100) if strong else rng.randint(10, 70),
    }
    for input_id, value in figures.items():
        db.session.add(MeasuredInput(assessment_id=assessment.id, input_id=input_id, value=float(value)))
