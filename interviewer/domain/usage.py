"""One model call as accounted for: made by the gateway, stored by storage, summed in reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallRecord:
    """One model call (or cache hit)."""

    model: str
    purpose: str
    """What the call was for: ``grade``, ``probe``, ``clarify``, ``eval``..."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    cached: bool = False
