"""The action plan: items raised from flags and decision conditions, followed by the delegation."""
from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select

from readiness.domain.result import Flag, Result
from readiness.domain.way_forward import RAISE_TO
from readiness.extensions import db
from readiness.models import ActionItem, ActionStatus, Assessment, Decision, User
from readiness.questionnaire.schema import Charter, Questionnaire
from readiness.reports.subjects import FLAG_TITLE, flag_action_title
from readiness.services import audit
from readiness.services.locking import check_version, lock

TITLE_MAX = 300
FLAG_SEVERITIES = frozenset({"critical", "major"})
CONDITION_SOURCE = "condition"


def actions_of(assessment: Assessment) -> list[ActionItem]:
    """:return: the assessment's action plan: open items by due date first, then the rest."""
    items = db.session.scalars(select(ActionItem).where(ActionItem.assessment_id == assessment.id)).all()
    closed = (ActionStatus.DONE, ActionStatus.DROPPED)
    return sorted(items, key=lambda a: (a.status in closed, a.due_date is None, a.due_date or date.max, a.id))


def create_action(
    actor: User | None, assessment: Assessment, *, title: str, owner: str = "", due_date: date | None = None,
    status: ActionStatus = ActionStatus.OPEN, source: str = "manual", origin: str | None = None,
    title_key: str | None = None,
    target_item: str | None = None, target_level: int | None = None,
) -> ActionItem:
    """Add one action to the plan; the same title added twice (a double submit) gives the first one back.

    :param origin: for a generated action, what it answers (unique per assessment); None when typed in.
    :param title_key: for a generated title, its message id (``flag:<code>``), rendered per reader.
    :param target_item: the question the action works on, with ``target_level`` the level it aims for.
    """
    lock(assessment)
    twin = db.session.scalar(select(ActionItem).where(ActionItem.assessment_id == assessment.id,
                                                      ActionItem.title == _clip(title), ActionItem.source == source))
    if twin is not None and source == "manual":
        return twin
    action = ActionItem(assessment_id=assessment.id, source=source, origin=origin, title=_clip(title), title_key=title_key,
                        owner=owner.strip(), due_date=due_date, status=status,
                        target_item=target_item if target_level is not None else None,
                        target_level=target_level if target_item else None)
    db.session.add(action)
    db.session.flush()
    audit.record(actor, "action.create", action, assessment_id=assessment.id, after=_summary(action))
    return action


def update_action(
    actor: User | None, action: ActionItem, *, version_id: int, title: str, owner: str, due_date: date | None,
    status: ActionStatus, target: tuple[str | None, int | None] | None = None,
) -> ActionItem:
    """Save an edit made on the version the editor loaded.

    :param target: the question and level the action aims for (``(None, None)``: none); None keeps them.

    :raise EditConflict: the item changed since ``version_id``; nothing is saved.
    """
    check_version(action, version_id)
    before = _summary(action)
    if _clip(title) != action.title:
        action.title_key = None  # the editor's own words replace the generated title in every language
    action.title, action.owner, action.due_date, action.status = _clip(title), owner.strip(), due_date, status
    if target is not None:
        action.target_item, action.target_level = target
    db.session.flush()
    audit.record(actor, "action.update", action, assessment_id=action.assessment_id, before=before,
                 after=_summary(action))
    return action


def delete_action(actor: User | None, action: ActionItem, *, version_id: int) -> None:
    """Remove an action added by mistake (dropping it keeps it in the plan instead).

    :raise EditConflict: the item changed since ``version_id``.
    """
    check_version(action, version_id)
    audit.record(actor, "action.delete", action, assessment_id=action.assessment_id, before=_summary(action))
    db.session.delete(action)
    db.session.flush()


def create_actions_from_flags(
    actor: User | None, assessment: Assessment, result: Result, questionnaire: Questionnaire,
    charter: Charter | None, decision: Decision | None, lang: str,
) -> list[ActionItem]:
    """Propose one action per critical or major flag and per line of the decision's conditions.

    Each title starts with what the flag is about (dimension, roles, question or figure).
    Flags and conditions that already have an action (even a done or dropped one) are skipped,
    so pressing the button twice adds nothing; two presses racing each other are stopped by
    the unique origin.
    :return: the actions created.
    :raise IntegrityError: a concurrent request created one of these actions first.
    """
    lock(assessment)  # a second press waits for the first, then sees its actions
    sources, titles = _already_planned(assessment)
    created = []
    for flag in result.flags:
        if flag.severity in FLAG_SEVERITIES and flag.code not in sources:
            # The title is stored in the creator's language as a fallback; readers see it re-titled
            # in their own language from title_key (see reports.subjects.flag_action_title).
            item, level = _flag_target(flag, questionnaire)
            title = flag_action_title(flag, questionnaire, charter, lang)
            created.append(create_action(actor, assessment, title=title, source=flag.code[:100], origin=flag.code[:120],
                                         title_key=(FLAG_TITLE + flag.code)[:120],
                                         target_item=item, target_level=level))
            sources.add(flag.code)
    for line in (decision.conditions if decision else "").splitlines():
        title = _clip(line.strip(" -•*\t"))
        if title and title not in titles:
            origin = CONDITION_SOURCE + ":" + hashlib.sha256(title.encode()).hexdigest()[:40]
            created.append(create_action(actor, assessment, title=title, source=CONDITION_SOURCE, origin=origin))
            titles.add(title)
    return created


def _flag_target(flag: Flag, questionnaire: Questionnaire) -> tuple[str | None, int | None]:
    """:return: for a flag about one scored question, that question and the level a working practice has."""
    item = next((i for i in questionnaire.items if i.id == flag.subject and i.scored), None)
    if item is None:
        return None, None
    return item.id, max(RAISE_TO, item.critical.min_level if item.critical else 0)


def _already_planned(assessment: Assessment) -> tuple[set[str], set[str]]:
    """:return: the sources of the plan's actions, and the titles of its condition actions."""
    existing = db.session.scalars(select(ActionItem).where(ActionItem.assessment_id == assessment.id)).all()
    return {a.source for a in existing}, {a.title for a in existing if a.source == CONDITION_SOURCE}


def _clip(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _summary(action: ActionItem) -> dict[str, object]:
    return {
        "title": action.title,
        "owner": action.owner,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.status.value,
        "source": action.source,
        "target": f"{action.target_item} ≥ {action.target_level}" if action.target_item else None,
    }
