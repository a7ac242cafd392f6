"""How every screen looks, at 80x24 and 120x40 (pytest-textual-snapshot; `--snapshot-update` regenerates the
SVGs in __snapshots__/, which a human looks at before committing).

Deterministic: a fixed seed, a frozen clock, fixed interview ids and dates, a fixed list of local models, no
cursor blink and no notifications in the pictures.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import text
from textual.widgets import TextArea

from interviewer.bank import Bank, Question
from interviewer.domain.grades import Grade
from interviewer.engine.probing import OfflineProber
from interviewer.engine.session import Engines, InterviewSession
from interviewer.services import FailurePolicy, ModelError, model_engines
from interviewer.storage.repo import Repository

if TYPE_CHECKING:
    from tui.conftest import Answer, Press

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
GOOD_BIAS = (
    "Bias is error from wrong assumptions: a model too simple underfits. Variance is error from sensitivity to "
    "the training data: a model too flexible overfits. More complexity lowers bias and raises variance, so we "
    "pick the complexity that minimises validation error, with regularization or more data to cut variance."
)


@pytest.fixture(autouse=True)
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Interview ids 5ca1ab1e0001, 5ca1ab1e0002, ... in creation order."""
    import interviewer.storage.repo as repo_module

    counter = itertools.count(1)
    monkeypatch.setattr(
        repo_module, "uuid", SimpleNamespace(uuid4=lambda: SimpleNamespace(hex=f"5ca1ab1e{next(counter):04d}ffff"))
    )


def set_dates(repo: Repository, interview_id: str, created: datetime, completed: datetime | None) -> None:
    with repo.engine.begin() as conn:
        conn.execute(
            text("UPDATE interviews SET created_at = :c, completed_at = :d WHERE id = :i"),
            {"c": created, "d": completed, "i": interview_id},
        )


async def _past_interviews(repo: Repository, settings: Any, good_l1: str, story: str) -> list[str]:
    """Three finished interviews with rising scores and one unfinished, on fixed dates."""
    ids = []
    plans = [
        (["l1_vs_l2", "bias_variance"], ["L1 is absolute values.", "/skip"]),
        (["l1_vs_l2", "teammate_conflict"], [good_l1, "I talked to them and it was fine."]),
        (["l1_vs_l2", "bias_variance", "teammate_conflict"], [good_l1, GOOD_BIAS, story]),
    ]
    for day, (questions, answers) in enumerate(plans, start=1):
        session, _ = await InterviewSession.start(settings, repo, question_ids=questions)
        for answer in answers:
            if answer == "/skip":
                await session.skip()
            else:
                await session.submit(answer)
        if not session.finished:
            await session.end()
        ids.append(session.id)
        set_dates(
            repo,
            session.id,
            datetime(2026, 3, day * 3, 9, 30, tzinfo=UTC),
            datetime(2026, 3, day * 3, 10, 5, tzinfo=UTC),
        )
    session, _ = await InterviewSession.start(settings, repo, question_ids=["missing_data", "rf_vs_gbm"])
    await session.submit("I would check why the data is missing first.")
    set_dates(repo, session.id, datetime(2026, 3, 14, 18, 0, tzinfo=UTC), None)
    ids.append(session.id)
    return ids


@pytest.fixture
def past(repo: Repository, make_settings: Any, good_l1: str, conflict_story: str) -> list[str]:
    return asyncio.run(_past_interviews(repo, make_settings(max_probes=0), good_l1, conflict_story))


def still(pilot: Any) -> None:
    """No blinking cursor and no toasts in a picture."""
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    pilot.app.clear_notifications()


Act = Callable[[Any], Awaitable[object]]


def shot(snap_compare: Any, app: Any, size: Any, settle: Any, act: Act | None = None) -> bool:
    """Whether ``app`` at ``size`` looks like its snapshot once it has settled, after ``act`` (which settles what it
    does), with no blinking cursor and no toast."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        if act is not None:
            await act(pilot)
        still(pilot)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


async def _models() -> list[str]:
    return ["ollama_chat/llama3.2", "ollama_chat/qwen2.5:0.5b"]


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(
    snap_compare: Any, app_factory: Any, make_settings: Any, settle: Any, past: list[str], size: Any
) -> None:
    app = app_factory(make_settings(), start=True, detect_models=_models)
    assert shot(snap_compare, app, size, settle)


@pytest.mark.parametrize("size", SIZES)
def test_interview_screen(
    snap_compare: Any, app_factory: Any, make_settings: Any, settle: Any, good_l1: str, size: Any, answer: Answer
) -> None:
    app = app_factory(make_settings(time_limit=3), question_ids=["l1_vs_l2", "teammate_conflict", "bias_variance"])

    async def act(pilot: Any) -> None:
        await answer(pilot, good_l1)
        editor = pilot.app.screen.editor
        editor.load_text("I would tune lambda by cross-validation, and")
        editor.move_cursor(editor.document.end)
        await settle(pilot)

    assert shot(snap_compare, app, size, settle, act)


@pytest.mark.parametrize("size", SIZES)
def test_feedback_screen(
    snap_compare: Any, app_factory: Any, make_settings: Any, settle: Any, good_l1: str, size: Any, answer: Answer
) -> None:
    app = app_factory(make_settings(), question_ids=["l1_vs_l2", "teammate_conflict"])

    async def act(pilot: Any) -> None:
        await answer(pilot, good_l1)
        await answer(pilot, "I believe L1 always gives a better model because it is sparse.")

    assert shot(snap_compare, app, size, settle, act)


@pytest.mark.parametrize("size", SIZES)
def test_scorecard_screen(
    snap_compare: Any, app_factory: Any, make_settings: Any, settle: Any, past: list[str], size: Any
) -> None:
    app = app_factory(make_settings(), start=True)

    async def act(pilot: Any) -> None:
        pilot.app.open_report(past[2])
        await settle(pilot)

    assert shot(snap_compare, app, size, settle, act)


@pytest.mark.parametrize("size", SIZES)
def test_history_screen(
    snap_compare: Any, app_factory: Any, make_settings: Any, settle: Any, past: list[str], size: Any, press: Press
) -> None:
    app = app_factory(make_settings(), start=True)

    async def act(pilot: Any) -> None:
        await press(pilot, "h")

    assert shot(snap_compare, app, size, settle, act)


class _Down(ModelError):
    title = "Model unavailable"


class _DownGrader:
    name = "judge"

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        raise _Down(
            "ollama_chat/llama3.2: cannot connect to http://localhost:11434",
            hint="start Ollama (`ollama serve`) or set OLLAMA_API_BASE",
        )


@pytest.mark.parametrize("size", SIZES)
def test_model_error_dialog(
    snap_compare: Any, app_factory: Any, make_settings: Any, settle: Any, good_l1: str, size: Any, answer: Answer
) -> None:
    def engines(bank: Bank, policy: FailurePolicy) -> Engines:  # wired as a model's grader is
        return model_engines(_DownGrader(), OfflineProber(bank), bank, policy=policy)

    app = app_factory(make_settings(model="ollama_chat/llama3.2"), engines=engines, question_ids=["l1_vs_l2"])

    async def act(pilot: Any) -> None:
        await answer(pilot, good_l1)

    assert shot(snap_compare, app, size, settle, act)


async def _weak_l1_attempt(repo: Repository, settings: Any) -> str:
    """A finished interview answering l1_vs_l2 poorly, on a fixed date (the attempt a retry compares with)."""
    session, _ = await InterviewSession.start(settings, repo, question_ids=["l1_vs_l2"])
    await session.submit("L1 is absolute values and L2 is squares.")
    if not session.finished:
        await session.end()
    set_dates(repo, session.id, datetime(2026, 3, 3, 9, 30, tzinfo=UTC), datetime(2026, 3, 3, 9, 40, tzinfo=UTC))
    return session.id


@pytest.mark.parametrize("size", SIZES)
def test_retry_feedback_screen(
    snap_compare: Any,
    app_factory: Any,
    make_settings: Any,
    settle: Any,
    repo: Repository,
    good_l1: str,
    size: Any,
    monkeypatch: pytest.MonkeyPatch,
    answer: Answer,
) -> None:
    settings = make_settings(max_probes=0)
    asyncio.run(_weak_l1_attempt(repo, settings))
    create = repo.create_interview

    def create_on_a_fixed_date(**kw: Any) -> str:
        """The retry's scorecard (behind the feedback) shows its date: a fixed one."""
        interview_id = create(**kw)
        set_dates(repo, interview_id, datetime(2026, 3, 10, 18, 0, tzinfo=UTC), None)
        return interview_id

    monkeypatch.setattr(repo, "create_interview", create_on_a_fixed_date)
    app = app_factory(settings, question_ids=["l1_vs_l2"], retry=True)

    async def act(pilot: Any) -> None:
        await answer(pilot, good_l1)

    assert shot(snap_compare, app, size, settle, act)
