"""Resume after the app was closed mid-interview (draft restored, same question); the start screen (models,
options, resume, history); the history (scorecard, export to Markdown and JSON)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from textual.widgets import Button, Input, Select

from interviewer.engine.session import InterviewSession
from interviewer.tui.drafts import Drafts
from interviewer.tui.screens.export import ExportDialog
from interviewer.tui.screens.history import HistoryScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.scorecard import ScorecardScreen
from interviewer.tui.screens.start import StartScreen
from interviewer.tui.widgets.conversation import Conversation, Message

if TYPE_CHECKING:
    from tui.conftest import Answer, Press


async def test_resume_after_quitting_mid_interview_restores_the_draft(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, good_l1: str, answer: Answer
) -> None:
    first = app_factory(make_settings(), question_ids=["l1_vs_l2", "teammate_conflict"])
    async with first.run_test() as pilot:
        await settle(pilot)
        screen = await answer(pilot, good_l1)
        probe = screen.prompt
        assert probe is not None and probe.kind == "probe"
        assert screen.session is not None
        interview_id = screen.session.id
        await pilot.press(*"My dra")
        await pilot.pause(0.8)  # the draft is saved after a pause in typing
        assert Drafts().load(interview_id) == "My dra"
        await pilot.press(*"ft")
        await pilot.press("ctrl+q")  # quitting saves the draft at once
        await pilot.pause()
    assert Drafts().load(interview_id) == "My draft"
    assert repo.latest(unfinished=True) == interview_id

    second = app_factory(make_settings(), resume=True)
    async with second.run_test() as pilot:
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.session is not None and screen.session.id == interview_id
        assert screen.prompt == probe  # the same follow-up, asked again
        assert screen.editor.text == "My draft"
        texts = [m.text for m in screen.query_one(Conversation).query(Message)]
        assert texts.count(probe.text) == 1 and good_l1 in texts
        assert texts[0] == "What is the difference between L1 and L2 regularization?"
        await answer(pilot, "A Laplace prior for L1, a Gaussian prior for L2.")
        assert Drafts().load(interview_id) == ""


async def test_resume_without_an_unfinished_interview_opens_the_start_screen(
    app_factory: Any, make_settings: Any, settle: Any
) -> None:
    app = app_factory(make_settings(), resume=True)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert app.errors and app.errors[-1][0] == "Interview not found"


async def test_start_screen_lists_models_and_starts_with_the_chosen_options(
    app_factory: Any, make_settings: Any, settle: Any
) -> None:
    async def models() -> list[str]:
        return ["ollama_chat/llama3.2"]

    app = app_factory(make_settings(), start=True, detect_models=models)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartScreen)
        model = screen.query_one("#model", Select)
        assert [value for _, value in model._options] == ["offline", "ollama_chat/llama3.2"]
        assert not screen.query_one("#resume", Button).display  # nothing to resume
        model.value = "ollama_chat/llama3.2"
        screen.query_one("#questions", Select).value = 3
        screen.query_one("#focus", Select).value = "technical"
        screen.query_one("#mode", Select).value = "exam"
        screen.query_one("#time-limit", Select).value = 5.0
        chosen = screen.chosen_settings()
        assert (chosen.model, chosen.questions, chosen.focus, chosen.mode, chosen.time_limit) == (
            "ollama_chat/llama3.2",
            3,
            "technical",
            "exam",
            5.0,
        )
        assert chosen.api_base == "http://localhost:11434"
        model.value = "offline"
        await pilot.click("#start")  # a click on the button starts it
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        assert interview.prompt is not None and interview.prompt.total == 3
        assert interview.prompt.question_kind == "technical"
        assert interview.session is not None and interview.session.settings.mode == "exam"


async def test_start_screen_resumes_and_opens_history(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, press: Press
) -> None:
    session, _ = await InterviewSession.start(make_settings(), repo, question_ids=["l1_vs_l2", "bias_variance"])
    app = app_factory(make_settings(), start=True)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert screen.unfinished is not None and screen.unfinished.id == session.id
        assert screen.query_one("#resume", Button).display
        screen.query_one("#model", Select).focus()  # letters reach the screen from a (closed) select too
        await press(pilot, "h")
        assert isinstance(app.screen, HistoryScreen)
        await press(pilot, "escape")
        assert app.screen is screen
        await press(pilot, "r")
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.session is not None and app.screen.session.id == session.id


async def test_history_opens_a_scorecard_and_exports_it(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, good_l1: str, tmp_path: Any, press: Press
) -> None:
    session, _ = await InterviewSession.start(make_settings(max_probes=0), repo, question_ids=["l1_vs_l2"])
    await session.submit(good_l1)
    app = app_factory(make_settings(), start=True)
    async with app.run_test() as pilot:
        await settle(pilot)
        await press(pilot, "h")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert list(history.rows) == [session.id]
        await press(pilot, "enter")
        scorecard = app.screen
        assert isinstance(scorecard, ScorecardScreen)
        assert scorecard.report.interview_id == session.id

        await press(pilot, "m")
        assert isinstance(app.screen, ExportDialog)
        await press(pilot, "enter")
        markdown = tmp_path / "exports" / f"interview-{session.id}.md"
        assert markdown.read_text(encoding="utf-8").startswith(f"# Mock interview report `{session.id}`")
        assert any(n.title == "Report saved" and str(markdown) in n.message for n in app._notifications)

        await press(pilot, "j")
        field = app.screen.query_one("#path", Input)
        field.value = str(tmp_path / "elsewhere" / "report.json")
        await press(pilot, "enter")
        data = json.loads((tmp_path / "elsewhere" / "report.json").read_text(encoding="utf-8"))
        assert data["interview_id"] == session.id and data["overall"]["answered"] == 1

        await press(pilot, "escape")  # back to the history
        assert app.screen is history


async def test_resume_restores_the_last_feedback_and_its_line(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, good_l1: str, answer: Answer, press: Press
) -> None:
    """After `interviewer resume`, f2 and "Show last feedback" work and the feedback line is in the transcript."""
    first = app_factory(make_settings(max_probes=0), question_ids=["l1_vs_l2", "teammate_conflict"])
    async with first.run_test() as pilot:
        await settle(pilot)
        screen = await answer(pilot, good_l1)
        assert screen.session is not None
        interview_id = screen.session.id
        await pilot.press("ctrl+q")
        await pilot.pause()
    second = app_factory(make_settings(max_probes=0), resume=True)
    async with second.run_test() as pilot:
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, InterviewScreen) and screen.session is not None and screen.session.id == interview_id
        assert screen.last_feedback and screen.last_feedback[0].topic == "Regularization"
        notes = [str(n.content) for n in screen.query(".feedback-note")]  # type: ignore[attr-defined]
        assert len(notes) == 1 and "Regularization" in notes[0]
        assert screen.check_action("show_feedback", ()) is True
        await press(pilot, "f2")
        assert second.screen.__class__.__name__ == "FeedbackScreen"


async def test_opening_a_scorecard_shows_that_work_is_going_on(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, good_l1: str
) -> None:
    import asyncio

    session, _ = await InterviewSession.start(make_settings(max_probes=0), repo, question_ids=["l1_vs_l2"])
    await session.submit(good_l1)
    app = app_factory(make_settings(), start=True)
    gate = asyncio.Event()
    async with app.run_test() as pilot:
        await settle(pilot)
        real = app.backend.report

        async def slow(interview_id: str) -> Any:
            await gate.wait()
            return await real(interview_id)

        app.backend.report = slow
        waiting = app.screen
        app.open_report(session.id)
        await pilot.pause()
        assert waiting.loading  # under load the report takes a while: the screen says work is going on
        gate.set()
        await settle(pilot)
        assert not waiting.loading
        assert app.screen.__class__.__name__ == "ScorecardScreen"


async def test_a_resumed_transcript_labels_follow_ups_with_the_interviews_own_max_probes(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, good_l1: str
) -> None:
    """The interview was started with --max-probes 3; resuming it with another setting keeps its own."""
    session, _ = await InterviewSession.start(
        make_settings(max_probes=3), repo, question_ids=["l1_vs_l2", "bias_variance"]
    )
    step = await session.submit(good_l1)
    assert step.prompt is not None and (step.prompt.kind, step.prompt.probe_index) == ("probe", 1)
    session.close()

    app = app_factory(make_settings(max_probes=1), resume=True)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        labels = [m.label for m in screen.query_one(Conversation).query(Message) if m.who == "interviewer"]
        assert labels == ["Interviewer · question 1 of 2", "Interviewer · follow-up 1 of 3"]
        assert screen.prompt is not None and screen.prompt.max_probes == 3
