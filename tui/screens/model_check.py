"""The configured model cannot be used, found before the first question (a missing key, a local server that does
not answer or lacks the model): say what and how to fix it, and offer to continue offline or to quit."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from interviewer.services import Problem
from interviewer.tui.screens.base import AppModal, message_body

CheckChoice = Literal["offline", "quit"]


class ModelCheckDialog(AppModal[CheckChoice]):
    """Returns ``offline`` or ``quit``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "choose('offline')", "Continue offline"),
        Binding("q", "choose('quit')", "Quit"),
        Binding("escape", "choose('quit')", "Quit"),
    ]

    def __init__(self, problem: Problem) -> None:
        super().__init__(classes="dialog-screen")
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog") as box:
            box.border_title = self.problem.title
            message = self.problem.message
            yield from message_body(
                message[:1].upper() + message[1:] + ".", self.problem.hint, hint_label="How to fix it"
            )
            yield Static(
                "Nothing has been asked yet. The offline engine grades with the rubric and needs no model.",
                classes="dialog-note",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Continue offline (o)", id="offline", variant="primary")
                yield Button("Quit (q)", id="quit")

    def on_mount(self) -> None:
        self.query_one("#offline", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss("offline" if choice == "offline" else "quit")
