"""The judge's score is bound by its verified evidence (issue 11, item 5): a fake model that claims a score its
verified statuses do not support is stored at the level the rubric's level rule gives, for technical and behavioral
questions alike; the twin whose verified evidence supports the claimed score keeps it."""

from __future__ import annotations

from typing import Any

import pytest

from interviewer.bank import load_bank
from interviewer.domain.grades import STAR_COMPONENTS, STAR_QUALITIES, KeyPointResult, Status
from interviewer.gateway.fake import FakeModel
from interviewer.grading.judge import LLMJudge
from interviewer.grading.levels import behavioral_level, technical_level
from interviewer.testing.verdicts import verdict

BANK = load_bank()
L1 = BANK.get("l1_vs_l2")
CONFLICT = BANK.get("teammate_conflict")

STRONG_L1 = (
    "Both are penalty terms added to the training loss to discourage large weights and reduce overfitting. "
    "L1, the lasso, adds the sum of absolute values of the weights, which drives many weights exactly to zero, so it "
    "gives a sparse model and acts as feature selection. L2, ridge, adds the sum of squared weights, which shrinks "
    "every weight smoothly toward zero but rarely to exactly zero. With correlated features, L1 tends to keep one of "
    "the group arbitrarily and drop the rest, while L2 spreads the weight across them, which is more stable. "
    "Geometrically, the L1 constraint is a diamond whose corners sit on the axes, so the loss contours tend to touch "
    "it where some weights are zero. Elastic net mixes both penalties, and the strength lambda is tuned by "
    "cross-validation. From a Bayesian view, L1 is a Laplace prior on the weights and L2 a Gaussian prior."
)
L1_QUOTES = {
    "penalty_added_to_loss": "penalty terms added to the training loss to discourage large weights",
    "l1_abs_sparsity": "adds the sum of absolute values of the weights, which drives many weights exactly to zero",
    "l2_squares_shrinkage": "adds the sum of squared weights, which shrinks every weight smoothly toward zero",
    "correlated_features": "L2 spreads the weight across them, which is more stable",
    "why_geometry": "the L1 constraint is a diamond whose corners sit on the axes",
    "elastic_net_and_tuning": "Elastic net mixes both penalties, and the strength lambda is tuned by cross-validation",
    "bayesian_priors": "L1 is a Laplace prior on the weights and L2 a Gaussian prior",
}

STRONG_STORY = (
    "At a delivery company last year I disagreed with our data engineer about real-time features for the ETA model. "
    "I owned the model, so I had to decide which features we would ship. "
    "I asked him to walk me through his concerns, and he worried that streaming joins would double pipeline load and "
    "his on-call burden. "
    "I proposed that we settle it with evidence, so I ran an offline test on two weeks of data comparing real-time "
    "and batch features. "
    "The test showed that only three real-time features mattered, so I dropped the rest of my list and we agreed "
    "together to build just those three, which our manager signed off. "
    "Late deliveries fell 20% the following month, and he and I still review feature designs together. "
    "I learned to ask for the other person's constraints before arguing for my own solution."
)
STAR_QUOTES = {
    "situation": "At a delivery company last year I disagreed with our data engineer",
    "task": "I had to decide which features we would ship",
    "action": "I ran an offline test on two weeks of data",
    "result": "we agreed together to build just those three",
    "ownership": "I owned the model",
    "quantified_result": "Late deliveries fell 20% the following month",
    "reflection": "I learned to ask for the other person's constraints",
}
CRITERIA_QUOTES = {
    "understood_other_view": "he worried that streaming joins would double pipeline load and his on-call burden",
    "evidence_based_resolution": "I proposed that we settle it with evidence",
    "clear_resolution": "I dropped the rest of my list and we agreed together to build just those three",
    "preserved_relationship": "he and I still review feature designs together",
}
HYPOTHETICAL_STORY = (
    "I would first talk to the teammate privately to understand their view and their constraints. "
    "I would propose an experiment so that the evidence decides, not seniority. "
    "Then I would agree on one option with them and I'd write the decision down for the team."
)


def technical_reply(score: int, quotes: dict[str, str] | None, status: str = "hit") -> dict[str, Any]:
    """A verdict crediting every key point with its quote (``quotes``), or missing every one (None)."""
    points = {kp.id: quotes[kp.id] if quotes is not None else None for kp in L1.key_points}
    return verdict(score, points, status=status, strengths=("Thorough.",), gaps=(), tip="Keep it up.")


def star_reply(score: int, star: dict[str, str] | None, criteria: dict[str, str] | None) -> dict[str, Any]:
    """A verdict showing every STAR element with its quote (``star``), or none (None); the same for criteria."""
    elements: dict[str, str | None] = {
        name: star[name] if star is not None else None for name in (*STAR_COMPONENTS, *STAR_QUALITIES)
    }
    points = {kp.id: criteria[kp.id] if criteria is not None else None for kp in CONFLICT.key_points}
    return verdict(
        score,
        points,
        star=elements,
        reasoning="Component by component.",
        strengths=("A real story.",),
        gaps=(),
        tip="Keep it up.",
    )


def test_the_fixtures_quote_their_answers() -> None:
    assert all(q in STRONG_L1 for q in L1_QUOTES.values())
    assert all(q in STRONG_STORY for q in (*STAR_QUOTES.values(), *CRITERIA_QUOTES.values()))
    assert {kp.id for kp in L1.key_points} == set(L1_QUOTES)
    assert {kp.id for kp in CONFLICT.key_points} == set(CRITERIA_QUOTES)


@pytest.mark.parametrize("listed", [True, False], ids=["missed-listed", "points-left-out"])
async def test_technical_five_with_every_key_point_missed_is_level_one(listed: bool) -> None:
    reply = technical_reply(5, None)
    if not listed:
        reply["key_points"] = []
    grade = await LLMJudge(FakeModel([reply]), BANK).grade(L1, [STRONG_L1])
    assert all(k.status is Status.MISSED for k in grade.key_points)
    missed = [KeyPointResult(id=k.id, description="", status=Status.MISSED, required=k.required) for k in L1.key_points]
    assert grade.score == technical_level(missed, content_tokens=200) == 1


async def test_technical_five_with_every_key_point_partial_is_bounded() -> None:
    grade = await LLMJudge(FakeModel([technical_reply(5, L1_QUOTES, "partial")]), BANK).grade(L1, [STRONG_L1])
    assert all(k.status is Status.PARTIAL for k in grade.key_points)
    assert grade.score == 2  # stated, thinly: no must-have made in full


async def test_technical_five_supported_by_verified_evidence_keeps_five() -> None:
    grade = await LLMJudge(FakeModel([technical_reply(5, L1_QUOTES)]), BANK).grade(L1, [STRONG_L1])
    assert all(k.status is Status.HIT for k in grade.key_points)
    assert grade.score == 5


async def test_technical_five_on_a_short_answer_is_bounded_by_its_length() -> None:
    """Every point verified, but in too few words to be "developed": level 4 at most, as the offline rule says."""
    short = (
        "Both add a penalty to the loss. L1 adds absolute values and zeroes weights. L2 adds squared weights and "
        "shrinks them. Correlated features: L2 spreads weight. The L1 diamond has corners. Elastic net mixes both. "
        "Laplace versus Gaussian prior."
    )
    quotes = {
        "penalty_added_to_loss": "add a penalty to the loss",
        "l1_abs_sparsity": "L1 adds absolute values and zeroes weights",
        "l2_squares_shrinkage": "L2 adds squared weights and shrinks them",
        "correlated_features": "Correlated features: L2 spreads weight",
        "why_geometry": "The L1 diamond has corners",
        "elastic_net_and_tuning": "Elastic net mixes both",
        "bayesian_priors": "Laplace versus Gaussian prior",
    }
    grade = await LLMJudge(FakeModel([technical_reply(5, quotes)]), BANK).grade(L1, [short])
    assert all(k.status is Status.HIT for k in grade.key_points)
    assert grade.score < 5


async def test_behavioral_five_with_every_star_component_absent_is_level_one() -> None:
    grade = await LLMJudge(FakeModel([star_reply(5, None, None)]), BANK).grade(CONFLICT, [STRONG_STORY])
    assert not any(grade.star_map().values())
    assert grade.score == behavioral_level(set(), grade.key_points, hypothetical=False) == 1


async def test_behavioral_five_with_star_absent_but_criteria_hit_is_bounded() -> None:
    grade = await LLMJudge(FakeModel([star_reply(5, None, CRITERIA_QUOTES)]), BANK).grade(CONFLICT, [STRONG_STORY])
    assert not any(grade.star_map().values())
    assert grade.score == 2  # no action shown: at most a generic answer


async def test_behavioral_five_supported_by_verified_evidence_keeps_five() -> None:
    reply = star_reply(5, STAR_QUOTES, CRITERIA_QUOTES)
    grade = await LLMJudge(FakeModel([reply]), BANK).grade(CONFLICT, [STRONG_STORY])
    assert all(grade.star_map().values())
    assert grade.score == 5


async def test_behavioral_hypothetical_story_is_bounded_by_the_offline_analysis() -> None:
    """Told as what one *would* do: every element "verified" by the model's quotes, still level 2 at most."""
    quotes: dict[str, str] = dict.fromkeys((*STAR_COMPONENTS, *STAR_QUALITIES), "I would propose an experiment")
    criteria = dict.fromkeys(CRITERIA_QUOTES, "I would propose an experiment so that the evidence decides")
    grade = await LLMJudge(FakeModel([star_reply(5, quotes, criteria)]), BANK).grade(CONFLICT, [HYPOTHETICAL_STORY])
    assert all(grade.star_map().values())  # the quotes are verbatim, so they stand
    assert grade.score == 2


async def test_an_asserted_misconception_caps_a_supported_score() -> None:
    answer = STRONG_L1 + " Ridge also gives a sparse model, just less sparse than the lasso."
    reply = technical_reply(5, L1_QUOTES)
    reply["misconceptions"] = [{"id": "l2_produces_sparsity", "quote": "Ridge also gives a sparse model"}]
    grade = await LLMJudge(FakeModel([reply]), BANK).grade(L1, [answer])
    cap = next(m.max_score for m in L1.misconceptions if m.id == "l2_produces_sparsity")
    assert [m.id for m in grade.misconceptions] == ["l2_produces_sparsity"] and grade.score == cap
