"""Start-up paints first: with --question the first question is on screen before the session is open (the core loads
behind it); an answer submitted before then waits, visibly, and is stored and graded once the session is ready, never
accepted without being stored; a failure to open says the same as before."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import TextArea

from interviewer.tui.backend import Backend
from interviewer.tui.screens.interview import PREPARING, QUEUED, InterviewScreen
from interviewer.tui.screens.start import StartScreen
from interviewer.tui.widgets.conversation import Conversation, Message
from interviewer.tui.widgets.spinner import Spinner

QUESTION = "What is the difference between L1 and L2 regularization?"


def said(screen: InterviewScreen) -> list[tuple[str, str]]:
    return [(m.who, m.text) for m in screen.query_one(Conversation).query(Message)]


async def send_early(pilot: Any, text: str) -> InterviewScreen:
    """Sends ``text`` from the interview screen as soon as it is up (before the held session is open)."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen)
    screen.editor.load_text(text)
    await pilot.press("ctrl+s")
    await pilot.pause()
    return screen


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> Callable[..., asyncio.Event]:
    """``held_open(fail=None)``: opening the session waits for the event returned, then opens it (or raises)."""

    def hold(fail: Exception | None = None) -> asyncio.Event:
        release = asyncio.Event()
        original = Backend.open_session

        async def open_session(self: Backend, *args: Any, **kwargs: Any) -> Any:
            await release.wait()
            if fail is not None:
                raise fail
            return await original(self, *args, **kwargs)

        monkeypatch.setattr(Backend, "open_session", open_session)
        return release

    return hold


async def test_the_first_question_is_on_screen_before_the_session_is_open(
    app_factory: Any, make_settings: Any, settle: Any, held_open: Any, repo: Any
) -> None:
    release = held_open()
    app = app_factory(make_settings(), question_ids=["l1_vs_l2", "bias_variance"])
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.session is None and repo.latest() is None  # nothing opened or stored yet
        assert said(screen) == [("interviewer", QUESTION)]
        assert screen.prompt is not None and (screen.prompt.number, screen.prompt.total) == (1, 2)
        assert screen.query_one(Spinner).message == PREPARING
        assert app.focused is screen.query_one("#answer", TextArea)
        await pilot.press(*"L1")  # typing works at once
        assert screen.editor.text == "L1"

        preview = screen.prompt
        release.set()
        await settle(pilot)
        assert screen.session is not None and screen.busy is None
        assert screen.prompt == preview  # the session asks the very question painted first...
        assert said(screen) == [("interviewer", QUESTION)]  # ...and it is not said twice
        record = repo.get(screen.session.id)
        assert [(t.role, t.text) for t in record.turns] == [("interviewer", QUESTION)]


async def test_an_answer_submitted_before_the_session_is_open_waits_then_is_stored_and_graded(
    app_factory: Any, make_settings: Any, settle: Any, held_open: Any, repo: Any, good_l1: str
) -> None:
    release = held_open()
    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        screen = await send_early(pilot, good_l1)
        # Waiting, and saying so: not shown as answered, not stored, and read-only so what is sent is what is seen.
        assert screen.query_one(Spinner).message == QUEUED
        assert screen.editor.read_only and screen.editor.text == good_l1
        assert said(screen) == [("interviewer", QUESTION)]
        assert repo.latest() is None
        await pilot.press("ctrl+s")  # a second ctrl+s does not send it twice
        await pilot.press(*"xyz")
        assert screen.editor.text == good_l1

        release.set()
        await settle(pilot)
        assert screen.session is not None
        record = repo.get(screen.session.id)
        answers = [t.text for t in record.turns if t.role == "candidate"]
        assert answers == [good_l1]  # stored, once
        assert "l1_vs_l2" in record.grades  # and graded
        assert screen.prompt is not None and screen.prompt.kind == "probe"  # good_l1 earns a follow-up
        assert said(screen)[:2] == [("interviewer", QUESTION), ("candidate", good_l1)]
        assert not screen.editor.read_only and screen.editor.text == ""


async def test_a_session_that_cannot_be_opened_is_said_as_before_and_a_waiting_answer_is_not_taken(
    app_factory: Any, make_settings: Any, settle: Any, held_open: Any, repo: Any, good_l1: str
) -> None:
    from interviewer.errors import StorageError

    release = held_open(fail=StorageError("attempt to write a readonly database", hint="check the folder"))
    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await send_early(pilot, good_l1)
        release.set()
        await settle(pilot)
        assert app.errors[0] == ("Database error", "attempt to write a readonly database", "check the folder")
        assert isinstance(app.screen, StartScreen)  # as before: the message, then the start screen
        assert repo.latest() is None
        assert any(n.title == "Answer not sent" for n in app._notifications)  # and says so


async def test_without_question_the_first_question_waits_for_the_stored_history(
    app_factory: Any, make_settings: Any, settle: Any, held_open: Any
) -> None:
    """The adaptive order depends on stored weaknesses: the frame comes at once, the question with the session, and a
    submit before then is refused (there is no question to answer yet)."""
    release = held_open()
    app = app_factory(make_settings())
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.prompt is None and said(screen) == []
        screen.editor.load_text("An early answer.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not screen.editor.read_only and screen.editor.text == "An early answer."
        release.set()
        await settle(pilot)
        assert screen.prompt is not None and screen.session is not None
        assert said(screen) == [("interviewer", screen.prompt.text)]
        assert screen.editor.text == "An early answer."  # still there, not sent
