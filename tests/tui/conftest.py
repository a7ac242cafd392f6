"""Fixtures for the TUI tests: a repository on a temporary SQLite file, settings with a fixed seed, a frozen
clock, and an app factory (offline engines unless a test passes its own)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from interviewer.engine.session import Engines
from interviewer.settings import Settings
from interviewer.storage.repo import Repository
from interviewer.tui.app import InterviewerApp, make_app
from interviewer.tui.screens.interview import InterviewScreen

CONFLICT_STORY = (
    "At my last company I led the churn model. A teammate wanted to ship a deep model; I thought a simpler "
    "gradient boosted model was enough. I set up a meeting, we agreed on an offline benchmark, and I ran both. "
    "The simpler model won by 2 points of AUC and shipped two weeks earlier; I learned to settle disagreements "
    "with data early."
)


class FrozenClock:
    """A clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates are shown in local time: make local time UTC so snapshots do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def repo(tmp_path: Path, migrated_db: Path) -> Iterator[Repository]:
    """A repository on a fresh copy of the migrated empty database."""
    shutil.copyfile(migrated_db, tmp_path / "tui.db")
    repository = Repository.open(f"sqlite:///{tmp_path / 'tui.db'}")
    yield repository
    repository.close()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def _settings(**kw: Any) -> Settings:
    values: dict[str, Any] = {"seed": 1, "max_probes": 1}
    values.update(kw)
    return Settings(**values)


@pytest.fixture
def make_settings() -> Callable[..., Settings]:
    """Settings with a fixed seed and one follow-up at most, plus the given changes."""
    return _settings


@pytest.fixture
def conflict_story() -> str:
    return CONFLICT_STORY


async def no_models() -> list[str]:
    return []


AppFactory = Callable[..., InterviewerApp]


@pytest.fixture
def app_factory(repo: Repository, clock: FrozenClock, tmp_path: Path) -> AppFactory:
    """``app_factory(settings=..., **make_app options)``: an app on the test repository with a frozen clock."""

    def build(settings_: Settings | None = None, engines: Engines | None = None, **kw: Any) -> InterviewerApp:
        kw.setdefault("detect_models", no_models)
        kw.setdefault("export_dir", tmp_path / "exports")
        return make_app(settings_ or _settings(), repo=repo, engines=engines, clock=clock, **kw)

    return build


Settle = Callable[[Any], Any]


@pytest.fixture
def settle() -> Callable[..., Any]:
    """``await settle(pilot)``: let messages, workers and the refresh that follows them all finish."""

    async def wait(pilot: Any) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return wait


Answer = Callable[[Any, str], Awaitable[InterviewScreen]]


@pytest.fixture
def answer(settle: Callable[..., Any]) -> Answer:
    """``await answer(pilot, text)``: the interview screen's editor gets ``text``, ctrl+s sends it, and everything
    settles; returns the interview screen."""

    async def send(pilot: Any, text: str) -> InterviewScreen:
        screen = pilot.app.screen
        assert isinstance(screen, InterviewScreen)
        screen.editor.load_text(text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen

    return send


Press = Callable[..., Awaitable[None]]


@pytest.fixture
def press(settle: Callable[..., Any]) -> Press:
    """``await press(pilot, *keys)``: the keys pressed, then everything settles."""

    async def keys(pilot: Any, *keys: str) -> None:
        await pilot.press(*keys)
        await settle(pilot)

    return keys
