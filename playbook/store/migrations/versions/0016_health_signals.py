"""early-warning signal states (snooze, resolve) (issue 21, item 1)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 18:40:00.000000

One row per signal a coordinator snoozed (until a day) or resolved (by whom, when, and an
optional note holding redacted text only). Signals themselves are computed, not stored.
"""

import sqlalchemy as sa
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'health_signal_states',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('until', sa.Date(), nullable=True),
        sa.Column('by_id', sa.String(length=32), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('programme_id', 'key'),
    )
    op.create_index(
        'ix_health_signal_states_programme_id', 'health_signal_states', ['programme_id']
    )


def downgrade() -> None:
    op.drop_index('ix_health_signal_states_programme_id', table_name='health_signal_states')
    op.drop_table('health_signal_states')
