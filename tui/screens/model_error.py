"""A model call failed: say what and what to do, and offer to retry or to continue with the offline engine.

The answer is already stored; nothing is lost whichever is chosen (or if the dialog is closed and the choice
made later from the interview screen).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from interviewer.tui.screens.base import ErrorModal, message_body

Choice = Literal["retry", "offline"]


class ModelErrorDialog(ErrorModal[Choice | None]):
    """Returns ``retry``, ``offline``, or None (decide later)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('retry')", "Retry"),
        Binding("o", "choose('offline')", "Continue offline"),
        Binding("escape", "choose('')", "Later"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog") as box:
            box.border_title = self.error_title
            yield from message_body(self.message, self.hint)
            yield Static(
                Content.from_markup("[$text-success]Your answer is saved.[/] Retry the model, or go on offline."),
                classes="dialog-note",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Retry (r)", id="retry", variant="primary")
                yield Button("Continue offline (o)", id="offline")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(str(event.button.id))

    def action_choose(self, choice: str) -> None:
        if choice == "retry":
            self.dismiss("retry")
        elif choice == "offline":
            self.dismiss("offline")
        else:
            self.dismiss(None)
