"""Past interviews in a table (date, model, questions, status, score); open one to see its scorecard, or resume
an unfinished one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from interviewer.errors import InterviewerError
from interviewer.report import status_label
from interviewer.tui.backend import Launch
from interviewer.tui.formatting import local_time
from interviewer.tui.screens.base import AppScreen
from interviewer.tui.widgets.score_bar import bar_cells

if TYPE_CHECKING:
    from interviewer.services import InterviewSummary

FINISHED = ("complete", "abandoned")


class HistoryScreen(AppScreen):
    """The list of past interviews."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Scorecard", priority=True),
        Binding("r", "resume", "Resume"),
        Binding("t", "retry", "Retry", tooltip="Answer a question of the selected interview again"),
        Binding("n", "new", "New interview"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="history-screen")
        self.rows: dict[str, InterviewSummary] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            Content.from_markup("[b]History[/] [$text-muted]· past interviews, newest first[/]"), classes="topbar"
        )
        table: DataTable[str | Text] = DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="history-empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        table.add_column("Date", key="date")
        table.add_column("Model", key="model")
        table.add_column("Qs", key="questions")
        table.add_column("Status", key="status")
        table.add_column("Score", key="score")
        table.focus()
        self.load()

    @work(exclusive=True, group="history")
    async def load(self) -> None:
        try:
            rows = await self.backend.history()
        except InterviewerError as exc:
            self.iapp.report_error(exc.title, exc.message, exc.hint)
            return
        self.show_rows(rows)

    def show_rows(self, rows: list[InterviewSummary]) -> None:
        table: DataTable[str | Text] = self.query_one("#history-table", DataTable)
        table.clear()
        self.rows = {r.id: r for r in rows}
        theme = self.app.current_theme
        colours = {
            "success": theme.success or "green",
            "warning": theme.warning or "yellow",
            "error": theme.error or "red",
            "muted": "dim",
        }
        status_colour = {"finished": "success", "unfinished": "warning", "abandoned": "muted"}
        for r in rows:
            status = status_label(r.status)
            if r.overall_score is None:
                score = Text("not scored yet" if status == "unfinished" else "-", style="dim")
            else:
                filled, rest, label, level = bar_cells(r.overall_score, 10)
                score = Text.assemble((filled, colours[level]), (rest, "dim"), " ", (label, f"bold {colours[level]}"))
            table.add_row(
                local_time(r.created_at),
                r.model,
                str(r.questions),
                Text(status, style=colours[status_colour[status]]),
                score,
                key=r.id,
            )
        empty = self.query_one("#history-empty", Static)
        empty.update(
            ""
            if rows
            else Content.from_markup("No interviews yet. Press [b]n[/] to start one: it takes about ten minutes.")
        )
        empty.display = not rows
        self.refresh_bindings()

    def selected(self) -> InterviewSummary | None:
        table: DataTable[str | Text] = self.query_one("#history-table", DataTable)
        if not self.rows or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key) if key else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            row = self.selected()
            return row is not None and row.status not in FINISHED
        if action in ("open", "retry"):
            return self.selected() is not None
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        row = self.selected()
        if row is not None:
            yield SystemCommand("Open scorecard", "The scorecard of the selected interview (enter)", self.action_open)
            if row.status not in FINISHED:
                yield SystemCommand("Resume interview", "Continue the selected interview (r)", self.action_resume)
            yield SystemCommand(
                "Retry a question", "Answer a question of the selected interview again (t)", self.action_retry
            )
        yield SystemCommand("New interview", "Back to the start screen (n)", self.action_new)
        yield SystemCommand("Progress", "Your scores over time", self.iapp.show_progress)

    def action_open(self) -> None:
        row = self.selected()
        if row is not None:
            self.iapp.open_report(row.id)

    def action_resume(self) -> None:
        row = self.selected()
        if row is not None and row.status not in FINISHED:
            self.iapp.run_interview(Launch(self.backend.settings, resume=True, resume_id=row.id))

    def action_retry(self) -> None:
        row = self.selected()
        if row is not None:
            self.retry_from(row.id)

    @work(exclusive=True, group="history-retry")
    async def retry_from(self, interview_id: str) -> None:
        """Its questions come from its report (built in a thread); then retry one."""
        try:
            report = await self.backend.report(interview_id)
        except InterviewerError as exc:
            self.iapp.report_error(exc.title, exc.message, exc.hint)
            return
        self.iapp.pick_retry(report)

    def action_new(self) -> None:
        self.iapp.show_start()

    def action_back(self) -> None:
        self.app.pop_screen()
