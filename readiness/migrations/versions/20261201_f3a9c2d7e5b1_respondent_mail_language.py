"""respondent e-mail language

The language the invitation and reminder e-mails to a respondent are written in, chosen on the
invitation form (a respondent has no account, hence no saved interface language).

Revision ID: f3a9c2d7e5b1
Revises: e6f2a9c4b7d1
Create Date: 2026-12-01 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a9c2d7e5b1'
down_revision = 'e6f2a9c4b7d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'locale', sa.Enum('en', 'fr', 'es', 'ar', name='respondent_locale', native_enum=False,
                              create_constraint=True, length=32),
            nullable=True))


def downgrade():
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_respondents_respondent_locale'), type_='check')
        batch_op.drop_column('locale')
