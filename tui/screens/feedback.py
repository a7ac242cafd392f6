"""Coach-mode feedback after a question: score, STAR or key points with the quoted evidence, a tip, and what a
strong answer covers. Enter goes on to the next question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Static

from interviewer.tui.screens.base import AppModal
from interviewer.tui.widgets.feedback_view import FeedbackData, FeedbackView


class FeedbackScreen(AppModal[None]):
    """Shows the feedback on one or more finished questions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape,space", "close", "Continue"),
        Binding("up,k", "scroll(-1)", "Scroll", show=False),
        Binding("down,j", "scroll(1)", "Scroll", show=False),
    ]

    def __init__(self, items: Sequence[FeedbackData], *, title: str = "Feedback", hint: str = "Continue") -> None:
        super().__init__(classes="feedback-screen")
        self.items = list(items)
        self.heading = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-box") as box:
            box.border_title = self.heading
            box.border_subtitle = f"enter: {self.hint.lower()}"
            with VerticalScroll(id="feedback-scroll"):
                for item in self.items:
                    yield FeedbackView(item)
                    yield Static("", classes="spacer")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feedback-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#feedback-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)
