"""respondent source, external id, e-mail for reminders

How a respondent's answers came in (web link, paper sheet, Kobo/ODK import), and the
submission's uuid or sheet code so the same import twice creates nothing new; where an
invitation was e-mailed and when the last reminder went, for reminders.

Revision ID: c0113c7a5e11
Revises: 5e55a0c0a11d
Create Date: 2026-12-01 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0113c7a5e11'
down_revision = '5e55a0c0a11d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'source', sa.Enum('web', 'paper', 'xlsform', name='answer_source', native_enum=False,
                              create_constraint=True, length=32),
            server_default='web', nullable=False))
        batch_op.add_column(sa.Column('external_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_respondents_assessment_id_external_id'), ['assessment_id', 'external_id'])


def downgrade():
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_respondents_assessment_id_external_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_respondents_answer_source'), type_='check')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('email')
        batch_op.drop_column('external_id')
        batch_op.drop_column('source')
