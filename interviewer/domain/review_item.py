"""A rubric item under spaced review, as stored: a value shared by the engine (which schedules it) and storage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from interviewer.domain.grades import GapKind


@dataclass(frozen=True)
class ReviewItem:
    """A rubric item under review: its FSRS card (as the package serialises it) and when it is next due."""

    question_id: str
    kind: GapKind
    """``key_point``, ``star`` or ``misconception``."""
    item_id: str
    card: Mapping[str, Any]
    due: datetime
    reviews: int
    last_rating: int
    interview_id: str
    """The interview that first found the item missing (deleting it removes the item)."""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.question_id, self.kind, self.item_id)
