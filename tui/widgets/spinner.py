"""A one-line "working" indicator: a spinner and what is being done (grading, thinking of a follow-up...)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Spinner(Static):
    """Shows ``⠋ Grading your answer…`` while ``message`` is set; nothing when it is None."""

    DEFAULT_CSS = """
    Spinner { width: auto; height: 1; color: $text-accent; }
    """

    message: reactive[str | None] = reactive[str | None](None)
    frame: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._advance, pause=True)

    def _advance(self) -> None:
        self.frame = (self.frame + 1) % len(FRAMES)

    def watch_message(self, message: str | None) -> None:
        if self._timer is not None:
            if message:
                self._timer.resume()
            else:
                self._timer.pause()
        self.frame = 0

    def render(self) -> Content:
        if not self.message:
            return Content("")
        return Content.from_markup("$frame $message", frame=FRAMES[self.frame], message=self.message)
