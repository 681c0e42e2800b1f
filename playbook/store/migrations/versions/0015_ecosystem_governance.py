"""ecosystem governance: advisor council, planned rotations, impact reports, validations (issue 20)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 15:20:00.000000

The advisor council (its charter per programme, members, meetings with their council-note
document ids, options tracked to decisions owned internally), rotations as programme
objects (linked to the debrief written after), mentors' quarterly impact reports, and
mentees' recounts of their learning objectives with the named observer's validation.
Every text column holds redacted text only.
"""

import sqlalchemy as sa
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'council_charters',
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('scope', sa.Text(), nullable=False),
        sa.Column('decision_rights', sa.Text(), nullable=False),
        sa.Column('cadence', sa.String(length=500), nullable=False),
        sa.Column('updated_by', sa.String(length=32), nullable=False),
        _when('updated_at'),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('programme_id'),
    )
    op.create_table(
        'council_members',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('affiliation', sa.String(length=200), nullable=False),
        sa.Column('expertise', sa.String(length=500), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        _when('added_at'),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_council_members_programme_id', 'council_members', ['programme_id'])
    op.create_table(
        'council_meetings',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('topic', sa.String(length=500), nullable=False),
        sa.Column('note_ids', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=32), nullable=False),
        _when('created_at'),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_council_meetings_programme_id', 'council_meetings', ['programme_id'])
    op.create_table(
        'council_options',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('meeting_id', sa.String(length=32), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('owner_id', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('decision', sa.Text(), nullable=False),
        sa.Column('raised_by', sa.String(length=32), nullable=False),
        _when('raised_at'),
        _when('decided_at', nullable=True),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id']),
        sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_council_options_programme_id', 'council_options', ['programme_id'])
    op.create_table(
        'planned_rotations',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('person_id', sa.String(length=32), nullable=False),
        sa.Column('function', sa.String(length=200), nullable=False),
        sa.Column('market', sa.String(length=200), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('anchor_project', sa.String(length=500), nullable=False),
        sa.Column('strategic_goal', sa.String(length=500), nullable=False),
        sa.Column('host_sponsor_id', sa.String(length=32), nullable=True),
        sa.Column('debrief_id', sa.String(length=32), nullable=True),
        sa.Column('created_by', sa.String(length=32), nullable=False),
        _when('created_at'),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id']),
        sa.ForeignKeyConstraint(['person_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['host_sponsor_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_planned_rotations_programme_id', 'planned_rotations', ['programme_id'])
    op.create_index('ix_planned_rotations_person_id', 'planned_rotations', ['person_id'])
    op.create_table(
        'impact_reports',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('mentor_id', sa.String(length=32), nullable=False),
        sa.Column('quarter', sa.String(length=7), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        _when('updated_at'),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id']),
        sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('programme_id', 'mentor_id', 'quarter'),
    )
    op.create_index('ix_impact_reports_programme_id', 'impact_reports', ['programme_id'])
    op.create_index('ix_impact_reports_quarter', 'impact_reports', ['quarter'])
    op.create_table(
        'objective_recounts',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('programme_id', sa.String(length=32), nullable=False),
        sa.Column('mentee_id', sa.String(length=32), nullable=False),
        sa.Column('objective_id', sa.String(length=32), nullable=False),
        sa.Column('objective', sa.Text(), nullable=False),
        sa.Column('quarter', sa.String(length=7), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('observer_id', sa.String(length=32), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        _when('created_at'),
        sa.Column('validation', sa.Text(), nullable=True),
        _when('validated_at', nullable=True),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id']),
        sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['observer_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_objective_recounts_programme_id', 'objective_recounts', ['programme_id'])
    op.create_index('ix_objective_recounts_objective_id', 'objective_recounts', ['objective_id'])
    op.create_index('ix_objective_recounts_observer_id', 'objective_recounts', ['observer_id'])


def downgrade() -> None:
    for table in (
        'objective_recounts',
        'impact_reports',
        'planned_rotations',
        'council_options',
        'council_meetings',
        'council_members',
        'council_charters',
    ):
        op.drop_table(table)
