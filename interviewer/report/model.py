"""The report of one interview: its questions' views, the overall scores and what to take away, as a pydantic
value (``interviewer report --format json``; ``--schema`` prints its JSON Schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from interviewer.report.view import QuestionOut, _Out

REPORT_SCHEMA_VERSION = 1


class OverallOut(_Out):
    score: float = Field(ge=1, le=5, description="Mean question score, skipped questions counting as 1")
    behavioral: float | None = None
    technical: float | None = None
    asked: int
    answered: int
    skipped: int


class PreviousOut(_Out):
    date: datetime
    score: float


class UsageOut(_Out):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


class Report(_Out):
    """The report of one interview (``interviewer report --format json``; ``--schema`` prints this schema)."""

    schema_version: Literal[1] = 1
    interview_id: str
    model: str
    mode: str
    status: str
    ended_early: bool
    created_at: datetime
    completed_at: datetime | None
    bank_version: str
    bank_hash: str
    questions: list[QuestionOut]
    overall: OverallOut
    strongest: list[str] = Field(description="Up to three strongest points")
    weakest: list[str] = Field(description="Up to three weakest points")
    next_steps: list[str] = Field(description="Up to three concrete next steps")
    previous: list[PreviousOut] = Field(default_factory=list, description="Overall scores of earlier interviews")
    change_since_last: float | None = None
    usage: UsageOut = Field(default_factory=UsageOut)
