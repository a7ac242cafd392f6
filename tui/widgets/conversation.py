"""The conversation so far: the interviewer's questions and follow-ups, the candidate's answers, short notes.

The interviewer's text can arrive in pieces (a model streaming a follow-up): ``stream()`` appends to the message
being written, and ``say()`` with the final text settles it.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from interviewer.textsafe import printable


class Message(Static):
    """One utterance: a small label line, then the text."""

    def __init__(self, who: str, label: str, text: str, *, classes: str = "") -> None:
        super().__init__(classes=f"message {who} {classes}".strip())
        self.who = who
        self.label = label
        self.text = text
        self._refresh_content()

    def _refresh_content(self) -> None:
        body = printable(self.text) or "…"
        self.update(Content.from_markup("[b]$label[/]\n$body", label=printable(self.label), body=body))

    def set_text(self, text: str, label: str | None = None) -> None:
        self.text = text
        if label is not None:
            self.label = label
        self._refresh_content()

    def append(self, delta: str) -> None:
        self.text += delta
        self._refresh_content()


class Note(Static):
    """A one-line note between messages (a skip, a score, a resumed interview)."""

    def __init__(self, text: str | Content, *, classes: str = "") -> None:
        super().__init__(printable(text) if isinstance(text, str) else text, classes=f"note {classes}".strip())


class Conversation(VerticalScroll):
    """A scrolling log of messages that keeps the newest in view."""

    can_focus = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.streaming: Message | None = None

    def on_mount(self) -> None:
        self.anchor()  # stay scrolled to the newest message, unless the candidate scrolls up to read

    def _add(self, widget: Static, *, follow: bool = False) -> None:
        self.mount(widget)
        if follow:
            self.anchor()  # a new prompt or answer: back to the end even if scrolled up

    def say(self, label: str, text: str, *, kind: str = "question") -> Message:
        """The interviewer says ``text`` (settles a message that was streaming, if any)."""
        if self.streaming is not None:
            message, self.streaming = self.streaming, None
            message.set_text(text, label)
            message.remove_class("streaming")
            message.add_class(kind)
            self.anchor()
            return message
        message = Message("interviewer", label, text, classes=kind)
        self._add(message, follow=True)
        return message

    def stream(self, delta: str, label: str = "Interviewer") -> None:
        """Append a piece of the interviewer's next message as it arrives."""
        if self.streaming is None:
            self.streaming = Message("interviewer", label, "", classes="streaming")
            self._add(self.streaming, follow=True)
        self.streaming.append(delta)

    def drop_stream(self) -> None:
        """Forget a message that was streaming when its call failed."""
        if self.streaming is not None:
            self.streaming.remove()
            self.streaming = None

    def answer(self, text: str, label: str = "You") -> Message:
        message = Message("candidate", label, text.strip("\n"))
        self._add(message, follow=True)
        return message

    def note(self, text: str | Content, *, classes: str = "") -> Note:
        note = Note(text, classes=classes)
        self._add(note)
        return note
