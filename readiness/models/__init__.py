"""SQLAlchemy models, split by topic and re-exported here."""
from readiness.models.assessments import (
    ActionItem,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    CharterAnswer,
    CharterStatus,
    Decision,
    DecisionAmendment,
    MeasuredInput,
    Outcome,
)
from readiness.models.api import ApiToken
from readiness.models.audit import AuditEntry
from readiness.models.blobs import StoredBlob
from readiness.models.form_tokens import SpentFormToken
from readiness.models.ethics import (
    CommitteeDecision,
    Incident,
    ItemReview,
    Proposal,
    ProposalCondition,
    ProposalFile,
    ReminderSent,
    ReviewerAssignment,
)
from readiness.models.followups import CalibrationNote, FollowupReminder
from readiness.models.login_attempts import LoginAttempt
from readiness.models.people import ContextType, Delegation, Locale, Role, User, memberships
from readiness.models.responses import Answer, AnswerSource, Evidence, Respondent, SpecialAnswer
from readiness.models.sessions import RecoveryCode, UserSession
from readiness.models.results import CurrentResult, ResultSnapshot, SnapshotDimension, SnapshotFlag
from readiness.models.types import utcnow

__all__ = [
    "ActionItem",
    "ActionStatus",
    "ApiToken",
    "CalibrationNote",
    "FollowupReminder",
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "AuditEntry",
    "CharterAnswer",
    "CharterStatus",
    "CommitteeDecision",
    "ContextType",
    "CurrentResult",
    "Decision",
    "DecisionAmendment",
    "Delegation",
    "Evidence",
    "Incident",
    "ItemReview",
    "Locale",
    "LoginAttempt",
    "MeasuredInput",
    "Outcome",
    "Proposal",
    "ProposalCondition",
    "ProposalFile",
    "RecoveryCode",
    "Respondent",
    "ReminderSent",
    "ResultSnapshot",
    "ReviewerAssignment",
    "Role",
    "SpentFormToken",
    "SnapshotDimension",
    "SnapshotFlag",
    "SpecialAnswer",
    "StoredBlob",
    "AnswerSource",
    "User",
    "UserSession",
    "memberships",
    "utcnow",
]
