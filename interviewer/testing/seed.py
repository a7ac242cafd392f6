"""Seeding a database with finished interviews, for tests and benchmarks (the progress view over many interviews)."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import mean

from interviewer.bank.loader import Bank
from interviewer.domain.grades import Grade
from interviewer.storage.repo import Repository


def seed_interview(repo: Repository, bank: Bank, *steps: Sequence[Grade], overall: float | None = None) -> str:
    """A finished interview whose grades land in ``steps`` commits (a later grade of a question replaces an earlier
    one, as after a follow-up); its overall score is ``overall`` or the mean of its final grades."""
    interview_id = repo.create_interview(
        model="offline",
        mode="coach",
        bank_version=bank.version,
        bank_hash=bank.hash,
        bank_path=None,
        options={},
        state={},
        status="asking",
    )
    final: dict[str, int] = {}
    for grades in steps:
        repo.commit_step(interview_id, state={}, status="asking", grades=grades)
        final.update({g.question_id: g.score for g in grades})
    score = overall if overall is not None else (mean(final.values()) if final else None)
    repo.finish(interview_id, overall_score=score, ended_early=False, status="completed")
    return interview_id
