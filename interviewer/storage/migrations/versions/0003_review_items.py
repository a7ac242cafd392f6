"""Spaced review: rubric items the candidate missed, each with its FSRS card and when it is due.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("interview_id", sa.String(32), sa.ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("card", sa.JSON, nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviews", sa.Integer, nullable=False),
        sa.Column("last_rating", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_items_item", "review_items", ["question_id", "kind", "item_id"], unique=True)
    op.create_index("ix_review_items_interview_id", "review_items", ["interview_id"])
    op.create_index("ix_review_items_due", "review_items", ["due"])


def downgrade() -> None:
    op.drop_index("ix_review_items_due", table_name="review_items")
    op.drop_index("ix_review_items_interview_id", table_name="review_items")
    op.drop_index("ix_review_items_item", table_name="review_items")
    op.drop_table("review_items")
