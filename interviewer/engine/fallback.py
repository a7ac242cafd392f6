"""The model-backed engine with the offline engine behind it: when the model fails (after its retries) or the budget
is spent, the offline grader and prober stand in, and the interview goes on.

A grade made by the stand-in is marked ``fallback=True``. The budget is checked *before* each model call. The first
failure of each kind becomes a ledger notice (title and hint), so the user learns why, once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from interviewer.bank.schema import Question
from interviewer.domain.grades import Grade
from interviewer.engine.probing import ClarifyAsk, ProbeAsk, Prober, TextSink
from interviewer.gateway.errors import ModelError
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.base import Grader

T = TypeVar("T")


class _Fallback:
    """What the two wrappers share: the budget check and the notices."""

    def __init__(self, ledger: UsageLedger | None) -> None:
        self.ledger = ledger
        self.errors: list[ModelError] = []
        self._noticed: set[str] = set()

    def over_budget(self) -> bool:
        return self.ledger is not None and self.ledger.over_budget

    def failed(self, exc: ModelError) -> None:
        self.errors.append(exc)
        if exc.title in self._noticed or self.ledger is None:
            return
        self._noticed.add(exc.title)
        text = f"{exc.title}: {exc.message}. The offline engine stands in."
        if exc.hint:
            text += f" Hint: {exc.hint}"
        self.ledger.notices.append(text)

    async def first_of(self, primary: Callable[[], Awaitable[T]], stand_in: Callable[[], Awaitable[T]]) -> T:
        """``primary()``, unless the budget is spent or it fails with a ModelError (noticed); then ``stand_in()``."""
        if not self.over_budget():
            try:
                return await primary()
            except ModelError as exc:
                self.failed(exc)
        return await stand_in()


class FallbackGrader(_Fallback):
    """``primary`` (the LLM judge) unless it fails or the budget is spent; then ``fallback`` (the rubric grader)."""

    def __init__(self, primary: Grader, fallback: Grader, ledger: UsageLedger | None = None) -> None:
        super().__init__(ledger)
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        return await self.first_of(
            lambda: self.primary.grade(question, answers), lambda: self._stand_in(question, answers)
        )

    async def _stand_in(self, question: Question, answers: Sequence[str]) -> Grade:
        grade = await self.fallback.grade(question, answers)
        return grade.model_copy(update={"fallback": True})


class FallbackProber(_Fallback):
    """``primary`` (the LLM prober) unless it fails or the budget is spent; then ``fallback`` (the rubric's probes).

    A model that fails mid-stream may have shown part of its text; the stand-in's text is then streamed too, and the
    returned text is the one that counts."""

    def __init__(self, primary: Prober, fallback: Prober, ledger: UsageLedger | None = None) -> None:
        super().__init__(ledger)
        self.primary = primary
        self.fallback = fallback

    async def probe(self, ask: ProbeAsk, on_delta: TextSink | None = None) -> str:
        return await self.first_of(
            lambda: self.primary.probe(ask, on_delta), lambda: self.fallback.probe(ask, on_delta)
        )

    async def clarify(self, ask: ClarifyAsk, on_delta: TextSink | None = None) -> str:
        return await self.first_of(
            lambda: self.primary.clarify(ask, on_delta), lambda: self.fallback.clarify(ask, on_delta)
        )
