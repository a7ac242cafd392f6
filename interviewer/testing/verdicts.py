"""Judge replies for tests: the JSON object a model would send for a technical or behavioral verdict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def verdict(
    score: int,
    key_points: Mapping[str, str | None],
    *,
    misconceptions: Mapping[str, str | None] | None = None,
    star: Mapping[str, str | None] | None = None,
    reasoning: str = "Point by point.",
    strengths: tuple[str, ...] = ("Clear.",),
    gaps: tuple[str, ...] = ("Depth.",),
    tip: str = "Go deeper.",
    status: str = "hit",
) -> dict[str, Any]:
    """A reply that credits each key point with its quote (as ``status``; None: "missed"), asserts
    ``misconceptions`` with their quotes, and, for a behavioral verdict, shows each STAR element of ``star`` with its
    quote (None: absent)."""
    reply: dict[str, Any] = {
        "reasoning": reasoning,
        "key_points": [
            {"id": kp, "quote": quote, "status": status if quote is not None else "missed"}
            for kp, quote in key_points.items()
        ],
        "misconceptions": [{"id": m, "quote": q} for m, q in (misconceptions or {}).items()],
        "strengths": list(strengths),
        "gaps": list(gaps),
        "tip": tip,
        "score": score,
    }
    if star is not None:
        reply["star"] = {name: {"present": quote is not None, "quote": quote} for name, quote in star.items()}
    return reply
