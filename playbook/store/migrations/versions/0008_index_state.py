"""index state: the build of each derived index the store expects (token and generation)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 09:00:00.000000

Rows are created by the application (``SqlRecords.index_states``) the first time it looks;
an index without a stamp is checked against the ledger's chunk counts and stamped then.
"""

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'index_state',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('token', sa.String(length=64), nullable=True),
        sa.Column('rebuilt_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('index_state')
