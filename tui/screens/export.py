"""Choose where to write an exported report (prefilled with a file in ``exports/`` of the user's data folder)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from interviewer.tui.screens.base import AppModal


class ExportDialog(AppModal[Path | None]):
    """Returns the chosen path, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, what: str, default: Path) -> None:
        super().__init__(classes="dialog-screen")
        self.what = what
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = f"Export {self.what}"
            yield Static("Write the report to (enter to save, escape to cancel):", classes="dialog-message")
            yield Input(str(self.default), id="path")

    def on_mount(self) -> None:
        field = self.query_one("#path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
