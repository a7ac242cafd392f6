"""Symbols and words every surface uses for a question's results and an interview's state, defined once."""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.domain.grades import Status
from interviewer.domain.phrasing import as_words
from interviewer.report.view import QuestionOut


@dataclass(frozen=True)
class Mark:
    """How a result is marked: a symbol (the TUI, Markdown), its plain-text stand-in (plain mode, screen readers),
    and the tone a theme colours it with."""

    symbol: str
    ascii: str
    tone: str
    """``success``, ``warning`` or ``error``."""


MARKS: dict[Status, Mark] = {
    Status.HIT: Mark("✓", "+", "success"),
    Status.PARTIAL: Mark("~", "~", "warning"),
    Status.MISSED: Mark("✗", "-", "error"),
}
"""A key point made, half made or missed; a STAR component present (hit) or absent (missed)."""

YES_NO = {True: "yes", False: "no"}
"""A STAR component present or absent, in words (plain mode)."""


def star_status(present: bool) -> Status:
    """A STAR component present counts as hit, absent as missed."""
    return Status.HIT if present else Status.MISSED


def star_label(name: str) -> str:
    """A STAR name as words: ``quantified result``."""
    return as_words(name)


def star_title(name: str) -> str:
    """A STAR name as a heading: ``Quantified result``."""
    return star_label(name).capitalize()


def unscored_label(question: QuestionOut) -> str:
    """Why a question has no score: ``in progress`` (being answered now) or ``skipped``."""
    return "in progress" if question.in_progress else "skipped"


def score_label(question: QuestionOut, *, spaced: bool = False, unscored: str | None = None) -> str:
    """``4/5`` (``4 / 5`` when ``spaced``), or why there is no score (``unscored`` when given)."""
    if question.score is None:
        return unscored if unscored is not None else unscored_label(question)
    return f"{question.score:.0f} / 5" if spaced else f"{question.score:.0f}/5"


def status_label(status: str) -> str:
    """An interview's state in the words every surface uses: ``finished``, ``abandoned`` or ``unfinished``."""
    if status == "complete":
        return "finished"
    if status == "abandoned":
        return "abandoned"
    return "unfinished"
