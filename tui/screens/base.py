"""What every screen of the app shares: typed access to the app and its backend, and palette commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar, cast

from textual.app import SystemCommand
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from interviewer.textsafe import printable

if TYPE_CHECKING:
    from interviewer.tui.app import InterviewerApp
    from interviewer.tui.backend import Backend


class AppScreen(Screen[None]):
    """A full screen of the app."""

    @property
    def iapp(self) -> InterviewerApp:
        return cast("InterviewerApp", self.app)

    @property
    def backend(self) -> Backend:
        return self.iapp.backend

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's entries in the command palette (ctrl+p)."""
        return ()


ResultT = TypeVar("ResultT")


class AppModal(ModalScreen[ResultT]):
    """A dialog of the app."""

    @property
    def iapp(self) -> InterviewerApp:
        return cast("InterviewerApp", self.app)

    def palette_commands(self) -> Iterable[SystemCommand]:
        return ()


class ErrorModal(AppModal[ResultT]):
    """A dialog about an error: its title, its message and what to do about it."""

    def __init__(self, title: str, message: str, hint: str | None) -> None:
        super().__init__(classes="dialog-screen")
        self.error_title = title
        self.message = message
        self.hint = hint


def message_body(message: str, hint: str | None, *, hint_label: str = "Hint") -> list[Static]:
    """The message and the hint of an error dialog (made safe to show), as its first lines."""
    parts = [Static(Content(printable(message)), classes="dialog-message")]
    if hint:
        parts.append(
            Static(
                Content.from_markup(f"[b]{hint_label}:[/] $hint", hint=printable(hint)),
                classes="dialog-hint",
            )
        )
    return parts
