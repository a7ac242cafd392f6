"""The line under the answer editor: words and time on this answer (with the soft time limit), what the app is
doing (grading...), and the model with the tokens and cost so far."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from interviewer.tui.formatting import clock_text, plural, short_model
from interviewer.tui.widgets.spinner import Spinner


def timing_text(words: int, elapsed: float | None, limit_seconds: float | None) -> Content:
    """``142 words · 2:31 · 2:29 left`` (``0:31 over`` in the error colour past a soft limit)."""
    markup = "$words"
    values = {"words": plural(words, "word")}
    if elapsed is not None:
        markup += " · $elapsed"
        values["elapsed"] = clock_text(elapsed)
        if limit_seconds is not None:
            left = limit_seconds - elapsed
            if left >= 0:
                colour = "$text-warning" if left <= 60 else "$text-muted"
                markup += f" · [{colour}]$left left[/]"
                values["left"] = clock_text(left)
            else:
                markup += " · [b $text-error]$over over time[/]"
                values["over"] = clock_text(-left)
    return Content.from_markup(markup, **values)


def usage_text(model: str, *, offline_engine: bool, tokens: int, cost_usd: float) -> Content:
    """``gpt-4o-mini · 1,234 tok · $0.0021`` or ``offline engine``."""
    if offline_engine:
        if model == "offline":
            return Content.from_markup("[$text-muted]offline engine · no model calls[/]")
        return Content.from_markup("$model [$text-muted]· offline engine[/]", model=short_model(model))
    return Content.from_markup(
        "$model [$text-muted]· $tokens tok · $cost[/]",
        model=short_model(model),
        tokens=f"{tokens:,}",
        cost=f"${cost_usd:.4f}",
    )


class StatusLine(Horizontal):
    """Three parts: timing on the left, the spinner in the middle, usage on the right."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; }
    StatusLine > #timing { width: auto; text-wrap: nowrap; }
    StatusLine > Spinner { width: 1fr; padding: 0 2; text-wrap: nowrap; text-overflow: ellipsis; }
    StatusLine > #usage { width: auto; max-width: 50%; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def compose(self) -> ComposeResult:
        yield Static(timing_text(0, None, None), id="timing")
        yield Spinner(id="spinner")
        yield Static("", id="usage")

    def set_timing(self, content: Content) -> None:
        self.query_one("#timing", Static).update(content)

    def set_usage(self, content: Content) -> None:
        self.query_one("#usage", Static).update(content)

    def set_busy(self, message: str | None) -> None:
        self.query_one(Spinner).message = message
