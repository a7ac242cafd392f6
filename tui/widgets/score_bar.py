"""A 1-5 score as a horizontal bar, coloured by how good it is."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from interviewer.tui.formatting import score_variable

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar_cells(score: float | None, width: int) -> tuple[str, str, str, str]:
    """The filled part, the rest, the label (``3.4/5``) and the level (success, warning, error, muted)."""
    if score is None:
        return "", "·" * width, "skipped", "muted"
    cells = max(0.0, min(5.0, score)) / 5 * width
    full = int(cells)
    part = _EIGHTHS[int((cells - full) * 8)] if full < width else ""
    filled = "█" * full + (part if part.strip() else "")
    rest = "░" * (width - len(filled))
    value = f"{score:.1f}/5" if score != int(score) else f"{int(score)}/5"
    level = "success" if score >= 4 else "warning" if score >= 3 else "error"
    return filled, rest, value, level


def bar_content(score: float | None, width: int = 20, *, label: bool = True, missing: str = "skipped") -> Content:
    """``█████████▌░░░░ 3.4/5``: the bar fills ``score / 5`` of ``width`` cells (``missing`` when None: ``skipped``, or
    ``in progress`` for the question being answered)."""
    filled, rest, value, _level = bar_cells(score, width)
    if score is None:
        return Content.from_markup(
            "[$text-muted]$rest $missing[/]" if label else "[$text-muted]$rest[/]", rest=rest, missing=missing
        )
    variable = score_variable(score)
    markup = f"[{variable}]$filled[/][$text-muted]$rest[/]"
    if label:
        markup += f" [b {variable}]$value[/]"
    return Content.from_markup(markup, filled=filled, rest=rest, value=value)


class ScoreBar(Static):
    """A score bar that redraws when ``score`` changes."""

    DEFAULT_CSS = """
    ScoreBar { width: auto; height: 1; }
    """

    score: reactive[float | None] = reactive[float | None](None)

    def __init__(self, score: float | None, *, bar_width: int = 20, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bar_width = bar_width
        self.set_reactive(ScoreBar.score, score)

    def render(self) -> Content:
        return bar_content(self.score, self.bar_width)
