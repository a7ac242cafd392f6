"""The rubric's level rules: the 1-5 level that a set of verified statuses supports, as the level descriptors define
it. One rule for every grader: the offline rubric grader scores by it, and a model's score is bounded by it (no
score above what its verified items support).
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from interviewer.bank.schema import Kind, Question
from interviewer.domain.grades import STAR_COMPONENTS, KeyPointResult, StarResult, Status

EXPLAINED_TOKENS = 25
"""Content words below which an answer cannot have "clearly explained" every must-have point (level 4)."""
DEVELOPED_TOKENS = 60
"""Content words below which an answer cannot show the depth level 5 asks for (trade-offs, pitfalls)."""


def technical_level(results: Sequence[KeyPointResult], content_tokens: int) -> int:
    """The 1-5 level from the key points, as the level descriptors define it: 3 = most must-haves roughly right;
    4 = every must-have made and explained plus a bonus point; 5 = that plus two or more bonus points, developed."""
    required = [r for r in results if r.required]
    bonus = [r for r in results if not r.required]
    req_hit = sum(r.status is Status.HIT for r in required)
    req_any = sum(r.status is not Status.MISSED for r in required)
    bonus_hit = sum(r.status is Status.HIT for r in bonus)
    if req_hit == len(required) and bonus_hit >= min(2, len(bonus)) and content_tokens >= DEVELOPED_TOKENS:
        return 5
    if req_hit == len(required) and (bonus_hit >= 1 or not bonus) and content_tokens >= EXPLAINED_TOKENS:
        return 4
    if req_any >= max(1, -(-3 * len(required) // 5)) and req_hit >= 1:
        return 3
    if req_hit or bonus_hit or req_any >= 2:
        return 2  # something stated, if thinly
    return 1  # level 1: none of the points stated, only vague mentions


def behavioral_level(present: Set[str], results: Sequence[KeyPointResult], *, hypothetical: bool) -> int:
    """The 1-5 level of a behavioral answer, as the level descriptors define it: 2 = generic, hypothetical or at most
    two STAR parts; 3 = a real story with personal actions and some of the question's criteria; 4 = situation,
    action and result, clear ownership and the required criteria; 5 = that plus a quantified result, reflection."""
    parts = len(present & set(STAR_COMPONENTS))
    required = [r for r in results if r.required]
    bonus = [r for r in results if not r.required]
    req_hit = sum(r.status is Status.HIT for r in required)
    req_any = sum(r.status is not Status.MISSED for r in required)
    bonus_any = sum(r.status is not Status.MISSED for r in bonus)
    story = "action" in present or parts >= 2
    if not story and req_hit == 0:
        return 1
    if hypothetical or "action" not in present or parts <= 2 or (required and req_hit == 0 and req_any <= 1):
        return 2
    # Narrative criteria are said in many ways; a partial match of each is taken as met for level 4.
    strong = (
        {"situation", "action", "result"} <= present
        and "ownership" in present
        and req_any == len(required)
        and (req_hit >= 1 or "quantified_result" in present)
    )
    if not strong:
        return 3
    if {"quantified_result", "reflection"} <= present and (bonus_any or not bonus) and 2 * req_hit >= len(required):
        return 5
    return 4


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
