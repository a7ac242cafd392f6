"""The repository: every read and write of interviews, as domain values. Each write commits at once."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, or_, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from interviewer.domain.grades import Grade, gap_kind
from interviewer.domain.review_item import ReviewItem
from interviewer.domain.usage import CallRecord
from interviewer.errors import StorageError
from interviewer.storage.db import open_database, record_writer
from interviewer.storage.orm import GradeRow, InterviewRow, ReviewRow, TurnRow, UsageRow, utcnow


@dataclass(frozen=True)
class NewTurn:
    """A turn to store."""

    question_id: str
    role: str
    kind: str
    text: str
    probe_index: int = 0


@dataclass(frozen=True)
class Turn:
    """One stored utterance."""

    seq: int
    question_id: str
    role: str
    kind: str
    probe_index: int
    text: str
    created_at: datetime


@dataclass(frozen=True)
class InterviewRecord:
    """A stored interview with its transcript and the latest grade of each question."""

    id: str
    created_at: datetime
    completed_at: datetime | None
    status: str
    model: str
    mode: str
    bank_version: str
    bank_hash: str
    bank_path: str | None
    options: dict[str, Any]
    state: dict[str, Any]
    overall_score: float | None
    ended_early: bool
    turns: list[Turn] = field(default_factory=list)
    grades: dict[str, Grade] = field(default_factory=dict)
    all_grades: list[Grade] = field(default_factory=list)
    usage: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class InterviewSummary:
    """A line of the history list."""

    id: str
    created_at: datetime
    status: str
    model: str
    questions: int
    overall_score: float | None


@dataclass(frozen=True)
class GradedInterview:
    """An interview for the progress view: when, how it ended, and the final grade of each question it graded."""

    id: str
    created_at: datetime
    status: str
    overall_score: float | None
    grades: dict[str, Grade]
    retry: bool = False
    """A one-question retry: it counts in its question's history, not in the overall trend."""


@dataclass(frozen=True)
class Attempt:
    """A past answer to one question: where and when, its final grade, and what the candidate said (follow-ups too)."""

    interview_id: str
    created_at: datetime
    grade: Grade
    answers: list[str]


def _review_item(row: ReviewRow) -> ReviewItem:
    return ReviewItem(
        question_id=row.question_id,
        kind=gap_kind(row.kind),
        item_id=row.item_id,
        card=dict(row.card),
        due=_aware(row.due),
        reviews=row.reviews,
        last_rating=row.last_rating,
        interview_id=row.interview_id,
    )


def _store_review(s: Session, item: ReviewItem) -> None:
    """Insert the item, or update the one of the same question, kind and item, in one statement (an upsert): two
    interviews finishing the same question at once both land, the later one's schedule winning."""
    values = {
        "interview_id": item.interview_id,
        "question_id": item.question_id,
        "kind": item.kind,
        "item_id": item.item_id,
        "card": json.loads(json.dumps(dict(item.card), default=str)),
        "due": item.due,
        "reviews": item.reviews,
        "last_rating": item.last_rating,
        "updated_at": utcnow(),
    }
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(ReviewRow)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(ReviewRow)
    statement = statement.values(**values)
    changed = {k: statement.excluded[k] for k in ("card", "due", "reviews", "last_rating", "updated_at")}
    s.execute(statement.on_conflict_do_update(index_elements=["question_id", "kind", "item_id"], set_=changed))


def _grade_row(interview_id: str, grade: Grade) -> GradeRow:
    return GradeRow(
        interview_id=interview_id,
        question_id=grade.question_id,
        score=grade.score,
        grader=grade.grader,
        model=grade.model,
        rubric_version=grade.rubric_version,
        prompt_hash=grade.prompt_hash,
        fallback=grade.fallback,
        data=grade.model_dump(mode="json"),
    )


def _questions_asked(s: Session, interview_ids: Sequence[str]) -> dict[str, int]:
    """Per interview, how many questions the interviewer has asked (its question turns, each stored with the state
    that asks it), in one query."""
    if not interview_ids:
        return {}
    query = (
        select(TurnRow.interview_id, func.count(func.distinct(TurnRow.question_id)))
        .where(
            TurnRow.interview_id.in_(list(interview_ids)),
            TurnRow.role == "interviewer",
            TurnRow.kind == "question",
        )
        .group_by(TurnRow.interview_id)
    )
    return {interview_id: int(count) for interview_id, count in s.execute(query)}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_CAUSES = (
    (
        ("database or disk is full", "no space left", "disk full", "diskfull"),
        "the disk is full",
        "free some disk space",
    ),
    (("database is locked", "locked", "busy"), "the database is locked by another program", "wait, or close it"),
    (("readonly", "read-only", "permission denied"), "the database is read-only", "give --db one you can write"),
    (
        ("no such table", "no such column", "undefinedtable", "undefinedcolumn", "does not exist"),
        "the database's tables are not the ones this version of interviewer expects",
        "use the interviewer version that created it, or give --db a new database",
    ),
)
"""What a write failed on, as the driver says it: the cause a user can act on, and what to do."""


def storage_error(exc: SQLAlchemyError) -> StorageError:
    """A failed read or write, said for what it is (a full disk, a lock, a read-only file, other tables)."""
    detail = str(getattr(exc, "orig", exc))
    lowered = f"{type(getattr(exc, 'orig', exc)).__name__} {detail}".lower()
    for words, cause, hint in _CAUSES:
        if any(w in lowered for w in words):
            return StorageError(cause, hint=hint)
    return StorageError(f"{type(exc).__name__}: {detail}", hint="check that the database is reachable and writable")


LEASE_SECONDS = 30.0
"""How long an interview's lease lasts unless renewed: after a crash it can be resumed within this, at most."""


class Repository:
    """Reads and writes interviews in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> Repository:
        engine = open_database(url)
        record_writer(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise storage_error(exc) from None
        finally:
            session.close()

    # ------------------------------------------------------------------------------------------------- writes
    def create_interview(
        self,
        *,
        model: str,
        mode: str,
        bank_version: str,
        bank_hash: str,
        bank_path: str | None,
        options: dict[str, Any],
        state: dict[str, Any],
        status: str,
    ) -> str:
        interview_id = uuid.uuid4().hex[:12]
        with self._session() as s:
            s.add(
                InterviewRow(
                    id=interview_id,
                    model=model,
                    mode=mode,
                    bank_version=bank_version,
                    bank_hash=bank_hash,
                    bank_path=bank_path,
                    options=options,
                    state=state,
                    status=status,
                    ended_early=False,
                )
            )
        return interview_id

    def commit_step(
        self,
        interview_id: str,
        *,
        state: dict[str, Any],
        status: str,
        turns: Sequence[NewTurn] = (),
        grades: Sequence[Grade] = (),
        reviews: Sequence[ReviewItem] = (),
        usage: Sequence[CallRecord] = (),
    ) -> None:
        """Store new turns, grades, review items, model calls and the machine state in one transaction: all land, or
        none does."""
        with self._session() as s:
            row = s.get(InterviewRow, interview_id)
            if row is None:
                raise StorageError(f"no interview {interview_id}")
            for grade in grades:
                s.add(_grade_row(interview_id, grade))
            for call in usage:
                s.add(UsageRow(interview_id=interview_id, **asdict(call)))
            if turns:
                seq = (
                    s.scalar(
                        select(func.coalesce(func.max(TurnRow.seq), 0)).where(TurnRow.interview_id == interview_id)
                    )
                    or 0
                )
                for offset, turn in enumerate(turns, start=1):
                    s.add(
                        TurnRow(
                            interview_id=interview_id,
                            seq=seq + offset,
                            question_id=turn.question_id,
                            role=turn.role,
                            kind=turn.kind,
                            text=turn.text,
                            probe_index=turn.probe_index,
                        )
                    )
            for item in reviews:
                _store_review(s, item)
            row.state = state
            row.status = status
            row.updated_at = utcnow()

    # ----------------------------------------------------------------------------------------------- leases
    def claim(
        self, interview_id: str, owner: str, seconds: float = LEASE_SECONDS, *, now: datetime | None = None
    ) -> str | None:
        """Take or renew the interview's lease for ``owner`` (free, already ``owner``'s, or lapsed): None when taken,
        else the owner that holds it. One statement, so two processes cannot both win."""
        now = now or utcnow()
        with self._session() as s:
            taken = s.execute(
                update(InterviewRow)
                .where(
                    InterviewRow.id == interview_id,
                    or_(
                        InterviewRow.lease_owner.is_(None),
                        InterviewRow.lease_owner == owner,
                        InterviewRow.lease_until < now,
                    ),
                )
                .values(lease_owner=owner, lease_until=now + timedelta(seconds=seconds))
            )
            if getattr(taken, "rowcount", 0):
                return None
            holder = s.execute(select(InterviewRow.lease_owner).where(InterviewRow.id == interview_id)).scalar()
            return str(holder) if holder else None

    def take_over(self, interview_id: str, owner: str, dead: str, seconds: float = LEASE_SECONDS) -> bool:
        """Take the lease from ``dead`` (a process known to have ended); False if someone else holds it by now."""
        with self._session() as s:
            taken = s.execute(
                update(InterviewRow)
                .where(InterviewRow.id == interview_id, InterviewRow.lease_owner == dead)
                .values(lease_owner=owner, lease_until=utcnow() + timedelta(seconds=seconds))
            )
            return bool(getattr(taken, "rowcount", 0))

    def release(self, interview_id: str, owner: str) -> None:
        """Give the lease back (only ``owner``'s own)."""
        with self._session() as s:
            s.execute(
                update(InterviewRow)
                .where(InterviewRow.id == interview_id, InterviewRow.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )

    def finish(self, interview_id: str, *, overall_score: float | None, ended_early: bool, status: str) -> None:
        with self._session() as s:
            row = s.get(InterviewRow, interview_id)
            if row is None:
                raise StorageError(f"no interview {interview_id}")
            row.overall_score = overall_score
            row.ended_early = ended_early
            row.status = status
            row.completed_at = utcnow()

    def delete(self, interview_id: str) -> bool:
        with self._session() as s:
            if s.get(InterviewRow, interview_id) is None:
                return False
            for table in (TurnRow, GradeRow, UsageRow, ReviewRow):
                s.execute(delete(table).where(table.interview_id == interview_id))
            s.execute(delete(InterviewRow).where(InterviewRow.id == interview_id))
        return True

    # -------------------------------------------------------------------------------------------------- reads
    def resolve_id(self, prefix: str) -> str | None:
        """The full id of the interview whose id starts with ``prefix`` (unique), or None."""
        with self._session() as s:
            ids = list(s.scalars(select(InterviewRow.id).where(InterviewRow.id.startswith(prefix)).limit(2)))
        return ids[0] if len(ids) == 1 else None

    def get(self, interview_id: str) -> InterviewRecord | None:
        with self._session() as s:
            row = s.get(InterviewRow, interview_id)
            if row is None:
                return None
            turns = [
                Turn(t.seq, t.question_id, t.role, t.kind, t.probe_index, t.text, _aware(t.created_at))
                for t in row.turns
            ]
            all_grades = [Grade.model_validate(g.data) for g in row.grades]
            latest: dict[str, Grade] = {}
            for g in all_grades:
                latest[g.question_id] = g
            usage = {
                "prompt_tokens": float(sum(u.prompt_tokens for u in row.usage)),
                "completion_tokens": float(sum(u.completion_tokens for u in row.usage)),
                "cost_usd": float(sum(u.cost_usd for u in row.usage)),
                "calls": float(len(row.usage)),
            }
            return InterviewRecord(
                id=row.id,
                created_at=_aware(row.created_at),
                completed_at=_aware(row.completed_at) if row.completed_at else None,
                status=row.status,
                model=row.model,
                mode=row.mode,
                bank_version=row.bank_version,
                bank_hash=row.bank_hash,
                bank_path=row.bank_path,
                options=dict(row.options),
                state=dict(row.state),
                overall_score=row.overall_score,
                ended_early=row.ended_early,
                turns=turns,
                grades=latest,
                all_grades=all_grades,
                usage=usage,
            )

    def latest(self, *, unfinished: bool = False) -> str | None:
        """The newest interview id (the newest unfinished one with ``unfinished``)."""
        with self._session() as s:
            query = select(InterviewRow.id).order_by(InterviewRow.created_at.desc(), InterviewRow.id.desc())
            if unfinished:
                query = query.where(InterviewRow.completed_at.is_(None), InterviewRow.status != "abandoned")
            return s.scalars(query.limit(1)).first()

    def list_interviews(self, limit: int = 50) -> list[InterviewSummary]:
        with self._session() as s:
            rows = s.scalars(select(InterviewRow).order_by(InterviewRow.created_at.desc()).limit(limit)).all()
            asked = _questions_asked(s, [row.id for row in rows])
            return [
                InterviewSummary(
                    row.id, _aware(row.created_at), row.status, row.model, asked.get(row.id, 0), row.overall_score
                )
                for row in rows
            ]

    def weakness(self, *, exclude: str | None = None) -> dict[str, float]:
        """Per question, how weak past answers were: 0 (scored 5) to 1 (scored 1 or skipped), newest grade wins."""
        with self._session() as s:
            query = select(GradeRow.question_id, GradeRow.score).order_by(GradeRow.id)
            if exclude:
                query = query.where(GradeRow.interview_id != exclude)
            latest: dict[str, int] = {}
            for qid, score in s.execute(query):
                latest[qid] = score
        return {qid: (5 - score) / 4 for qid, score in latest.items()}

    def past_overall(self, *, exclude: str | None = None, limit: int = 10) -> list[tuple[datetime, float]]:
        """Overall scores of earlier completed interviews, oldest first."""
        with self._session() as s:
            query = (
                select(InterviewRow.created_at, InterviewRow.overall_score)
                .where(InterviewRow.overall_score.is_not(None))
                .order_by(InterviewRow.created_at.desc())
                .limit(limit)
            )
            if exclude:
                query = query.where(InterviewRow.id != exclude)
            rows = [(_aware(c), float(o)) for c, o in s.execute(query) if o is not None]
        return list(reversed(rows))

    def graded_history(self) -> list[GradedInterview]:
        """Every interview, oldest first, with the final grade of each question it graded (two queries, whatever the
        number of interviews)."""
        with self._session() as s:
            rows = s.execute(
                select(
                    InterviewRow.id,
                    InterviewRow.created_at,
                    InterviewRow.status,
                    InterviewRow.overall_score,
                    InterviewRow.options,
                ).order_by(InterviewRow.created_at, InterviewRow.id)
            ).all()
            latest: dict[str, dict[str, Grade]] = {}
            for interview_id, data in s.execute(select(GradeRow.interview_id, GradeRow.data).order_by(GradeRow.id)):
                latest.setdefault(interview_id, {})[str(data.get("question_id", ""))] = Grade.model_validate(data)
        return [
            GradedInterview(
                i, _aware(created), status, overall, latest.get(i, {}), retry=bool((options or {}).get("retry"))
            )
            for i, created, status, overall, options in rows
        ]

    def last_attempt(self, question_id: str, *, exclude: str | None = None) -> Attempt | None:
        """The newest graded answer to ``question_id`` (outside interview ``exclude``), or None."""
        with self._session() as s:
            query = (
                select(GradeRow.interview_id, GradeRow.data, InterviewRow.created_at)
                .join(InterviewRow, InterviewRow.id == GradeRow.interview_id)
                .where(GradeRow.question_id == question_id)
                .order_by(InterviewRow.created_at.desc(), GradeRow.id.desc())
                .limit(1)
            )
            if exclude:
                query = query.where(GradeRow.interview_id != exclude)
            row = s.execute(query).first()
            if row is None:
                return None
            interview_id, data, created = row
            answers = list(
                s.scalars(
                    select(TurnRow.text)
                    .where(
                        TurnRow.interview_id == interview_id,
                        TurnRow.question_id == question_id,
                        TurnRow.role == "candidate",
                        TurnRow.kind == "answer",
                    )
                    .order_by(TurnRow.seq)
                )
            )
        return Attempt(interview_id, _aware(created), Grade.model_validate(data), answers)

    def review_items(self, question_ids: Sequence[str] | None = None) -> list[ReviewItem]:
        """The review items (of these questions only, when given)."""
        with self._session() as s:
            query = select(ReviewRow)
            if question_ids is not None:
                query = query.where(ReviewRow.question_id.in_(list(question_ids)))
            return [_review_item(r) for r in s.scalars(query.order_by(ReviewRow.due, ReviewRow.id))]

    def store_reviews(self, items: Sequence[ReviewItem]) -> None:
        """Insert or update review items on their own (an interview's land with its step, see ``commit_step``)."""
        with self._session() as s:
            for item in items:
                _store_review(s, item)

    def retire_reviews(self, keys: Sequence[tuple[str, str, str]]) -> int:
        """Remove these review items (their rubric items no longer exist); returns how many went."""
        if not keys:
            return 0
        with self._session() as s:
            gone = 0
            for question_id, kind, item_id in keys:
                result = s.execute(
                    delete(ReviewRow).where(
                        ReviewRow.question_id == question_id, ReviewRow.kind == kind, ReviewRow.item_id == item_id
                    )
                )
                gone += int(getattr(result, "rowcount", 0) or 0)
        return gone

    def integrity_check(self) -> str:
        """``ok`` when SQLite finds no corruption (always ``ok`` on other databases)."""
        if self.engine.dialect.name != "sqlite":
            return "ok"
        with self.engine.connect() as conn:
            return str(conn.execute(text("PRAGMA integrity_check")).scalar())
