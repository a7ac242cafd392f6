"""The start screen: begin a new interview (model, number of questions, focus, coach or exam mode, a soft time
limit), resume the unfinished one, or open the history or the progress over time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Select, Sparkline, Static

from interviewer.errors import InterviewerError, StorageError
from interviewer.settings import OFFLINE_MODEL, Settings
from interviewer.tui.backend import Launch, Unfinished, settings_for
from interviewer.tui.formatting import local_time, plural
from interviewer.tui.screens.base import AppScreen

if TYPE_CHECKING:
    from interviewer.engine.review import ReviewPlan

ALL = 0
REVIEW_QUESTIONS = 3
"""How many questions with due items the Review button asks (``interviewer review``'s default)."""
QUESTION_CHOICES = (1, 3, 5, 8)
TIME_CHOICES = (2.0, 3.0, 5.0, 10.0)
NO_LIMIT = -1.0


def model_options(settings: Settings, detected: Iterable[str]) -> list[tuple[str, str]]:
    """(label, value) pairs: the offline engine, the configured model, then local Ollama models."""
    options = [("offline (built-in)", OFFLINE_MODEL)]
    if not settings.is_offline:
        options.append((f"{settings.model} (configured)", settings.model))
    for model in detected:
        if model != settings.model:
            options.append((f"{model.removeprefix('ollama_chat/')} (Ollama)", model))
    return options


def question_options(settings: Settings) -> list[tuple[str, int]]:
    values = sorted({*QUESTION_CHOICES, *([settings.questions] if settings.questions else [])})
    return [(plural(n, "question"), n) for n in values] + [("all of the bank", ALL)]


def time_options(settings: Settings) -> list[tuple[str, float]]:
    values = sorted({*TIME_CHOICES, *([settings.time_limit] if settings.time_limit else [])})
    return [("none", NO_LIMIT)] + [(f"{v:g} min per answer", v) for v in values]


class StartScreen(AppScreen):
    """Where the app opens with no arguments."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start interview", priority=True),
        Binding("r", "resume", "Resume"),
        Binding("v", "review", "Review"),
        Binding("h", "history", "History"),
        Binding("p", "progress", "Progress"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="start-screen")
        self.unfinished: Unfinished | None = None
        self.detected: list[str] = []
        self.review: ReviewPlan | None = None
        """The review due now (shown only when it has due items)."""

    def compose(self) -> ComposeResult:
        settings = self.backend.settings
        yield Static(
            Content.from_markup(
                "[b $text-accent]interviewer[/]  [$text-muted]mock interviews for Machine Learning Engineers[/]"
            ),
            id="brand",
        )
        with Horizontal(id="start-columns"):
            with Vertical(id="new-box", classes="card") as new_box:
                new_box.border_title = "New interview"
                with Grid(id="form"):
                    yield Static("Model", classes="form-label")
                    yield Select(
                        [(label, value) for label, value in model_options(settings, [])],
                        value=settings.model,
                        allow_blank=False,
                        compact=True,
                        id="model",
                    )
                    yield Static("Questions", classes="form-label")
                    choices = question_options(settings)
                    default = settings.questions if settings.questions else ALL  # the same default as `run`
                    yield Select(choices, value=default, allow_blank=False, compact=True, id="questions")
                    yield Static("Focus", classes="form-label")
                    yield Select(
                        [("mixed", "mixed"), ("behavioral only", "behavioral"), ("technical only", "technical")],
                        value=settings.focus or "mixed",
                        allow_blank=False,
                        compact=True,
                        id="focus",
                    )
                    yield Static("Mode", classes="form-label")
                    yield Select(
                        [("coach: feedback as you go", "coach"), ("exam: feedback at the end", "exam")],
                        value=settings.mode,
                        allow_blank=False,
                        compact=True,
                        id="mode",
                    )
                    yield Static("Time limit", classes="form-label")
                    yield Select(
                        time_options(settings),
                        value=settings.time_limit or NO_LIMIT,
                        allow_blank=False,
                        compact=True,
                        id="time-limit",
                    )
                yield Static(Content.from_markup("[$text-muted]Looking for local Ollama models…[/]"), id="model-note")
                yield Button("Start interview", id="start", variant="primary")
                yield Static(
                    Content.from_markup(
                        "[$text-muted]In the interview:[/] [b]ctrl+s[/] submit · [b]ctrl+l[/] clarify · "
                        "[b]ctrl+n[/] skip · [b]ctrl+g[/] end · [b]ctrl+p[/] all commands"
                    ),
                    id="keys-help",
                )
            with Vertical(id="side"):
                with Vertical(id="resume-box", classes="card") as resume_box:
                    resume_box.border_title = "Continue"
                    yield Static(Content.from_markup("[$text-muted]Checking…[/]"), id="resume-info")
                    resume = Button("Resume", id="resume", disabled=True)
                    resume.display = False
                    yield resume
                    review = Static("", id="review-info")
                    review.display = False  # shown only when review items are due
                    yield review
                with Vertical(id="progress-box", classes="card") as progress_box:
                    progress_box.border_title = "Your progress"
                    yield Static("", id="progress-info")
                    yield Sparkline([], id="start-sparkline")
                    with Horizontal(id="progress-buttons"):
                        yield Button("History", id="history-button")
                        yield Button("Progress", id="progress-button")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()
        self.query_one("#start-sparkline").display = False
        self.load_models()
        self.load_history()
        self.call_after_refresh(self.load_review)  # after the first frame
        # Parse the question bank while the candidate chooses, so the first question appears at once.
        self.run_worker(self._prewarm(), group="start-prewarm", exit_on_error=False)

    async def _prewarm(self) -> None:
        try:
            await self.backend.prewarm()
        except InterviewerError:
            return  # the history worker says what is wrong, once

    # --------------------------------------------------------------------------------------------- workers
    @work(exclusive=True, group="start-models")
    async def load_models(self) -> None:
        detected = await self.backend.detect_models()
        self.detected = detected
        select: Select[str] = self.query_one("#model", Select)
        current = select.value
        options = model_options(self.backend.settings, detected)
        select.set_options(options)
        if any(value == current for _, value in options):
            select.value = current
        note = self.query_one("#model-note", Static)
        if detected:
            note.update(
                Content.from_markup("[$text-success]✓[/] [$text-muted]$found[/]", found=self._found_text(detected))
            )
        else:
            note.update(
                Content.from_markup("[$text-muted]Offline needs no key or network. No local Ollama server found.[/]")
            )

    @staticmethod
    def _found_text(detected: list[str]) -> str:
        return f"{plural(len(detected), 'local Ollama model')} found"

    @work(exclusive=True, group="start-history")
    async def load_history(self) -> None:
        try:
            unfinished = await self.backend.unfinished()
            past = await self.backend.past_scores()
            count = len(await self.backend.history())
        except StorageError as exc:  # nothing works without the database: say it once, on its own screen
            self.iapp.fatal(exc.title, exc.message, exc.hint)
            return
        except InterviewerError as exc:
            self.iapp.report_error(exc.title, exc.message, exc.hint)
            return
        self.unfinished = unfinished
        info = self.query_one("#resume-info", Static)
        button = self.query_one("#resume", Button)
        if unfinished is None:
            info.update(Content.from_markup("[$text-muted]No unfinished interview.[/]"))
            button.disabled = True
            button.display = False
        else:
            info.update(
                Content.from_markup(
                    "Question [b]$number of $total[/] [$text-muted]· $mode[/]\n[$text-muted]$date · $model[/]",
                    number=str(unfinished.number),
                    total=str(unfinished.total),
                    date=local_time(unfinished.created_at),
                    model=unfinished.model,
                    mode=unfinished.mode,
                )
            )
            button.disabled = False
            button.display = True
        progress = self.query_one("#progress-info", Static)
        if not count:
            progress.update(Content.from_markup("[$text-muted]No interviews yet: your scores will show here.[/]"))
        elif not past:
            progress.update(plural(count, "interview"))
        else:
            best = max(past)
            progress.update(
                Content.from_markup(
                    "$count · last [b]$last[/] · best $best",
                    count=plural(count, "interview"),
                    last=f"{past[-1]:.1f}",
                    best=f"{best:.1f}",
                )
            )
        sparkline = self.query_one("#start-sparkline", Sparkline)
        sparkline.data = past
        sparkline.display = len(past) > 1
        self.refresh_bindings()

    @work(exclusive=True, group="start-review")
    async def load_review(self) -> None:
        """The review items due now: the Review card shows only when there are some."""
        try:
            plan = await self.backend.review_plan(REVIEW_QUESTIONS)
        except InterviewerError:
            return  # the history worker says what is wrong with the database, once
        self.review = plan if plan.due else None
        info = self.query_one("#review-info", Static)
        if plan.due:
            info.update(
                Content.from_markup(
                    "[@click=screen.review][b $text-warning]$due due[/] [$text-muted](v)[/][/]",
                    due=plural(len(plan.due), "review item"),
                )
            )
            info.tooltip = "Go over what you missed before, most overdue first (interviewer review)"
        info.display = bool(plan.due)
        self.refresh_bindings()

    # --------------------------------------------------------------------------------------------- actions
    def chosen_settings(self) -> Settings:
        """The settings for a new interview from the form."""
        base = self.backend.settings
        model = str(self.query_one("#model", Select).value)
        questions = self.query_one("#questions", Select).value
        focus = self.query_one("#focus", Select).value
        mode = self.query_one("#mode", Select).value
        limit = self.query_one("#time-limit", Select).value
        changes: dict[str, object] = {
            "model": model,
            "questions": None if questions == ALL else questions,
            "focus": None if focus == "mixed" else focus,
            "mode": mode,
            "time_limit": None if limit == NO_LIMIT else limit,
        }
        if model in self.detected and model != base.model:
            from interviewer.services import ollama_base

            changes["api_base"] = ollama_base()
        return settings_for(base, **changes)

    def action_start(self) -> None:
        try:
            settings = self.chosen_settings()
        except InterviewerError as exc:
            self.iapp.report_error(exc.title, exc.message, exc.hint)
            return
        self.iapp.run_interview(Launch(settings))

    def action_resume(self) -> None:
        if self.unfinished is not None:
            self.iapp.run_interview(Launch(self.backend.settings, resume=True, resume_id=self.unfinished.id))

    def action_review(self) -> None:
        """A short interview of the questions with due review items (``interviewer review``): coach mode, the first
        follow-up aimed at each question's most overdue item; the model chosen in the form."""
        plan = self.review
        if plan is None or not plan.question_ids:
            return
        try:
            settings = settings_for(self.chosen_settings(), questions=len(plan.question_ids), mode="coach", focus=None)
        except InterviewerError as exc:
            self.iapp.report_error(exc.title, exc.message, exc.hint)
            return
        self.iapp.run_interview(Launch(settings, tuple(plan.question_ids), review_targets=tuple(plan.targets.items())))

    def action_history(self) -> None:
        self.iapp.show_history()

    def action_progress(self) -> None:
        self.iapp.show_progress()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.unfinished is not None
        if action == "review":
            return self.review is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "resume":
            self.action_resume()
        elif event.button.id == "history-button":
            self.action_history()
        elif event.button.id == "progress-button":
            self.action_progress()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Start interview", "Begin a new interview with the chosen options (ctrl+s)", self.action_start
        )
        if self.unfinished is not None:
            yield SystemCommand("Resume interview", "Continue the unfinished interview (r)", self.action_resume)
        if self.review is not None:
            yield SystemCommand(
                "Review", "Go over the review items due now, like `interviewer review` (v)", self.action_review
            )
        yield SystemCommand("History", "Past interviews and their scorecards (h)", self.action_history)
        yield SystemCommand(
            "Progress", "Your scores over time: charts, trends, STAR rates, recurring gaps (p)", self.action_progress
        )
