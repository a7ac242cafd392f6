"""How long an answer may be, however it comes in (typed in plain mode or the TUI, read from an answers file)."""

from __future__ import annotations

MAX_ANSWER_CHARS = 20_000
"""Longer answers are cut here, with a notice (about 3,000 words; no spoken answer is longer)."""


def cut_notice(length: int) -> str:
    """What the candidate is told when an answer of ``length`` characters was cut to ``MAX_ANSWER_CHARS``."""
    return f"Your answer was {length:,} characters; only the first {MAX_ANSWER_CHARS:,} were kept."
