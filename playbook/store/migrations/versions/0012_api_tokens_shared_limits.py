"""HTTP API: personal access tokens; rate limits and sign-in throttling shared by replicas (issue 19)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:20:00.000000

``api_tokens`` keeps the SHA-256 of each token (never the token), its owner, name, scopes,
expiry, last use and revocation. ``rate_events`` holds one row per counted request of a rate
limit (bucket "llm" or "api", keyed by user or token id), so several processes share one
count; rows past their window are pruned as requests come. Sign-in throttling needs no
table: it already counts failures in the ``audit`` table, which every process shares.
"""

import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('scopes', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_api_tokens_username', 'api_tokens', ['username'])
    op.create_table(
        'rate_events',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('bucket', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=128), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_rate_events_bucket_key_at', 'rate_events', ['bucket', 'key', 'at'])


def downgrade() -> None:
    op.drop_index('ix_rate_events_bucket_key_at', table_name='rate_events')
    op.drop_table('rate_events')
    op.drop_index('ix_api_tokens_username', table_name='api_tokens')
    op.drop_table('api_tokens')
