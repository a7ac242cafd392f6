"""Retry and review in the TUI (#14): a retry's feedback shows what changed against the last attempt; a question is
retried from the scorecard (r) or the history (t); the start screen says how many review items are due and starts
the review (v)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.console import Console
from textual.widgets import OptionList, Static

from interviewer.domain.review_item import ReviewItem
from interviewer.engine.review import AGAIN, HARD
from interviewer.engine.session import InterviewSession
from interviewer.storage.repo import Repository
from interviewer.tui.screens.feedback import FIRST_ATTEMPT, FeedbackScreen
from interviewer.tui.screens.history import HistoryScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.retry_picker import RetryPicker
from interviewer.tui.screens.scorecard import ScorecardScreen
from interviewer.tui.screens.start import StartScreen

if TYPE_CHECKING:
    from tui.conftest import Press

WEAK_L1 = "L1 is absolute values."


async def answer_once(repo: Repository, settings: Any, question_id: str, answer: str) -> str:
    """A finished interview of one question, answered once (no follow-up)."""
    session, _ = await InterviewSession.start(settings, repo, question_ids=[question_id])
    await session.submit(answer)
    if not session.finished:
        await session.end()
    return session.id


def change_text(screen: FeedbackScreen) -> str:
    """The comparison panel's text, as plain text (empty when hidden)."""
    panel = screen.query_one("#retry-change", Static)
    if not panel.display:
        return ""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(panel.content)
    return console.export_text()


async def retry_in_tui(app: Any, pilot: Any, settle: Any, answer: str) -> FeedbackScreen:
    await settle(pilot)
    assert isinstance(app.screen, InterviewScreen)
    app.screen.editor.load_text(answer)
    await pilot.press("ctrl+s")
    await settle(pilot)
    feedback = app.screen
    assert isinstance(feedback, FeedbackScreen)
    return feedback


async def test_retry_feedback_shows_what_changed(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, good_l1: str, press: Press
) -> None:
    settings = make_settings(max_probes=0)
    before = await answer_once(repo, settings, "l1_vs_l2", WEAK_L1)
    app = app_factory(settings, question_ids=["l1_vs_l2"], retry=True)
    async with app.run_test(size=(120, 60)) as pilot:
        feedback = await retry_in_tui(app, pilot, settle, good_l1)
        assert feedback.compare is not None
        text = change_text(feedback)
        assert "Compared with your last attempt" in text and before in text
        assert "Gained:" in text
        retried = await feedback.compare()
        assert retried is not None and retried.comparison is not None
        assert retried.comparison.previous_interview == before
        assert retried.comparison.score_after > retried.comparison.score_before
        await press(pilot, "enter")
        assert isinstance(app.screen, ScorecardScreen)


async def test_retry_without_a_previous_attempt_says_the_next_one_will_compare(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, good_l1: str
) -> None:
    app = app_factory(make_settings(max_probes=0), question_ids=["l1_vs_l2"], retry=True)
    async with app.run_test(size=(120, 40)) as pilot:
        feedback = await retry_in_tui(app, pilot, settle, good_l1)
        assert FIRST_ATTEMPT in change_text(feedback).replace("\n", " ")


async def test_a_plain_interview_has_no_comparison(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, good_l1: str
) -> None:
    settings = make_settings(max_probes=0)
    await answer_once(repo, settings, "l1_vs_l2", WEAK_L1)
    app = app_factory(settings, question_ids=["l1_vs_l2"])
    async with app.run_test(size=(120, 40)) as pilot:
        feedback = await retry_in_tui(app, pilot, settle, good_l1)
        assert feedback.compare is None
        assert not feedback.query("#retry-change")


async def test_retry_from_the_scorecard_of_a_one_question_interview(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, good_l1: str, press: Press
) -> None:
    settings = make_settings(max_probes=0)
    before = await answer_once(repo, settings, "l1_vs_l2", WEAK_L1)
    app = app_factory(settings, start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_report(before)
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        await press(pilot, "r")
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.launch.retry and screen.launch.question_ids == ("l1_vs_l2",)
        assert screen.launch.settings.mode == "coach" and screen.launch.settings.questions == 1
        assert screen.prompt is not None and screen.prompt.question_id == "l1_vs_l2"
        feedback = await retry_in_tui(app, pilot, settle, good_l1)
        assert before in change_text(feedback)
    latest = repo.latest()
    assert latest is not None
    stored = repo.get(latest)
    assert stored is not None and stored.options.get("retry") is True


async def test_retry_from_the_scorecard_picks_the_question(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, good_l1: str, press: Press
) -> None:
    settings = make_settings(max_probes=0)
    session, _ = await InterviewSession.start(settings, repo, question_ids=["l1_vs_l2", "bias_variance"])
    await session.submit(WEAK_L1)
    await session.submit("Bias is underfitting.")
    app = app_factory(settings, start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_report(session.id)
        await settle(pilot)
        await press(pilot, "r")
        picker = app.screen
        assert isinstance(picker, RetryPicker)
        options = picker.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "l1_vs_l2",
            "bias_variance",
        ]
        await press(pilot, "escape")
        assert isinstance(app.screen, ScorecardScreen)
        await press(pilot, "r")
        await press(pilot, "down", "enter")
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.launch.retry and screen.launch.question_ids == ("bias_variance",)


async def test_retry_from_the_history(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, press: Press
) -> None:
    settings = make_settings(max_probes=0)
    session, _ = await InterviewSession.start(settings, repo, question_ids=["l1_vs_l2", "teammate_conflict"])
    await session.submit(WEAK_L1)
    await session.end()
    app = app_factory(settings, start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.show_history()
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await press(pilot, "t")
        assert isinstance(app.screen, RetryPicker)
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.launch.retry and screen.launch.question_ids == ("l1_vs_l2",)


async def test_history_retry_needs_a_row(app_factory: Any, make_settings: Any, settle: Any, press: Press) -> None:
    app = app_factory(make_settings(), start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.show_history()
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert history.check_action("retry", ()) is False
        await press(pilot, "t")
        assert app.screen is history


async def _due_reviews(repo: Repository, settings: Any) -> str:
    """An interview of l1_vs_l2 and two review items from it, due two and one days ago."""
    origin = await answer_once(repo, settings, "l1_vs_l2", WEAK_L1)
    now = datetime.now(UTC)
    repo.store_reviews(
        [
            ReviewItem("l1_vs_l2", "key_point", "bayesian_priors", {}, now - timedelta(days=2), 1, AGAIN, origin),
            ReviewItem("l1_vs_l2", "key_point", "why_geometry", {}, now - timedelta(days=1), 1, HARD, origin),
        ]
    )
    return origin


def review_shown(screen: StartScreen) -> bool:
    return bool(screen.query_one("#review-info").display)


async def test_the_start_screen_says_how_many_review_items_are_due_and_starts_the_review(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, press: Press
) -> None:
    settings = make_settings(max_probes=1)
    await _due_reviews(repo, settings)
    app = app_factory(settings, start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = app.screen
        assert isinstance(start, StartScreen)
        assert review_shown(start)
        assert start.review is not None and len(start.review.due) >= 2
        info = str(start.query_one("#review-info", Static).render())
        assert f"{len(start.review.due)} review items due" in info
        assert start.check_action("review", ()) is True
        await press(pilot, "v")
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.launch.question_ids == ("l1_vs_l2",)
        assert dict(screen.launch.review_targets) == {"l1_vs_l2": "bayesian_priors"}  # the most overdue
        assert screen.launch.settings.mode == "coach" and screen.launch.settings.questions == 1
        assert screen.prompt is not None and screen.prompt.question_id == "l1_vs_l2"


async def test_no_review_card_when_nothing_is_due(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, press: Press
) -> None:
    settings = make_settings(max_probes=0)
    await answer_once(repo, settings, "l1_vs_l2", WEAK_L1)  # its review items are due tomorrow
    assert repo.review_items()
    app = app_factory(settings, start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = app.screen
        assert isinstance(start, StartScreen)
        assert not review_shown(start)
        assert start.review is None and start.check_action("review", ()) is False
        await press(pilot, "v")
        assert app.screen is start


async def test_clicking_the_review_line_starts_the_review(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository
) -> None:
    settings = make_settings(max_probes=1)
    await _due_reviews(repo, settings)
    app = app_factory(settings, start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#review-info")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert dict(screen.launch.review_targets) == {"l1_vs_l2": "bayesian_priors"}
