"""self-declared consented attributes for the inclusion audit (issue 21, item 4)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 18:40:00.000000

Two tables: a programme's configured attributes (one row per programme, a JSON list), and
people's own declarations, each with the consent text agreed to and when. Withdrawal deletes
a declaration's row; deleting an account deletes its rows (cascade). A declaration's
``batch`` is null while it waits for enough others to declare the attribute, then the
number of the batch it was counted in.
"""

import sqlalchemy as sa
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'inclusion_configs',
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('attributes', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('programme_id'),
    )
    op.create_table(
        'inclusion_declarations',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('attribute', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=120), nullable=False),
        sa.Column('consent_text', sa.Text(), nullable=False),
        sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('batch', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('programme_id', 'user_id', 'attribute'),
    )
    op.create_index(
        'ix_inclusion_declarations_programme_id', 'inclusion_declarations', ['programme_id']
    )
    op.create_index('ix_inclusion_declarations_user_id', 'inclusion_declarations', ['user_id'])


def downgrade() -> None:
    op.drop_index('ix_inclusion_declarations_user_id', table_name='inclusion_declarations')
    op.drop_index('ix_inclusion_declarations_programme_id', table_name='inclusion_declarations')
    op.drop_table('inclusion_declarations')
    op.drop_table('inclusion_configs')
