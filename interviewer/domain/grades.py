"""Grades are values: what was found in an answer, with quoted evidence, and who graded it with what."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from interviewer.bank.schema import STAR_COMPONENTS, STAR_NAMES, STAR_QUALITIES, Kind
from interviewer.domain.phrasing import as_words, feedback_text

__all__ = [  # the STAR names are the bank's, re-exported with the values that use them
    "GAP_KINDS",
    "STAR_COMPONENTS",
    "STAR_NAMES",
    "STAR_QUALITIES",
    "FeedbackItem",
    "GapKind",
    "Grade",
    "KeyPointResult",
    "MisconceptionFound",
    "Score",
    "StarResult",
    "Status",
    "gap_kind",
]

GapKind = Literal["misconception", "key_point", "star"]
"""What kind of rubric item an answer can lack (also the kind of a review item and of a recurring gap)."""
GAP_KINDS: tuple[GapKind, ...] = ("misconception", "key_point", "star")
"""Every gap kind, in the order follow-ups take them by default."""


def gap_kind(value: str) -> GapKind:
    """``value`` as a gap kind (as stored); ValueError when it is none."""
    for kind in GAP_KINDS:
        if kind == value:
            return kind
    raise ValueError(f"not a gap kind: {value!r}")


Score = Annotated[int, Field(ge=1, le=5)]
FeedbackItem = Annotated[str, AfterValidator(feedback_text)]
"""A tip, strength or gap: whole sentences, at most ``phrasing.FEEDBACK_LIMIT`` characters, whoever wrote it."""


class Status(StrEnum):
    """How well an answer makes a key point."""

    HIT = "hit"
    PARTIAL = "partial"
    MISSED = "missed"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KeyPointResult(_Value):
    """One key point (technical) or question-specific criterion (behavioral)."""

    id: str
    description: str
    status: Status
    quote: str | None = None
    required: bool = True
    weight: int = 1
    support: float = Field(default=0.0, ge=0.0, le=1.0)
    """How much the answer says toward this point, 0 (nothing) to 1 (made): orders follow-ups among the points
    that are not fully made (the least supported first)."""


class StarResult(_Value):
    """One STAR component or quality, present or not, with the words that show it."""

    name: str
    present: bool
    quote: str | None = None


class MisconceptionFound(_Value):
    """A misconception (or red flag) the answer asserts."""

    id: str
    description: str
    quote: str | None = None
    correction: str = ""
    max_score: int = 2


class Grade(_Value):
    """The grade of one question (its answer and any follow-up answers, graded together)."""

    question_id: str
    kind: Kind
    score: Score
    star: list[StarResult] = Field(default_factory=list)
    key_points: list[KeyPointResult] = Field(default_factory=list)
    misconceptions: list[MisconceptionFound] = Field(default_factory=list)
    strengths: list[FeedbackItem] = Field(default_factory=list)
    gaps: list[FeedbackItem] = Field(default_factory=list)
    tip: FeedbackItem = ""
    reasoning: str | None = None
    grader: str
    """``rubric`` (offline) or ``judge`` (a model)."""
    model: str
    rubric_version: str
    prompt_hash: str | None = None
    fallback: bool = False
    """True when a model grade failed and the offline grader stood in."""
    disagreement: int | None = Field(default=None, ge=0, le=4)
    """With a model configured: how many levels apart the model's (verified) score and the offline grader's score
    were, 0-4; the larger, the less the grade is to be trusted. None when one grader graded alone."""

    def star_map(self) -> dict[str, bool]:
        """STAR components and qualities by name (behavioral; empty for technical)."""
        return {s.name: s.present for s in self.star}

    def lacking(self) -> list[tuple[GapKind, str, str]]:
        """What the answer lacks, as ``(kind, id, description)``: misconceptions asserted, key points missed or half
        made, STAR components absent (described by name)."""
        out: list[tuple[GapKind, str, str]] = [("misconception", m.id, m.description) for m in self.misconceptions]
        out += [("key_point", k.id, k.description) for k in self.key_points if k.status is not Status.HIT]
        out += [("star", s.name, as_words(s.name)) for s in self.star if not s.present]
        return out

    def key_point(self, kp_id: str) -> KeyPointResult | None:
        return next((k for k in self.key_points if k.id == kp_id), None)
