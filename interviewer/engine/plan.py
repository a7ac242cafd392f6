"""What an interview asks, known without the database: the plan (which questions, in what order), the prompt the
candidate sees, and the first question when it does not depend on stored history.

Light on purpose (the pure state machine; no storage, no grader, not even the bank's schema): the TUI imports it
before its first frame and paints the first question while the bank, the session service, SQLAlchemy and the
migrations load behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True)
class QuestionHead:
    """What the plan and a prompt need of a question (a bank ``Question`` has all of it, and the rubric)."""

    id: str
    kind: str
    """``technical`` or ``behavioral``."""
    text: str
    topic: str
    competency: str

    @classmethod
    def of(cls, question: Question) -> QuestionHead:
        return cls(question.id, question.kind.value, question.text, question.topic, question.competency)


def _explicit(question_ids: Sequence[str]) -> None:
    """An explicit plan names each question once."""
    dupes = {qid for qid in question_ids if question_ids.count(qid) > 1}
    if dupes:
        raise PlanError(f"question given more than once: {', '.join(sorted(dupes))}")


def plan_questions(bank: Bank, settings: Settings, question_ids: Sequence[str] = ()) -> tuple[list[Question], bool]:
    """The candidate questions and whether their order adapts (an explicit ``--question`` list is asked as given)."""
    if question_ids:
        chosen = [bank.get(qid) for qid in question_ids]
        _explicit(question_ids)
        return chosen, False
    questions = list(bank.questions)
    if settings.focus:
        questions = [q for q in questions if q.kind.value == settings.focus]
        if not questions:
            raise PlanError(f"the bank has no {settings.focus} questions")
    return questions, True


def question_infos(questions: Sequence[QuestionHead]) -> tuple[m.QuestionInfo, ...]:
    """What the machine's order policy knows of ``questions``."""
    return tuple(m.QuestionInfo(q.id, q.kind, q.competency) for q in questions)


def prompt_for(question: QuestionHead, ask: m.Ask, max_probes: int) -> Prompt:
    """The prompt the candidate sees for the machine's ``ask`` of ``question``."""
    return Prompt(
        question_id=ask.question_id,
        kind=ask.kind,
        text=ask.text or question.text,
        number=ask.number,
        total=ask.total,
        probe_index=ask.probe_index,
        max_probes=max_probes,
        question_kind=question.kind,
        topic=question.topic,
    )


def first_prompt(planned: Sequence[QuestionHead], settings: Settings) -> Prompt | None:
    """The first question of an explicit plan (``--question``: the questions ``planned``, asked in that order),
    exactly as ``InterviewSession.start`` will ask it: the same machine transition. None when the plan asks nothing.
    Without ``--question`` the order adapts to stored history, and only the session knows the first question."""
    _explicit([q.id for q in planned])
    state = m.initial_state(
        question_infos(planned), total=settings.questions, max_probes=settings.max_probes, adaptive=False
    )
    state, actions = m.transition(state, m.Start())
    ask = next((a for a in actions if isinstance(a, m.Ask)), None)
    if ask is None:
        return None
    return prompt_for(next(q for q in planned if q.id == ask.question_id), ask, state.max_probes)


def glance(question_ids: Sequence[str]) -> list[QuestionHead] | None:
    """The listed questions of the shipped bank, read from its YAML files without loading the bank: no schema, no
    validation (``load_bank`` does that before anything is stored or graded), and only the files that name them.

    For a first frame. None when a question is not found exactly once, or a file cannot be read: the bank's own
    loader then says what is wrong, as it always has."""
    import yaml

    from interviewer.resources import data_dir

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = sorted(p for p in data_dir("rubrics").rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    try:
        texts = [path.read_text(encoding="utf-8") for path in files]  # the files load_bank reads
    except (OSError, UnicodeDecodeError):
        return None
    parsed: dict[int, list[dict[str, Any]]] = {}
    found: list[QuestionHead] = []
    for qid in question_ids:
        heads: list[QuestionHead | None] = []
        for index, text in enumerate(texts):
            if qid not in text:  # a file that does not name it cannot hold it
                continue
            if index not in parsed:
                try:
                    parsed[index] = _questions(yaml.load(text, Loader=loader))
                except (yaml.YAMLError, ValueError):
                    return None
            heads += [_head(q) for q in parsed[index] if q.get("id") == qid]
        head = heads[0] if len(heads) == 1 else None
        if head is None:
            return None
        found.append(head)
    return found


def _questions(raw: object) -> list[dict[str, Any]]:
    questions = raw.get("questions") if isinstance(raw, dict) else None
    return [q for q in questions if isinstance(q, dict)] if isinstance(questions, list) else []


def _head(raw: dict[str, Any]) -> QuestionHead | None:
    """A question as the schema would read it (its text fields stripped), or None when a field is not a string."""
    fields = [raw.get(name) for name in ("id", "kind", "text", "topic", "competency")]
    if not all(isinstance(value, str) for value in fields):
        return None
    qid, kind, text, topic, competency = (str(value).strip() for value in fields)
    return QuestionHead(qid, kind, text, topic, competency)
