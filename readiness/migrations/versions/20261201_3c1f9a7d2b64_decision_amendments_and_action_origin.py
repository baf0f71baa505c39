"""decision amendments and action origin

The decision's author can amend it with a reason, and every amendment is kept (what it was,
what it became). Generated actions carry their origin, unique per assessment, so a double
submit of "actions from flags" cannot insert the same action twice.

Revision ID: 3c1f9a7d2b64
Revises: ecd5389dbbdb
Create Date: 2026-12-01 01:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '3c1f9a7d2b64'
down_revision = 'ecd5389dbbdb'
branch_labels = None
depends_on = None


def _json():
    return sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql')


def upgrade():
    op.create_table('decision_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('amended_by_id', sa.Integer(), nullable=True),
    sa.Column('amended_by_name', sa.String(length=200), nullable=False),
    sa.Column('amended_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('before', _json(), nullable=False),
    sa.Column('after', _json(), nullable=False),
    sa.ForeignKeyConstraint(['amended_by_id'], ['users.id'], name=op.f('fk_decision_amendments_amended_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_amendments_decision_id_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_amendments'))
    )
    with op.batch_alter_table('decision_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_amendments_decision_id'), ['decision_id'], unique=False)

    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint('uq_action_items_assessment_origin', ['assessment_id', 'origin'])


def downgrade():
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_constraint('uq_action_items_assessment_origin', type_='unique')
        batch_op.drop_column('origin')

    with op.batch_alter_table('decision_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_amendments_decision_id'))

    op.drop_table('decision_amendments')
