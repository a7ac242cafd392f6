"""Grading against a reference answer alone (no rubric key points: inline questions, the SAF benchmark): key points
derived from the reference's clauses, each credited by the share of its words the answer uses, and the level from the
recall of the reference's distinctive words."""

from __future__ import annotations

import math
import re

from interviewer.bank.schema import KeyPoint, Question
from interviewer.domain.grades import KeyPointResult, Status
from interviewer.grading.text import Analyzer, Document
from interviewer.grading.thresholds import (
    REFERENCE_CLAUSE_TERMS,
    REFERENCE_FULL_RECALL,
    REFERENCE_HIT_RECALL,
    REFERENCE_PARTIAL_RECALL,
    REFERENCE_PROBE_CHARS,
)

_CLAUSE_BREAK = re.compile(r"(?<=[.!?;:])\s+|\n+|\s+-\s+|,\s+(?=[A-Za-z]+\s)")
"""Where a reference answer's clauses end: sentence punctuation, line breaks, dashes, and commas before a word."""


def level_from_recall(recall: float) -> int:
    """Reference-answer grading: 1 + 4 * recall / REFERENCE_FULL_RECALL, capped at 5, rounded half up."""
    return max(1, min(5, math.floor(1 + 4 * min(1.0, recall / REFERENCE_FULL_RECALL) + 0.5)))


def reference_recall(question: Question, doc: Document, analyzer: Analyzer) -> float:
    """The share of the reference answer's distinctive words (not the question's) that the answer uses."""
    own = set(analyzer.content_stems(question.text))
    stems = [s for s in dict.fromkeys(analyzer.content_stems(question.reference_answer or "")) if s not in own]
    return sum(1 for s in stems if doc.has_stem(s)) / len(stems) if stems else 0.0


def reference_point(kp: KeyPoint, doc: Document, generic: frozenset[str], analyzer: Analyzer) -> KeyPointResult:
    """A clause of a reference answer: the share of its content words the answer uses (paraphrase-tolerant)."""
    stems = [s for s in dict.fromkeys(analyzer.content_stems(kp.description)) if s not in generic]
    if not stems:
        status = Status.MISSED
    else:
        recall = sum(1 for s in stems if doc.has_stem(s)) / len(stems)
        status = (
            Status.HIT
            if recall >= REFERENCE_HIT_RECALL
            else Status.PARTIAL
            if recall >= REFERENCE_PARTIAL_RECALL
            else Status.MISSED
        )
    return KeyPointResult(
        id=kp.id, description=kp.description, status=status, quote=None, required=True, weight=kp.weight
    )


def reference_points(question: Question, doc: Document, analyzer: Analyzer) -> list[KeyPointResult]:
    """Every derived key point's result (the question's own words say nothing of any)."""
    own = frozenset(analyzer.content_stems(question.text))
    return [reference_point(kp, doc, own, analyzer) for kp in derive_key_points(question, analyzer)]


def derive_key_points(question: Question, analyzer: Analyzer) -> list[KeyPoint]:
    """Key points for a question given only a reference answer: one per clause of the reference."""
    reference = question.reference_answer or question.text
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(reference)]
    points: list[KeyPoint] = []
    for clause in clauses:
        if len(analyzer.content_stems(clause)) < REFERENCE_CLAUSE_TERMS:
            continue
        points.append(
            KeyPoint(
                id=f"ref_{len(points) + 1}",
                description=clause,
                weight=1,
                required=True,
                phrasings=[clause],
                probe=f"Can you say more about {clause[:REFERENCE_PROBE_CHARS].rstrip('.')}?",
            )
        )
    if not points:
        points.append(
            KeyPoint(
                id="ref_1",
                description=reference,
                weight=1,
                required=True,
                phrasings=[reference],
                probe="Can you say more?",
            )
        )
    return points
