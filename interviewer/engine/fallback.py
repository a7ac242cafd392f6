"""The model-backed engine with the offline engine behind it: when the model fails (after its retries), the
interview's ``FailurePolicy`` (``interviewer.engine.failure``) says whether to call it again or to let the offline
grader and prober stand in; when the ``max_cost`` budget is spent, the offline engine stands in without asking.

A grade made by the stand-in is marked ``fallback=True``. The budget is checked *before* each model call. The first
fallback of each kind becomes a ledger notice (title and hint), so the user learns why, once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from interviewer.bank.schema import Question
from interviewer.domain.grades import Grade
from interviewer.engine.failure import AskOnFailure, Choice, ContinueOffline, FailurePolicy
from interviewer.engine.probing import ClarifyAsk, ProbeAsk, Prober, TextSink
from interviewer.gateway.errors import ModelError
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.base import Grader

__all__ = ["AskOnFailure", "Choice", "ContinueOffline", "FailurePolicy", "FallbackGrader", "FallbackProber"]

T = TypeVar("T")


class _Fallback:
    """What the two wrappers share: the budget check, the failure policy and the notices."""

    def __init__(self, ledger: UsageLedger | None, policy: FailurePolicy | None) -> None:
        self.ledger = ledger
        self.policy: FailurePolicy = policy or ContinueOffline()
        self.errors: list[ModelError] = []
        self._noticed: set[str] = set()

    def over_budget(self) -> bool:
        return self.ledger is not None and self.ledger.over_budget

    async def _first(self, primary: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]) -> T:
        """``primary()`` until it succeeds or the policy says offline (or the budget is spent); then ``fallback()``."""
        while not self.over_budget() and not self.policy.offline:
            try:
                return await primary()
            except ModelError as exc:
                self.errors.append(exc)
                if await self.policy.choose(exc) == "offline":
                    self._notice(exc)
                    break
        return await fallback()

    def _notice(self, exc: ModelError) -> None:
        if exc.title in self._noticed or self.ledger is None:
            return
        self._noticed.add(exc.title)
        text = f"{exc.title}: {exc.message}. The offline engine stands in."
        if exc.hint:
            text += f" Hint: {exc.hint}"
        self.ledger.notices.append(text)


class FallbackGrader(_Fallback):
    """``primary`` (the LLM judge) unless it fails or the budget is spent; then ``fallback`` (the rubric grader)."""

    def __init__(
        self, primary: Grader, fallback: Grader, ledger: UsageLedger | None = None, policy: FailurePolicy | None = None
    ) -> None:
        super().__init__(ledger, policy)
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        async def offline() -> Grade:
            grade = await self.fallback.grade(question, answers)
            return grade.model_copy(update={"fallback": True})

        return await self._first(lambda: self.primary.grade(question, answers), offline)


class FallbackProber(_Fallback):
    """``primary`` (the LLM prober) unless it fails or the budget is spent; then ``fallback`` (the rubric's probes).

    A model that fails mid-stream may have shown part of its text; the stand-in's (or the retry's) text is then
    streamed too, and the returned text is the one that counts."""

    def __init__(
        self, primary: Prober, fallback: Prober, ledger: UsageLedger | None = None, policy: FailurePolicy | None = None
    ) -> None:
        super().__init__(ledger, policy)
        self.primary = primary
        self.fallback = fallback

    async def probe(self, ask: ProbeAsk, on_delta: TextSink | None = None) -> str:
        return await self._first(
            lambda: self.primary.probe(ask, on_delta),
            lambda: self.fallback.probe(ask, on_delta),
        )

    async def clarify(self, ask: ClarifyAsk, on_delta: TextSink | None = None) -> str:
        return await self._first(
            lambda: self.primary.clarify(ask, on_delta),
            lambda: self.fallback.clarify(ask, on_delta),
        )
