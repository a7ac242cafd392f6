"""What an interview asks, known without the database: the plan (which questions, in what order), the prompt the
candidate sees, and the first question when it does not depend on stored history.

Light on purpose (the bank and the pure state machine, no storage, no grader): the TUI imports it before its first
frame and paints the first question while the session service, SQLAlchemy and the migrations load behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewer.engine import machine as m
from interviewer.errors import InterviewerError

if TYPE_CHECKING:
    from interviewer.bank.loader import Bank
    from interviewer.bank.schema import Question
    from interviewer.settings import Settings


class PlanError(InterviewerError):
    """The requested interview plan cannot be made."""

    title = "Cannot plan the interview"


@dataclass(frozen=True)
class Prompt:
    """What the candidate is asked now."""

    question_id: str
    kind: str
    """``question``, ``probe`` or ``clarification``."""
    text: str
    number: int
    total: int
    probe_index: int
    max_probes: int
    question_kind: str
    topic: str


def plan_questions(bank: Bank, settings: Settings, question_ids: Sequence[str] = ()) -> tuple[list[Question], bool]:
    """The candidate questions and whether their order adapts (an explicit ``--question`` list is asked as given)."""
    if question_ids:
        chosen = [bank.get(qid) for qid in question_ids]
        dupes = {q.id for q in chosen if sum(1 for c in chosen if c.id == q.id) > 1}
        if dupes:
            raise PlanError(f"question given more than once: {', '.join(sorted(dupes))}")
        return chosen, False
    questions = list(bank.questions)
    if settings.focus:
        questions = [q for q in questions if q.kind.value == settings.focus]
        if not questions:
            raise PlanError(f"the bank has no {settings.focus} questions")
    return questions, True


def question_infos(questions: Sequence[Question]) -> tuple[m.QuestionInfo, ...]:
    """What the machine's order policy knows of ``questions``."""
    return tuple(m.QuestionInfo(q.id, q.kind.value, q.competency) for q in questions)


def prompt_for(bank: Bank, ask: m.Ask, max_probes: int) -> Prompt:
    """The prompt the candidate sees for the machine's ``ask``."""
    question = bank.get(ask.question_id)
    return Prompt(
        question_id=ask.question_id,
        kind=ask.kind,
        text=ask.text or question.text,
        number=ask.number,
        total=ask.total,
        probe_index=ask.probe_index,
        max_probes=max_probes,
        question_kind=question.kind.value,
        topic=question.topic,
    )


def first_prompt(bank: Bank, settings: Settings, question_ids: Sequence[str]) -> Prompt | None:
    """The first question of a new interview when the plan alone decides it (``--question`` given: asked in the
    order given), exactly as ``InterviewSession.start`` will ask it; None when the order adapts to stored history
    (then only the session knows it) or when the plan asks nothing."""
    questions, adaptive = plan_questions(bank, settings, question_ids)
    if adaptive:
        return None
    state = m.initial_state(
        question_infos(questions), total=settings.questions, max_probes=settings.max_probes, adaptive=False
    )
    state, actions = m.transition(state, m.Start())
    ask = next((a for a in actions if isinstance(a, m.Ask)), None)
    return None if ask is None else prompt_for(bank, ask, state.max_probes)
