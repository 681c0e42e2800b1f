"""sign-in sessions: server-side sessions a browser cookie points at (keyed token hashes)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:20:00.000000

The token a browser holds is never stored: only HMAC-SHA256 of it under the installation's
key, so the table (or a backup of it) signs nobody in.
"""

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sign_in_sessions',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    op.create_index('ix_sign_in_sessions_username', 'sign_in_sessions', ['username'])
    op.create_index('ix_sign_in_sessions_expires_at', 'sign_in_sessions', ['expires_at'])


def downgrade() -> None:
    op.drop_index('ix_sign_in_sessions_expires_at', table_name='sign_in_sessions')
    op.drop_index('ix_sign_in_sessions_username', table_name='sign_in_sessions')
    op.drop_table('sign_in_sessions')
