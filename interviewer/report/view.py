"""The read model of one question: what every surface shows about it (the TUI's feedback and scorecard, plain mode,
Markdown and JSON), built by one function from the question, its grade and its turns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from interviewer.bank.schema import Kind, Question
from interviewer.domain.grades import STAR_NAMES, Grade, Status
from interviewer.domain.phrasing import as_words

if TYPE_CHECKING:
    from interviewer.engine.session import Feedback


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeyPointOut(_Out):
    id: str
    description: str
    status: Status
    required: bool
    quote: str | None = None


class MisconceptionOut(_Out):
    id: str
    description: str
    quote: str | None = None
    correction: str = ""


@dataclass(frozen=True)
class StarItem:
    """One STAR component or quality as shown: its name, whether the answer has it, and the words that show it."""

    name: str
    present: bool
    quote: str | None


class StarOut(_Out):
    """STAR components (and qualities) found in a behavioral answer."""

    situation: bool
    task: bool
    action: bool
    result: bool
    ownership: bool = False
    quantified_result: bool = False
    reflection: bool = False
    quotes: dict[str, str] = Field(default_factory=dict)

    def items(self) -> list[StarItem]:
        """Every component and quality, in the bank's order."""
        return [StarItem(name, bool(getattr(self, name)), self.quotes.get(name)) for name in STAR_NAMES]

    def evidence(self) -> dict[str, list[str]]:
        """Quote -> the components it shows: one line per quote, however many components it shows."""
        grouped: dict[str, list[str]] = {}
        for name, quote in self.quotes.items():
            grouped.setdefault(quote, []).append(name)
        return grouped


class QuestionOut(_Out):
    """The view of one question, the one thing every surface renders (see ``question_view``)."""

    question_id: str
    kind: Kind
    topic: str
    text: str
    score: float | None = Field(description="1-5; null when the question was skipped or is still being answered")
    skipped: bool
    in_progress: bool = Field(default=False, description="Being answered now (an unfinished interview's question)")
    probes: list[str] = Field(description="The follow-up questions asked, in order")
    answers: list[str] = Field(description="The candidate's answers: to the question, then to each follow-up")
    star: StarOut | None = Field(description="Behavioral questions only; null for technical ones")
    key_points: list[KeyPointOut] = Field(default_factory=list)
    misconceptions: list[MisconceptionOut] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    tip: str = ""
    strong_answer: list[str] = Field(default_factory=list, description="What a strong answer covers (rubric)")
    grader: str | None = None
    model: str | None = None
    rubric_version: str | None = None
    prompt_hash: str | None = None
    fallback: bool = False
    disagreement: int | None = Field(
        default=None, description="Levels between the model's and the offline grader's scores (model graders only)"
    )

    def extras(self) -> list[tuple[str, str]]:
        """The fields a richer view adds (a subclass), as ``(label, text)`` for those with something in them: every
        surface shows them after the feedback, so a field added to the view needs no change in any renderer."""
        return [
            (as_words(name).capitalize(), str(value))
            for name, value in self
            if name not in _VIEW_FIELDS and value not in (None, "", [], {})
        ]


_VIEW_FIELDS = frozenset(QuestionOut.model_fields)


def _star(grade: Grade) -> StarOut:
    found = grade.star_map()
    quotes = {s.name: s.quote for s in grade.star if s.present and s.quote}
    return StarOut(**{n: found.get(n, False) for n in STAR_NAMES}, quotes=quotes)


def _graded(grade: Grade | None) -> dict[str, object]:
    """What the view takes from the grade (nothing when there is none)."""
    if grade is None:
        return {}
    return {
        "score": float(grade.score),
        "key_points": [
            KeyPointOut(id=k.id, description=k.description, status=k.status, required=k.required, quote=k.quote)
            for k in grade.key_points
        ],
        "misconceptions": [
            MisconceptionOut(id=m.id, description=m.description, quote=m.quote, correction=m.correction)
            for m in grade.misconceptions
        ],
        "strengths": list(grade.strengths),
        "gaps": list(grade.gaps),
        "tip": grade.tip,
        "grader": grade.grader,
        "model": grade.model,
        "rubric_version": grade.rubric_version,
        "prompt_hash": grade.prompt_hash,
        "fallback": grade.fallback,
        "disagreement": grade.disagreement,
    }


def question_view(
    question: Question,
    grade: Grade | None,
    *,
    answers: Sequence[str] = (),
    probes: Sequence[str] = (),
    in_progress: bool = False,
) -> QuestionOut:
    """The view of one question: its grade (None when skipped or still being answered), the follow-ups asked and
    the candidate's answers. Every view of a question, live or stored, is built here."""
    behavioral = question.kind is Kind.BEHAVIORAL
    return QuestionOut.model_validate(
        {
            "question_id": question.id,
            "kind": question.kind,
            "topic": question.topic,
            "text": question.text,
            "score": None,
            "skipped": grade is None and not in_progress,
            "in_progress": in_progress,
            "probes": list(probes),
            "answers": list(answers),
            "star": _star(grade) if behavioral and grade is not None else None,
            "strong_answer": list(question.strong_answer),
            **_graded(grade),
        }
    )


def feedback_view(item: Feedback) -> QuestionOut:
    """The view of a question just graded (coach-mode feedback, exam-mode feedback at the end)."""
    return question_view(item.question, item.grade)
