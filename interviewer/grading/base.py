"""The one grading interface: the offline rubric grader and the LLM judge both implement it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from interviewer.bank.schema import Question
from interviewer.domain.grades import Grade


class Grader(Protocol):
    """Grades the answers to one question (the original answer and any follow-up answers) together."""

    name: str

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade: ...


GraderFactory = Callable[[int], Grader]
"""Makes the grader for one sample index (an evals run: repeats draw distinct samples, and so distinct cache keys)."""
