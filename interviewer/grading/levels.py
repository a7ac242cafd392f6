"""The rubric's level rules: the 1-5 level that a set of verified statuses supports, as the level descriptors define
it. One rule for every grader: the offline rubric grader scores by it, and a model's score is bounded by it (no
score above what its verified items support).
"""

from __future__ import annotations

import math
from collections.abc import Sequence, Set
from dataclasses import dataclass

from interviewer.bank.schema import Kind, Question
from interviewer.domain.grades import STAR_COMPONENTS, KeyPointResult, StarResult, Status
from interviewer.grading.thresholds import (
    DEVELOPED_BONUS,
    DEVELOPED_TOKENS,
    EXPLAINED_TOKENS,
    MOST_REQUIRED,
    STORY_PARTS,
    THIN_MENTIONS,
)

__all__ = ["DEVELOPED_TOKENS", "EXPLAINED_TOKENS", "behavioral_level", "level_bound", "technical_level"]


@dataclass(frozen=True)
class _Counts:
    """How many must-have and bonus points an answer makes (hit) or at least mentions (not missed)."""

    required: int
    bonus: int
    req_hit: int
    req_any: int
    bonus_hit: int
    bonus_any: int


def _counts(results: Sequence[KeyPointResult]) -> _Counts:
    required = [r for r in results if r.required]
    bonus = [r for r in results if not r.required]
    return _Counts(
        required=len(required),
        bonus=len(bonus),
        req_hit=sum(r.status is Status.HIT for r in required),
        req_any=sum(r.status is not Status.MISSED for r in required),
        bonus_hit=sum(r.status is Status.HIT for r in bonus),
        bonus_any=sum(r.status is not Status.MISSED for r in bonus),
    )


def technical_level(results: Sequence[KeyPointResult], content_tokens: int) -> int:
    """The 1-5 level from the key points, as the level descriptors define it: 3 = most must-haves roughly right;
    4 = every must-have made and explained plus a bonus point; 5 = that plus two or more bonus points, developed."""
    c = _counts(results)
    every_required = c.req_hit == c.required
    if every_required and c.bonus_hit >= min(DEVELOPED_BONUS, c.bonus) and content_tokens >= DEVELOPED_TOKENS:
        return 5
    if every_required and (c.bonus_hit >= 1 or not c.bonus) and content_tokens >= EXPLAINED_TOKENS:
        return 4
    if c.req_any >= max(1, math.ceil(MOST_REQUIRED * c.required)) and c.req_hit >= 1:
        return 3
    if c.req_hit or c.bonus_hit or c.req_any >= THIN_MENTIONS:
        return 2  # something stated, if thinly
    return 1  # level 1: none of the points stated, only vague mentions


def behavioral_level(present: Set[str], results: Sequence[KeyPointResult], *, hypothetical: bool) -> int:
    """The 1-5 level of a behavioral answer, as the level descriptors define it: 2 = generic, hypothetical or at most
    two STAR parts; 3 = a real story with personal actions and some of the question's criteria; 4 = situation,
    action and result, clear ownership and the required criteria; 5 = that plus a quantified result, reflection."""
    parts = len(present & set(STAR_COMPONENTS))
    c = _counts(results)
    story = "action" in present or parts >= STORY_PARTS
    if not story and c.req_hit == 0:
        return 1
    if hypothetical or _generic_story(present, parts, c):
        return 2
    if not _strong_story(present, c):
        return 3
    if _complete_story(present, c):
        return 5
    return 4


def _generic_story(present: Set[str], parts: int, c: _Counts) -> bool:
    """No personal action, at most two STAR parts, or none of the question's must-haves (one mention at most)."""
    return "action" not in present or parts <= STORY_PARTS or bool(c.required and c.req_hit == 0 and c.req_any <= 1)


def _strong_story(present: Set[str], c: _Counts) -> bool:
    """Situation, action and result, ownership, and every must-have at least mentioned (level 4). Narrative
    criteria are said in many ways; a partial match of each is taken as met."""
    return (
        {"situation", "action", "result"} <= present
        and "ownership" in present
        and c.req_any == c.required
        and (c.req_hit >= 1 or "quantified_result" in present)
    )


def _complete_story(present: Set[str], c: _Counts) -> bool:
    """A quantified result and a reflection, a bonus point if there is one, and half the must-haves made (5)."""
    return (
        {"quantified_result", "reflection"} <= present
        and bool(c.bonus_any or not c.bonus)
        and 2 * c.req_hit >= c.required
    )


def level_bound(
    question: Question,
    key_points: Sequence[KeyPointResult],
    star: Sequence[StarResult],
    *,
    content_tokens: int,
    hypothetical: bool,
) -> int:
    """The highest 1-5 score that these (verified) statuses support under the question's level rule.

    ``content_tokens`` (content words in the answer) and ``hypothetical`` (told as what one would do) come from the
    offline analysis of the same answer. A technical question graded against a reference answer alone has no rubric
    items to bound by: 5. Misconception caps are not applied here (each grader applies its own)."""
    if question.kind is Kind.BEHAVIORAL and not question.reference_only:
        present = {s.name for s in star if s.present}
        return behavioral_level(present, key_points, hypothetical=hypothetical)
    if question.reference_only or not question.key_points:
        return 5
    return technical_level(key_points, content_tokens)
