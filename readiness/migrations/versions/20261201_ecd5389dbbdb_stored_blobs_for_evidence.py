"""stored blobs for evidence

Evidence bytes in the database, so several app servers can share them (EVIDENCE_STORAGE=database).

Revision ID: ecd5389dbbdb
Revises: 5a1d0c3e9b27
Create Date: 2026-12-01 01:16:03.595235

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ecd5389dbbdb'
down_revision = '5a1d0c3e9b27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_blobs',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_blobs'))
    )


def downgrade():
    op.drop_table('stored_blobs')
