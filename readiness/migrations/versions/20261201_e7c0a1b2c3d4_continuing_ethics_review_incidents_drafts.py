"""continuing ethics review, incidents, review drafts, reminders sent

An approval carries a review interval and due date; delegations log incidents with likelihood and
severity; a proposal may be reopened, suspended or withdrawn; reviewers keep a draft of their review;
reminders sent are recorded so a second run the same day sends nothing.

Revision ID: e7c0a1b2c3d4
Revises: b4d8e2f6a1c3
Create Date: 2026-12-01 04:40:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'e7c0a1b2c3d4'
down_revision = 'b4d8e2f6a1c3'
branch_labels = None
depends_on = None

OLD_STATUSES = ('submitted', 'in_review', 'approved', 'approved_with_conditions', 'revise_and_resubmit', 'rejected',
                'cleared', 'superseded')
NEW_STATUSES = OLD_STATUSES + ('review_reopened', 'suspended', 'withdrawn')


def _json():
    return sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql')


def _status_check(values):
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('breach', 'lost_device', 'data_requested', 'complaint', 'automated_score', 'other',
                              name='incident_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('serious', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_incidents_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_incidents_reported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('reminders_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('kind', 'target_id', 'recipient', 'sent_on', name=op.f('uq_reminders_sent_kind_target_id_recipient_sent_on'))
    )

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_interval_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('review_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('status_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_proposals_review_due'), ['review_due'], unique=False)
        batch_op.drop_constraint(batch_op.f('ck_proposals_proposal_status'), type_='check')
        batch_op.create_check_constraint('proposal_status', _status_check(NEW_STATUSES))

    with op.batch_alter_table('reviewer_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', _json(), nullable=True))
        batch_op.add_column(sa.Column('draft_saved_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('reviewer_assignments', schema=None) as batch_op:
        batch_op.drop_column('draft_saved_at')
        batch_op.drop_column('draft')

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_proposals_proposal_status'), type_='check')
        batch_op.create_check_constraint('proposal_status', _status_check(OLD_STATUSES))
        batch_op.drop_index(batch_op.f('ix_proposals_review_due'))
        batch_op.drop_column('status_reason')
        batch_op.drop_column('review_due')
        batch_op.drop_column('review_interval_months')

    op.drop_table('reminders_sent')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_proposal_id'))
    op.drop_table('incidents')
