"""A model that cannot be used is found before the first question, not after the first answer: the TUI says what is
wrong and how to fix it, and offers to continue offline or to quit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pytest
from textual.content import Content
from textual.widgets import Static

from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.model_check import ModelCheckDialog
from interviewer.tui.widgets.conversation import Conversation, Message

if TYPE_CHECKING:
    from tui.conftest import Press


@pytest.fixture(autouse=True)
def _no_openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
def keyless(app_factory: Any, make_settings: Any) -> Any:
    """An app for gpt-4o-mini with no OPENAI_API_KEY set: it opens on the model dialog."""
    return app_factory(make_settings(model="gpt-4o-mini"), question_ids=["l1_vs_l2"])


async def test_a_missing_key_is_a_dialog_before_the_first_question(keyless: Any, settle: Any, press: Press) -> None:
    app = keyless
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ModelCheckDialog)
        assert "OPENAI_API_KEY" in app.screen.problem.message
        assert not cast(Content, app.screen.query_one(".dialog-message", Static).visual).plain.islower()
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.session is not None and screen.session.settings.is_offline
        said = [m for m in screen.query_one(Conversation).query(Message) if m.who == "interviewer"]
        assert said and "L1 and L2" in said[0].text


async def test_quit_from_the_model_dialog_exits_non_zero(keyless: Any, settle: Any, press: Press) -> None:
    app = keyless
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ModelCheckDialog)
        await press(pilot, "q")
    assert app.return_code == 1


async def test_offline_settings_ask_the_first_question_straight_away(
    app_factory: Any, make_settings: Any, settle: Any
) -> None:
    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)


def test_exports_go_to_the_data_folder_by_default(home: Any, make_settings: Any) -> None:
    """Not the current folder (a user in a git checkout would get untracked files)."""
    from interviewer import paths
    from interviewer.tui.app import make_app

    app = make_app(make_settings())
    assert app.export_dir == paths.data_dir() / "exports"


async def test_an_unusable_database_is_said_once_and_quitting_exits_1(
    make_settings: Any, settle: Any, press: Press
) -> None:
    from interviewer.tui.app import make_app
    from interviewer.tui.screens.fatal import FatalScreen

    app = make_app(make_settings(db="sqlite:////proc/no-such-folder/x.db"), start=True, detect_models=_no_models)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FatalScreen)
        assert "does not exist" in app.screen.message
        assert len(app.errors) == 1  # once, not a toast repeated by every worker
        await press(pilot, "ctrl+q")
    assert app.return_code == 1


async def _no_models() -> list[str]:
    return []
