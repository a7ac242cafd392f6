"""The interview's top bar: where you are (question 3 of 10, follow-up 1 of 2), and what kind of question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from interviewer.engine.plan import Prompt


def progress_text(prompt: Prompt | None) -> Content:
    """``Question 3 of 10 ●●●○○○○○○○ · follow-up 1 of 2``."""
    if prompt is None:
        return Content.from_markup("[b]interviewer[/]")
    dots = "●" * prompt.number + "○" * max(0, prompt.total - prompt.number)
    markup = "[b]Question $number of $total[/] [$text-accent]$dots[/]"
    if prompt.kind == "probe":
        markup += " · [b $text-warning]follow-up $probe of $max[/]"
    elif prompt.kind == "clarification":
        markup += " · [$text-muted]rephrased[/]"
    return Content.from_markup(
        markup,
        number=str(prompt.number),
        total=str(prompt.total),
        dots=dots if prompt.total <= 12 else "",
        probe=str(prompt.probe_index),
        max=str(prompt.max_probes),
    )


def meta_text(prompt: Prompt | None, mode: str) -> Content:
    """``technical · Regularization · coach``."""
    if prompt is None:
        return Content.from_markup("[$text-muted]$mode mode[/]", mode=mode)
    return Content.from_markup(
        "$kind · [b]$topic[/] [$text-muted]· $mode[/]", kind=prompt.question_kind, topic=prompt.topic, mode=mode
    )


class ProgressHeader(Horizontal):
    """A one-line bar above the conversation."""

    DEFAULT_CSS = """
    ProgressHeader { height: 1; background: $panel; padding: 0 1; }
    ProgressHeader > #progress { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    ProgressHeader > #meta { width: auto; max-width: 50%; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, mode: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = mode

    def compose(self) -> ComposeResult:
        yield Static(progress_text(None), id="progress")
        yield Static(meta_text(None, self.mode), id="meta")

    def show(self, prompt: Prompt | None, mode: str | None = None) -> None:
        if mode is not None:
            self.mode = mode
        self.query_one("#progress", Static).update(progress_text(prompt))
        self.query_one("#meta", Static).update(meta_text(prompt, self.mode))
