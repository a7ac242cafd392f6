"""The Progress screen: opened from the start screen (its button, ``p``) and from the command palette on a seeded
database; its charts and tables show hand-computed values, points graded by another grader are marked apart, 0
interviews give a clear empty state, and charts stay bounded over many interviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import text
from textual.widgets import Select, Static

from interviewer.bank import load_bank
from interviewer.domain.grades import Grade
from interviewer.progress import build_progress
from interviewer.storage.repo import GradedInterview, Repository
from interviewer.testing import grades
from interviewer.testing.seed import seed_interview
from interviewer.tui.charts import CHART_POINTS, OTHER_LABEL, interviews_chart, series_chart
from interviewer.tui.screens.progress import EMPTY, ProgressScreen
from interviewer.tui.screens.start import StartScreen

if TYPE_CHECKING:
    from tui.conftest import Press

BANK = load_bank()
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
MODEL = "ollama_chat/llama3.2"


technical = partial(grades.technical, BANK)
behavioral = partial(grades.behavioral, BANK)


def seed(repo: Repository, plans: list[list[Grade]]) -> list[str]:
    """One finished interview per plan, a day apart from 2026-11-02 09:00 UTC."""
    ids = []
    for day, plan in enumerate(plans, start=1):
        interview_id = seed_interview(repo, BANK, plan)
        with repo.engine.begin() as conn:
            conn.execute(
                text("UPDATE interviews SET created_at = :c WHERE id = :i"),
                {"c": T0 + timedelta(days=day), "i": interview_id},
            )
        ids.append(interview_id)
    return ids


# Hand-computed: l1_vs_l2 scores 2, 5 (a model's), 3; teammate_conflict 2 then 4 (a result in the second only).
# Overall per interview: mean(2, 2) = 2, mean(5, 4) = 4.5 (mostly graded by the model: marked), 3.
THREE = [
    [technical(2, missed=("why_geometry",)), behavioral(2, result=False)],
    [technical(5, model=MODEL), behavioral(4, result=True)],
    [technical(3, missed=("why_geometry",))],
]


@pytest.fixture
def three(repo: Repository) -> list[str]:
    return seed(repo, THREE)


def plain(widget: Any) -> str:
    """What a Static (or a plot) shows, as plain text."""
    shown = widget.render() if not isinstance(widget, Static) else widget.visual
    return str(getattr(shown, "plain", shown))


def table_text(screen: ProgressScreen, selector: str) -> str:
    from io import StringIO

    from rich.console import Console

    out = StringIO()
    Console(file=out, width=120, color_system=None).print(screen.query_one(selector, Static).content)
    return out.getvalue()


async def open_from_start(pilot: Any, settle: Any) -> ProgressScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, StartScreen)
    await pilot.click("#progress-button")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProgressScreen)
    return screen


async def test_opened_from_the_start_screen_it_shows_the_hand_computed_values(
    app_factory: Any, make_settings: Any, settle: Any, three: list[str], press: Press
) -> None:
    from interviewer.tui.widgets.score_chart import ScoreChart, ScorePlot

    app = app_factory(make_settings(), start=True)
    async with app.run_test(size=(120, 60)) as pilot:
        start = app.screen
        screen = await open_from_start(pilot, settle)
        # The overall chart: the offline interviews joined by a line, the model's one marked apart.
        overall = screen.query_one("#overall-chart", ScoreChart)
        assert overall.chart.comparable == ((1, 2.0), (3, 3.0))
        assert overall.chart.other == ((2, 4.5),)
        assert overall.chart.label == "graded offline"
        assert [label for _, label in overall.chart.ticks] == ["11-02", "11-03", "11-04"]
        legend = plain(overall.query_one(".chart-legend", Static))
        assert "● graded offline" in legend.replace("●─", "●") and OTHER_LABEL in legend
        drawn = plain(overall.query_one(ScorePlot))
        assert "Overall score per interview" in drawn and "●" in drawn and "x" in drawn and "11-03" in drawn
        # The question chart: l1_vs_l2 first, the model's 5 marked apart.
        question = screen.query_one("#question-chart", ScoreChart)
        assert question.chart.comparable == ((1, 2.0), (3, 3.0)) and question.chart.other == ((2, 5.0),)
        # Another question is chosen from the select: teammate_conflict, all offline.
        picker: Select[str] = screen.query_one("#question-select", Select)
        picker.value = "teammate_conflict"
        await settle(pilot)
        assert question.chart.comparable == ((1, 2.0), (2, 4.0)) and question.chart.other == ()
        assert OTHER_LABEL not in plain(question.query_one(".chart-legend", Static))
        # The tables: latest, best (offline only), trend (none across graders), attempts, sparkline.
        by_question = table_text(screen, "#question-table")
        l1 = next(line for line in by_question.splitlines() if "l1_vs_l2" in line)
        assert "Regularization *" in l1 and [c.strip() for c in l1.split("│")[3:7]] == ["3", "3", "3", "-"]
        conflict = next(line for line in by_question.splitlines() if "teammate_conflict" in line)
        assert [c.strip() for c in conflict.split("│")[3:7]] == ["2", "4", "4", "↑ +2"]
        assert "▃▅" in l1  # the sparkline leaves the model's 5 out: 2 then 3
        star = table_text(screen, "#star-table")
        assert "result" in star and "1/2" in star and "50%" in star
        gaps = table_text(screen, "#gaps-table")
        assert "l1_vs_l2" in gaps and "2/3" in gaps and "teammate_conflict" in gaps
        assert "graded by another grader" in plain(screen.query_one("#other-grader-note", Static))
        # Escape goes back where the user came from.
        await press(pilot, "escape")
        assert app.screen is start


async def test_opened_from_the_command_palette(
    app_factory: Any, make_settings: Any, settle: Any, three: list[str], press: Press
) -> None:
    app = app_factory(make_settings(), start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = app.screen
        assert "Progress" in [c.title for c in app.get_system_commands(start)]
        await press(pilot, "ctrl+p")
        await pilot.press(*"Progress")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert isinstance(app.screen, ProgressScreen)
        assert app.screen.progress is not None and len(app.screen.progress.interviews) == 3
        await press(pilot, "escape")
        assert app.screen is start


async def test_the_history_screen_offers_it_in_the_palette_and_escape_returns_there(
    app_factory: Any, make_settings: Any, settle: Any, three: list[str], press: Press
) -> None:
    from interviewer.tui.screens.history import HistoryScreen

    app = app_factory(make_settings(), start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "h")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        command = next(c for c in app.get_system_commands(history) if c.title == "Progress")
        command.callback()
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        await press(pilot, "escape")
        assert app.screen is history


async def test_no_interviews_is_a_clear_empty_state(
    app_factory: Any, make_settings: Any, settle: Any, press: Press
) -> None:
    app = app_factory(make_settings(), start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "p")
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        assert plain(screen.query_one("#progress-status", Static)) == EMPTY
        assert not screen.query(".score-chart") and not screen.query("#question-table")


async def test_one_interview_is_one_point(
    app_factory: Any, make_settings: Any, settle: Any, repo: Repository, press: Press
) -> None:
    from interviewer.tui.widgets.score_chart import ScoreChart

    seed(repo, [[technical(4)]])
    app = app_factory(make_settings(), start=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "p")
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        chart = screen.query_one("#overall-chart", ScoreChart).chart
        assert (chart.comparable, chart.other, chart.total, chart.title) == (
            ((1, 4.0),),
            (),
            1,
            "Overall score per interview",
        )
        assert "1 interview ·" in plain(screen.query_one("#progress-status", Static))


def test_charts_are_bounded_over_five_hundred_interviews() -> None:
    history = [
        GradedInterview(
            id=f"iv{n}",
            created_at=T0 + timedelta(hours=n),
            status="completed",
            overall_score=float(1 + n % 5),
            grades={"l1_vs_l2": technical(1 + n % 5, model=MODEL if n == 470 else None)},
        )
        for n in range(500)
    ]
    progress = build_progress(history, BANK)
    chart = interviews_chart(progress.interviews)
    assert (chart.total, chart.shown) == (500, CHART_POINTS)
    assert chart.title == f"Overall score per interview (last {CHART_POINTS} of 500)"
    xs = sorted(n for n, _ in (*chart.comparable, *chart.other))
    assert xs == list(range(500 - CHART_POINTS + 1, 501))
    assert chart.other == ((471, 1.0),)  # interview 470 (0-based) was graded by the model: 1 + 470 % 5
    assert len(chart.ticks) <= 6 and chart.ticks[-1][0] == 500
    question = series_chart(progress.questions[0])
    assert question.shown == CHART_POINTS and question.other == ((471, 1.0),)


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")])
def test_progress_screen_snapshot(
    snap_compare: Any, app_factory: Any, make_settings: Any, settle: Any, three: list[str], size: Any, press: Press
) -> None:
    """How the screen looks (fixed dates; nothing on it depends on the interview ids)."""
    app = app_factory(make_settings(), start=True)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await press(pilot, "p")
        pilot.app.clear_notifications()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
