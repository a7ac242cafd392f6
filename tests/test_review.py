"""Spaced review: ratings from grades, schedules checked against calling fsrs directly, the review session, retirement
and deletion."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fsrs import Card, Rating, Scheduler

from interviewer.bank import load_bank
from interviewer.bank.schema import Kind
from interviewer.domain.grades import Grade, KeyPointResult, MisconceptionFound, StarResult, Status
from interviewer.domain.review_item import ReviewItem
from interviewer.engine.review import AGAIN, EASY, GOOD, HARD, ReviewPlan, ratings, review
from interviewer.settings import load_settings
from interviewer.storage.repo import Repository
from interviewer.testing.seed import seed_interview

if TYPE_CHECKING:
    from conftest import Cli

BANK = load_bank()
L1 = BANK.get("l1_vs_l2")
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def fsrs_directly() -> Scheduler:
    return Scheduler(learning_steps=(timedelta(days=1),), relearning_steps=(timedelta(days=1),), enable_fuzzing=False)


def l1_grade(statuses: dict[str, Status], misconceptions: tuple[str, ...] = ()) -> Grade:
    return Grade(
        question_id="l1_vs_l2",
        kind=Kind.TECHNICAL,
        score=3,
        key_points=[
            KeyPointResult(id=kp.id, description=kp.description, status=statuses.get(kp.id, Status.HIT))
            for kp in L1.key_points
        ],
        misconceptions=[MisconceptionFound(id=m, description=m) for m in misconceptions],
        grader="rubric",
        model="offline",
        rubric_version=BANK.rubric_version(L1),
    )


def test_ratings_come_from_grades() -> None:
    grade = l1_grade(
        {"bayesian_priors": Status.MISSED, "why_geometry": Status.PARTIAL}, misconceptions=("l2_produces_sparsity",)
    )
    later = ratings(L1, grade, first_try=False)
    assert later[("key_point", "bayesian_priors")] == AGAIN
    assert later[("key_point", "why_geometry")] == HARD
    assert later[("key_point", "l1_abs_sparsity")] == GOOD
    assert later[("misconception", "l2_produces_sparsity")] == AGAIN
    assert later[("misconception", "swapped_definitions")] == GOOD
    assert ratings(L1, grade, first_try=True)[("key_point", "l1_abs_sparsity")] == EASY
    story = BANK.get("end_to_end_project")
    star = Grade(
        question_id=story.id,
        kind=Kind.BEHAVIORAL,
        score=3,
        star=[StarResult(name="result", present=False), StarResult(name="action", present=True)],
        grader="rubric",
        model="offline",
        rubric_version="x",
    )
    assert ratings(story, star, first_try=False)[("star", "result")] == AGAIN


def test_new_items_only_for_what_was_missed_and_dates_match_fsrs() -> None:
    grade = l1_grade({"bayesian_priors": Status.MISSED, "why_geometry": Status.PARTIAL})
    items = {i.item_id: i for i in review(L1, grade, {}, first_try=False, now=T0, interview_id="iv1")}
    assert set(items) == {"bayesian_priors", "why_geometry"}
    again, _ = fsrs_directly().review_card(Card(), Rating.Again, review_datetime=T0)
    hard, _ = fsrs_directly().review_card(Card(), Rating.Hard, review_datetime=T0)
    assert items["bayesian_priors"].due == again.due and items["why_geometry"].due == hard.due
    assert items["bayesian_priors"].last_rating == AGAIN and items["bayesian_priors"].reviews == 1


def test_good_and_bad_grades_reschedule_as_fsrs_does() -> None:
    missed = l1_grade({"bayesian_priors": Status.MISSED})
    (first,) = review(L1, missed, {}, first_try=False, now=T0, interview_id="iv1")
    t1 = first.due
    made = l1_grade({})
    (second,) = [
        i
        for i in review(L1, made, {("key_point", "bayesian_priors"): first}, first_try=False, now=t1, interview_id="x")
        if i.item_id == "bayesian_priors"
    ]
    card, _ = fsrs_directly().review_card(Card(), Rating.Again, review_datetime=T0)
    card, _ = fsrs_directly().review_card(card, Rating.Good, review_datetime=t1)
    assert second.due == card.due and second.due > t1 and second.reviews == 2 and second.last_rating == GOOD
    assert second.interview_id == "iv1"  # it stays with the interview that found it
    (third,) = [
        i
        for i in review(
            L1, missed, {("key_point", "bayesian_priors"): second}, first_try=False, now=card.due, interview_id="y"
        )
        if i.item_id == "bayesian_priors"
    ]
    again, _ = fsrs_directly().review_card(card, Rating.Again, review_datetime=card.due)
    assert third.due == again.due and third.last_rating == AGAIN


def test_a_made_item_never_missed_creates_nothing() -> None:
    assert review(L1, l1_grade({}), {}, first_try=True, now=T0, interview_id="iv1") == []


def test_the_plan_asks_the_most_overdue_first_and_aims_at_it() -> None:
    items = [
        ReviewItem("l1_vs_l2", "key_point", "why_geometry", {}, T0 - timedelta(days=1), 1, HARD, "a"),
        ReviewItem("l1_vs_l2", "key_point", "bayesian_priors", {}, T0 - timedelta(days=3), 1, AGAIN, "a"),
        ReviewItem("bias_variance", "key_point", "error_decomposition", {}, T0 - timedelta(days=2), 1, AGAIN, "a"),
        ReviewItem("rf_vs_gbm", "key_point", "when_rf", {}, T0 + timedelta(days=2), 1, AGAIN, "a"),
    ]
    plan = ReviewPlan.of(items, BANK, T0, limit=3)
    assert plan.question_ids == ["l1_vs_l2", "bias_variance"]
    assert plan.targets == {"l1_vs_l2": "bayesian_priors", "bias_variance": "error_decomposition"}
    assert len(plan.due) == 3 and "rf_vs_gbm" not in plan.question_ids


def _repo(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Repository:
    monkeypatch.setenv("INTERVIEWER_HOME", str(cli.home))
    return Repository.open(load_settings().db_url())


def test_review_items_land_with_the_grade_and_go_with_their_interview(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = tmp_path / "a.txt"
    answers.write_text("Lasso zeroes weights out, ridge shrinks them.\n", encoding="utf-8")
    assert cli.run("run", "--answers", str(answers), "--question", "l1_vs_l2", "--max-probes", "0").returncode == 0
    listed = json.loads(cli.run("review", "--list", "--json").stdout)
    assert listed["due"] == 0 and listed["items"], listed  # scheduled from tomorrow on
    assert {i["item_id"] for i in listed["items"]} >= {"bayesian_priors", "penalty_added_to_loss"}
    iid = json.loads(cli.run("history", "--json").stdout)[0]["id"]
    assert cli.run("delete", iid).returncode == 0
    assert json.loads(cli.run("review", "--list", "--json").stdout)["items"] == []
    nothing = cli.run("review")
    assert nothing.returncode == 0 and "Nothing to review yet" in nothing.stdout


def test_a_review_session_asks_the_due_question_and_aims_its_first_follow_up(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(cli, monkeypatch)
    try:
        missed = l1_grade({"bayesian_priors": Status.MISSED})
        origin = seed_interview(repo, BANK, [missed])
        now = datetime.now(UTC)
        (scheduled,) = review(L1, missed, {}, first_try=False, now=now - timedelta(days=3), interview_id=origin)
        gone = ReviewItem(
            "l1_vs_l2", "key_point", "gone_from_the_rubric", {}, now - timedelta(days=5), 1, AGAIN, origin
        )
        unreadable = ReviewItem(
            "l1_vs_l2", "key_point", "why_geometry", {"x": 1}, now + timedelta(days=9), 1, HARD, origin
        )
        # Due two days ago; an item whose rubric item is gone retires; a card that cannot be read is scheduled anew.
        repo.store_reviews([scheduled, gone, unreadable])
    finally:
        repo.close()
    answers = tmp_path / "a.txt"
    answers.write_text("Lasso zeroes weights out, ridge shrinks them.\n\nNo idea.\n", encoding="utf-8")
    done = cli.run("review", "--answers", str(answers), "--max-probes", "1")
    assert done.returncode == 0, done.stderr
    bayes = next(kp for kp in L1.key_points if kp.id == "bayesian_priors")
    assert L1.text in done.stdout and bayes.probe in done.stdout
    listed = json.loads(cli.run("review", "--list", "--json").stdout)
    assert {i["item_id"] for i in listed["items"]} >= {"bayesian_priors"}
    assert "gone_from_the_rubric" not in {i["item_id"] for i in listed["items"]}  # retired
    bayes_item = next(i for i in listed["items"] if i["item_id"] == "bayesian_priors")
    assert not bayes_item["is_due"] and bayes_item["reviews"] == 2 and bayes_item["last_rating"] == "again"


def test_a_stored_item_keeps_its_card(tmp_path: Path) -> None:
    repo = Repository.open(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        origin = seed_interview(repo, BANK, [l1_grade({})])
        (item,) = [
            i
            for i in review(
                L1, l1_grade({"bayesian_priors": Status.MISSED}), {}, first_try=False, now=T0, interview_id=origin
            )
        ]
        repo.store_reviews([item])
        repo.store_reviews([replace(item, reviews=5)])
        (stored,) = repo.review_items(["l1_vs_l2"])
    finally:
        repo.close()
    assert stored.due == item.due and stored.reviews == 5 and stored.card["stability"] == item.card["stability"]
