"""Grades follow what an answer claims, not which words it uses (issue: grades a candidate can trust).

Each failure case comes with its twin: the answer that differs in the one thing that matters, which must keep its
credit. The cases are the ones a user met with the offline default; the mechanism is generic (rubric contrasts,
methods, claim frames), shown at the end with a bank of another subject that the grader's code knows nothing of.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.bank import load_bank
from interviewer.domain.grades import Grade, Status
from interviewer.grading.rubric_grader import RubricGrader

BANK = load_bank()
GRADER = RubricGrader(BANK)

L1_FULL = (
    "Both add a penalty on the size of the weights to the loss, scaled by lambda, to reduce overfitting. "
    "L1, or Lasso, adds the sum of absolute values of the weights; its pull toward zero does not fade, so many weights "
    "become exactly zero and you get a sparse model that does feature selection. "
    "L2, or Ridge, adds the sum of squared weights; it shrinks all weights smoothly and rarely makes any exactly "
    "zero, so the model stays dense. With correlated features L1 tends to pick one arbitrarily while L2 spreads the "
    "weight across them. Geometrically the L1 ball is a diamond with corners on the axes. In practice I tune lambda "
    "with cross-validation, standardize features first, and use elastic net to combine both."
)
BIAS_VARIANCE_FULL = (
    "Bias is error from wrong assumptions: a model that is too simple misses the underlying pattern and underfits, "
    "with high training error. Variance is how much the fitted model changes with a different training sample: a model "
    "that is too complex fits the noise and overfits, with a big gap between train and test error. Adding complexity "
    "lowers bias but raises variance, so test error is U-shaped and we want the sweet spot of complexity. For high "
    "bias I add features or capacity; for high variance I get more data or add regularization. Learning curves of "
    "training vs validation error tell me which side I am on."
)
STORY_START = (
    "At a food delivery startup I owned our courier arrival-time model from start to finish. I rebuilt the features "
    "from three months of GPS pings, trained a LightGBM model against the old heuristic, and put it behind the "
    "dispatch API after a shadow period of 14 days."
)
CHURN_STORY = (
    "At a subscription box company I owned the churn model end to end. I agreed the churn definition with the product "
    "manager, built the features in Spark from order history, trained a gradient-boosting model against a "
    "logistic-regression baseline, and shipped it as a daily batch job feeding the retention team's emails. Churn in "
    "the targeted group fell from 11% to 8% over the next quarter."
)
CFO_STORY = (
    "Our CFO said the demand forecast was a black box and wanted to go back to spreadsheets before the budget round. I "
    "owned the model, so I booked an hour with him. I showed last quarter's forecast next to actuals for his five "
    "biggest product lines, explained the two drivers that moved each one in his own terms, price changes and "
    "promotions, and gave him the error range he should plan for. He kept the model for the budget, and planning "
    "errors on those lines dropped by a third the next quarter. Since then I start every model review with the "
    "decision the audience has to make."
)


def grade(qid: str, *answers: str, grader: RubricGrader = GRADER) -> Grade:
    return grader.grade_sync(grader.bank.get(qid), list(answers))


def status(g: Grade, kp: str) -> Status:
    found = g.key_point(kp)
    assert found is not None
    return found.status


def misconceptions(g: Grade) -> set[str]:
    return {m.id for m in g.misconceptions}


def exchange(text: str, a: str, b: str) -> str:
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


# ----------------------------------------------------------------------------------------------- binding
def test_swapped_definitions_earn_nothing_and_are_named() -> None:
    swapped = grade(
        "l1_vs_l2",
        "L1 regularization is Ridge regression: it adds the sum of squared weights to the loss. "
        "L2 is Lasso, which adds the absolute values of the weights.",
    )
    assert "swapped_definitions" in misconceptions(swapped)
    assert status(swapped, "l1_abs_sparsity") is not Status.HIT
    assert status(swapped, "l2_squares_shrinkage") is not Status.HIT
    assert swapped.score <= 2
    quote = next(m.quote for m in swapped.misconceptions if m.id == "swapped_definitions")
    assert quote is not None and "Ridge" in quote


def test_twin_right_definitions_keep_their_credit() -> None:
    right = grade(
        "l1_vs_l2",
        "L1 regularization is Lasso regression: it adds the sum of absolute values of the weights to the loss. "
        "L2 is Ridge, which adds the squared weights.",
    )
    assert not misconceptions(right)
    assert status(right, "l1_abs_sparsity") is Status.HIT
    assert right.score >= 3


def test_a_full_answer_with_only_the_names_exchanged_is_caught() -> None:
    assert grade("l1_vs_l2", L1_FULL).score == 5
    swapped = grade("l1_vs_l2", exchange(L1_FULL, "L1", "L2"))
    assert "swapped_definitions" in misconceptions(swapped)
    assert swapped.score <= 2


def test_bias_and_variance_exchanged_throughout_is_caught() -> None:
    original = grade("bias_variance", BIAS_VARIANCE_FULL)
    assert not misconceptions(original) and original.score >= 4
    swapped = grade("bias_variance", exchange(exchange(BIAS_VARIANCE_FULL, "bias", "variance"), "under", "over"))
    assert "swapped_bias_variance" in misconceptions(swapped)
    assert swapped.score <= 2


@pytest.mark.parametrize(
    "answer",
    [
        "Lasso, the L1 penalty, adds the absolute values of the weights and gives a sparse model; Ridge, the L2 "
        "penalty, adds the squared weights and shrinks them smoothly, so the model stays dense.",
        "Unlike Ridge's smooth shrinkage of squared weights, Lasso's absolute-value penalty sets weights exactly to "
        "zero. L1 is sparser than L2 at producing exact zeros.",
        "The squared penalty, L2, shrinks everything smoothly, whereas the absolute-value one, L1, gives exact zeros.",
        "Absolute values are what Lasso adds, and a Laplace prior gives L1; a Gaussian prior gives you L2.",
        "L2 rarely, if ever, makes a weight exactly zero, while L1 zeroes out irrelevant features.",
        "A common mistake is to think L1 squares the weights; in fact L1 adds absolute values and L2 squares them.",
        "L1 and L2 both add a penalty on the weights to the loss; Elastic Net mixes them and gives sparsity too.",
    ],
)
def test_sound_phrasings_are_not_read_as_swaps(answer: str) -> None:
    assert "swapped_definitions" not in misconceptions(grade("l1_vs_l2", answer))


@pytest.mark.parametrize(
    "answer",
    [
        "L2, the Lasso penalty, is the sum of absolute values of the weights.",
        "Ridge (L1) adds the squared weights and Lasso (L2) adds absolute values.",
        "L1 shrinks all weights smoothly and keeps the model dense, whereas L2 gives sparse models with exact zeros.",
        "Unlike L1's squared penalty, L2 uses absolute values.",
    ],
)
def test_swaps_in_other_phrasings_are_caught(answer: str) -> None:
    assert "swapped_definitions" in misconceptions(grade("l1_vs_l2", answer))


# ------------------------------------------------------------------------------------------ wrong methods
MISSING_WRONG = (
    "I replace missing values with the average of each column, computed on all the rows before I split off the test "
    "set; averages cannot introduce bias, and rows that are mostly empty I simply delete since missingness is random "
    "anyway."
)


def test_a_wrong_method_is_named_by_what_it_does() -> None:
    found = misconceptions(grade("missing_data", MISSING_WRONG))
    assert "fit_imputer_on_all_data" in found
    assert found & {"mean_imputation_always_fine", "deletion_always_safe"}


def test_twin_the_same_method_on_the_training_split_is_sound() -> None:
    right = grade(
        "missing_data",
        "I replace missing values with the average of each column, computed on the training rows only after I split "
        "off the test set, and I add a missing indicator; rows that are mostly empty I delete after checking whether "
        "the missingness is random.",
    )
    assert not misconceptions(right)


def test_a_mistake_named_to_reject_it_is_not_asserted() -> None:
    rejected = grade(
        "missing_data",
        "A common mistake is to compute the column averages on all the rows before splitting, so I fit the imputer on "
        "the training split only and apply it to the test set.",
    )
    assert "fit_imputer_on_all_data" not in misconceptions(rejected)
    assert status(rejected, "fit_on_train_only") is not Status.MISSED


def test_resampling_before_the_split_is_caught_and_its_twin_is_not() -> None:
    wrong = grade("class_imbalance", "I run SMOTE on the whole dataset first, then split it into train and test.")
    right = grade(
        "class_imbalance", "I split first and run SMOTE on the training split only; the test set is untouched."
    )
    assert "resample_before_split" in misconceptions(wrong)
    assert "resample_before_split" not in misconceptions(right)


@pytest.mark.parametrize(
    ("answer", "asserted"),
    [
        # Naming the split itself ("the train/test split") is no exception to resampling the whole dataset...
        (
            "One thing I always do: I run SMOTE on the full dataset first so everything is balanced, and then I do "
            "the train/test split.",
            {"resample_before_split"},
        ),
        # ...and "always" there says how often the candidate does it, not that balancing always helps.
        (
            "I always oversample the minority class to exactly 50/50, balancing always helps.",
            {"balance_always_required"},
        ),
        # Twins: the sound method, with the same words for the split; an exception said of the operation still holds.
        (
            "One thing I always do: I do the train/test split first, then I run SMOTE on the training split only.",
            set(),
        ),
        ("I run SMOTE on the training set only and then score the untouched test set.", set()),
    ],
)
def test_a_method_is_judged_by_what_is_said_of_that_operation(answer: str, asserted: set[str]) -> None:
    found = misconceptions(grade("class_imbalance", answer))
    assert found & {"resample_before_split", "balance_always_required"} == asserted


@pytest.mark.parametrize(
    ("qid", "answer", "misconception", "asserted"),
    [
        # A phrase said word for word is read before a loose one spanning the other concept's words.
        (
            "mlops_pipeline",
            "I monitor data drift, the input distribution moving, and concept drift, the relationship between inputs "
            "and label changing.",
            "swapped_definitions",
            False,
        ),
        (
            "mlops_pipeline",
            "I monitor concept drift, the input distribution moving, and data drift, the relationship between inputs "
            "and label changing.",
            "swapped_definitions",
            True,
        ),
        # "X instead does Y" denies nothing; "instead of" still does.
        (
            "rf_vs_gbm",
            "A random forest trains deep trees independently. Gradient boosting instead builds them one after the "
            "other.",
            "rf_sequential_gbm_parallel",
            False,
        ),
        (
            "rf_vs_gbm",
            "Gradient boosting trains its trees independently. A random forest instead builds them one after the "
            "other.",
            "rf_sequential_gbm_parallel",
            True,
        ),
        # A negation after a short object ("more data at it won't") denies the claim.
        (
            "bias_variance",
            "If train and validation error are both bad and close, it's bias, and throwing more data at it won't "
            "change much.",
            "more_data_fixes_bias",
            False,
        ),
        (
            "bias_variance",
            "If train and validation error are both bad and close, it's bias, and throwing more data at it will fix "
            "it.",
            "more_data_fixes_bias",
            True,
        ),
        # What people are tempted to do, or what the next sentence calls a trap, is not the candidate's claim.
        (
            "missing_data",
            "People are tempted to just drop every row that has a null, because there are millions of rows.",
            "deletion_always_safe",
            False,
        ),
        (
            "missing_data",
            "With millions of rows you can just drop every row that has a null. That's the trap: unless the gaps are "
            "random, what is left is a skewed sample.",
            "deletion_always_safe",
            False,
        ),
        (
            "missing_data",
            "With millions of rows you can just drop every row that has a null. That's fast and the sample stays big.",
            "deletion_always_safe",
            True,
        ),
    ],
)
def test_who_asserts_a_claim_and_of_what(qid: str, answer: str, misconception: str, asserted: bool) -> None:
    assert (misconception in misconceptions(grade(qid, answer))) is asserted


@pytest.mark.parametrize(
    ("qid", "answer", "misconception", "asserted"),
    [
        # The later sentences of a list item are said of the concept the item opens with...
        (
            "rf_vs_gbm",
            "- Random Forest is bagging. The trees are built one after another, each fit to the errors of the "
            "previous ones.\n- GBM is boosting. Its shallow trees are independent and trained in parallel.",
            "rf_sequential_gbm_parallel",
            True,
        ),
        (
            "rf_vs_gbm",
            "- Random Forest is bagging. The trees are independent and trained in parallel.\n- GBM is boosting. Each "
            "shallow tree is fit to the errors of the previous ones, one after another.",
            "rf_sequential_gbm_parallel",
            False,
        ),
        (
            "bias_variance",
            "1) Bias: the model is too simple. That is underfitting. 2) Variance: the model fits the noise. It chases "
            "every point of its sample. That is overfitting.",
            "swapped_bias_variance",
            False,
        ),
        # ...but prose and a dash inside a sentence open no list item.
        (
            "rf_vs_gbm",
            "Random Forest is bagging. The trees are built one after another, each fit to the errors of the previous "
            "ones.",
            "rf_sequential_gbm_parallel",
            False,
        ),
        (
            "bias_variance",
            "With degree 1 even the training error is high - this is high bias. With degree 15 the curve goes through "
            "every point. This is high variance, overfitting.",
            "swapped_bias_variance",
            False,
        ),
    ],
)
def test_a_list_item_is_about_what_it_opens_with(qid: str, answer: str, misconception: str, asserted: bool) -> None:
    assert (misconception in misconceptions(grade(qid, answer))) is asserted


@pytest.mark.parametrize(
    ("qid", "answer", "misconception", "asserted"),
    [
        # A name that labels what was said before it ("..., that's MAR") is what that was said of.
        (
            "missing_data",
            "If the gaps depend on other columns I can see, that's MAR, and I can impute from those columns.",
            "swapped_mechanisms",
            False,
        ),
        (
            "missing_data",
            "If the gaps depend on other columns I can see, that's MNAR, and I can impute from those columns.",
            "swapped_mechanisms",
            True,
        ),
        (
            "bias_variance",
            "If training and validation error are both high and close together, it's a bias problem.",
            "swapped_bias_variance",
            False,
        ),
        (
            "bias_variance",
            "If training and validation error are both high and close together, it's a variance problem.",
            "swapped_bias_variance",
            True,
        ),
        # "That is underfitting." names the previous sentence's subject...
        (
            "bias_variance",
            "Bias: the model is too simple for the data. That is underfitting.",
            "swapped_bias_variance",
            False,
        ),
        (
            "bias_variance",
            "Variance: the model is too simple for the data. That is underfitting.",
            "swapped_bias_variance",
            True,
        ),
        # ...but "that is, X ..." and a cleft ("it is X that ...") name a new subject.
        (
            "l1_vs_l2",
            "L2 adds the squared weights to the loss. That is, L1 adds the absolute values instead.",
            "swapped_definitions",
            False,
        ),
        (
            "l1_vs_l2",
            "L2 adds the squared weights and shrinks them smoothly. It is L1 that sets weights exactly to zero.",
            "l2_produces_sparsity",
            False,
        ),
    ],
)
def test_a_name_labels_what_was_said_before_it(qid: str, answer: str, misconception: str, asserted: bool) -> None:
    assert (misconception in misconceptions(grade(qid, answer))) is asserted


@pytest.mark.parametrize(
    ("answer", "swapped"),
    [
        # A word class in the rubric ("{reduce} variance") reads the ways people say it...
        ("A random forest averages deep trees, which brings the variance down; boosting chips away at bias.", False),
        ("The forest is mostly fighting variance and boosting is mostly fighting bias.", False),
        # ...and so catches the same roles said the other way round.
        ("A random forest averages deep trees, which brings the bias down; boosting chips away at variance.", True),
        ("The forest is mostly fighting bias and boosting is mostly fighting variance.", True),
    ],
)
def test_a_word_class_reads_every_way_of_saying_it(answer: str, swapped: bool) -> None:
    assert ("swapped_bias_variance_roles" in misconceptions(grade("rf_vs_gbm", answer))) is swapped


def test_word_classes_expand_from_the_lexicon() -> None:
    from interviewer.grading.text import expand_classes

    said = expand_classes("{reduce} variance")
    assert {"reduce variance", "bring variance down", "variance goes down"} <= set(said)
    assert expand_classes("absolute values") == ["absolute values"]
    assert expand_classes("{nosuchclass} variance") == ["nosuchclass variance"]


L1_L2_SOUND = (
    "L1 adds the sum of absolute values of the weights to the loss and drives many of them exactly to zero; L2 adds "
    "the sum of squared weights and shrinks them smoothly without zeroing them."
)


@pytest.mark.parametrize(
    ("qid", "answer", "misconception", "asserted"),
    [
        # A negation among a phrase's words denies it ("is not stable" does not say "is stable")...
        (
            "l1_vs_l2",
            f"{L1_L2_SOUND} With correlated features Lasso picks one of them almost at random, so it is not stable.",
            "l1_stable_with_correlation",
            False,
        ),
        # ...and the claim said of the wrong penalty is caught by what it says, not by one wording.
        (
            "l1_vs_l2",
            f"{L1_L2_SOUND} With correlated features Lasso is the safer bet: it keeps the whole correlated group and "
            "its choice is stable, whereas Ridge smears the weight around.",
            "l1_stable_with_correlation",
            True,
        ),
        # A weaker penalty lowering bias is right; a stronger one lowering bias is the misconception.
        (
            "bias_variance",
            "More flexibility (deeper trees, a lower penalty, weaker lambda) lowers bias and raises variance.",
            "regularization_increases_variance",
            False,
        ),
        (
            "bias_variance",
            "A stronger penalty lowers bias and raises variance.",
            "regularization_increases_variance",
            True,
        ),
        # More trees said to overfit a forest, with the noun left out; boosting rounds overfitting is right.
        (
            "rf_vs_gbm",
            "With a forest I keep it to 30 or 50 trees, because if you add too many the forest starts to overfit.",
            "more_trees_overfit_rf",
            True,
        ),
        (
            "rf_vs_gbm",
            "With boosting I use early stopping, because if you add too many rounds the model starts to overfit.",
            "more_trees_overfit_rf",
            False,
        ),
        # An exception said in a relative clause after the operation counts; a name in another clause does not.
        (
            "bias_variance",
            "A fully grown tree fits its sample, so training error is near zero and validation error is much higher, "
            "which is overfitting.",
            "zero_training_error_goal",
            False,
        ),
        (
            "bias_variance",
            "I tune until training error is near zero and validation error follows, which is the sign of a good model.",
            "zero_training_error_goal",
            True,
        ),
        (
            "rf_vs_gbm",
            "XGBoost needs careful tuning, and for Random Forest I keep only 50 trees, because with more trees it "
            "starts to overfit.",
            "more_trees_overfit_rf",
            True,
        ),
    ],
)
def test_claims_are_read_by_what_they_say(qid: str, answer: str, misconception: str, asserted: bool) -> None:
    assert (misconception in misconceptions(grade(qid, answer))) is asserted


def test_a_claim_group_swap_withholds_only_the_points_of_that_claim() -> None:
    g = grade(
        "l1_vs_l2",
        f"{L1_L2_SOUND} Both are added to the loss with a lambda in front. With correlated features Lasso is the "
        "stable choice: it keeps the whole correlated group, whereas Ridge gets confused.",
    )
    assert misconceptions(g) == {"l1_stable_with_correlation"}
    assert status(g, "l1_abs_sparsity") is Status.HIT
    assert status(g, "correlated_features") is not Status.HIT
    assert g.score == 2


def test_after_a_misconception_the_first_follow_up_challenges_it() -> None:
    from interviewer.grading.gaps import ranked_gaps

    g = grade("missing_data", MISSING_WRONG)
    question = BANK.get("missing_data")
    gaps = ranked_gaps(question, g.score, star={}, key_points=g.key_points, misconceptions=g.misconceptions)
    assert gaps[0].kind == "misconception"


# ------------------------------------------------------------------------------------------------- STAR
def test_a_story_with_no_outcome_has_no_result() -> None:
    g = grade("end_to_end_project", STORY_START)
    star = g.star_map()
    assert star["action"] and not star["result"] and not star["quantified_result"]


def test_twin_the_same_story_with_its_outcome_has_a_quantified_result() -> None:
    g = grade("end_to_end_project", STORY_START + " Late-delivery complaints fell by 30% in the first month.")
    star = g.star_map()
    assert star["result"] and star["quantified_result"]


@pytest.mark.parametrize(
    ("ending", "result", "quantified"),
    [
        # Not yet, or not finished, when the story stops: no outcome.
        ("The pilot in 12 stores was about to start when I moved to another team.", False, False),
        ("I was still writing up the comparison for the team when I left.", False, False),
        # Their twins: the same events, happened.
        ("The pilot in 12 stores started in May and late deliveries fell by a third.", True, True),
        ("Two other teams adopted the comparison within a month.", True, False),
        # The candidate's lesson, in the present tense, is a reflection, not what followed...
        ("Now I raise disagreements one-to-one first and suggest criteria before opinions.", False, False),
        ("Since then I open every one of these talks with an example decision instead of the model.", False, False),
        ("What I've learned is to trust a quick test on our own data more than a leaderboard number.", False, False),
        # ...but a change said of the work after "since then" is a result, and a compound number measures.
        ("Since then, late deliveries have dropped by two-thirds.", True, True),
        ("Late deliveries fell by twenty-five percent over the next quarter.", True, True),
        # An amount in a condition is a threshold, not a measure; its twin states the same change as what happened.
        ("I set up a weekly dashboard with an alert if a city's error doubled, plus monthly retraining.", False, False),
        ("Within a month, the error in the worst city had halved.", True, True),
    ],
)
def test_what_has_not_happened_or_is_a_lesson_is_no_result(ending: str, result: bool, quantified: bool) -> None:
    star = grade("end_to_end_project", f"{STORY_START} {ending}").star_map()
    assert (star["result"], star["quantified_result"]) == (result, quantified)


@pytest.mark.parametrize(
    ("ending", "result", "quantified"),
    [
        # What a condition says did not happen; what the candidate's team put to use is a release, not what followed.
        ("I set up a dashboard with an alert if the error went above 10%, and a monthly retrain.", False, False),
        ("After that we used it in one city.", False, False),
        ("After that the dispatch team used it in every city.", True, False),
        # A comparison of alternatives during the work is no change; a comparison with before is.
        ("LightGBM was better and far easier to run than 140 per-city models, so I went with it.", False, False),
        ("Late deliveries were 30% lower than the year before.", True, True),
        # The candidate's own action with a number in it (an analogy) is no result...
        (
            "I didn't want to talk about quantiles, so I used the weather: a 70% chance of rain means an umbrella.",
            False,
            False,
        ),
        # ...but what others did after it is, and a request after a measured change does not undo the change.
        ("I sent the comparison to our lead, and she decided to keep the model for every city.", True, False),
        ("I sent the comparison to our lead and deliberately kept the model for every city.", False, False),
        (
            "The next quarter late deliveries went from 9% to 4%, and the ops lead asked me to add the model to her "
            "weekly report.",
            True,
            True,
        ),
        # A comparison of alternatives ("was worse") or what was there before ("already used") is no outcome; a change
        # of state ("got worse") is, and so is what others then did.
        ("Prophet was worse on slow movers, so I went with LightGBM.", False, False),
        ("After the switch, late deliveries got worse in two cities and the ops lead rolled it back.", True, False),
        ("The baseline was the rule the dispatchers already used.", False, False),
        ("The dispatchers then used the new estimate in every city.", True, False),
        # What success was to mean, up to its colon and after it, is the task.
        ("Before any modeling we agreed what success meant: late orders down to 5%, measured per city.", False, False),
        # What the candidate does not know happened is no result.
        ("Some months later I moved to another team, so I don't know what they decided.", False, False),
        ("Some months later they decided to keep the model in every city.", True, False),
    ],
)
def test_a_result_is_what_followed_not_what_was_done_or_imagined(ending: str, result: bool, quantified: bool) -> None:
    star = grade("end_to_end_project", f"{STORY_START} {ending}").star_map()
    assert (star["result"], star["quantified_result"]) == (result, quantified)


@pytest.mark.parametrize(
    ("ending", "reflection"),
    [
        # What was agreed would happen, in the story, is no lesson...
        ("In the end we met in the middle: I'd do a quick check on last month first, and we'd ship on Friday.", False),
        ("We agreed that I would run the backtest and we would compare the costs side by side.", False),
        # ...what the candidate would do differently is, however it is worded.
        ("Next time I'd do a quick check on last month first and ship on Friday.", True),
        ("If I did it again, I would run the backtest before we argued about it.", True),
    ],
)
def test_a_plan_in_the_story_is_no_reflection(ending: str, reflection: bool) -> None:
    assert grade("end_to_end_project", f"{CHURN_STORY} {ending}").star_map()["reflection"] is reflection


@pytest.mark.parametrize(
    "reply",
    [
        "I would bring the retention team in from the first week, because we lost a month re-defining churn after "
        "launch.",
        "Looking back, I would bring the retention team in from the first week, because we lost a month re-defining "
        "churn after launch.",
    ],
)
def test_a_reflection_given_in_a_follow_up_counts(reply: str) -> None:
    before = grade("end_to_end_project", CHURN_STORY)
    after = grade("end_to_end_project", CHURN_STORY, reply)
    assert not before.star_map()["reflection"]
    assert after.star_map()["reflection"]


def test_a_story_told_as_what_one_would_do_has_no_action_or_reflection() -> None:
    hypothetical = grade(
        "end_to_end_project",
        "I would first agree the churn definition with the product manager. Then I would build the features in Spark, "
        "I would train a gradient-boosting model against a baseline, and I would ship it as a daily batch job.",
    )
    star = hypothetical.star_map()
    assert not star["action"] and not star["reflection"]
    assert hypothetical.score <= 2


def test_someone_elses_words_are_not_the_candidates_misconception() -> None:
    g = grade("explain_to_stakeholder", CFO_STORY)
    assert "trust_me_oversimplification" not in misconceptions(g)
    assert g.star_map()["result"]


def test_twin_the_candidate_saying_it_is_a_misconception() -> None:
    g = grade(
        "explain_to_stakeholder",
        "Our CFO wanted to go back to spreadsheets. I told him it's a black box and he should just trust the model.",
    )
    assert "trust_me_oversimplification" in misconceptions(g)


# --------------------------------------------------------------------------------------------- stuffing
STUFFING = (
    "sum of absolute values, sparse model, feature selection, sum of squared weights, shrinks weights smoothly, "
    "penalty term in the loss, correlated features, elastic net, laplace prior, gaussian prior"
)


@pytest.mark.parametrize(
    "answer",
    [
        "L1 and L2 are both regularization. They help with overfitting.",
        "L1 is Lasso and adds absolute values; L2 is Ridge and adds squared weights.",
        L1_FULL,
    ],
)
@pytest.mark.parametrize("lead", ["P.S. ", "Keywords: ", "\n- ", ""])
def test_stuffing_never_lifts_a_score(answer: str, lead: str) -> None:
    listed = STUFFING.replace(", ", "\n- ") if lead == "\n- " else STUFFING
    stuffed = grade("l1_vs_l2", f"{answer} {lead}{listed}")
    assert stuffed.score <= max(grade("l1_vs_l2", answer).score, grade("l1_vs_l2", listed).score)


def test_a_list_that_says_what_it_lists_still_counts() -> None:
    plain = grade("bias_variance", BIAS_VARIANCE_FULL)
    listed = grade(
        "bias_variance",
        BIAS_VARIANCE_FULL.replace(
            "For high bias I add features or capacity; for high variance I get more data or add regularization.",
            "Remedies for high variance: more data, regularization, dropout, early stopping, bagging.",
        ),
    )
    assert status(listed, "remedies_per_side") is not Status.MISSED
    assert listed.score >= plain.score - 1


# ---------------------------------------------------------------------------------------- generic, by data
TEST_BANK = """
version: "1.0"
name: Cooking
language: en
questions:
  - id: bake_vs_boil
    kind: technical
    text: "What is the difference between baking and boiling?"
    topic: Cooking
    competency: Kitchen basics
    difficulty: easy
    alternatives: ["How do baking and boiling differ?", "Compare baking with boiling."]
    levels: {1: "Nothing.", 2: "One point or a misconception.", 3: "Both points.", 4: "Both, explained.", 5: "All."}
    strong_answer: ["Names the medium and the temperature of each."]
    key_points:
      - id: baking_dry_heat
        description: Baking cooks food with dry hot air in an oven.
        weight: 5
        required: true
        phrasings: [dry hot air, in an oven, dry heat]
        probe: What surrounds the food when you bake it?
      - id: boiling_water
        description: Boiling cooks food in water at about one hundred degrees.
        weight: 5
        required: true
        phrasings: [in water, hundred degrees, boiling water]
        probe: What surrounds the food when you boil it?
    misconceptions:
      - id: swapped_methods
        description: Says baking happens in water or boiling in dry air.
        phrasings: [baking happens in water]
        correction: Baking uses dry hot air; boiling uses water.
        probe: What is in the pot when you boil?
    contrasts:
      - id: methods
        misconception: swapped_methods
        concepts:
          - id: baking
            names: [baking, bake]
            attributes: [dry hot air, dry heat, oven]
          - id: boiling
            names: [boiling, boil]
            attributes: [water, hundred degrees]
"""


def test_a_new_question_with_its_own_contrasts_needs_no_code(tmp_path: Path) -> None:
    path = tmp_path / "cooking.yaml"
    path.write_text(TEST_BANK, encoding="utf-8")
    grader = RubricGrader(load_bank(path))
    right = grade(
        "bake_vs_boil", "Baking cooks with dry hot air in an oven, while boiling cooks food in water.", grader=grader
    )
    swapped = grade(
        "bake_vs_boil", "Baking cooks food in water, while boiling uses dry hot air in an oven.", grader=grader
    )
    assert not misconceptions(right) and status(right, "baking_dry_heat") is Status.HIT
    assert "swapped_methods" in misconceptions(swapped)
    assert status(swapped, "boiling_water") is not Status.HIT
    assert swapped.score < right.score


def test_a_contrast_must_name_one_of_the_questions_misconceptions(tmp_path: Path) -> None:
    from interviewer.errors import InterviewerError

    path = tmp_path / "cooking.yaml"
    path.write_text(TEST_BANK.replace("misconception: swapped_methods", "misconception: nope"), encoding="utf-8")
    with pytest.raises(InterviewerError, match="nope"):
        load_bank(path)


def test_the_judge_prompt_lists_the_contrasts() -> None:
    from interviewer.prompting import load_prompt

    question = BANK.get("l1_vs_l2")
    messages = load_prompt("grade_technical").render(
        question=question, levels=question.levels, answer="x", fence="F", probe_count=0
    )
    text = "\n".join(str(m["content"]) for m in messages)
    assert "keep apart" in text
    assert "L1/Lasso" in text and "L2/Ridge" in text and "swapped_definitions" in text


def test_the_judge_prompt_spells_word_classes_as_words() -> None:
    from interviewer.prompting import load_prompt

    question = BANK.get("rf_vs_gbm")
    messages = load_prompt("grade_technical").render(
        question=question, levels=question.levels, answer="x", fence="F", probe_count=0
    )
    text = "\n".join(str(m["content"]) for m in messages)
    assert "reduce variance" in text and "{reduce}" not in text


def test_an_answer_given_as_bullet_points_is_no_stuffing() -> None:
    """Its twin: bullets are an answer's own form when the answer is given that way (short lines included)."""
    from interviewer.grading.rubric_grader import stuffed_lists
    from interviewer.grading.text import Document

    answer = (
        "- Both add a penalty on the weights to the loss to reduce overfitting\n- L1, Lasso: sum of absolute values\n"
        "- exact zeros, sparse model\n- L2, Ridge: sum of squared weights\n- shrinks weights smoothly\n- elastic net"
    )
    assert stuffed_lists(Document(answer, GRADER.analyzer)) == []
    graded = grade("l1_vs_l2", answer)
    assert status(graded, "l1_abs_sparsity") is Status.HIT and status(graded, "l2_squares_shrinkage") is Status.HIT
