"""Placeholder for schema changes of issue 4 (budget pages); removed again if it stays empty.

Revision ID: a4b1d9e0c101
Revises: 39db430e1206
Create Date: 2026-11-22 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4b1d9e0c101'
down_revision = '39db430e1206'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
