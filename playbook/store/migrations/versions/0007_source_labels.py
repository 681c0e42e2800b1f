"""source labels: source ids become keyed hashes, their readable form a redacted label

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:30:00.000000

The source ids themselves are rewritten by the application on its next start
(``IngestPipeline.upgrade_source_ids``): hashing them needs the installation's key and their
labels need the redaction engine, neither of which a migration has.
"""

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('source_label', sa.String(length=500), nullable=False, server_default='')
        )


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('source_label')
