"""What to take away from an interview: its strongest and weakest points and the next steps, from the questions'
views."""

from __future__ import annotations

from collections.abc import Iterator

from interviewer.domain.grades import STAR_COMPONENTS, Status
from interviewer.domain.phrasing import short_label
from interviewer.report.view import QuestionOut

STRONG_STAR = ("action", "result", "quantified_result", "reflection")
"""The STAR parts worth naming as a strength."""


def strongest(questions: list[QuestionOut]) -> list[str]:
    """Up to three strongest points, best first."""
    items = [item for q in questions if q.score is not None for item in _strengths(q, q.score)]
    items.sort(key=lambda x: -x[0])
    return _unique([text for _, text in items])[:3]


def _strengths(q: QuestionOut, score: float) -> Iterator[tuple[float, str]]:
    for kp in q.key_points:
        if kp.status is Status.HIT:
            yield score + (0.5 if kp.required else 0), f"{q.topic}: {short_label(kp.description)}"
    if q.star:
        for name in STRONG_STAR:
            if getattr(q.star, name):
                yield score, f"{q.topic}: clear {name.replace('_', ' ')} in your story"


def weakest(questions: list[QuestionOut]) -> list[str]:
    """Up to three weakest points, worst first (a skipped question is the weakest)."""
    items = [item for q in questions for item in _weaknesses(q)]
    items.sort(key=lambda x: x[0])
    return _unique([text for _, text in items])[:3]


def _weaknesses(q: QuestionOut) -> Iterator[tuple[float, str]]:
    if q.skipped:
        yield 0, f"{q.topic}: skipped"
        return
    assert q.score is not None
    for m in q.misconceptions:
        yield q.score - 2, f"{q.topic}: {short_label(m.description)}"
    for kp in q.key_points:
        if kp.required and kp.status is not Status.HIT:
            yield q.score - (1 if kp.status is Status.MISSED else 0.5), f"{q.topic}: {short_label(kp.description)}"
    if q.star:
        for name in STAR_COMPONENTS:
            if not getattr(q.star, name):
                yield q.score - 1, f"{q.topic}: no clear {name} in your story"


def next_steps(questions: list[QuestionOut]) -> list[str]:
    """Up to three concrete next steps, from the weakest question up."""
    ranked = sorted(questions, key=lambda q: q.score if q.score is not None else 0)
    steps = [step for q in ranked if (step := _next_step(q))]
    if not steps:
        steps.append("Practise with harder follow-ups: run again in exam mode, or with a hosted model as the judge.")
    return _unique(steps)[:3]


def _next_step(q: QuestionOut) -> str:
    if q.score is not None and q.score >= 5:
        return ""
    if q.skipped:
        return (
            f'Prepare an answer to "{q.text}" (you skipped it); a strong answer covers: '
            f"{'; '.join(q.strong_answer[:2])}"
        )
    return f"{q.topic}: {q.tip}" if q.tip else ""


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
