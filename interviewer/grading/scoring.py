"""The 1-5 score of an answer from what was found: the level rule of its kind (``levels.py``), capped by the
misconceptions it asserts and by being a bare list of terms."""

from __future__ import annotations

from collections.abc import Sequence, Set

from interviewer.domain.grades import KeyPointResult, MisconceptionFound, Status
from interviewer.grading.levels import behavioral_level, technical_level
from interviewer.grading.reference import level_from_recall
from interviewer.grading.thresholds import TERM_LIST_MAX_SCORE


def wrong_floor(results: Sequence[KeyPointResult]) -> int:
    """An answer that asserts a misconception and states none of the must-haves correctly is level 1 (the lower of
    the two descriptors it meets: "none of the must-haves correctly stated" and "asserts a misconception")."""
    return 2 if any(r.required and r.status is Status.HIT for r in results) else 1


def technical_score(
    results: Sequence[KeyPointResult],
    misconceptions: Sequence[MisconceptionFound],
    *,
    content_tokens: int,
    recall: float | None,
    term_list: bool,
) -> int:
    """A technical answer's score: from the key points (or, graded against a reference answer, from the ``recall``
    of its words), capped by each misconception and by being a list of terms."""
    score = level_from_recall(recall) if recall is not None else technical_level(results, content_tokens)
    if misconceptions:
        score = min(score, *(m.max_score for m in misconceptions), wrong_floor(results))
    if term_list:
        score = min(score, TERM_LIST_MAX_SCORE)
    return score


def behavioral_score(
    present: Set[str],
    results: Sequence[KeyPointResult],
    misconceptions: Sequence[MisconceptionFound],
    *,
    hypothetical: bool,
    term_list: bool,
) -> int:
    """A behavioral answer's score: from its STAR elements and the question's criteria, capped by each red flag and
    by being a list of terms."""
    score = behavioral_level(present, results, hypothetical=hypothetical)
    if misconceptions:
        score = min(score, *(m.max_score for m in misconceptions))
    if term_list:
        score = min(score, TERM_LIST_MAX_SCORE)
    return score
