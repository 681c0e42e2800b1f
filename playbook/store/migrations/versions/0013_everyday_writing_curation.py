"""everyday use: autosave, edits of own entries, curation decisions (issue 18)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:20:00.000000

Shared by everyday writing and curation, each in its own ``op.create_table`` blocks.
Writing: ``document_versions`` (the text an author's edit replaced: redacted copy, and the
author's own words encrypted) and ``notifications`` (redacted text only).
"""

import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # -- everyday writing: versions of edited documents, notifications (redacted text) --
    op.create_table(
        'document_versions',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('redacted_text', sa.Text(), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=True),
        sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_document_versions_document', 'document_versions', ['document_id', 'number']
    )
    op.create_table(
        'notifications',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('subject_id', sa.String(length=32), nullable=False),
        sa.Column('read', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_notifications_user_read', 'notifications', ['user_id', 'read'])


def downgrade() -> None:
    # -- everyday writing --
    op.drop_index('ix_notifications_user_read', table_name='notifications')
    op.drop_table('notifications')
    op.drop_index('ix_document_versions_document', table_name='document_versions')
    op.drop_table('document_versions')
