"""Placeholder for schema changes of issue 4 (expenditure pages); removed again if it stays empty.

Revision ID: a4b2d9e0c202
Revises: a4b1d9e0c101
Create Date: 2026-11-22 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4b2d9e0c202'
down_revision = 'a4b1d9e0c101'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
