"""Which single element a follow-up aims at: the policy on hand-built grades, then on real answers."""

from __future__ import annotations

from interviewer.bank import load_bank
from interviewer.bank.schema import Kind
from interviewer.domain.grades import Grade, KeyPointResult, MisconceptionFound, StarResult, Status
from interviewer.domain.phrasing import feedback_text, rubric_sentence
from interviewer.engine.probing import choose_target, probe_targets
from interviewer.evals.dataset import builtin_dataset_path, load_dataset
from interviewer.grading.rubric_grader import RubricGrader

BANK = load_bank()
GRADER = RubricGrader(BANK)


def point(kp_id: str, status: Status, *, weight: int, required: bool, support: float = 0.0) -> KeyPointResult:
    return KeyPointResult(id=kp_id, description=kp_id, status=status, weight=weight, required=required, support=support)


def technical(
    qid: str, points: list[KeyPointResult], misconceptions: list[MisconceptionFound] | None = None, score: int = 3
) -> Grade:
    return Grade(
        question_id=qid,
        kind=Kind.TECHNICAL,
        score=score,
        key_points=points,
        misconceptions=misconceptions or [],
        grader="rubric",
        model="offline",
        rubric_version="test",
    )


def targets(grade: Grade) -> list[str]:
    return [t.id for t in probe_targets(BANK.get(grade.question_id), grade, BANK)]


def test_technical_points_not_made_first_by_weight_then_points_made_thinly() -> None:
    grade = technical(
        "l1_vs_l2",
        [
            point("penalty_added_to_loss", Status.HIT, weight=3, required=True, support=1.0),
            point("bayesian_priors", Status.MISSED, weight=2, required=False),
            point("correlated_features", Status.PARTIAL, weight=4, required=False, support=0.9),
            point("elastic_net_and_tuning", Status.PARTIAL, weight=3, required=False, support=0.3),
            point("why_geometry", Status.PARTIAL, weight=4, required=False, support=0.6),
        ],
    )
    # Hardly said (support under MOSTLY_MADE) goes first, heaviest first; then what is made but thinly.
    assert targets(grade) == ["elastic_net_and_tuning", "bayesian_priors", "why_geometry", "correlated_features"]


def test_technical_a_must_have_goes_before_a_bonus_point_of_equal_weight() -> None:
    grade = technical(
        "class_imbalance",
        [
            point("threshold_tuning", Status.MISSED, weight=4, required=False),
            point("resampling", Status.PARTIAL, weight=4, required=True, support=0.4),
        ],
    )
    assert targets(grade) == ["resampling", "threshold_tuning"]


def test_technical_a_misconception_is_challenged_first() -> None:
    wrong = MisconceptionFound(id="l2_produces_sparsity", description="L2 gives zeros", max_score=2)
    grade = technical("l1_vs_l2", [point("l1_abs_sparsity", Status.MISSED, weight=5, required=True)], [wrong], score=2)
    assert targets(grade) == ["l2_produces_sparsity", "l1_abs_sparsity"]


def test_a_level_5_answer_is_probed_only_on_a_point_it_leaves_out_and_only_until_complete() -> None:
    made = point("penalty_added_to_loss", Status.HIT, weight=3, required=True, support=1.0)
    open_point = point("bayesian_priors", Status.MISSED, weight=2, required=False)
    assert targets(technical("l1_vs_l2", [made, open_point], score=5)) == ["bayesian_priors"]
    assert targets(technical("l1_vs_l2", [made], score=5)) == []  # complete: nothing to ask
    question = BANK.get("l1_vs_l2")
    grade = technical("l1_vs_l2", [made, open_point], score=5)
    assert choose_target(question, grade, BANK, tried=["bayesian_priors"]) is None


def test_a_level_5_story_is_not_asked_for_its_parts_again() -> None:
    grade = behavioral({"situation", "action", "result"}, []).model_copy(update={"score": 5})
    assert targets(grade) == []  # the task, ownership or reflection are not asked for once the story is level 5


def behavioral(present: set[str], points: list[KeyPointResult]) -> Grade:
    names = ("situation", "task", "action", "result", "ownership", "quantified_result", "reflection")
    return Grade(
        question_id="teammate_conflict",
        kind=Kind.BEHAVIORAL,
        score=3,
        star=[StarResult(name=n, present=n in present) for n in names],
        key_points=points,
        grader="rubric",
        model="offline",
        rubric_version="test",
    )


def test_behavioral_the_story_first_then_its_qualities_then_the_questions_own_points() -> None:
    grade = behavioral(
        {"situation", "task"},
        [
            point("understood_other_view", Status.MISSED, weight=4, required=True),
            point("preserved_relationship", Status.MISSED, weight=3, required=False),
        ],
    )
    expected = ["action", "result", "reflection", "understood_other_view", "ownership", "preserved_relationship"]
    assert targets(grade) == expected


def test_behavioral_a_complete_story_is_probed_on_the_questions_must_haves() -> None:
    names = {"situation", "task", "action", "result", "ownership", "quantified_result", "reflection"}
    grade = behavioral(
        names,
        [
            point("evidence_based_resolution", Status.MISSED, weight=4, required=True, support=0.3),
            point("understood_other_view", Status.MISSED, weight=4, required=True, support=0.1),
            point("preserved_relationship", Status.MISSED, weight=3, required=False),
        ],
    )
    assert targets(grade) == ["understood_other_view", "evidence_based_resolution", "preserved_relationship"]


def test_behavioral_a_result_without_numbers_asks_for_them_before_reflection() -> None:
    grade = behavioral(
        {"situation", "task", "action", "result", "ownership"},
        [point("understood_other_view", Status.MISSED, weight=4, required=True)],
    )
    assert targets(grade) == ["quantified_result", "reflection", "understood_other_view"]


def test_a_restated_question_credits_nothing_and_is_probed_from_the_start() -> None:
    question = BANK.get("teammate_conflict")
    grade = GRADER.grade_sync(question, [question.text])
    assert grade.score == 1
    assert not any(s.present for s in grade.star)
    assert not grade.misconceptions
    assert all(k.status is Status.MISSED and k.quote is None for k in grade.key_points)
    assert choose_target(question, grade, BANK) is not None


def test_what_someone_would_do_is_no_evidence_of_an_action_or_result() -> None:
    question = BANK.get("teammate_conflict")
    answer = (
        "If we cannot agree, I would propose a small experiment and look at the data, because data is neutral. "
        "I would also make sure the result improved things for both of us."
    )
    star = GRADER.grade_sync(question, [answer]).star_map()
    assert not star["action"] and not star["result"]


def test_the_offline_tip_is_about_the_gap_the_first_follow_up_aims_at() -> None:
    checked = 0
    for item in load_dataset(builtin_dataset_path(), BANK).items:
        question = BANK.get(item.question.id)
        grade = GRADER.grade_sync(question, [item.answer])
        target = choose_target(question, grade, BANK)
        if target is None:
            continue
        checked += 1
        if target.kind == "misconception":
            correction = next(m.correction for m in question.misconceptions if m.id == target.id)
            assert grade.tip == feedback_text(correction), item.id
        elif target.kind == "star":
            assert grade.tip.startswith(f"Add the {target.id.replace('_', ' ')}:"), item.id
        else:
            assert grade.tip == feedback_text(f"Also cover: {rubric_sentence(target.description)}"), item.id
    assert checked >= 150
