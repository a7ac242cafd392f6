"""Progress over time, from the stored interviews: the overall score per interview, per question and per topic the
latest score, the best, the trend and the number of attempts, how often each STAR component was present, and the key
points and misconceptions that keep coming back.

A grade is comparable with another only when the same kind of grader (the offline rubric grader, or a model) graded
it against the same rubric version. Every point carries both, and a point graded differently from the series' latest
is marked ``other_grader``: shown apart on charts and in tables, never silently mixed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from statistics import mean

from pydantic import BaseModel, ConfigDict

from interviewer.bank.loader import Bank
from interviewer.domain.grades import STAR_NAMES, GapKind, Grade
from interviewer.domain.phrasing import as_words
from interviewer.errors import BankError
from interviewer.grading.rubric_grader import GRADER_NAME as OFFLINE_GRADER
from interviewer.storage.repo import GradedInterview
from interviewer.textsafe import printable

PROGRESS_SCHEMA_VERSION = 1
RECURRING_AT_LEAST = 2
"""A gap "keeps coming back" once it was seen in this many graded answers to its question."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Point(_Out):
    """One graded value in a series: when, what, and who graded it against which rubric."""

    interview_id: str
    at: datetime
    score: float
    grader: str
    """``offline`` (the rubric grader) or ``model:<name>``."""
    rubric_version: str
    other_grader: bool = False
    """Graded by another grader or rubric version than the series' latest point: not comparable with it."""


class InterviewProgress(_Out):
    interview_id: str
    at: datetime
    overall: float
    questions: int
    grader: str
    other_grader: bool = False


class SeriesProgress(_Out):
    """A question's or a topic's scores over time."""

    id: str
    title: str
    kind: str
    attempts: int
    latest: float
    best: float
    trend: float | None
    """The latest score minus the one before it (None after one attempt); compared only when both were graded alike."""
    points: list[Point]
    mixed: bool
    """Some points were graded by another grader or rubric version than the latest."""


class StarRate(_Out):
    component: str
    present: int
    of: int
    share: float


class Recurring(_Out):
    """A gap seen again and again: a key point missed or half made, a STAR component absent, a misconception."""

    question_id: str
    kind: GapKind
    item_id: str
    description: str
    count: int
    of: int


class Progress(_Out):
    schema_version: int = PROGRESS_SCHEMA_VERSION
    interviews: list[InterviewProgress]
    questions: list[SeriesProgress]
    topics: list[SeriesProgress]
    star: list[StarRate]
    recurring: list[Recurring]


def grader_label(grade: Grade) -> str:
    """``offline`` for the rubric grader (or the offline grader standing in), ``model:<name>`` for a model's."""
    if grade.grader == OFFLINE_GRADER or grade.fallback:
        return "offline"
    return f"model:{grade.model}"


def build_progress(history: Sequence[GradedInterview], bank: Bank) -> Progress:
    """Progress from the stored interviews (oldest first), described with the current bank where it still has the
    question (a question no longer in the bank keeps its id as its title)."""
    interviews = _interviews(history)
    by_question: dict[str, list[tuple[GradedInterview, Grade]]] = {}
    for interview in history:
        for qid, grade in interview.grades.items():
            by_question.setdefault(qid, []).append((interview, grade))
    questions = [_question_series(qid, attempts, bank) for qid, attempts in by_question.items()]
    order = {qid: n for n, qid in enumerate(bank.ids)}
    questions.sort(key=lambda s: (order.get(s.id, len(order)), s.id))
    return Progress(
        interviews=interviews,
        questions=questions,
        topics=_topics(history, bank),
        star=_star_rates(history),
        recurring=_recurring(by_question, bank),
    )


def _mark(points: list[Point]) -> list[Point]:
    """Mark the points graded unlike the latest one."""
    if not points:
        return points
    last = (points[-1].grader, points[-1].rubric_version)
    return [p.model_copy(update={"other_grader": (p.grader, p.rubric_version) != last}) for p in points]


def _trend(points: Sequence[Point]) -> float | None:
    if len(points) < 2 or points[-2].other_grader:
        return None
    return round(points[-1].score - points[-2].score, 2)


def _series(id_: str, title: str, kind: str, points: list[Point]) -> SeriesProgress:
    points = _mark(points)
    comparable = [p.score for p in points if not p.other_grader]
    return SeriesProgress(
        id=printable(id_),
        title=printable(title),
        kind=kind,
        attempts=len(points),
        latest=points[-1].score,
        best=max(comparable),
        trend=_trend(points),
        points=points,
        mixed=any(p.other_grader for p in points),
    )


def _interviews(history: Sequence[GradedInterview]) -> list[InterviewProgress]:
    out = []
    for interview in history:
        if interview.overall_score is None or not interview.grades or interview.retry:
            continue  # a retry counts in its question's history, not in the overall trend
        labels = Counter(grader_label(g) for g in interview.grades.values())
        out.append(
            InterviewProgress(
                interview_id=interview.id,
                at=interview.created_at,
                overall=round(interview.overall_score, 2),
                questions=len(interview.grades),
                grader=labels.most_common(1)[0][0],
            )
        )
    if out:
        last = out[-1].grader
        out = [i.model_copy(update={"other_grader": i.grader != last}) for i in out]
    return out


def _question_series(qid: str, attempts: list[tuple[GradedInterview, Grade]], bank: Bank) -> SeriesProgress:
    try:
        question = bank.get(qid)
        title, kind = printable(question.topic), question.kind.value
    except BankError:
        title, kind = qid, attempts[-1][1].kind.value
    points = [
        Point(
            interview_id=interview.id,
            at=interview.created_at,
            score=float(grade.score),
            grader=grader_label(grade),
            rubric_version=grade.rubric_version,
        )
        for interview, grade in attempts
    ]
    return _series(qid, title, kind, points)


def _topics(history: Sequence[GradedInterview], bank: Bank) -> list[SeriesProgress]:
    """Per topic, the mean score of its questions in each interview that asked any of them."""
    topic_of: dict[str, tuple[str, str]] = {q.id: (printable(q.topic), q.kind.value) for q in bank.questions}
    series: dict[str, list[Point]] = {}
    kinds: dict[str, str] = {}
    for interview in history:
        grouped: dict[str, list[Grade]] = {}
        for qid, grade in interview.grades.items():
            if qid in topic_of:
                grouped.setdefault(topic_of[qid][0], []).append(grade)
                kinds[topic_of[qid][0]] = topic_of[qid][1]
        for topic, grades in grouped.items():
            labels = {grader_label(g) for g in grades}
            versions = {g.rubric_version for g in grades}
            series.setdefault(topic, []).append(
                Point(
                    interview_id=interview.id,
                    at=interview.created_at,
                    score=round(mean(g.score for g in grades), 2),
                    grader=labels.pop() if len(labels) == 1 else "mixed",
                    rubric_version=versions.pop() if len(versions) == 1 else "mixed",
                )
            )
    return [_series(topic, topic, kinds[topic], points) for topic, points in series.items()]


def _star_rates(history: Sequence[GradedInterview]) -> list[StarRate]:
    present: Counter[str] = Counter()
    total = 0
    for interview in history:
        for grade in interview.grades.values():
            star = grade.star_map()
            if not star:
                continue
            total += 1
            present.update(name for name, there in star.items() if there)
    if not total:
        return []
    return [
        StarRate(component=name, present=present[name], of=total, share=round(present[name] / total, 3))
        for name in STAR_NAMES
    ]


def _recurring(by_question: dict[str, list[tuple[GradedInterview, Grade]]], bank: Bank) -> list[Recurring]:
    out: list[Recurring] = []
    for qid, attempts in by_question.items():
        counts: Counter[tuple[str, str]] = Counter()
        described: dict[tuple[str, str], str] = {}
        for _, grade in attempts:
            for kind, item, description in grade.lacking():
                counts[(kind, item)] += 1
                described[(kind, item)] = _star_description(bank, item) if kind == "star" else description
        out += [
            Recurring(
                question_id=printable(qid),
                kind=kind,
                item_id=printable(item),
                description=printable(described[(kind, item)]),
                count=n,
                of=len(attempts),
            )
            for (kind, item), n in counts.items()
            if n >= RECURRING_AT_LEAST
        ]
    kind_order = {"misconception": 0, "key_point": 1, "star": 2}
    out.sort(key=lambda r: (-r.count, kind_order[r.kind], r.question_id, r.item_id))
    return out


def _star_description(bank: Bank, name: str) -> str:
    try:
        return bank.star.criterion(name).description
    except (KeyError, ValueError, BankError):
        return as_words(name)


def trend_text(value: float | None) -> str:
    """A trend as shown in tables: ``↑ +1``, ``↓ -2``, ``= 0``, or ``-`` when there is none."""
    if value is None:
        return "-"
    if value > 0:
        return f"↑ +{value:g}"
    if value < 0:
        return f"↓ {value:g}"
    return "= 0"


def sparkline(values: Sequence[float], *, low: float = 1.0, high: float = 5.0, width: int = 40) -> str:
    """The last ``width`` values as a line of block characters (1 is the lowest block, 5 the highest)."""
    blocks = "▁▂▃▄▅▆▇█"
    span = high - low or 1.0
    tail = list(values)[-width:]
    return "".join(blocks[min(len(blocks) - 1, max(0, round((v - low) / span * (len(blocks) - 1))))] for v in tail)
