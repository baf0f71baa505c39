"""mask identifying words

An answer's comment or free text can be masked in reports by the delegation; the text is kept.

Revision ID: 5a1d0c3e9b27
Revises: 20f7f336c7d6
Create Date: 2026-12-01 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1d0c3e9b27'
down_revision = '20f7f336c7d6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('masked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('masked_at')
