"""One read model: a field added to the view of a question shows on every surface (the TUI's feedback and
scorecard, plain mode, Markdown and JSON), because they all render the view and none renders the grade itself."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.screen import Screen

import interviewer.report.view as view_module
from interviewer.engine.session import InterviewSession
from interviewer.plain import ListAnswers, PlainUI, drive
from interviewer.report import QuestionOut, render_report
from interviewer.services import interview_report
from interviewer.storage.repo import Repository
from interviewer.tui.screens.feedback import FeedbackScreen
from interviewer.tui.screens.scorecard import ScorecardScreen
from interviewer.tui.widgets.bullet import Bullet
from interviewer.tui.widgets.feedback_view import FeedbackView

NOTE = "Seen on every surface."


class NotedView(QuestionOut):
    """The view with one more field."""

    coach_note: str = NOTE


def _shown(app: Any, screen_type: type[Screen[Any]]) -> str:
    """The text of the feedback views on the screen of ``screen_type`` in the app's stack."""
    screen = next(s for s in app.screen_stack if isinstance(s, screen_type))
    views = list(screen.query(FeedbackView))
    assert views, screen
    texts = [str(static.render()) for view in views for static in view.query("Static")]
    texts += [bullet.body.plain for view in views for bullet in view.query(Bullet)]
    return "\n".join(texts)


async def test_a_field_added_to_the_view_shows_on_every_surface(
    monkeypatch: pytest.MonkeyPatch,
    app_factory: Any,
    make_settings: Any,
    settle: Any,
    repo: Repository,
    good_l1: str,
) -> None:
    monkeypatch.setattr(view_module, "QuestionOut", NotedView)  # every view is built as the richer one

    # the TUI: coach-mode feedback (from the live grade) on top of the scorecard (from the stored interview)
    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        for answer in (good_l1, "I'm not sure."):
            if isinstance(pilot.app.screen, FeedbackScreen):
                break
            pilot.app.screen.editor.load_text(answer)
            await pilot.press("ctrl+s")
            await settle(pilot)
        feedback, scorecard = _shown(pilot.app, FeedbackScreen), _shown(pilot.app, ScorecardScreen)
        pilot.app.screen.query_one("#feedback-scroll", VerticalScroll).scroll_end(animate=False)
        await settle(pilot)
        screenshot = pilot.app.export_screenshot()  # what the terminal shows: the end of the feedback
    for shown in (feedback, scorecard):
        assert "Coach note" in shown and NOTE in shown, shown
    assert NOTE.replace(" ", "&#160;") in screenshot

    # plain mode: the feedback after the question
    session, step = await InterviewSession.start(
        make_settings(max_probes=0), repo, question_ids=["bias_variance", "teammate_conflict"]
    )
    out = io.StringIO()
    try:
        report = await drive(session, step, ListAnswers([good_l1]), PlainUI(out))
    finally:
        session.close()
    assert f"Coach note: {NOTE}" in out.getvalue(), out.getvalue()

    # Markdown and JSON (``interviewer report``), from the stored interview
    stored = interview_report(repo, report.interview_id)
    assert f"**Coach note:** {NOTE}" in render_report(stored, "md")
    questions = json.loads(render_report(stored, "json"))["questions"]
    assert [q["coach_note"] for q in questions] == [NOTE, NOTE]
