"""answer feedback: readers' "this helped / this is wrong" on answers, for the review queue

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:30:00.000000

Every text column holds redacted text only (the question as searched, the answer, the
comment); the cited documents are a JSON list of ids, since a verdict outlives a deletion.
"""

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'answer_feedback',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('verdict', sa.String(length=12), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('document_ids', sa.Text(), nullable=False),
        sa.Column('resolved', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_answer_feedback_programme_id', 'answer_feedback', ['programme_id'])


def downgrade() -> None:
    op.drop_index('ix_answer_feedback_programme_id', table_name='answer_feedback')
    op.drop_table('answer_feedback')
