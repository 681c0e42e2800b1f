"""ecosystem: profiles, pairings, commitments, mentoring sessions (issue 20)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:20:00.000000

Reserved slot in the chain, so that work on several issues can land in any order; it
changes nothing until its owner fills it in.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
