"""The scorecard: a report built from a stored interview, as a pydantic value (JSON, with a JSON Schema) or Markdown.

The overall score is the mean of the question scores, a skipped question counting as 1 (in a real interview a
question left unanswered is a miss); an interview with nothing asked scores 1.
"""

from __future__ import annotations

from datetime import datetime
from statistics import mean
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from interviewer.bank.loader import Bank
from interviewer.bank.schema import Kind
from interviewer.domain.grades import STAR_COMPONENTS, STAR_NAMES, Grade, Status
from interviewer.domain.phrasing import short_label
from interviewer.engine.snapshot import stored_progress
from interviewer.storage.repo import InterviewRecord
from interviewer.textsafe import printable

REPORT_SCHEMA_VERSION = 1


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


class QuestionOut(_Out):
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


class OverallOut(_Out):
    score: float = Field(ge=1, le=5, description="Mean question score, skipped questions counting as 1")
    behavioral: float | None = None
    technical: float | None = None
    asked: int
    answered: int
    skipped: int


class PreviousOut(_Out):
    date: datetime
    score: float


class UsageOut(_Out):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


class Report(_Out):
    """The report of one interview (``interviewer report --format json``; ``--schema`` prints this schema)."""

    schema_version: Literal[1] = 1
    interview_id: str
    model: str
    mode: str
    status: str
    ended_early: bool
    created_at: datetime
    completed_at: datetime | None
    bank_version: str
    bank_hash: str
    questions: list[QuestionOut]
    overall: OverallOut
    strongest: list[str] = Field(description="Up to three strongest points")
    weakest: list[str] = Field(description="Up to three weakest points")
    next_steps: list[str] = Field(description="Up to three concrete next steps")
    previous: list[PreviousOut] = Field(default_factory=list, description="Overall scores of earlier interviews")
    change_since_last: float | None = None
    usage: UsageOut = Field(default_factory=UsageOut)


def status_label(status: str) -> str:
    """An interview's state in the words every surface uses: ``finished``, ``abandoned`` or ``unfinished``."""
    if status == "complete":
        return "finished"
    if status == "abandoned":
        return "abandoned"
    return "unfinished"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report."""
    return Report.model_json_schema()


def _star(grade: Grade | None) -> StarOut | None:
    if grade is None:
        return None
    found = grade.star_map()
    quotes = {s.name: s.quote for s in grade.star if s.present and s.quote}
    return StarOut(**{n: found.get(n, False) for n in STAR_NAMES}, quotes=quotes)


def build_report(record: InterviewRecord, bank: Bank, previous: list[tuple[datetime, float]] | None = None) -> Report:
    """The report of a stored interview."""
    progress = stored_progress(record.state)
    asked: list[str] = list(progress.asked)
    questions: list[QuestionOut] = []
    for qid in asked:
        question = bank.get(qid)
        answers = [
            t.text for t in record.turns if t.question_id == qid and t.role == "candidate" and t.kind == "answer"
        ]
        probes = [
            t.text for t in record.turns if t.question_id == qid and t.role == "interviewer" and t.kind == "probe"
        ]
        grade = record.grades.get(qid)
        in_progress = grade is None and record.completed_at is None and progress.current == qid
        skipped = grade is None and not in_progress
        questions.append(
            QuestionOut(
                question_id=qid,
                kind=question.kind,
                topic=question.topic,
                text=question.text,
                score=None if grade is None else float(grade.score),
                skipped=skipped,
                in_progress=in_progress,
                probes=probes,
                answers=answers,
                star=_star(grade) if question.kind is Kind.BEHAVIORAL else None,
                key_points=[
                    KeyPointOut(id=k.id, description=k.description, status=k.status, required=k.required, quote=k.quote)
                    for k in (grade.key_points if grade else [])
                ],
                misconceptions=[
                    MisconceptionOut(id=m.id, description=m.description, quote=m.quote, correction=m.correction)
                    for m in (grade.misconceptions if grade else [])
                ],
                strengths=list(grade.strengths) if grade else [],
                gaps=list(grade.gaps) if grade else [],
                tip=grade.tip if grade else "",
                strong_answer=list(question.strong_answer),
                grader=grade.grader if grade else None,
                model=grade.model if grade else None,
                rubric_version=grade.rubric_version if grade else None,
                prompt_hash=grade.prompt_hash if grade else None,
                fallback=grade.fallback if grade else False,
                disagreement=grade.disagreement if grade else None,
            )
        )
    overall = _overall([q for q in questions if not q.in_progress])
    prev = [PreviousOut(date=d, score=s) for d, s in (previous or [])]
    return Report(
        interview_id=record.id,
        model=record.model,
        mode=record.mode,
        status=record.status,
        ended_early=record.ended_early,
        created_at=record.created_at,
        completed_at=record.completed_at,
        bank_version=record.bank_version,
        bank_hash=record.bank_hash,
        questions=questions,
        overall=overall,
        strongest=_strongest(questions),
        weakest=_weakest([q for q in questions if not q.in_progress]),
        next_steps=_next_steps([q for q in questions if not q.in_progress]),
        previous=prev,
        change_since_last=round(overall.score - prev[-1].score, 2) if prev else None,
        usage=UsageOut(
            calls=int(record.usage.get("calls", 0)),
            prompt_tokens=int(record.usage.get("prompt_tokens", 0)),
            completion_tokens=int(record.usage.get("completion_tokens", 0)),
            cost_usd=round(record.usage.get("cost_usd", 0.0), 6),
        ),
    )


def overall_score(scores: list[float | None]) -> float:
    """Mean of the scores, None (skipped) counting as 1; 1 when there are none."""
    if not scores:
        return 1.0
    return round(mean(1.0 if s is None else s for s in scores), 2)


def _overall(questions: list[QuestionOut]) -> OverallOut:
    def kind_mean(kind: Kind) -> float | None:
        scores = [q.score for q in questions if q.kind is kind]
        return overall_score(scores) if scores else None

    return OverallOut(
        score=overall_score([q.score for q in questions]),
        behavioral=kind_mean(Kind.BEHAVIORAL),
        technical=kind_mean(Kind.TECHNICAL),
        asked=len(questions),
        answered=sum(1 for q in questions if not q.skipped),
        skipped=sum(1 for q in questions if q.skipped),
    )


def _strongest(questions: list[QuestionOut]) -> list[str]:
    items: list[tuple[float, str]] = []
    for q in questions:
        if q.score is None:
            continue
        for kp in q.key_points:
            if kp.status is Status.HIT:
                items.append((q.score + (0.5 if kp.required else 0), f"{q.topic}: {short_label(kp.description)}"))
        if q.star:
            for name in ("action", "result", "quantified_result", "reflection"):
                if getattr(q.star, name):
                    items.append((q.score, f"{q.topic}: clear {name.replace('_', ' ')} in your story"))
    items.sort(key=lambda x: -x[0])
    return _unique([text for _, text in items])[:3]


def _weakest(questions: list[QuestionOut]) -> list[str]:
    items: list[tuple[float, str]] = []
    for q in questions:
        if q.skipped:
            items.append((0, f"{q.topic}: skipped"))
            continue
        assert q.score is not None
        for m in q.misconceptions:
            items.append((q.score - 2, f"{q.topic}: {short_label(m.description)}"))
        for kp in q.key_points:
            if kp.required and kp.status is not Status.HIT:
                items.append(
                    (q.score - (1 if kp.status is Status.MISSED else 0.5), f"{q.topic}: {short_label(kp.description)}")
                )
        if q.star:
            for name in STAR_COMPONENTS:
                if not getattr(q.star, name):
                    items.append((q.score - 1, f"{q.topic}: no clear {name} in your story"))
    items.sort(key=lambda x: x[0])
    return _unique([text for _, text in items])[:3]


def _next_steps(questions: list[QuestionOut]) -> list[str]:
    ranked = sorted(questions, key=lambda q: q.score if q.score is not None else 0)
    steps = []
    for q in ranked:
        if q.score is not None and q.score >= 5:
            continue
        if q.skipped:
            steps.append(
                f'Prepare an answer to "{q.text}" (you skipped it); a strong answer covers: '
                f"{'; '.join(q.strong_answer[:2])}"
            )
        elif q.tip:
            steps.append(f"{q.topic}: {q.tip}")
    if not steps:
        steps.append("Practise with harder follow-ups: run again in exam mode, or with a hosted model as the judge.")
    return _unique(steps)[:3]


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in items if not (i in seen or seen.add(i))]  # type: ignore[func-returns-value]


def to_markdown(report: Report) -> str:
    """The report as Markdown."""
    lines = [f"# Mock interview report `{report.interview_id}`", ""]
    lines.append(f"- Date: {report.created_at:%Y-%m-%d %H:%M} UTC  ")
    lines.append(f"- Model: {report.model} ({report.mode} mode){' (ended early)' if report.ended_early else ''}  ")
    o = report.overall
    lines.append(f"- **Overall: {o.score:.1f} / 5** ({o.answered} answered, {o.skipped} skipped)  ")
    if o.behavioral is not None:
        lines.append(f"- Behavioral: {o.behavioral:.1f} / 5  ")
    if o.technical is not None:
        lines.append(f"- Technical: {o.technical:.1f} / 5  ")
    if report.change_since_last is not None:
        lines.append(f"- Change since the last interview: {report.change_since_last:+.1f}  ")
    for title, items in (
        ("Strongest points", report.strongest),
        ("Weakest points", report.weakest),
        ("Next steps", report.next_steps),
    ):
        lines += ["", f"## {title}", ""] + [f"{i}. {item}" for i, item in enumerate(items, 1)]
    for n, q in enumerate(report.questions, 1):
        score = ("in progress" if q.in_progress else "skipped") if q.score is None else f"{q.score:.0f} / 5"
        lines += ["", f"## {n}. {q.text}", "", f"*{q.kind.value}, {q.topic}* — **{score}**", ""]
        prompts = ["Answer", *[f"Follow-up: {p}" for p in q.probes]]
        for label, answer in zip(prompts, q.answers, strict=False):
            lines.append(f"**{label}**")
            lines.append("")
            lines += [f"> {line}" if line else ">" for line in answer.splitlines()]
            lines.append("")
        if q.star:
            marks = ", ".join(f"{n} {'✓' if getattr(q.star, n) else '✗'}" for n in STAR_NAMES)
            lines.append(f"STAR: {marks}")
            lines.append("")
            evidence: dict[str, list[str]] = {}  # one line per quote, however many components it shows
            for name, quote in q.star.quotes.items():
                evidence.setdefault(quote, []).append(name.replace("_", " "))
            lines += [f"- {', '.join(names)}: “{quote}”" for quote, names in evidence.items()]
            lines += [""] if evidence else []
        for kp in q.key_points:
            mark = {"hit": "✓", "partial": "~", "missed": "✗"}[kp.status.value]
            quote = f" — “{kp.quote}”" if kp.quote else ""
            lines.append(f"- {mark} {kp.description}{quote}")
        for m in q.misconceptions:
            quote = f" (“{m.quote}”)" if m.quote else ""
            lines.append(f"- ⚠ {m.description}{quote} — {m.correction}")
        if q.tip:
            lines += ["", f"**Tip:** {q.tip}"]
        if q.strong_answer:
            lines += ["", "**A strong answer covers:**", *[f"- {s}" for s in q.strong_answer]]
    return printable("\n".join(lines).rstrip() + "\n")  # no control or bidirectional character
