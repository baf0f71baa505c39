"""current results carry their snapshot's summary

The HQ pages (heatmap, distributions, peers, flags and perception gaps, the API's benchmark) read
each delegation's dimension scores, intervals, role scores and flags. They read them from every
dimension and flag row of the current snapshots (five and more rows per delegation, each decoded
on every request) and the overall interval from the snapshot (on SQLite, after its 30 kB stored
result); they now read one row per delegation: the summary is copied beside the current result
when it is written (a snapshot never changes once stored), and back-filled here.

Revision ID: 36af639eb069
Revises: b3d7f9a2c6e8
Create Date: 2026-12-01 08:30:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from readiness.services.current_results import fill_summaries


# revision identifiers, used by Alembic.
revision = '36af639eb069'
down_revision = 'b3d7f9a2c6e8'
branch_labels = None
depends_on = None

def _json() -> sa.types.TypeEngine:
    return sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql')


# name -> (type, nullable once filled)
COLUMNS = {
    'questionnaire_version': (sa.String(length=50), False),
    'recommendation': (sa.String(length=50), False),
    'overall_score': (sa.Float(), True),
    'coverage': (sa.Float(), False),
    'overall_low': (sa.Float(), True),
    'overall_high': (sa.Float(), True),
    'scores': (_json(), False),
    'role_scores': (_json(), False),
    'flags': (_json(), False),
}


def upgrade():
    with op.batch_alter_table('current_results', schema=None) as batch_op:
        for name, (kind, _nullable) in COLUMNS.items():
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    fill_summaries(op.get_bind())
    with op.batch_alter_table('current_results', schema=None) as batch_op:
        for name, (kind, nullable) in COLUMNS.items():
            if not nullable:
                batch_op.alter_column(name, existing_type=kind, nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        # Every row was rewritten: without fresh statistics the planner guessed 24 times as many
        # rows and read every action item for the portfolio (88 ms at 20,000 assessments, 4 ms after).
        op.execute('ANALYZE current_results')


def downgrade():
    with op.batch_alter_table('current_results', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
