"""What to review: the gaps that keep coming back, and every gap of the latest graded answer to each question, each
with what the rubric says and the candidate's own best words for it (the review deck's notes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interviewer.bank.loader import Bank
from interviewer.bank.schema import Question
from interviewer.domain.grades import GapKind, Grade, Status
from interviewer.domain.phrasing import short_label
from interviewer.errors import BankError
from interviewer.progress import Progress
from interviewer.storage.repo import GradedInterview
from interviewer.textsafe import printable

KINDS = ("misconception", "key_point", "star")
KIND_LABELS = {"misconception": "Misconception", "key_point": "Key point", "star": "STAR"}


@dataclass(frozen=True)
class DeckNote:
    """One gap to review (a note of the review deck). Every string is printable (no control or bidirectional
    character); none is escaped."""

    question_id: str
    question: str
    """The question's text (its id when the bank no longer has it)."""
    kind: str
    """``key_point``, ``star`` or ``misconception``."""
    item_id: str
    label: str
    """The gap as a short label."""
    answer: str
    """What the rubric says: the key point's or STAR criterion's description, a misconception's correction."""
    quote: str | None
    """The candidate's own words for it in their best graded answer to the question, if any."""
    why: str
    """``keeps coming back (2 of 3 answers)`` or ``missed in your latest answer``."""


def deck_notes(history: Sequence[GradedInterview], bank: Bank, progress: Progress) -> list[DeckNote]:
    """The gaps that keep coming back (``progress.recurring``), then every key point missed or partial, STAR
    component absent and misconception asserted in the latest graded answer to each question; each gap once."""
    latest: dict[str, Grade] = {}
    best: dict[str, Grade] = {}
    for interview in history:  # oldest first: the last one wins; the best one, on a tie, the newer
        for qid, grade in interview.grades.items():
            latest[qid] = grade
            if qid not in best or grade.score >= best[qid].score:
                best[qid] = grade
    wanted: dict[tuple[str, GapKind, str], str] = {}
    for r in progress.recurring:
        wanted.setdefault((r.question_id, r.kind, r.item_id), f"keeps coming back ({r.count} of {r.of} answers)")
    order = {qid: n for n, qid in enumerate(bank.ids)}
    for qid in sorted(latest, key=lambda q: (order.get(q, len(order)), q)):
        for kind, item, _ in latest[qid].lacking():
            wanted.setdefault((printable(qid), kind, printable(item)), "missed in your latest answer")
    by_printable = {printable(qid): qid for qid in latest}
    out = []
    for (qid, kind, item), why in wanted.items():
        raw = by_printable.get(qid, qid)
        out.append(_item(bank, qid, kind, item, why, latest.get(raw), best.get(raw)))
    return out


def _question(bank: Bank, qid: str) -> Question | None:
    try:
        return bank.get(qid)
    except BankError:
        return None


_Gap = tuple[str, str, str | None]
"""A gap's label, what the rubric says, and the candidate's quote."""


def _item(bank: Bank, qid: str, kind: str, item: str, why: str, latest: Grade | None, best: Grade | None) -> DeckNote:
    question = _question(bank, qid)
    describe = _DESCRIBE.get(kind, _misconception)
    label, answer, quote = describe(bank, question, item, latest, best)
    return DeckNote(
        question_id=qid,
        question=printable(question.text if question else qid),
        kind=kind,
        item_id=item,
        label=printable(label),
        answer=printable(answer),
        quote=printable(quote) if quote else None,
        why=why,
    )


def _key_point(bank: Bank, question: Question | None, item: str, latest: Grade | None, best: Grade | None) -> _Gap:
    """A key point: the rubric's description, quoted from the best answer where it was not missed."""
    found = latest.key_point(item) if latest else None
    rubric = next((k.description for k in question.key_points if k.id == item), None) if question else None
    answer = rubric or (found.description if found else item.replace("_", " "))
    said = best.key_point(item) if best else None
    quote = said.quote if said is not None and said.status is not Status.MISSED else None
    return short_label(answer), answer, quote


def _star(bank: Bank, question: Question | None, item: str, latest: Grade | None, best: Grade | None) -> _Gap:
    """A STAR component: the bank's criterion, quoted from the best answer where it was present."""
    name = item.replace("_", " ")
    try:
        answer = bank.star.criterion(item).description
    except (KeyError, ValueError, BankError):
        answer = name
    said = next((s for s in best.star if s.name == item and s.present), None) if best else None
    return f"{name}: {short_label(answer)}", answer, said.quote if said else None


def _misconception(bank: Bank, question: Question | None, item: str, latest: Grade | None, best: Grade | None) -> _Gap:
    """A misconception: labeled by the claim, answered by the rubric's correction (else the stored one)."""
    asserted = next((m for m in latest.misconceptions if m.id == item), None) if latest else None
    rubric = next((m for m in question.misconceptions if m.id == item), None) if question else None
    claim = rubric.description if rubric else (asserted.description if asserted else item.replace("_", " "))
    stored = asserted.correction if asserted and asserted.correction else claim
    return short_label(claim), rubric.correction if rubric else stored, None


_DESCRIBE = {"key_point": _key_point, "star": _star, "misconception": _misconception}
