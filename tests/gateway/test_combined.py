"""The combined grader (a model configured): the judge's verified verdicts combined with the offline analysis. A
model cannot credit what the offline grader shows to be wrong; a model in full agreement leaves the grade unchanged;
a model failure still hands over to the offline grader."""

from __future__ import annotations

from typing import Any

from interviewer.bank import load_bank
from interviewer.domain.grades import Grade, Status
from interviewer.engine.fallback import FallbackGrader
from interviewer.gateway.errors import ModelServerError
from interviewer.gateway.fake import FakeModel
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.combined import CombinedGrader
from interviewer.grading.judge import LLMJudge
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.services import make_engines
from interviewer.settings import Settings
from interviewer.testing.verdicts import verdict

BANK = load_bank()
L1 = BANK.get("l1_vs_l2")
CONFLICT = BANK.get("teammate_conflict")
OFFLINE = RubricGrader(BANK)

FLAGGED = "Ridge adds the sum of squared weights and ridge gives a sparse model as well, so both do feature selection."
WRONG_L2 = (
    "Both add a penalty term to the loss that discourages large weights. L1, the lasso, adds the sum of absolute "
    "values of the weights and drives some weights exactly to zero. " + FLAGGED
)
SOUND_L1 = (
    "Both add a penalty term to the loss that discourages large weights. L1, the lasso, adds the sum of absolute "
    "values of the weights and drives some weights exactly to zero, which gives a sparse model. L2, ridge, adds the "
    "sum of squared weights and shrinks them smoothly toward zero without zeroing them. With correlated features, "
    "L1 keeps one of them arbitrarily while L2 spreads the weight across the group."
)
STORY = (
    "At a delivery company last year I disagreed with our data engineer about real-time features for the ETA model. "
    "I owned the model, so I had to decide which features we would ship. "
    "I asked him to walk me through his concerns, and he worried that streaming joins would double pipeline load. "
    "I proposed that we settle it with evidence, so I ran an offline test on two weeks of data. "
    "The test showed that only three real-time features mattered, and we agreed together to build just those three. "
    "Late deliveries fell 20% the following month. "
    "I learned to ask for the other person's constraints before arguing for my own solution."
)


def combined(model: FakeModel) -> CombinedGrader:
    return CombinedGrader(LLMJudge(model, BANK, offline=OFFLINE))


def agreeing_reply(grade: Grade) -> dict[str, Any]:
    """What a model in full agreement with the offline ``grade`` replies: its statuses, quotes and score."""
    reply: dict[str, Any] = {
        "reasoning": "Agrees with the rubric.",
        "key_points": [{"id": k.id, "quote": k.quote, "status": k.status.value} for k in grade.key_points],
        "misconceptions": [{"id": m.id, "quote": m.quote} for m in grade.misconceptions],
        "strengths": ["Clear."],
        "gaps": ["Depth."],
        "tip": "Go deeper.",
        "score": grade.score,
    }
    if grade.star:
        reply["star"] = {s.name: {"present": s.present, "quote": s.quote} for s in grade.star}
    return reply


async def test_a_point_credited_from_a_flagged_sentence_is_not_credited() -> None:
    offline = OFFLINE.grade_sync(L1, [WRONG_L2])
    # the literal misconception, and the swap it is (sparsity, an L1 attribute, said of Ridge), quoting one sentence
    assert ("l2_produces_sparsity", FLAGGED) in [(m.id, m.quote) for m in offline.misconceptions]
    assert {m.quote for m in offline.misconceptions} == {FLAGGED}
    reply = verdict(
        4,
        {
            "penalty_added_to_loss": "add a penalty term to the loss",
            "l1_abs_sparsity": "adds the sum of absolute values of the weights",
            "l2_squares_shrinkage": "Ridge adds the sum of squared weights",
        },
        reasoning="All three must-haves are there.",
        strengths=("Both penalties named.",),
        gaps=("No depth.",),
        tip="Mention elastic net.",
    )
    judge_alone = await LLMJudge(FakeModel([reply]), BANK, offline=OFFLINE).grade(L1, [WRONG_L2])
    assert judge_alone.key_point("l2_squares_shrinkage").status is Status.HIT  # type: ignore[union-attr]

    grade = await combined(FakeModel([reply])).grade(L1, [WRONG_L2])
    l2 = grade.key_point("l2_squares_shrinkage")
    assert l2 is not None and l2.status is Status.MISSED and l2.quote is None
    assert grade.key_point("l1_abs_sparsity").status is Status.HIT  # type: ignore[union-attr]  # outside the sentence
    assert [(m.id, m.quote) for m in grade.misconceptions] == [(m.id, m.quote) for m in offline.misconceptions]
    assert grade.score == 2  # the misconception's cap
    assert grade.gaps[0].startswith("Misconception:") and grade.tip == offline.misconceptions[0].correction
    assert grade.disagreement == abs(judge_alone.score - offline.score)
    assert grade.grader == "judge" and grade.model == "fake" and not grade.fallback


async def test_a_star_element_quoted_from_a_flagged_sentence_is_absent() -> None:
    story = STORY + " He was being difficult, so I went to my manager and the manager decided for us."
    offline = OFFLINE.grade_sync(CONFLICT, [story])
    flagged = {m.quote for m in offline.misconceptions}
    assert flagged, "the offline grader should flag the blame / escalation"
    reply = agreeing_reply(offline)
    reply["misconceptions"] = []
    reply["star"]["result"] = {"present": True, "quote": "I went to my manager and the manager decided for us"}
    reply["score"] = 5
    judge_alone = await LLMJudge(FakeModel([reply]), BANK, offline=OFFLINE).grade(CONFLICT, [story])
    assert judge_alone.star_map()["result"] is True  # the quote is verbatim
    grade = await combined(FakeModel([reply])).grade(CONFLICT, [story])
    result = next(s for s in grade.star if s.name == "result")
    offline_result = next(s for s in offline.star if s.name == "result")
    # the model's credit from the flagged sentence is dropped: what stands is the offline grader's own verdict
    assert (result.present, result.quote) == (offline_result.present, offline_result.quote)
    assert {m.id for m in grade.misconceptions} == {m.id for m in offline.misconceptions}
    assert grade.score <= min(m.max_score for m in offline.misconceptions)


async def test_the_models_own_verified_misconceptions_count_too() -> None:
    answer = SOUND_L1 + " Adding any regularization always increases the variance of the model."
    offline = OFFLINE.grade_sync(L1, [answer])
    reply = agreeing_reply(offline)
    reply["misconceptions"] = [
        *reply["misconceptions"],
        {"id": "regularization_increases_variance", "quote": "always increases the variance"},
    ]
    reply["score"] = 4
    grade = await combined(FakeModel([reply])).grade(L1, [answer])
    assert "regularization_increases_variance" in {m.id for m in grade.misconceptions}
    assert grade.score <= 2


async def test_full_agreement_leaves_the_grade_unchanged_technical() -> None:
    offline = OFFLINE.grade_sync(L1, [SOUND_L1])
    assert not offline.misconceptions and offline.score >= 3
    reply = agreeing_reply(offline)
    judge_alone = await LLMJudge(FakeModel([reply]), BANK, offline=OFFLINE).grade(L1, [SOUND_L1])
    grade = await combined(FakeModel([reply])).grade(L1, [SOUND_L1])
    assert grade.disagreement == 0
    assert grade.model_copy(update={"disagreement": None}) == judge_alone
    assert grade.score == offline.score


async def test_full_agreement_leaves_the_grade_unchanged_with_a_misconception() -> None:
    offline = OFFLINE.grade_sync(L1, [WRONG_L2])
    reply = agreeing_reply(offline)
    # Agreeing with the rubric, the model credits no point from the flagged sentence.
    for kp in reply["key_points"]:
        if kp["quote"] == FLAGGED:
            kp.update(status="missed", quote=None)
    judge_alone = await LLMJudge(FakeModel([reply]), BANK, offline=OFFLINE).grade(L1, [WRONG_L2])
    grade = await combined(FakeModel([reply])).grade(L1, [WRONG_L2])
    assert grade.model_copy(update={"disagreement": None}) == judge_alone
    assert grade.disagreement == 0 and grade.score == offline.score == 2


async def test_full_agreement_leaves_the_grade_unchanged_behavioral() -> None:
    offline = OFFLINE.grade_sync(CONFLICT, [STORY])
    assert not offline.misconceptions and offline.star_map()["action"]
    reply = agreeing_reply(offline)
    judge_alone = await LLMJudge(FakeModel([reply]), BANK, offline=OFFLINE).grade(CONFLICT, [STORY])
    grade = await combined(FakeModel([reply])).grade(CONFLICT, [STORY])
    assert grade.model_copy(update={"disagreement": None}) == judge_alone
    assert grade.disagreement == 0 and grade.score == offline.score


async def test_a_model_score_nothing_supports_is_not_taken_and_the_disagreement_is_recorded() -> None:
    offline = OFFLINE.grade_sync(L1, [SOUND_L1])
    reply = agreeing_reply(offline)
    reply["key_points"] = []
    reply["score"] = 5
    grade = await combined(FakeModel([reply])).grade(L1, [SOUND_L1])
    assert grade.score == offline.score < 5  # the offline evidence stands; the model's number adds none
    assert grade.disagreement == offline.score - 1  # the judge's own grade, bound by what it verified, was 1


async def test_a_poor_judge_that_credits_nothing_cannot_drag_a_sound_answer_down() -> None:
    offline = OFFLINE.grade_sync(L1, [SOUND_L1])
    reply = agreeing_reply(offline)
    reply["key_points"] = [{"id": k.id, "quote": None, "status": "missed"} for k in offline.key_points]
    reply["score"] = 1
    grade = await combined(FakeModel([reply])).grade(L1, [SOUND_L1])
    assert grade.score == offline.score and grade.disagreement == offline.score - 1
    assert [k.status for k in grade.key_points] == [k.status for k in offline.key_points]


async def test_a_paraphrase_the_model_verifies_adds_evidence() -> None:
    answer = (
        "Both add a penalty term to the loss that discourages large weights. L1, the lasso, adds the sum of absolute "
        "values of the weights and drives some weights exactly to zero. L2, ridge, adds the sum of squared weights. "
        "When two inputs carry the same signal, the lasso keeps one of the pair more or less at random while ridge "
        "shares the coefficient between them."
    )
    offline = OFFLINE.grade_sync(L1, [answer])
    assert offline.key_point("correlated_features").status is not Status.HIT  # type: ignore[union-attr]
    reply = agreeing_reply(offline)
    reply["key_points"] = [
        *[p for p in reply["key_points"] if p["id"] != "correlated_features"],
        {
            "id": "correlated_features",
            "quote": "the lasso keeps one of the pair more or less at random",
            "status": "hit",
        },
    ]
    grade = await combined(FakeModel([reply])).grade(L1, [answer])
    assert grade.key_point("correlated_features").status is Status.HIT  # type: ignore[union-attr]
    assert grade.score >= offline.score


async def test_model_failure_falls_back_to_the_offline_grader() -> None:
    ledger = UsageLedger()
    grader = FallbackGrader(combined(FakeModel([ModelServerError("down")])), OFFLINE, ledger)
    grade = await grader.grade(L1, [WRONG_L2])
    assert grade.fallback and grade.grader == "rubric" and grade.disagreement is None
    assert grade.score == OFFLINE.grade_sync(L1, [WRONG_L2]).score
    assert len(ledger.notices) == 1


async def test_with_sample_keeps_the_combination() -> None:
    reply = agreeing_reply(OFFLINE.grade_sync(L1, [WRONG_L2]))
    reply["misconceptions"] = []
    reply["score"] = 5
    model = FakeModel(default=reply)
    grader = combined(model).with_sample(2)
    grade = await grader.grade(L1, [WRONG_L2])
    assert grade.misconceptions and grade.score == 2
    assert model.calls[0].request.sample == 2


def test_make_engines_with_a_model_grades_with_the_combined_grader() -> None:
    engines = make_engines(Settings(model="gpt-4o-mini"), BANK)
    assert isinstance(engines.grader, FallbackGrader) and isinstance(engines.grader.primary, CombinedGrader)
    assert isinstance(engines.grader.fallback, RubricGrader)


def test_grade_with_disagreement_round_trips_through_json() -> None:
    grade = OFFLINE.grade_sync(L1, [SOUND_L1]).model_copy(update={"disagreement": 2})
    assert Grade.model_validate_json(grade.model_dump_json()) == grade
    old = grade.model_dump(mode="json")
    del old["disagreement"]  # a grade stored before the field existed
    assert Grade.model_validate(old).disagreement is None


async def test_a_point_credited_from_a_swapped_sentence_is_not_credited() -> None:
    """The second of two swapped sentences is not the one the misconception quotes; the judge still cannot credit it."""
    answer = (
        "Both add a penalty term to the loss that discourages large weights. L1 is Ridge: it adds the sum of squared "
        "weights. L2, the Lasso penalty, is the sum of absolute values of the weights."
    )
    reply = verdict(
        4,
        {
            "penalty_added_to_loss": "add a penalty term to the loss",
            "l1_abs_sparsity": "is the sum of absolute values of the weights",
            "l2_squares_shrinkage": "it adds the sum of squared weights",
        },
    )
    grade = await combined(FakeModel([reply])).grade(L1, [answer])
    for kp in ("l1_abs_sparsity", "l2_squares_shrinkage"):
        assert grade.key_point(kp).status is Status.MISSED  # type: ignore[union-attr]
    assert "swapped_definitions" in {m.id for m in grade.misconceptions}
    assert grade.score <= 2


async def test_a_result_quoted_from_the_candidates_own_action_is_not_credited() -> None:
    story = (
        "At a food delivery startup I owned our courier arrival-time model from start to finish. I rebuilt the "
        "features from three months of GPS pings, trained a LightGBM model against the old heuristic, and put it "
        "behind the dispatch API after a shadow period of 14 days."
    )
    question = BANK.get("end_to_end_project")
    offline = OFFLINE.grade_sync(question, [story])
    assert not offline.star_map()["result"]
    reply = agreeing_reply(offline)
    action = "put it behind the dispatch API after a shadow period of 14 days"
    reply["star"]["result"] = {"present": True, "quote": action}
    reply["star"]["quantified_result"] = {"present": True, "quote": action}
    grade = await combined(FakeModel([reply])).grade(question, [story])
    assert not grade.star_map()["result"] and not grade.star_map()["quantified_result"]
    # its twin: the same model crediting the outcome the story states keeps it
    full = story + " Late-delivery complaints fell by 30% in the first month."
    reply_full = agreeing_reply(OFFLINE.grade_sync(question, [full]))
    reply_full["star"]["result"] = {
        "present": True,
        "quote": "Late-delivery complaints fell by 30% in the first month.",
    }
    assert (await combined(FakeModel([reply_full])).grade(question, [full])).star_map()["result"]
