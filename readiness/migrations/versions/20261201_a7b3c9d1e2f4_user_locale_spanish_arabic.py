"""user interface language: Spanish and Arabic too

A user's saved language (users.locale) may now be es or ar, the languages added to LANGUAGES.

Revision ID: a7b3c9d1e2f4
Revises: c0113c7a5e11
Create Date: 2026-12-01 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7b3c9d1e2f4'
down_revision = 'c0113c7a5e11'
branch_labels = None
depends_on = None


def _locale_checks():
    # The initial schema named this CHECK "user_locale" on PostgreSQL and "ck_users_user_locale" on SQLite.
    checks = sa.inspect(op.get_bind()).get_check_constraints('users')
    return [c['name'] for c in checks if c.get('name') and 'locale' in (c.get('sqltext') or '')]


def upgrade():
    names = _locale_checks()
    with op.batch_alter_table('users', schema=None) as batch_op:
        for name in names:
            batch_op.drop_constraint(batch_op.f(name), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_user_locale'), "locale IN ('en', 'fr', 'es', 'ar')")


def downgrade():
    op.execute("UPDATE users SET locale = 'en' WHERE locale IN ('es', 'ar')")
    names = _locale_checks()
    with op.batch_alter_table('users', schema=None) as batch_op:
        for name in names:
            batch_op.drop_constraint(batch_op.f(name), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_user_locale'), "locale IN ('en', 'fr')")
