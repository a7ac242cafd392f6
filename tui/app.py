"""The Textual app: screens, navigation between them, and ``make_app``, the one factory the CLI and the tests use.

Screens talk to the core through ``Backend`` (services, sessions, repository methods); the app only wires screens
together. Everything slow runs in workers: the first frame is drawn before the database is touched, and the first
question (when ``--question`` decides it) before the bank is loaded or the session service and SQLAlchemy are even
imported. So this module imports Textual, the plan and the interview screen; other screens are imported when shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.screen import Screen

from interviewer import paths
from interviewer.tui.backend import Backend, Launch, ModelDetector, settings_for
from interviewer.tui.screens.base import AppModal, AppScreen
from interviewer.tui.screens.interview import InterviewScreen

if TYPE_CHECKING:
    from interviewer.report import QuestionOut, Report
    from interviewer.services import Engines, Repository
    from interviewer.settings import Settings
    from interviewer.tui.backend import EngineBuilder
    from interviewer.tui.screens.feedback import CompareLoader

Clock = Callable[[], float]


class InterviewerApp(App[None]):
    """The interviewer TUI."""

    CSS_PATH = "app.tcss"
    TITLE = "interviewer"
    SUB_TITLE = "mock interview coach"
    NOTIFICATION_TIMEOUT = 5

    def __init__(
        self,
        backend: Backend,
        *,
        launch: Launch | None,
        clock: Clock = time.monotonic,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.launch = launch
        self.clock = clock
        self.export_dir = export_dir if export_dir is not None else paths.data_dir() / "exports"
        self.errors: list[tuple[str, str, str | None]] = []
        self.fatal_error: tuple[str, str, str | None] | None = None
        """The unrecoverable error shown, if any (then quitting exits with code 1)."""
        """Every error shown to the user (title, message, hint), newest last: the tests read it."""

    @property
    def settings(self) -> Settings:
        return self.backend.settings

    def on_mount(self) -> None:
        theme = self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.notify(f"Unknown theme '{theme}'; using textual-dark.", title="Theme", severity="warning")
        # Pushed once Textual's start-up batch is over: pushed inside it, the first frame was drawn but not shown,
        # and the screen appeared only with a later repaint (some 40 ms).
        if self.launch is None:
            from interviewer.tui.screens.start import StartScreen

            self.call_later(self.push_screen, StartScreen())
        else:
            self.call_later(self.push_screen, InterviewScreen(self.launch))

    def on_unmount(self) -> None:
        self.backend.close()

    # --------------------------------------------------------------------------------------------- navigation
    def _switch_base(self, screen: Screen[None]) -> None:
        """Make ``screen`` the one main screen (dialogs and pushed screens above the old one are closed)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) < 2:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def show_start(self) -> None:
        from interviewer.tui.screens.start import StartScreen

        self._switch_base(StartScreen())

    def run_interview(self, launch: Launch) -> None:
        self._switch_base(InterviewScreen(launch))

    def retry_question(self, question_id: str) -> None:
        """Answer one question again, as ``interviewer retry`` does (one question, coach mode, compared with the
        last attempt once graded)."""
        settings = settings_for(self.settings, questions=1, mode="coach")
        self.run_interview(Launch(settings, (question_id,), retry=True))

    def pick_retry(self, report: Report) -> None:
        """Retry a question of ``report``: straight away when it has one, else chosen from a short list."""
        from interviewer.tui.screens.retry_picker import RetryPicker

        questions = report.questions
        if not questions:
            self.notify("This interview asked no question.", title="Nothing to retry", timeout=4)
        elif len(questions) == 1:
            self.retry_question(questions[0].question_id)
        else:

            def chosen(question_id: str | None) -> None:
                if question_id:
                    self.retry_question(question_id)

            self.push_screen(RetryPicker(questions), chosen)

    def show_history(self) -> None:
        from interviewer.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def show_progress(self) -> None:
        """The Progress screen, on top of the current one (escape comes back to it)."""
        from interviewer.tui.screens.progress import ProgressScreen

        if not isinstance(self.screen, ProgressScreen):
            self.push_screen(ProgressScreen())

    def show_scorecard(
        self,
        report: Report,
        *,
        feedback: Sequence[QuestionOut] = (),
        replace: bool = False,
        compare: CompareLoader | None = None,
    ) -> None:
        """The scorecard (replacing the interview when it just ended; the last feedback on top in coach mode, with
        what changed against the last attempt for a retry: ``compare``)."""
        from interviewer.tui.screens.feedback import FeedbackScreen
        from interviewer.tui.screens.scorecard import ScorecardScreen

        screen = ScorecardScreen(report, pushed=not replace)
        if replace:
            self._switch_base(screen)
        else:
            self.push_screen(screen)
        if feedback:
            self.push_screen(
                FeedbackScreen(
                    feedback, title=f"Feedback · {feedback[-1].topic}", hint="See the scorecard", compare=compare
                )
            )

    def open_report(self, interview_id: str) -> None:
        """Open the scorecard of a stored interview (built in a worker)."""

        waiting = self.screen
        waiting.loading = True  # building a report can take seconds under load: show that work is going on

        async def load() -> None:
            try:
                report = await self.backend.report(interview_id)
            except Exception as exc:
                from interviewer.tui.screens.interview import describe

                self.report_error(*describe(exc))
                return
            finally:
                waiting.loading = False
            self.show_scorecard(report)

        self.run_worker(load(), group="report", exclusive=True, exit_on_error=False)

    # ------------------------------------------------------------------------------------------------ errors
    def fatal(self, title: str, message: str, hint: str | None = None) -> None:
        """An error the app cannot work past (an unusable database): shown once, on its own screen; quitting from
        there exits with code 1."""
        from interviewer.tui.screens.fatal import FatalScreen

        if self.fatal_error is not None:
            return
        self.fatal_error = (title, message, hint)
        self.errors.append((title, message, hint))
        self.push_screen(FatalScreen(title, message, hint))

    def report_error(self, title: str, message: str, hint: str | None = None) -> None:
        """Show an error as a notification: the title, the message and what to do about it."""
        self.errors.append((title, message, hint))
        text = message if not hint else f"{message}\nHint: {hint}"
        self.notify(text, title=title, severity="error", timeout=10, markup=False)

    # ----------------------------------------------------------------------------------------------- palette
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        if isinstance(screen, AppScreen | AppModal):
            yield from screen.palette_commands()
        yield from super().get_system_commands(screen)

    # --------------------------------------------------------------------------------------------- quitting
    async def action_quit(self) -> None:
        """Quit; an interview still going is saved (with its draft) and the way back is printed."""
        message = None
        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.flush_draft()
                interview_id = screen.unfinished_id()
                if interview_id:
                    message = f"Interview {interview_id} is saved. Continue it with: interviewer resume {interview_id}"
        if self.fatal_error is not None:
            title, text, _hint = self.fatal_error
            self.exit(return_code=1, message=f"{title}: {text}")
            return
        self.exit(message=message)


def make_app(
    settings: Settings,
    *,
    question_ids: Sequence[str] = (),
    resume_id: str | None = None,
    resume: bool = False,
    start: bool = False,
    retry: bool = False,
    review_targets: Mapping[str, str] | None = None,
    engines: Engines | EngineBuilder | None = None,
    repo: Repository | None = None,
    clock: Clock | None = None,
    detect_models: ModelDetector | None = None,
    export_dir: Path | None = None,
) -> InterviewerApp:
    """The app. ``start``: open the start screen; otherwise run (or ``resume``) an interview straight away.

    ``engines``, ``repo``, ``clock``, ``detect_models`` and ``export_dir`` let tests inject fakes: fake graders and
    probers (or what builds them for a bank and a failure policy, e.g. with ``services.model_engines``), a repository
    on a temporary database, a frozen clock, a fixed list of local models, a folder to export to. By default the
    engines come from the settings (``services.make_engines``), the repository from ``settings.db``, the clock is
    ``time.monotonic``, local models are detected from Ollama, and exports go to ``exports/`` in the user's data
    folder (not the current folder, which may be a checkout).
    """
    backend = Backend(settings, repo=repo, engines=engines, detect_models=detect_models)
    launch = (
        None
        if start
        else Launch(
            settings,
            tuple(question_ids),
            resume=resume,
            resume_id=resume_id,
            retry=retry,
            review_targets=tuple((review_targets or {}).items()),
        )
    )
    return InterviewerApp(backend, launch=launch, clock=clock or time.monotonic, export_dir=export_dir)
