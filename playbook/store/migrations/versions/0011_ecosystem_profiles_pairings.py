"""ecosystem: profiles, pairings, commitments, mentoring sessions (issue 20)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:20:00.000000

Mentoring profiles (one per programme, user and role) and mentees' learning objectives (rows
of their own with stable ids, retired rather than deleted); pairings with their private
rematch reasons, sessions held, touchpoints planned, and the log of suggestions the balance
check counts. Every text column holds redacted text only.
"""

import sqlalchemy as sa
from alembic import op


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.String(length=32), nullable=False)


def _at(name: str = "created_at", nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _pairing_child(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        _id(),
        sa.Column("pairing_id", sa.String(length=32), nullable=False),
        *columns,
        _at(),
        sa.ForeignKeyConstraint(["pairing_id"], ["mentoring_pairings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{name}_pairing_id", name, ["pairing_id"])


def upgrade() -> None:
    op.create_table(
        "mentoring_profiles",
        _id(),
        sa.Column("programme_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("expertise", sa.Text(), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("functions", sa.JSON(), nullable=False),
        sa.Column("markets", sa.JSON(), nullable=False),
        sa.Column("style", sa.String(length=100), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("availability", sa.Text(), nullable=False),
        sa.Column("seniority", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.String(length=32), nullable=True),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        _at("updated_at"),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "user_id", "role"),
    )
    op.create_index("ix_mentoring_profiles_programme_id", "mentoring_profiles", ["programme_id"])
    op.create_index("ix_mentoring_profiles_user_id", "mentoring_profiles", ["user_id"])
    op.create_table(
        "mentoring_objectives",
        _id(),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("programme_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        _at(),
        sa.ForeignKeyConstraint(["profile_id"], ["mentoring_profiles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    for col in ("profile_id", "programme_id", "user_id"):
        op.create_index(f"ix_mentoring_objectives_{col}", "mentoring_objectives", [col])
    op.create_table(
        "mentoring_pairings",
        _id(),
        sa.Column("programme_id", sa.String(length=32), nullable=False),
        sa.Column("mentor_id", sa.String(length=32), nullable=False),
        sa.Column("mentee_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("objective_ids", sa.JSON(), nullable=False),
        sa.Column("min_sessions_per_quarter", sa.Integer(), nullable=False),
        sa.Column("mentor_accepted", sa.Boolean(), nullable=False),
        sa.Column("mentee_accepted", sa.Boolean(), nullable=False),
        sa.Column("proposed_by", sa.String(length=32), nullable=False),
        sa.Column("approved_by", sa.String(length=32), nullable=True),
        _at(),
        _at("updated_at"),
        _at("ended_at", nullable=True),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"]),
        sa.ForeignKeyConstraint(["mentor_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["mentee_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    for col in ("programme_id", "mentor_id", "mentee_id", "state"):
        op.create_index(f"ix_mentoring_pairings_{col}", "mentoring_pairings", [col])
    _pairing_child(
        "mentoring_pairing_reasons",
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    _pairing_child(
        "mentoring_sessions",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("logged_by", sa.String(length=32), nullable=False),
    )
    _pairing_child(
        "mentoring_touchpoints",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cycle", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
    )
    op.create_table(
        "mentoring_suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("programme_id", sa.String(length=32), nullable=False),
        sa.Column("mentee_id", sa.String(length=32), nullable=False),
        sa.Column("mentor_id", sa.String(length=32), nullable=False),
        _at(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_mentoring_suggestions_programme_id", "mentoring_suggestions", ["programme_id"]
    )
    op.create_index("ix_mentoring_suggestions_mentor_id", "mentoring_suggestions", ["mentor_id"])


def downgrade() -> None:
    for table in (
        "mentoring_suggestions",
        "mentoring_touchpoints",
        "mentoring_sessions",
        "mentoring_pairing_reasons",
        "mentoring_pairings",
        "mentoring_objectives",
        "mentoring_profiles",
    ):
        op.drop_table(table)
