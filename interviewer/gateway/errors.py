"""Model errors a user can act on: every one has a title and a hint (which key to set, which server to start), and
none carries a provider traceback.

``transient`` marks the errors worth retrying (rate limits, server errors, timeouts, connection failures); the
retry policy looks only at that flag, so it never needs to know about litellm.
"""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.errors import InterviewerError


class ModelError(InterviewerError):
    """A model call failed (after any retries)."""

    title = "The model call failed"
    transient = False

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        model: str | None = None,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.model = model
        self.status_code = status_code
        self.retry_after = retry_after
        """Seconds the provider asked us to wait (its Retry-After header), if it said."""
        self.attempts = 1
        """How many times the call was tried before this error was raised."""


class ModelSetupError(ModelError):
    """The model library itself could not be loaded (a broken or incomplete install)."""

    title = "The model gateway could not start"


class ModelAuthError(ModelError):
    """The provider's API key is missing or was refused (401/403)."""

    title = "Model API key missing or invalid"


class ModelNotFoundError(ModelError):
    """The model name is unknown to litellm or to the provider (404)."""

    title = "Unknown model"


class ModelRequestError(ModelError):
    """The provider refused the request itself (400: too long, unsupported parameter...). Not retried."""

    title = "The model refused the request"


class ModelConnectionError(ModelError):
    """The model server could not be reached."""

    title = "Cannot reach the model server"
    transient = True


class ModelTimeoutError(ModelError):
    """The model did not answer in time."""

    title = "The model took too long"
    transient = True


class ModelRateLimitError(ModelError):
    """The provider rate-limited the call (429)."""

    title = "Rate limited by the model provider"
    transient = True


class ModelServerError(ModelError):
    """The provider failed (5xx)."""

    title = "The model provider had an error"
    transient = True


class StructuredOutputError(ModelError):
    """The model never produced an object that validates against the schema, even after being re-asked."""

    title = "The model's reply could not be used"

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        last_output: str,
        errors: Sequence[str] = (),
        hint: str | None = None,
        model: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint, model=model)
        self.attempts = attempts
        self.last_output = last_output
        """The model's last raw reply (for logs and debugging)."""
        self.errors = list(errors)
        """Why each attempt was rejected."""
