"""Retry and review in the TUI (#14): a retry's feedback shows what changed against the last attempt."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.widgets import Static

from interviewer.engine.session import InterviewSession
from interviewer.storage.repo import Repository
from interviewer.tui.screens.feedback import FIRST_ATTEMPT, FeedbackScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.scorecard import ScorecardScreen

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
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, good_l1: str
):
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
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)


async def test_retry_without_a_previous_attempt_says_the_next_one_will_compare(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, good_l1: str
):
    app = app_factory(make_settings(max_probes=0), question_ids=["l1_vs_l2"], retry=True)
    async with app.run_test(size=(120, 40)) as pilot:
        feedback = await retry_in_tui(app, pilot, settle, good_l1)
        assert FIRST_ATTEMPT in change_text(feedback).replace("\n", " ")


async def test_a_plain_interview_has_no_comparison(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, good_l1: str
):
    settings = make_settings(max_probes=0)
    await answer_once(repo, settings, "l1_vs_l2", WEAK_L1)
    app = app_factory(settings, question_ids=["l1_vs_l2"])
    async with app.run_test(size=(120, 40)) as pilot:
        feedback = await retry_in_tui(app, pilot, settle, good_l1)
        assert feedback.compare is None
        assert not feedback.query("#retry-change")
