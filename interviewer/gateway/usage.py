"""Token, cost and latency accounting per model call, summed per interview, with an optional budget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from interviewer.domain.usage import CallRecord

__all__ = ["CallRecord", "UsageLedger"]

if TYPE_CHECKING:  # only a type here: importing it at run time pulls jinja2 and json_repair in before the first paint
    from interviewer.gateway.structured import StructuredStats


@dataclass
class UsageLedger:
    """Collects call records; ``drain()`` hands the new ones to whoever stores them. ``max_cost`` is a budget."""

    max_cost: float | None = None
    records: list[CallRecord] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    structured: StructuredStats | None = None
    """How the model's structured replies went (re-asks, repairs), when a model reports it."""
    listeners: list[Callable[[str], None]] = field(default_factory=list)
    """Told at once when something worth knowing happens during a call (a retry and its wait)."""
    _drained: int = 0
    _budget_noticed: bool = False

    def add(self, record: CallRecord) -> None:
        self.records.append(record)
        if self.over_budget and not self._budget_noticed:
            self._budget_noticed = True
            self.notices.append(
                f"The budget of ${self.max_cost:.2f} is spent (${self.cost_usd:.4f}); "
                "the interview goes on with the offline engine."
            )

    def announce(self, text: str) -> None:
        """Tell every listener now (a failing listener never breaks the call)."""
        for listener in list(self.listeners):
            try:
                listener(text)
            except Exception:
                continue

    def drain(self) -> list[CallRecord]:
        """The records added since the last drain."""
        new = self.records[self._drained :]
        self._drained = len(self.records)
        return new

    def drain_notices(self) -> list[str]:
        out, self.notices = self.notices, []
        return out

    @property
    def cost_usd(self) -> float:
        return sum(r.cost_usd for r in self.records)

    @property
    def prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.records)

    @property
    def completion_tokens(self) -> int:
        return sum(r.completion_tokens for r in self.records)

    @property
    def calls(self) -> int:
        return sum(1 for r in self.records if not r.cached)

    @property
    def over_budget(self) -> bool:
        """True once the spend has reached ``max_cost``."""
        return self.max_cost is not None and self.cost_usd >= self.max_cost
