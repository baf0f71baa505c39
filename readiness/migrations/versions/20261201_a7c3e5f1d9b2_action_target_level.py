"""action target question and level

Each action of the plan can name the question it works on and the level it aims for, so
the plan page can show the recommendation the plan would reach.

Revision ID: a7c3e5f1d9b2
Revises: f0e1d2c3b4a5
Create Date: 2026-12-01 04:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e5f1d9b2'
down_revision = 'f0e1d2c3b4a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_item', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('target_level', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_column('target_level')
        batch_op.drop_column('target_item')
