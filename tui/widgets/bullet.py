"""A list item with a hanging indent: a coloured mark, then text that wraps under itself (not under the mark)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static


class Bullet(Horizontal):
    """``✓ description`` with an optional quote below the description, both wrapped beside the mark."""

    DEFAULT_CSS = """
    Bullet { height: auto; }
    Bullet > .bullet-mark { width: 2; }
    Bullet > .bullet-body { width: 1fr; }
    """

    def __init__(self, mark: Content, body: Content) -> None:
        super().__init__(classes="bullet")
        self.mark = mark
        self.body = body

    def compose(self) -> ComposeResult:
        yield Static(self.mark, classes="bullet-mark")
        yield Static(self.body, classes="bullet-body")
