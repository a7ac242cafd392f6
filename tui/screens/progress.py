"""How the candidate is doing over time (``interviewer progress`` in the TUI): a chart of the overall score per
interview, a chart of the chosen question's scores, the question and topic tables (latest, best, trend, attempts,
sparkline), the STAR rates and the gaps that keep coming back.

The screen opens at once with a loading line; the history is read and built in a thread, and the chart widget
(plotext) is imported in a thread too, then the charts and tables are mounted. Charts are bounded (the last
``CHART_POINTS`` points); a point graded by another grader or rubric version is marked apart, never mixed in.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Select, Static

from interviewer.errors import InterviewerError
from interviewer.progress_text import (
    other_grader_note,
    recurring_table,
    series_table,
    star_table,
)
from interviewer.tui.charts import interviews_chart, series_chart
from interviewer.tui.formatting import plural
from interviewer.tui.screens.base import AppScreen

if TYPE_CHECKING:
    from interviewer.progress import Progress

CHART_MODULE = "interviewer.tui.widgets.score_chart"
EMPTY = (
    "No graded interviews yet: your scores over time will show here. "
    "Start an interview from the start screen (ctrl+s) or with `interviewer run`."
)


class ProgressScreen(AppScreen):
    """Charts and tables of the scores over time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="progress-screen")
        self.progress: Progress | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup("[b]Progress[/] [$text-muted]· your scores over time[/]"), classes="topbar")
        with VerticalScroll(id="progress-body"):
            yield Static(Content.from_markup("[$text-muted]Reading your interviews…[/]"), id="progress-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#progress-body").focus()
        self.load()

    @work(exclusive=True, group="progress")
    async def load(self) -> None:
        try:
            progress, _ = await asyncio.gather(
                self.backend.progress(), asyncio.to_thread(importlib.import_module, CHART_MODULE)
            )
        except InterviewerError as exc:
            self.query_one("#progress-status", Static).update(Content(f"Progress unavailable: {exc.message}"))
            self.iapp.report_error(exc.title, exc.message, exc.hint)
            return
        await self.show_progress(progress)

    async def show_progress(self, progress: Progress) -> None:
        from interviewer.tui.widgets.score_chart import ScoreChart

        self.progress = progress
        status = self.query_one("#progress-status", Static)
        if not progress.interviews and not progress.questions:
            status.update(Content(EMPTY))
            status.add_class("progress-empty")
            return
        body = self.query_one("#progress-body", VerticalScroll)
        interviews = len(progress.interviews)
        status.update(
            Content.from_markup(
                "[$text-muted]$count · $questions · escape to go back[/]",
                count=plural(interviews, "interview"),
                questions=plural(len(progress.questions), "question") + " answered",
            )
        )
        widgets: list[Static | ScoreChart | Horizontal] = []
        if progress.interviews:
            widgets.append(ScoreChart(interviews_chart(progress.interviews), id="overall-chart"))
        if progress.questions:
            options = [(f"{s.id} · {s.title}", s.id) for s in progress.questions]
            picker: Select[str] = Select(
                options, value=progress.questions[0].id, allow_blank=False, compact=True, id="question-select"
            )
            widgets.append(Horizontal(Static("Question", classes="form-label"), picker, id="question-row"))
            widgets.append(ScoreChart(series_chart(progress.questions[0]), id="question-chart"))
        widgets.append(Static(series_table("By question", progress.questions, ids=True), id="question-table"))
        widgets.append(Static(series_table("By topic", progress.topics, ids=False), id="topic-table"))
        if progress.star:
            widgets.append(Static(star_table(progress), id="star-table"))
        if progress.recurring:
            widgets.append(Static(recurring_table(progress), id="gaps-table"))
        note = other_grader_note(progress)
        if note is not None:
            widgets.append(Static(note, id="other-grader-note"))
        await body.mount_all(widgets)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "question-select" or self.progress is None:
            return
        event.stop()
        from interviewer.tui.widgets.score_chart import ScoreChart

        series = next((s for s in self.progress.questions if s.id == event.value), None)
        if series is not None:
            self.query_one("#question-chart", ScoreChart).show(series_chart(series))

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Back", "Return to the previous screen (escape)", self.action_back)

    def action_back(self) -> None:
        self.app.pop_screen()
