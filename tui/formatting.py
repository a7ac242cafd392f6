"""Small pure helpers shared by screens and widgets: durations, dates, words, score colours."""

from __future__ import annotations

from datetime import datetime


def word_count(text: str) -> int:
    """Words in ``text`` (whitespace separated)."""
    return len(text.split())


def clock_text(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss`` past an hour) for a non-negative number of seconds."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def local_time(value: datetime) -> str:
    """A stored (UTC) timestamp in the user's local time, ``YYYY-MM-DD HH:MM``."""
    return f"{value.astimezone():%Y-%m-%d %H:%M}"


def score_variable(score: float | None) -> str:
    """The theme variable that colours a 1-5 score: error (weak), warning (fair), success (good)."""
    if score is None:
        return "$text-muted"
    if score >= 4:
        return "$text-success"
    if score >= 3:
        return "$text-warning"
    return "$text-error"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 question``, ``2 questions``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def short_model(model: str) -> str:
    """The model name as shown in tight places (provider prefixes kept, they matter)."""
    return model if len(model) <= 28 else model[:27] + "…"
