"""One error hierarchy for everything a user can see go wrong.

Every error has a short ``title`` and a ``hint`` saying what to do about it; the CLI and the TUI show those two,
never a traceback.
"""

from __future__ import annotations


class InterviewerError(Exception):
    """Base class of every error the user may see."""

    title = "Something went wrong"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def user_message(self) -> str:
        """The title, the message and, if any, the hint, for a terminal."""
        text = f"{self.title}: {self.message}"
        if self.hint:
            text += f"\nHint: {self.hint}"
        return text


class BankError(InterviewerError):
    """A question bank file is missing, unreadable or invalid."""

    title = "Invalid question bank"

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        question: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.question = question
        self.field = field

    def one_line(self) -> str:
        """``file: question 'id': field: message``, the parts that are known."""
        parts = [p for p in (self.path, f"question '{self.question}'" if self.question else None, self.field) if p]
        return ": ".join([*parts, self.message])


class PromptError(InterviewerError):
    """A prompt template is missing, invalid, or was rendered without a variable it needs."""

    title = "Prompt template error"


class ConfigError(InterviewerError):
    """The settings file or an option has a value that cannot be used."""

    title = "Configuration error"


class StorageError(InterviewerError):
    """The database cannot be opened or written (raised by ``interviewer.storage``; defined here so that the
    surfaces can catch it without importing storage)."""

    title = "Database error"
