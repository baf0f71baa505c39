"""The demo's planted follow-ups: the relation they plant shows on HQ's calibration page."""
from __future__ import annotations

from sqlalchemy import func, select

from readiness.domain.calibration import calibrate
from readiness.models import Assessment, Role
from readiness.read.calibration import calibration_cases
from readiness.services.demo import load_demo_data
from readiness.services.demo_followups import PLANTED


def test_the_planted_staff_relation_appears_on_the_calibration_page(client, db_session, login_as):
    load_demo_data(delegations=3, assessments=3, followups=True)
    db_session.commit()
    cases = calibration_cases()
    assert len(cases) == len(PLANTED) == 11
    # The planting rests on real staff flags in the baselines, not on labels.
    assert sum(1 for c in cases if "staff" in c.flag_groups) == sum(1 for p in PLANTED if p.staff_flagged) == 5
    figures = {c.key: c for c in calibrate(cases, min_cases=5).by_flag}
    staff = figures["staff"]
    # Staff flagged: 4 of 5 in trouble. Every other case: 1 of 6.
    assert (staff.cases, staff.trouble, staff.too_few) == (5, 4, False)
    others = [c for c in cases if "staff" not in c.flag_groups]
    assert (len(others), sum(1 for c in others if c.trouble)) == (6, 1)
    assert staff.recording_hours > 15 > max(c.recording_hours for c in others if not c.trouble)
    login_as(Role.HQ)
    html = client.get("/hq/calibration/").get_data(as_text=True)
    assert "Flagged: Staff capacity and attitudes" in html and "80 %" in html  # 4 / 5
    assert "11 cases in all." in html
    # Follow-ups in every state the pages show: closed, collecting, and one due but not started.
    statuses = dict(db_session.execute(select(Assessment.status, func.count()).where(
        Assessment.followup_of_id.is_not(None)).group_by(Assessment.status)).all())
    assert {s.value: n for s, n in statuses.items()} == {"closed": 11, "collecting": 1}
