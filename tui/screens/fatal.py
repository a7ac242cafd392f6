"""Something the app cannot work without is broken (the database cannot be opened): say it once, say what to do,
and quit with a non-zero exit code."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from interviewer.tui.screens.base import ErrorModal, message_body


class FatalScreen(ErrorModal[None]):
    """The one place an unrecoverable error is shown; its only way out is to quit (exit code 1)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_app", "Quit"),
        Binding("escape", "quit_app", "Quit"),
        Binding("enter", "quit_app", "Quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog") as box:
            box.border_title = self.error_title
            yield from message_body(self.message, self.hint, hint_label="What to do")
            yield Static("Nothing was asked or stored. Fix this, then start interviewer again.", classes="dialog-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Quit (q)", id="quit", variant="error")

    def on_mount(self) -> None:
        self.query_one("#quit", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_quit_app()

    def action_quit_app(self) -> None:
        self.app.exit(return_code=1, message=f"{self.error_title}: {self.message}")
