"""version figures and charter answers

Figures and charter answers get the version counter every other editable record has,
so a save made on an outdated page is refused instead of overwriting.

Revision ID: b7c1e0a4d2f9
Revises: 3c1f9a7d2b64
Create Date: 2026-12-01 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1e0a4d2f9'
down_revision = '3c1f9a7d2b64'
branch_labels = None
depends_on = None

TABLES = ('measured_inputs', 'charter_answers')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=False, server_default='1'))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('version_id', server_default=None)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version_id')
