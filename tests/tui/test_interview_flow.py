"""A whole interview through the TUI with the offline engine: answer, follow-up, feedback, skip, clarify, end,
scorecard; plus the soft time limit and the command palette."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import TextArea

from interviewer.tui.screens.confirm import ConfirmDialog
from interviewer.tui.screens.feedback import FeedbackScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.scorecard import ScorecardScreen
from interviewer.tui.widgets.conversation import Conversation, Message
from interviewer.tui.widgets.progress_header import ProgressHeader
from interviewer.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.conftest import Answer, Press


def messages(screen: Any) -> list[Message]:
    return list(screen.query_one(Conversation).query(Message))


def header_text(screen: Any) -> str:
    return str(screen.query_one(ProgressHeader).query_one("#progress").render())


def status_text(screen: Any, part: str) -> str:
    return str(screen.query_one(StatusLine).query_one(f"#{part}").render())


async def test_whole_offline_interview(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, good_l1: str, answer: Answer, press: Press
) -> None:
    app = app_factory(make_settings(), question_ids=["l1_vs_l2", "teammate_conflict", "bias_variance"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.prompt is not None and screen.prompt.question_id == "l1_vs_l2"
        assert messages(screen)[-1].text == "What is the difference between L1 and L2 regularization?"
        assert "Question 1 of 3" in header_text(screen)
        assert app.focused is screen.query_one("#answer", TextArea)

        # Typed with the keyboard: the word count follows.
        await pilot.press(*"L1 is ok")
        assert status_text(screen, "timing").startswith("3 words")
        await answer(pilot, good_l1)
        assert screen.prompt.kind == "probe"
        assert "follow-up 1 of 1" in header_text(screen)
        assert [m.who for m in messages(screen)] == ["interviewer", "candidate", "interviewer"]
        assert messages(screen)[1].text == good_l1
        assert screen.editor.text == ""

        await answer(pilot, "It is like MAP estimation: a Laplace prior for L1 and a Gaussian prior for L2.")
        # Coach mode: the feedback on the finished question, then the next question behind it.
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen)
        assert feedback.items[0].topic == "Regularization" and feedback.items[0].score is not None
        assert any(p.status == "hit" and p.quote for p in feedback.items[0].key_points)
        assert feedback.items[0].strong_answer
        await press(pilot, "enter")
        assert app.screen is screen
        assert screen.prompt.question_id == "teammate_conflict" and screen.prompt.number == 2

        # f2 shows the last feedback again.
        await press(pilot, "f2")
        assert isinstance(app.screen, FeedbackScreen)
        await press(pilot, "escape")

        # Skip with an empty editor: no question asked.
        await press(pilot, "ctrl+n")
        assert screen.prompt.question_id == "bias_variance" and screen.prompt.number == 3

        # End early, confirmed: the scorecard replaces the interview.
        await press(pilot, "ctrl+g")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        scorecard = app.screen
        assert isinstance(scorecard, ScorecardScreen)
        report = scorecard.report
        assert report.ended_early
        assert [q.question_id for q in report.questions] == ["l1_vs_l2", "teammate_conflict", "bias_variance"]
        assert report.questions[0].score is not None and report.questions[1].skipped
        assert report.questions[0].answers[0] == good_l1
        assert not app.errors

    record = repo.get(report.interview_id)
    assert record is not None and record.completed_at is not None


async def test_skip_with_text_asks_first_and_clarify_keeps_the_draft(
    app_factory: Any, make_settings: Any, settle: Any, press: Press
) -> None:
    app = app_factory(make_settings(), question_ids=["teammate_conflict", "l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.prompt is not None
        question = screen.prompt.text

        await pilot.press(*"Half")
        await press(pilot, "ctrl+l")
        assert screen.prompt.kind == "clarification" and screen.prompt.text != question
        assert "rephrased" in header_text(screen)
        assert screen.editor.text == "Half"

        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "n")
        assert app.screen is screen and screen.prompt.question_id == "teammate_conflict"
        await press(pilot, "ctrl+n")
        await press(pilot, "y")
        assert screen.prompt.question_id == "l1_vs_l2" and screen.editor.text == ""


async def test_exam_mode_shows_feedback_only_on_the_scorecard(
    app_factory: Any, make_settings: Any, settle: Any, good_l1: str, answer: Answer
) -> None:
    app = app_factory(make_settings(mode="exam", max_probes=0), question_ids=["l1_vs_l2", "bias_variance"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = await answer(pilot, good_l1)
        assert app.screen is screen and screen.prompt.question_id == "bias_variance"
        await answer(pilot, "Bias is error from wrong assumptions (underfitting), variance from sensitivity.")
        assert isinstance(app.screen, ScorecardScreen)
        assert app.screen.report.mode == "exam"


async def test_empty_answer_is_not_sent(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, press: Press
) -> None:
    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        await press(pilot, "space", "ctrl+s")
        assert screen.prompt.kind == "question" and len(messages(screen)) == 1
        record = repo.get(screen.session.id)
        assert not [t for t in record.turns if t.role == "candidate"]


async def test_soft_time_limit_warns_and_never_cuts(
    app_factory: Any, make_settings: Any, settle: Any, clock: Any
) -> None:
    app = app_factory(make_settings(time_limit=2), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"Hi")
        assert "2:00 left" in status_text(screen, "timing")
        clock.advance(65)
        screen.tick()
        assert "0:55 left" in status_text(screen, "timing")
        clock.advance(70)
        screen.tick()
        await pilot.pause()
        timing = status_text(screen, "timing")
        assert "0:15 over time" in timing and "2:15" in timing
        titles = [n.title for n in app._notifications]
        assert "Time" in titles and "Time is up" in titles
        assert screen.editor.text == "Hi" and not screen.editor.read_only
        await pilot.press(*" yo")
        assert screen.editor.text == "Hi yo"


async def test_command_palette_offers_the_interview_commands(
    app_factory: Any, make_settings: Any, settle: Any, press: Press
) -> None:
    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Submit answer", "Clarify question", "Skip", "End interview", "History", "Theme"):
            assert title in titles
        assert "Retry model call" not in titles
        # The palette itself opens on ctrl+p and runs a command.
        await press(pilot, "ctrl+p")
        await pilot.press(*"End interview")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)


async def test_a_configured_theme_is_used(app_factory: Any, make_settings: Any, settle: Any) -> None:
    app = app_factory(make_settings(theme="nord"), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "nord"


async def test_last_answer_in_coach_mode_shows_feedback_then_the_scorecard(
    app_factory: Any, make_settings: Any, settle: Any, good_l1: str, press: Press
) -> None:
    app = app_factory(make_settings(max_probes=0), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen.editor.load_text(good_l1)
        await pilot.click("#answer")  # the mouse works too
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FeedbackScreen) and app.screen.hint == "See the scorecard"
        await press(pilot, "enter")
        assert isinstance(app.screen, ScorecardScreen) and not app.screen.report.ended_early
