"""The editor the candidate types an answer in."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from interviewer.domain.answers import MAX_ANSWER_CHARS, cut_notice


class AnswerEditor(TextArea):
    """A text area whose pastes stop at what an answer may hold: a terminal can send megabytes at once, and what is
    past ``MAX_ANSWER_CHARS`` would be cut on submit anyway. A paste that would go past it is cut there, with a note
    that says how long it was. Typed text is not limited here (the session cuts it, with its notice)."""

    async def _on_paste(self, event: events.Paste) -> None:
        kept = len(self.text) - len(self.selected_text)
        if self.read_only or kept + len(event.text) <= MAX_ANSWER_CHARS:
            return  # TextArea's own handler inserts it (or ignores it, read-only)
        event.prevent_default()
        result = self.replace(event.text[: max(MAX_ANSWER_CHARS - kept, 0)], *self.selection)
        self.move_cursor(result.end_location)
        self.notify(cut_notice(kept + len(event.text)), title="Paste cut", severity="warning")
