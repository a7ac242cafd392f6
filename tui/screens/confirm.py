"""A yes/no question (end the interview? skip with a draft?)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from interviewer.tui.screens.base import AppModal


class ConfirmDialog(AppModal[bool]):
    """Returns True when confirmed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No / cancel"),
    ]

    def __init__(self, title: str, message: str, confirm: str = "Yes", cancel: str = "Cancel") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.message = message
        self.confirm = confirm
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            yield Static(self.message, classes="dialog-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm} (y)", id="yes", variant="primary")
                yield Button(f"{self.cancel} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
