"""Which question to answer again: a short list of an interview's questions (retry from the scorecard or history)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from interviewer.report import QuestionOut, score_label
from interviewer.textsafe import printable
from interviewer.tui.screens.base import AppModal


def question_label(n: int, question: QuestionOut) -> str:
    return f"{n}. {printable(question.topic)} ({question.kind.value}) · {score_label(question, unscored='skipped')}"


class RetryPicker(AppModal[str]):
    """Returns the id of the question to retry (None when cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, questions: Sequence[QuestionOut]) -> None:
        super().__init__(classes="dialog-screen")
        self.questions = list(questions)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Retry a question"
            yield Static("Answer one of these questions again (enter), escape to cancel.", classes="dialog-message")
            yield OptionList(
                *(Option(question_label(n, q), id=q.question_id) for n, q in enumerate(self.questions, 1)),
                id="retry-options",
            )

    def on_mount(self) -> None:
        self.query_one("#retry-options", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
