"""Spaced review of what was missed: every rubric item a candidate missed or only half made (a technical key point,
a STAR component of a question, an asserted misconception) becomes a review item of its question, scheduled with FSRS
(the ``fsrs`` package).

Ratings come from grades, not buttons. In the next graded answer to that question (in ``review``, ``retry`` or
``run`` alike) the item's status gives the rating: missed, absent or asserted is Again; partial is Hard; made is Good,
and Easy when made in the first answer with no follow-up. A made item with no review item yet creates none.

The schedule works in days (an interview question is not a flashcard drilled within minutes) and without fuzzing, so
the same grades always give the same dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from interviewer.bank.loader import Bank
from interviewer.bank.schema import Kind, Question
from interviewer.domain.grades import STAR_NAMES, GapKind, Grade, Status
from interviewer.domain.phrasing import as_words, short_label
from interviewer.domain.review_item import ReviewItem
from interviewer.textsafe import printable

if TYPE_CHECKING:
    from fsrs import Card, Scheduler
    from fsrs.card import CardDict

    from interviewer.storage.repo import Repository

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
"""FSRS ratings (``fsrs.Rating`` values), as stored."""
STAR_ITEMS = STAR_NAMES


@cache
def scheduler() -> Scheduler:
    """FSRS with day-long (re)learning steps and no fuzzing."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(timedelta(days=1),), relearning_steps=(timedelta(days=1),), enable_fuzzing=False)


def ratings(question: Question, grade: Grade, *, first_try: bool) -> dict[tuple[GapKind, str], int]:
    """Each rubric item of ``question`` with the rating ``grade`` gives it (``first_try``: one answer, no
    follow-up)."""
    made = EASY if first_try else GOOD
    out: dict[tuple[GapKind, str], int] = {}
    for point in grade.key_points:
        out[("key_point", point.id)] = {Status.MISSED: AGAIN, Status.PARTIAL: HARD, Status.HIT: made}[point.status]
    if question.kind is Kind.BEHAVIORAL:
        for name, present in grade.star_map().items():
            out[("star", name)] = made if present else AGAIN
    asserted = {m.id for m in grade.misconceptions}
    for m in question.misconceptions:
        out[("misconception", m.id)] = AGAIN if m.id in asserted else made
    return out


def review(
    question: Question,
    grade: Grade,
    existing: Mapping[tuple[GapKind, str], ReviewItem],
    *,
    first_try: bool,
    now: datetime,
    interview_id: str,
) -> list[ReviewItem]:
    """The review items of ``question`` that this grade creates or reschedules."""
    from fsrs import Card, Rating

    out: list[ReviewItem] = []
    for (kind, item_id), rating in ratings(question, grade, first_try=first_try).items():
        old = existing.get((kind, item_id))
        if old is None and rating > HARD:
            continue  # made, and never missed: nothing to review
        card = _card(old.card) if old is not None else Card()
        card, _ = scheduler().review_card(card, Rating(rating), review_datetime=now)
        if old is None:
            out.append(ReviewItem(question.id, kind, item_id, card.to_dict(), card.due, 1, rating, interview_id))
        else:
            out.append(replace(old, card=card.to_dict(), due=card.due, reviews=old.reviews + 1, last_rating=rating))
    return out


def _card(stored: Mapping[str, Any]) -> Card:
    """The stored card, or a fresh one when what is stored cannot be read (the item is then scheduled anew)."""
    from fsrs import Card

    try:
        return Card.from_dict(cast("CardDict", dict(stored)))
    except (KeyError, TypeError, ValueError):
        return Card()


def exists_in(bank: Bank, item: ReviewItem) -> bool:
    """Whether the item's rubric item is still in the bank (an item whose rubric item was removed retires)."""
    if item.question_id not in bank.ids:
        return False
    question = bank.get(item.question_id)
    if item.kind == "key_point":
        return any(kp.id == item.item_id for kp in question.key_points)
    if item.kind == "misconception":
        return any(m.id == item.item_id for m in question.misconceptions)
    return item.kind == "star" and question.kind is Kind.BEHAVIORAL and item.item_id in STAR_ITEMS


def most_overdue(items: Iterable[ReviewItem], now: datetime) -> list[ReviewItem]:
    """The items due at ``now``, most overdue first."""
    return sorted((i for i in items if i.due <= now), key=lambda i: (i.due, i.question_id, i.kind, i.item_id))


def rating_name(value: int) -> str:
    return {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}.get(value, str(value))


@dataclass(frozen=True)
class ReviewPlan:
    """What ``interviewer review`` asks: the questions with due items, most overdue first, and per question the item
    its first follow-up aims at."""

    items: list[ReviewItem]
    due: list[ReviewItem]
    question_ids: list[str]
    targets: dict[str, str]
    labels: dict[tuple[str, str, str], str]
    now: datetime

    @classmethod
    def of(cls, items: list[ReviewItem], bank: Bank, now: datetime, limit: int) -> ReviewPlan:
        due = most_overdue(items, now)
        question_ids: list[str] = []
        targets: dict[str, str] = {}
        for item in due:
            if item.question_id not in targets and len(question_ids) < limit:
                question_ids.append(item.question_id)
                targets[item.question_id] = item.item_id
        labels = {i.key: label(bank, i) for i in items}
        return cls(items, due, question_ids, targets, labels, now)

    def nothing_due(self) -> str:
        if not self.items:
            return "Nothing to review yet: what you miss in an interview is scheduled here for review."
        upcoming = min(self.items, key=lambda i: i.due)
        return (
            f"Nothing is due for review. {len(self.items)} items are scheduled; the next is due "
            f"{upcoming.due:%Y-%m-%d %H:%M} UTC ({upcoming.question_id})."
        )

    def ordered(self) -> list[ReviewItem]:
        """Every item: the due ones first (most overdue first), then the rest by due date."""
        return [*self.due, *sorted((i for i in self.items if i.due > self.now), key=lambda i: (i.due, i.key))]

    def rows(self) -> list[tuple[str, ...]]:
        """Table rows, in ``ordered`` order."""
        return [
            (
                printable(i.question_id),
                as_words(i.kind),
                self.labels[i.key],
                ("due " if i.due <= self.now else "") + f"{i.due:%Y-%m-%d}",
                str(i.reviews),
                rating_name(i.last_rating),
            )
            for i in self.ordered()
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "due": len(self.due),
            "questions": self.question_ids,
            "targets": self.targets,
            "items": [
                {
                    "question_id": i.question_id,
                    "kind": i.kind,
                    "item_id": i.item_id,
                    "label": self.labels[i.key],
                    "due": i.due.isoformat(),
                    "is_due": i.due <= self.now,
                    "reviews": i.reviews,
                    "last_rating": rating_name(i.last_rating),
                }
                for i in self.ordered()
            ],
        }


def current_plan(repo: Repository, bank: Bank, limit: int, *, retire: bool = False) -> ReviewPlan:
    """The review plan now, from the stored items whose rubric items are still in the bank (``retire``: the others
    are removed from the database too)."""
    items = repo.review_items()
    if retire:
        repo.retire_reviews([i.key for i in items if not exists_in(bank, i)])
    return ReviewPlan.of([i for i in items if exists_in(bank, i)], bank, datetime.now(UTC), limit)


def label(bank: Bank, item: ReviewItem) -> str:
    """The item's rubric wording, short (the STAR component's name for STAR items)."""
    question = bank.get(item.question_id)
    if item.kind == "key_point":
        text = next((kp.description for kp in question.key_points if kp.id == item.item_id), item.item_id)
    elif item.kind == "misconception":
        text = next((m.description for m in question.misconceptions if m.id == item.item_id), item.item_id)
    else:
        text = as_words(item.item_id)
    return printable(short_label(text))
