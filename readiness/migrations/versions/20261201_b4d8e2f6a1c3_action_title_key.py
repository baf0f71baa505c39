"""generated action titles stored as a message id, rendered in the reader's language

action_items.title_key holds "flag:<flag code>" for a title generated from a flag; readers see
it re-titled in their language from the result's flag, and ``title`` keeps the creator's wording.
Existing generated actions get their key where it is safe: the action answers a flag (origin
equals source, not a decision condition) and was never edited since it was created. Any other
row keeps its free text, readable as before.

Revision ID: b4d8e2f6a1c3
Revises: a7b3c9d1e2f4
Create Date: 2026-12-01 05:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4d8e2f6a1c3'
down_revision = 'a7b3c9d1e2f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_key', sa.String(length=120), nullable=True))
    op.execute(
        "UPDATE action_items SET title_key = 'flag:' || origin "
        "WHERE origin IS NOT NULL AND origin = source AND source NOT IN ('manual', 'condition') "
        "AND version_id = 1 AND updated_at = created_at"
    )


def downgrade():
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_column('title_key')
