"""The overall score of an interview: the engine records it at Finish, the report shows it."""

from __future__ import annotations

from collections.abc import Iterable
from statistics import mean


def overall_score(scores: Iterable[float | None]) -> float:
    """Mean of the scores, None (skipped) counting as 1; 1 when there are none."""
    listed = [1.0 if s is None else s for s in scores]
    if not listed:
        return 1.0
    return round(mean(listed), 2)
