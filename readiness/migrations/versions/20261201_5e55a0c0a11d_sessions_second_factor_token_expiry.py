"""sessions, second factor, token expiry

Server-side login sessions (logout and password changes end them everywhere), TOTP second
factor with recovery codes, forced change of temporary passwords, and API tokens that expire
and are bound to the role they were issued for.

Revision ID: 5e55a0c0a11d
Revises: b7c1e0a4d2f9
Create Date: 2026-12-01 01:20:00

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '5e55a0c0a11d'
down_revision = 'b7c1e0a4d2f9'
branch_labels = None
depends_on = None

# Tokens issued before expiry existed get this long from their creation.
LEGACY_TOKEN_DAYS = 90


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('second_factor_pending', sa.Boolean(), nullable=False),
    sa.Column('failed_codes', sa.Integer(), nullable=False),
    sa.Column('shown_once', sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('must_change_password', server_default=None)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=True))
    _backfill_tokens()
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('role', existing_type=sa.String(length=20), nullable=False)


def _backfill_tokens():
    # Existing tokens keep working for their holder's present role, for a limited time.
    connection = op.get_bind()
    tokens = sa.table('api_tokens', sa.column('id', sa.Integer()), sa.column('user_id', sa.Integer()),
                      sa.column('created_at', sa.DateTime(timezone=True)), sa.column('expires_at', sa.DateTime(timezone=True)),
                      sa.column('role', sa.String()))
    users = sa.table('users', sa.column('id', sa.Integer()), sa.column('role', sa.String()))
    rows = connection.execute(sa.select(tokens.c.id, tokens.c.created_at, users.c.role).join(users, users.c.id == tokens.c.user_id)).all()
    for token_id, created_at, role in rows:
        connection.execute(tokens.update().where(tokens.c.id == token_id).values(
            expires_at=created_at + timedelta(days=LEGACY_TOKEN_DAYS), role=role))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('role')
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('must_change_password')

    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
