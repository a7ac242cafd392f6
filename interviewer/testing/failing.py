"""A model's grader that cannot reach its model: for tests of what a failed model call does (retry, or continue
offline) in plain mode and in the TUI."""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.bank.loader import load_bank
from interviewer.bank.schema import Question
from interviewer.domain.grades import Grade
from interviewer.gateway.errors import ModelError
from interviewer.grading.rubric_grader import RubricGrader


class ModelDown(ModelError):
    title = "Model unavailable"


class FailingGrader:
    """Fails like a model that cannot be reached (its first ``failures`` calls; all of them by default), then grades
    with the rubric."""

    name = "judge"

    def __init__(self, failures: int | None = None) -> None:
        self.calls = 0
        self.failures = failures

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        self.calls += 1
        if self.failures is None or self.calls <= self.failures:
            raise ModelDown("cannot reach http://localhost:11434", hint="start Ollama, or set OLLAMA_API_BASE")
        return await RubricGrader(load_bank()).grade(question, answers)
