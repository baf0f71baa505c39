"""Demonstration data: delegations, people, and assessments at every stage, reproducible by seed.

``flask demo load --delegations 100 --assessments 5000`` builds a headquarters-sized
portfolio; the assessments themselves are written in bulk by ``demo_bulk``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import select
from readiness.i18n import N_
from readiness.services.accounts import hash_password

from readiness.extensions import db
from readiness.models import ContextType, Delegation, Role, User
from readiness.services.demo_followups import add_demo_followups
from readiness.services.current_results import analyze, rebuild_current_results
from readiness.services.demo_bulk import BATCH, plan_assessments, write_assessments
from readiness.services.demo_ethics import load_ethics_demo

DEMO_PASSWORD = "demo-readiness-2026"
DEMO_DOMAIN = "demo.readiness.example"

PLACES = [
    ("Burkina Faso", N_("West Africa"), ContextType.PROTRACTED_CRISIS),
    ("Guinea", N_("West Africa"), ContextType.STABLE),
    ("Mali", N_("West Africa"), ContextType.ACUTE_EMERGENCY),
    ("Lebanon", N_("Middle East"), ContextType.PROTRACTED_CRISIS),
    ("Iraq", N_("Middle East"), ContextType.PROTRACTED_CRISIS),
    ("Bangladesh", N_("South Asia"), ContextType.PROTRACTED_CRISIS),
    ("Nepal", N_("South Asia"), ContextType.STABLE),
    ("Ukraine", N_("Europe"), ContextType.ACUTE_EMERGENCY),
    ("Romania", N_("Europe"), ContextType.STABLE),
    ("Colombia", N_("Latin America"), ContextType.PROTRACTED_CRISIS),
    ("Egypt", N_("Middle East"), ContextType.STABLE),
    ("Sudan", N_("East Africa"), ContextType.ACUTE_EMERGENCY),
]
SITES = ["capital office", "north sub-office", "south sub-office", "east base", "west base", "border programme"]


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


def load_demo_data(*, delegations: int = 6, assessments: int = 12, seed: int = 7, followups: bool = False) -> DemoSummary:
    """Create demo users, delegations and assessments unless the demo admin already exists.

    Assessments are spread over each delegation's past (older ones closed or decided, the
    latest at any stage) and written in bulk, so a portfolio of thousands loads in minutes.
    """
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
    db.session.flush()
    plans = plan_assessments(rng, places, assessments)
    for start in range(0, len(plans), BATCH):
        write_assessments(rng, plans[start:start + BATCH], users[2])
    load_ethics_demo(users)
    if followups:  # decided rollouts with follow-ups and a planted outcome, for the calibration page
        add_demo_followups(places[:3], users[2])
    rebuild_current_results()
    analyze()
    summary.delegations, summary.assessments = len(places), len(plans)
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
    password = hash_password(DEMO_PASSWORD)
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
