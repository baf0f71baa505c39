"""follow-ups: go-live date on decisions, follow-up assessments, calibration notes, reminders

A decision carries the go-live date follow-ups fall due from; a follow-up is an assessment
that names the decided assessment it follows and its interval in months (one per interval);
HQ's calibration notes keep the figures they were written against; one reminder per due
follow-up per day.

Revision ID: b454db376986
Revises: e7c0a1b2c3d4
Create Date: 2026-12-01 04:29:23.672493

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'b454db376986'
down_revision = 'e7c0a1b2c3d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calibration_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('written_by_name', sa.String(length=200), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=50), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('figures', sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_calibration_notes_written_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_notes'))
    )
    op.create_table('followup_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_followup_reminders_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_reminders')),
    sa.UniqueConstraint('assessment_id', 'months', 'sent_on', name=op.f('uq_followup_reminders_assessment_id_months_sent_on'))
    )
    with op.batch_alter_table('followup_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_reminders_assessment_id'), ['assessment_id'], unique=False)

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('followup_months', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_assessments_followup_of_id'), ['followup_of_id'], unique=False)
        batch_op.create_unique_constraint('uq_assessments_followup', ['followup_of_id', 'followup_months'])
        batch_op.create_foreign_key(batch_op.f('fk_assessments_followup_of_id_assessments'), 'assessments', ['followup_of_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('go_live_on', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('go_live_on')

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessments_followup_of_id_assessments'), type_='foreignkey')
        batch_op.drop_constraint('uq_assessments_followup', type_='unique')
        batch_op.drop_index(batch_op.f('ix_assessments_followup_of_id'))
        batch_op.drop_column('followup_months')
        batch_op.drop_column('followup_of_id')

    with op.batch_alter_table('followup_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_reminders_assessment_id'))

    op.drop_table('followup_reminders')
    op.drop_table('calibration_notes')
