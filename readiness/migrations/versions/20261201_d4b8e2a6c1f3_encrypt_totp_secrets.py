"""encrypt second-factor secrets at rest

The TOTP secret column widens to hold a Fernet token, and every secret already stored in
the clear is encrypted with the key from the configuration (TOTP_ENCRYPTION_KEY, else
SECRET_KEY; see readiness.models.encrypted). Downgrading decrypts them again.

Revision ID: d4b8e2a6c1f3
Revises: a7c3e5f1d9b2
Create Date: 2026-12-01 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from readiness.models.encrypted import PREFIX, decrypt, encrypt


# revision identifiers, used by Alembic.
revision = 'd4b8e2a6c1f3'
down_revision = 'a7c3e5f1d9b2'
branch_labels = None
depends_on = None

users = sa.table('users', sa.column('id', sa.Integer()), sa.column('totp_secret', sa.String()))


def _rewrite(change) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))).all()
    for user_id, stored in rows:
        new = change(stored)
        if new != stored:
            connection.execute(users.update().where(users.c.id == user_id).values(totp_secret=new))


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=True)
    config = current_app.config
    _rewrite(lambda stored: stored if stored.startswith(PREFIX) else encrypt(stored, config))


def downgrade():
    config = current_app.config
    _rewrite(lambda stored: decrypt(stored, config) if stored.startswith(PREFIX) else stored)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=True)
