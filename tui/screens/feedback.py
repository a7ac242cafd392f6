"""Coach-mode feedback after a question: score, STAR or key points with the quoted evidence, a tip, and what a
strong answer covers. Enter goes on to the next question."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Static

from interviewer.tui.screens.base import AppModal
from interviewer.tui.widgets.feedback_view import FeedbackView

if TYPE_CHECKING:
    from interviewer.compare import Retried
    from interviewer.report import QuestionOut

    CompareLoader = Callable[[], Awaitable[Retried | None]]

COMPARING = "Comparing with your last attempt…"
FIRST_ATTEMPT = "This is your first graded attempt at this question: the next retry will show what changed."


class FeedbackScreen(AppModal[None]):
    """Shows the feedback on one or more finished questions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape,space", "close", "Continue"),
        Binding("up,k", "scroll(-1)", "Scroll", show=False),
        Binding("down,j", "scroll(1)", "Scroll", show=False),
    ]

    def __init__(
        self,
        items: Sequence[QuestionOut],
        *,
        title: str = "Feedback",
        hint: str = "Continue",
        compare: CompareLoader | None = None,
    ) -> None:
        """``compare``: for a retry, loads what changed against the last attempt (shown under the feedback)."""
        super().__init__(classes="feedback-screen")
        self.items = list(items)
        self.heading = title
        self.hint = hint
        self.compare = compare

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-box") as box:
            box.border_title = self.heading
            box.border_subtitle = f"enter: {self.hint.lower()}"
            with VerticalScroll(id="feedback-scroll"):
                if self.compare is not None:
                    change = Static(COMPARING, id="retry-change")
                    change.border_title = "Since your last attempt"
                    yield change
                for item in self.items:
                    yield FeedbackView(item)
                    yield Static("", classes="spacer")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feedback-scroll").focus()
        if self.compare is not None:
            self.run_worker(self._show_change(self.compare), group="compare", exit_on_error=False)

    async def _show_change(self, load: CompareLoader) -> None:
        """What changed against the last attempt, read and compared off the event loop."""
        from rich.console import Group

        from interviewer.compare import comparison_renderables

        panel = self.query_one("#retry-change", Static)
        try:
            retried = await load()
        except Exception as exc:
            panel.update(f"Could not compare with your last attempt ({type(exc).__name__}).")
            return
        if retried is None:
            panel.display = False  # nothing graded here (skipped): nothing to compare
        elif retried.comparison is None:
            panel.update(FIRST_ATTEMPT)
        else:
            panel.update(Group(*comparison_renderables(retried.comparison)))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#feedback-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)
