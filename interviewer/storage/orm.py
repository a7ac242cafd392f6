"""ORM rows. Domain code never sees these: the repository turns them into values."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class InterviewRow(Base):
    __tablename__ = "interviews"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    model: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16))
    bank_version: Mapped[str] = mapped_column(String(32))
    bank_hash: Mapped[str] = mapped_column(String(64))
    bank_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    options: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    state: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    overall_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    ended_early: Mapped[bool] = mapped_column(Boolean, default=False)
    lease_owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """The process answering this interview now (``pid@host``): one writer per interview."""
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """When the lease lapses unless renewed (a killed process lets go by itself)."""

    turns: Mapped[list[TurnRow]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", passive_deletes=True, order_by="TurnRow.seq"
    )
    grades: Mapped[list[GradeRow]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", passive_deletes=True, order_by="GradeRow.id"
    )
    usage: Mapped[list[UsageRow]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", passive_deletes=True
    )


class MetaRow(Base):
    """Facts about the database itself (``written_by``: the version of the program that last opened it to write)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class TurnRow(Base):
    """One utterance: the interviewer's question, follow-up or clarification, or the candidate's answer."""

    __tablename__ = "turns"
    __table_args__ = (Index("ix_turns_interview_seq", "interview_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # interviewer | candidate
    kind: Mapped[str] = mapped_column(String(16))  # question | probe | clarification | answer | skip
    probe_index: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    interview: Mapped[InterviewRow] = relationship(back_populates="turns")


class GradeRow(Base):
    """A grade of one question; a question graded again after a follow-up gets a new row (all are kept)."""

    __tablename__ = "grades"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    grader: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(200))
    rubric_version: Mapped[str] = mapped_column(String(64))
    prompt_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    interview: Mapped[InterviewRow] = relationship(back_populates="grades")


class ReviewRow(Base):
    """A rubric item of a question that the candidate missed or half made, scheduled for review (FSRS). It belongs to
    the interview that first found it missing: deleting that interview removes it."""

    __tablename__ = "review_items"
    __table_args__ = (Index("ix_review_items_item", "question_id", "kind", "item_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # key_point | star | misconception
    item_id: Mapped[str] = mapped_column(String(64))
    card: Mapped[dict[str, object]] = mapped_column(JSON)
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    last_rating: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class UsageRow(Base):
    """Tokens, cost and latency of one model call."""

    __tablename__ = "usage"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), index=True)
    model: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(32))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    cached: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    interview: Mapped[InterviewRow] = relationship(back_populates="usage")
