"""The scorecard: overall and per-question scores as bars, STAR and key-point breakdown, strengths, gaps and next
steps, progress over past interviews, and export to Markdown or JSON."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Sparkline, Static

from interviewer.report import Report, render_report, unscored_label
from interviewer.textsafe import printable
from interviewer.tui.formatting import local_time, plural, score_variable
from interviewer.tui.screens.base import AppScreen
from interviewer.tui.screens.export import ExportDialog
from interviewer.tui.widgets.bullet import Bullet
from interviewer.tui.widgets.feedback_view import FeedbackView
from interviewer.tui.widgets.score_bar import bar_content


def export_text(report: Report, fmt: str) -> str:
    """The report as Markdown (``md``) or JSON (``json``)."""
    return render_report(report, fmt)


def progress_caption(report: Report) -> Content:
    """``3 interviews · +0.4 since last`` (or a first-interview note)."""
    if not report.previous:
        return Content.from_markup("[$text-muted]Your first scored interview: progress shows here next time.[/]")
    count = len(report.previous) + 1
    change = report.change_since_last
    if change is None:
        return Content(plural(count, "interview"))
    variable = "$text-success" if change > 0 else "$text-error" if change < 0 else "$text-muted"
    recent = " → ".join(f"{p.score:.1f}" for p in report.previous[-3:]) + f" → {report.overall.score:.1f}"
    return Content.from_markup(
        f"$count · [{variable}]$change since last[/]\n[$text-muted]$recent[/]",
        count=plural(count, "interview"),
        change=f"{change:+.1f}",
        recent=recent,
    )


class ScorecardScreen(AppScreen):
    """The report of one interview."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "export('md')", "Export .md"),
        Binding("j", "export('json')", "Export .json"),
        Binding("n", "new", "New interview"),
        Binding("r", "retry", "Retry", tooltip="Answer a question of this interview again"),
        Binding("h", "history", "History"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, report: Report, *, pushed: bool = False) -> None:
        super().__init__(classes="scorecard-screen")
        self.report = report
        self.pushed = pushed

    def compose(self) -> ComposeResult:
        r = self.report
        ended = " · ended early" if r.ended_early else ""
        yield Static(
            Content.from_markup(
                "[b]Scorecard[/] [$text-muted]· $date · $model · $mode mode$ended · $id[/]",
                date=local_time(r.created_at),
                model=r.model,
                mode=r.mode,
                ended=ended,
                id=r.interview_id,
            ),
            id="scorecard-title",
            classes="topbar",
        )
        with VerticalScroll(id="scorecard"):
            with Horizontal(id="summary"):
                yield from self._overall_card()
                yield from self._progress_card()
            yield Static("Questions", classes="section-title")
            yield from self._question_bars()
            yield from self._takeaways()
            yield from self._usage()
            if r.questions:
                yield Static("Question by question", classes="section-title")
            for n, q in enumerate(r.questions, 1):
                yield FeedbackView(q, number=n)
        yield Footer()

    def _overall_card(self) -> ComposeResult:
        o = self.report.overall
        with Vertical(id="overall-card", classes="card") as overall:
            overall.border_title = "Overall"
            yield Static(
                Content.from_markup(f"[b {score_variable(o.score)}]$score[/] / 5", score=f"{o.score:.1f}"),
                id="overall-score",
            )
            yield Static(bar_content(o.score, 24, label=False), id="overall-bar")
            kinds = []
            if o.behavioral is not None:
                kinds.append(f"behavioral {o.behavioral:.1f}")
            if o.technical is not None:
                kinds.append(f"technical {o.technical:.1f}")
            yield Static(" · ".join(kinds) or "no questions answered", id="overall-kinds")
            yield Static(
                Content.from_markup(
                    "[$text-muted]$answered · $skipped[/]",
                    answered=f"{o.answered} answered",
                    skipped=f"{o.skipped} skipped",
                )
            )

    def _progress_card(self) -> ComposeResult:
        r = self.report
        with Vertical(id="progress-card", classes="card") as progress:
            progress.border_title = "Progress"
            history = [p.score for p in r.previous] + [r.overall.score]
            if len(history) > 1:
                yield Sparkline(history, id="sparkline")
            yield Static(progress_caption(r), id="progress-caption")

    def _question_bars(self) -> ComposeResult:
        questions = self.report.questions
        with Vertical(id="question-bars"):
            for n, q in enumerate(questions, 1):
                with Horizontal(classes="question-row"):
                    yield Static(Content.from_markup("$n. $topic", n=str(n), topic=q.topic), classes="q-topic")
                    yield Static(Content.from_markup("[$text-muted]$kind[/]", kind=q.kind.value), classes="q-kind")
                    yield Static(bar_content(q.score, 15, missing=unscored_label(q)), classes="q-bar")
            if not questions:
                yield Static("No question was asked.", classes="muted")

    def _takeaways(self) -> ComposeResult:
        r = self.report
        for title, items, mark in (
            ("Strongest points", r.strongest, "[$text-success]+[/]"),
            ("To work on", r.weakest, "[$text-warning]-[/]"),
            ("Next steps", r.next_steps, "[$text-accent]→[/]"),
        ):
            if items:
                yield Static(title, classes="section-title")
                with Vertical(classes="section-body"):
                    for item in items:
                        yield Bullet(Content.from_markup(mark), Content(printable(item)))

    def _usage(self) -> ComposeResult:
        usage = self.report.usage
        if usage.calls:
            yield Static(
                Content.from_markup(
                    "[$text-muted]$calls · $tokens tokens · $cost[/]",
                    calls=plural(usage.calls, "model call"),
                    tokens=f"{usage.prompt_tokens + usage.completion_tokens:,}",
                    cost=f"${usage.cost_usd:.4f}",
                ),
                classes="section-body usage",
            )

    def on_mount(self) -> None:
        self.query_one("#scorecard").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.pushed
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Export Markdown", "Write this report as a .md file (m)", lambda: self.action_export("md"))
        yield SystemCommand("Export JSON", "Write this report as a .json file (j)", lambda: self.action_export("json"))
        yield SystemCommand("New interview", "Back to the start screen (n)", self.action_new)
        yield SystemCommand("Retry a question", "Answer a question of this interview again (r)", self.action_retry)
        yield SystemCommand("History", "Past interviews (h)", self.action_history)

    def action_export(self, fmt: str) -> None:
        default = self.iapp.export_dir / f"interview-{self.report.interview_id}.{fmt}"
        what = "Markdown" if fmt == "md" else "JSON"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.write_export(path, fmt)

        self.app.push_screen(ExportDialog(what, default), chosen)

    def write_export(self, path: Path, fmt: str) -> Path | None:
        """Write the report to ``path``; notify where (or why not)."""
        if not path.is_absolute():
            path = self.iapp.export_dir / path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(export_text(self.report, fmt), encoding="utf-8")
        except OSError as exc:
            self.app.notify(str(exc), title="Could not export", severity="error", timeout=8)
            return None
        self.app.notify(str(path), title="Report saved", timeout=6)
        return path

    def action_new(self) -> None:
        self.iapp.show_start()

    def action_retry(self) -> None:
        self.iapp.pick_retry(self.report)

    def action_history(self) -> None:
        stack = self.app.screen_stack
        if self.pushed and len(stack) > 1 and stack[-2].__class__.__name__ == "HistoryScreen":
            self.app.pop_screen()  # opened from the history: go back to it
        else:
            self.iapp.show_history()

    def action_back(self) -> None:
        if self.pushed:
            self.app.pop_screen()
