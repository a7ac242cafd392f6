"""Questions given inline (in a dataset line) rather than in a bank: graded against a reference answer, or, for a
behavioral question without one, against the STAR rubric alone."""

from __future__ import annotations

import hashlib

from interviewer.bank.schema import Difficulty, Kind, Question, StarComponent, StarFocus, StarRubric

_LEVELS = {
    1: "No relevant content: none of the reference answer's points is made.",
    2: "Weak: a few of the reference answer's points, thinly made.",
    3: "Adequate: about half of the reference answer's points.",
    4: "Strong: most of the reference answer's points, correctly made.",
    5: "Excellent: all the reference answer's points, correctly made.",
}
_STAR_LEVELS = {
    1: "No relevant content: no story.",
    2: "Weak: generic or hypothetical, at most two STAR parts.",
    3: "Adequate: a real situation with personal actions; the result is vague.",
    4: "Strong: situation, task, action and result, with clear ownership.",
    5: "Excellent: all of 4 plus a quantified result and reflection.",
}


def inline_question(text: str, kind: Kind, star: StarRubric, reference_answer: str | None = None) -> Question:
    """A question built from a dataset line; its id is derived from its text."""
    digest = hashlib.sha256(f"{kind.value}:{text}".encode()).hexdigest()[:10]
    common = {
        "id": f"inline_{digest}",
        "kind": kind,
        "text": text,
        "topic": "Inline question",
        "competency": "inline",
        "difficulty": Difficulty.MEDIUM,
        "alternatives": [text, text],
        "reference_answer": reference_answer or None,
    }
    if reference_answer:
        return Question(
            **common,
            levels=_LEVELS,
            strong_answer=[reference_answer],
            reference_only=True,
        )
    if kind is Kind.TECHNICAL:
        raise ValueError("an inline technical question needs a reference_answer")
    focus = {
        c: StarFocus(description=star.criterion(c).description, probe=star.criterion(c).probes[0])
        for c in StarComponent
    }
    return Question(
        **common,
        levels=_STAR_LEVELS,
        strong_answer=["A real situation, your own actions, and a measured result."],
        star=focus,
    )
