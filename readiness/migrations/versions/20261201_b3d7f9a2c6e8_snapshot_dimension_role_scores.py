"""snapshot dimensions keep their scores per role

The perception gaps on the HQ flags page read each current result's role scores per dimension.
They were read with a JSON path into every stored result (the database parsing whole results
on each request); they now sit beside the dimension's score, copied from the stored result
(already through the anonymity rule, e6f2a9c4b7d1).

Revision ID: b3d7f9a2c6e8
Revises: f3a9c2d7e5b1
Create Date: 2026-12-01 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import bindparam, column, select, table

from readiness.models.types import json_type


# revision identifiers, used by Alembic.
revision = 'b3d7f9a2c6e8'
down_revision = 'f3a9c2d7e5b1'
branch_labels = None
depends_on = None

_SNAPSHOTS = table("result_snapshots", column("id"), column("result", json_type()))
_DIMENSIONS = table("snapshot_dimensions", column("snapshot_id"), column("dimension_id"), column("role_scores", json_type()))


def upgrade():
    with op.batch_alter_table('snapshot_dimensions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role_scores', sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql'), nullable=True))
    connection = op.get_bind()
    rows = []
    for snapshot_id, stored in connection.execute(select(_SNAPSHOTS.c.id, _SNAPSHOTS.c.result)):
        dimensions = stored.get("dimensions") if isinstance(stored, dict) else None
        for dimension_id, found in (dimensions or {}).items():
            by_role = found.get("by_role") if isinstance(found, dict) else None
            if isinstance(by_role, dict):
                scores = {str(role): float(score) for role, score in by_role.items() if isinstance(score, (int, float))}
                rows.append({"s": snapshot_id, "d": dimension_id, "scores": scores})
    if rows:
        connection.execute(
            _DIMENSIONS.update()
            .where(_DIMENSIONS.c.snapshot_id == bindparam("s"), _DIMENSIONS.c.dimension_id == bindparam("d"))
            .values(role_scores=bindparam("scores")),
            rows,
        )


def downgrade():
    with op.batch_alter_table('snapshot_dimensions', schema=None) as batch_op:
        batch_op.drop_column('role_scores')
