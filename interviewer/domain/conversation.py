"""Where an interview's conversation stands, in the words every surface uses (plain mode, the TUI's conversation).

Imports nothing: the TUI labels the first question with it before the core is loaded."""

from __future__ import annotations


def question_of(number: int, total: int) -> str:
    """Where a question stands in the interview: ``question 3 of 10``."""
    return f"question {number} of {total}"


def follow_up_of(index: int, most: int) -> str:
    """Where a follow-up stands among the question's: ``follow-up 1 of 2``."""
    return f"follow-up {index} of {most}"


def interviewer_label(kind: str, *, number: int, total: int, probe_index: int, max_probes: int) -> str:
    """Who says what, over the interviewer's words in a conversation: ``Interviewer · question 3 of 10``,
    ``Interviewer · follow-up 1 of 2`` (``kind`` ``probe``), or ``Interviewer · rephrased`` (any other kind)."""
    if kind == "question":
        return f"Interviewer · {question_of(number, total)}"
    if kind == "probe":
        return f"Interviewer · {follow_up_of(probe_index, max_probes)}"
    return "Interviewer · rephrased"
