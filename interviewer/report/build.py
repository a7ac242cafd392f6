"""The report of a stored interview: each asked question's view (``question_view``), the overall scores, and what
to take away.

The overall score is the mean of the question scores, a skipped question counting as 1 (in a real interview a
question left unanswered is a miss); an interview with nothing asked scores 1.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from interviewer.bank.schema import Kind
from interviewer.domain.scores import overall_score
from interviewer.engine.snapshot import stored_progress
from interviewer.report.model import OverallOut, PreviousOut, Report, UsageOut
from interviewer.report.summary import next_steps, strongest, weakest
from interviewer.report.view import QuestionOut, question_view

if TYPE_CHECKING:
    from interviewer.bank.loader import Bank
    from interviewer.storage.repo import InterviewRecord


def _question(record: InterviewRecord, bank: Bank, qid: str, current: str | None) -> QuestionOut:
    """The view of one asked question of a stored interview."""
    turns = [t for t in record.turns if t.question_id == qid]
    grade = record.grades.get(qid)
    return question_view(
        bank.get(qid),
        grade,
        answers=[t.text for t in turns if t.role == "candidate" and t.kind == "answer"],
        probes=[t.text for t in turns if t.role == "interviewer" and t.kind == "probe"],
        in_progress=grade is None and record.completed_at is None and current == qid,
    )


def build_report(record: InterviewRecord, bank: Bank, previous: list[tuple[datetime, float]] | None = None) -> Report:
    """The report of a stored interview."""
    progress = stored_progress(record.state)
    questions = [_question(record, bank, qid, progress.current) for qid in progress.asked]
    done = [q for q in questions if not q.in_progress]
    overall = _overall(done)
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
        strongest=strongest(questions),
        weakest=weakest(done),
        next_steps=next_steps(done),
        previous=prev,
        change_since_last=round(overall.score - prev[-1].score, 2) if prev else None,
        usage=_usage(record.usage),
    )


def _usage(usage: dict[str, float]) -> UsageOut:
    return UsageOut(
        calls=int(usage.get("calls", 0)),
        prompt_tokens=int(usage.get("prompt_tokens", 0)),
        completion_tokens=int(usage.get("completion_tokens", 0)),
        cost_usd=round(usage.get("cost_usd", 0.0), 6),
    )


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
