"""spent one-use form tokens

A creating form (new assessment, invitation, action, proposal, user, delegation) carries a
one-use token; spending it in the write's transaction makes a second post of the same
form lead to the first one's result instead of creating a duplicate.

Revision ID: f0e1d2c3b4a5
Revises: 9d4c2b7e1f30
Create Date: 2026-12-01 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f0e1d2c3b4a5'
down_revision = '9d4c2b7e1f30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'spent_form_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('result_url', sa.String(length=500), nullable=False),
        sa.Column('spent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_spent_form_tokens_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_spent_form_tokens')),
        sa.UniqueConstraint('user_id', 'token_hash', name='uq_spent_form_tokens_user_id_token_hash'),
    )
    with op.batch_alter_table('spent_form_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spent_form_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('spent_form_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spent_form_tokens_user_id'))
    op.drop_table('spent_form_tokens')
