"""current result per delegation, score intervals, table statistics

One row per delegation naming its latest closed or decided assessment and that result's
snapshot, back-filled here; HQ pages read it instead of ranking every assessment. Each
dimension score gains a bootstrap interval (computed at the next close; empty for older
snapshots). PostgreSQL gets fresh statistics, so its planner does not guess on big tables.

Revision ID: 9d4c2b7e1f30
Revises: b454db376986
Create Date: 2026-12-01 04:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d4c2b7e1f30'
down_revision = 'b454db376986'
branch_labels = None
depends_on = None

# The same statement as readiness.services.current_results.BACKFILL (migrations do not import the app).
BACKFILL = """
INSERT INTO current_results (delegation_id, assessment_id, snapshot_id)
SELECT delegation_id, assessment_id, snapshot_id FROM (
    SELECT a.delegation_id, a.id AS assessment_id, s.id AS snapshot_id,
           row_number() OVER (PARTITION BY a.delegation_id ORDER BY a.created_at DESC, a.id DESC) AS rank
    FROM assessments a JOIN result_snapshots s ON s.assessment_id = a.id
    WHERE a.status IN ('closed', 'decided') AND a.followup_of_id IS NULL
) ranked WHERE rank = 1
"""


def upgrade():
    op.create_table(
        'current_results',
        sa.Column('delegation_id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('snapshot_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_current_results_assessment_id_assessments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], name=op.f('fk_current_results_delegation_id_delegations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['snapshot_id'], ['result_snapshots.id'], name=op.f('fk_current_results_snapshot_id_result_snapshots'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('delegation_id', name=op.f('pk_current_results')),
        sa.UniqueConstraint('assessment_id', name=op.f('uq_current_results_assessment_id')),
        sa.UniqueConstraint('snapshot_id', name=op.f('uq_current_results_snapshot_id')),
    )
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overall_low', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('overall_high', sa.Float(), nullable=True))
    with op.batch_alter_table('snapshot_dimensions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interval_low', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('interval_high', sa.Float(), nullable=True))
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ANALYZE')


def downgrade():
    with op.batch_alter_table('snapshot_dimensions', schema=None) as batch_op:
        batch_op.drop_column('interval_high')
        batch_op.drop_column('interval_low')
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.drop_column('overall_high')
        batch_op.drop_column('overall_low')
    op.drop_table('current_results')
