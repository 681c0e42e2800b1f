"""anonymous pulse surveys, one-time answer tokens, answers without identity (issue 21, item 2)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 18:40:00.000000

Series (title and questions) run as rounds; a used token is (round, keyed hash of the
person) and nothing else; a ballot is (random id, round, counted yet, answers) and
nothing else. Neither holds a user id or a time, and on SQLite both are WITHOUT ROWID
tables, so no hidden rowid keeps the order in which people answered.
"""

import sqlalchemy as sa
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'survey_series',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('questions', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_survey_series_programme_id', 'survey_series', ['programme_id'])
    op.create_table(
        'survey_rounds',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('series_id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('opened_on', sa.Date(), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('invited', sa.Integer(), nullable=False),
        sa.Column('group_size', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['series_id'], ['survey_series.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('series_id', 'number'),
    )
    op.create_index('ix_survey_rounds_series_id', 'survey_rounds', ['series_id'])
    op.create_index('ix_survey_rounds_programme_id', 'survey_rounds', ['programme_id'])
    op.create_table(
        'survey_tokens',
        sa.Column('round_id', sa.String(length=32), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'token'),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'survey_ballots',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('round_id', sa.String(length=32), nullable=False),
        sa.Column('counted', sa.Boolean(), nullable=False),
        sa.Column('answers', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_with_rowid=False,
    )
    op.create_index('ix_survey_ballots_round_id', 'survey_ballots', ['round_id'])


def downgrade() -> None:
    op.drop_index('ix_survey_ballots_round_id', table_name='survey_ballots')
    op.drop_table('survey_ballots')
    op.drop_table('survey_tokens')
    op.drop_index('ix_survey_rounds_programme_id', table_name='survey_rounds')
    op.drop_index('ix_survey_rounds_series_id', table_name='survey_rounds')
    op.drop_table('survey_rounds')
    op.drop_index('ix_survey_series_programme_id', table_name='survey_series')
    op.drop_table('survey_series')
