"""The one policy for a model call that failed after its retries: what the surface chooses, and what the engine's
fallback wrappers (``interviewer.engine.fallback``) follow.

A non-interactive session (answers from a file, stdin not a terminal, the evals) goes on with the offline engine for
that call, with a note (``ContinueOffline``); an interactive one (the TUI, plain mode on a terminal) lets the
candidate retry the call or continue offline for the rest of the interview (``AskOnFailure``). Importing this
module imports nothing else of the core (the TUI makes its policy before the core is loaded).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from interviewer.gateway.errors import ModelError

Choice = Literal["retry", "offline"]
"""What to do after a model call failed: call the model again, or go on with the offline engine."""

Ask = Callable[["ModelError"], Awaitable[Choice]]
"""How an interactive surface asks the candidate at once (plain mode: a question on the terminal)."""


class FailurePolicy(Protocol):
    """What happens when a model call failed after its retries."""

    @property
    def offline(self) -> bool:
        """True once the rest of the interview goes on offline (no model call is tried)."""
        ...

    async def choose(self, error: ModelError) -> Choice:
        """Retry the call, or continue with the offline engine."""
        ...


class ContinueOffline:
    """Non-interactive: the offline engine stands in for the failed call (with a note); the next call tries the
    model again."""

    offline = False

    async def choose(self, error: ModelError) -> Choice:
        return "offline"


class AskOnFailure:
    """Interactive: the candidate chooses (their answer is already stored). With ``ask``, they are asked at once;
    without, the ``ModelError`` goes up to the surface, which asks when it suits it (the TUI: a dialog, or ctrl+r /
    ctrl+o later), calls ``decide`` and runs the step again (``InterviewSession.retry``). "offline" holds for the
    rest of the interview, for grades and follow-ups alike (one policy object serves both)."""

    def __init__(self, ask: Ask | None = None) -> None:
        self._ask = ask
        self.offline = False

    def decide(self, choice: Choice) -> None:
        """The candidate's choice: "offline" for the rest of the interview, or "retry" (the model is called again)."""
        self.offline = choice == "offline"

    async def choose(self, error: ModelError) -> Choice:
        if self.offline:
            return "offline"
        if self._ask is None:
            raise error
        choice = await self._ask(error)
        self.decide(choice)
        return choice
