"""withhold small anonymous groups in snapshots frozen before the rule

Snapshots taken before the anonymity rule hold the role scores and gap flags of anonymous
roles heard by fewer than the questionnaire's minimum group size. HQ pages and exports read
snapshots with SQL, so the stored results are rewritten through the same rule
(readiness.domain.anonymity.protect_result); nothing else changes. Downgrading keeps them
protected: the withheld figures are not restored.

Revision ID: e6f2a9c4b7d1
Revises: d4b8e2a6c1f3
Create Date: 2026-12-01 05:20:00.000000

"""
from alembic import op

from readiness.definitions import get_definitions
from readiness.services.results import protect_stored_snapshots


# revision identifiers, used by Alembic.
revision = 'e6f2a9c4b7d1'
down_revision = 'd4b8e2a6c1f3'
branch_labels = None
depends_on = None


def upgrade():
    protect_stored_snapshots(op.get_bind(), get_definitions().questionnaire)


def downgrade():
    pass
