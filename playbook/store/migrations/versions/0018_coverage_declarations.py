"""declared strategic goals and knowledge domains for coverage (issue 21, item 3)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 18:40:00.000000

One table: a programme's declared goals and domains (markets and functions among them). The
name and description are redacted before they are stored; ``name_key`` (the folded name)
keeps one declaration per programme, kind and name.
"""

import sqlalchemy as sa
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'coverage_declarations',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('keywords', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('programme_id', 'kind', 'name_key'),
    )
    op.create_index(
        'ix_coverage_declarations_programme_id', 'coverage_declarations', ['programme_id']
    )


def downgrade() -> None:
    op.drop_index('ix_coverage_declarations_programme_id', table_name='coverage_declarations')
    op.drop_table('coverage_declarations')
