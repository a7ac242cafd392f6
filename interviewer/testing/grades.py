"""Hand-built grades for tests of what is shown from stored grades (progress, exports, the Progress screen): every
key point or STAR component of a shipped question, each made or not as asked, graded offline or by a named model."""

from __future__ import annotations

from interviewer.bank.loader import Bank
from interviewer.bank.schema import Kind
from interviewer.domain.grades import STAR_NAMES, Grade, KeyPointResult, MisconceptionFound, StarResult, Status

PRESENT = ("situation", "task", "action", "ownership")
"""The STAR elements a hand-built story has (its result is chosen per grade)."""


def technical(
    bank: Bank,
    score: int,
    *,
    qid: str = "l1_vs_l2",
    missed: tuple[str, ...] = (),
    misconceptions: tuple[str, ...] = (),
    model: str | None = None,
    quote: str | None = None,
    misconception_quote: str | None = None,
) -> Grade:
    """A technical grade: the key points in ``missed`` missed (the rest made, quoting ``quote``), ``misconceptions``
    asserted; by the offline grader, or by ``model``."""
    question = bank.get(qid)
    return Grade(
        question_id=qid,
        kind=Kind.TECHNICAL,
        score=score,
        key_points=[
            KeyPointResult(
                id=kp.id,
                description=kp.description,
                status=Status.MISSED if kp.id in missed else Status.HIT,
                quote=None if kp.id in missed else quote,
            )
            for kp in question.key_points
        ],
        misconceptions=[
            MisconceptionFound(id=m, description=f"the {m} misconception", quote=misconception_quote)
            for m in misconceptions
        ],
        grader="judge" if model else "rubric",
        model=model or "offline",
        rubric_version=bank.rubric_version(question),
    )


def behavioral(
    bank: Bank, score: int, *, result: bool, qid: str = "teammate_conflict", quote: str | None = None
) -> Grade:
    """A behavioral grade by the offline grader: situation, task, action and ownership there (quoting ``quote``),
    the result as given, no quantified result or reflection."""
    present = {*PRESENT, *(("result",) if result else ())}
    return Grade(
        question_id=qid,
        kind=Kind.BEHAVIORAL,
        score=score,
        star=[StarResult(name=n, present=n in present, quote=quote if n in present else None) for n in STAR_NAMES],
        grader="rubric",
        model="offline",
        rubric_version=bank.rubric_version(bank.get(qid)),
    )
