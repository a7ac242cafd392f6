"""The answer editor: a paste stops at what an answer may hold, with a note; a paste within it goes in whole."""

from __future__ import annotations

from typing import Any

from textual import events

from interviewer.domain.answers import MAX_ANSWER_CHARS
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.widgets.answer_editor import AnswerEditor


async def _pasted(app: Any, settle: Any, *pastes: str) -> tuple[str, list[str]]:
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        editor = app.screen.query_one("#answer", AnswerEditor)
        editor.focus()
        for text in pastes:
            app.post_message(events.Paste(text))  # as the terminal sends it: to the app, which hands it to the focus
            await settle(pilot)
        return editor.text, [n.message for n in app._notifications]


async def test_a_huge_paste_stops_at_the_answer_limit_with_a_note(
    app_factory: Any, make_settings: Any, settle: Any
) -> None:
    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    text, notes = await _pasted(app, settle, "L1 ", "x" * 1_000_000)
    assert text == "L1 " + "x" * (MAX_ANSWER_CHARS - 3)
    assert f"Your answer was {1_000_003:,} characters; only the first {MAX_ANSWER_CHARS:,} were kept." in notes


async def test_a_paste_within_the_limit_goes_in_whole_without_a_note(
    app_factory: Any, make_settings: Any, settle: Any
) -> None:
    """The twin: up to the limit exactly, nothing is cut or said."""
    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    text, notes = await _pasted(app, settle, "L1 ", "x" * (MAX_ANSWER_CHARS - 3))
    assert text == "L1 " + "x" * (MAX_ANSWER_CHARS - 3)
    assert not any("were kept" in n for n in notes)
