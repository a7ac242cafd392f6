"""Retries of transient model errors: exponential backoff with jitter, the provider's Retry-After honoured, capped in
attempts and in total time. The policy is a value, so callers and tests can replace it (tests use tiny waits or a
sleep that only records)."""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
)

from interviewer.gateway.errors import ModelError, ModelTimeoutError

R = TypeVar("R")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How transient errors (429, 5xx, timeouts, connection failures) are retried; other errors never are."""

    attempts: int = 4
    """Tries in all, the first one included (1 = no retry)."""
    initial_wait: float = 1.0
    """Seconds before the first retry; doubled for each further one."""
    max_wait: float = 20.0
    """The longest backoff between two tries (a provider's Retry-After may ask for more, up to max_retry_after)."""
    jitter: float = 1.0
    """Up to this many random seconds are added to each backoff, so clients do not retry in lockstep."""
    total_time: float = 120.0
    """No retry starts once this many seconds have passed since the first try."""
    honour_retry_after: bool = True
    max_retry_after: float = 60.0
    """A longer Retry-After is cut to this."""
    retry_timeouts: bool = True
    """Whether a call that timed out is tried again. Not for a local server: it is still computing the first answer,
    and a second request only queues behind it."""
    sleep: Sleep = field(default=asyncio.sleep, compare=False, repr=False)
    """How to wait (tests pass one that records the waits without sleeping)."""

    @classmethod
    def no_retry(cls) -> RetryPolicy:
        """One try only."""
        return cls(attempts=1)

    def wait_for(self, attempt: int, error: BaseException | None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based) that raised ``error``."""
        backoff: float = min(self.max_wait, self.initial_wait * 2 ** (attempt - 1) + random.uniform(0, self.jitter))
        retry_after = getattr(error, "retry_after", None)
        if self.honour_retry_after and isinstance(retry_after, int | float):
            backoff = max(backoff, min(float(retry_after), self.max_retry_after))
        return max(0.0, float(backoff))


def is_transient(error: BaseException, policy: RetryPolicy | None = None) -> bool:
    """Worth another try: rate limits, server errors, timeouts (unless ``policy`` says not) and connection
    failures."""
    if policy is not None and not policy.retry_timeouts and isinstance(error, ModelTimeoutError):
        return False
    return isinstance(error, ModelError) and error.transient


RetryHook = Callable[[int, float, BaseException], None]
"""Told before each retry: the try that failed (1-based), the seconds it will wait, and the error."""


async def call_with_retry(
    policy: RetryPolicy, call: Callable[[], Awaitable[R]], on_retry: RetryHook | None = None
) -> R:
    """``await call()``, retried on transient errors as ``policy`` says (``on_retry`` is told before each wait); the
    last error is raised with its ``attempts`` set."""
    tries = 0

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        return policy.wait_for(state.attempt_number, error)

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        seconds = state.next_action.sleep if state.next_action is not None else 0.0
        if on_retry is not None and error is not None:
            on_retry(state.attempt_number, float(seconds), error)

    retrying = AsyncRetrying(
        stop=stop_after_attempt(max(1, policy.attempts)) | stop_before_delay(policy.total_time),
        wait=wait,
        retry=retry_if_exception(lambda error: is_transient(error, policy)),
        before_sleep=before_sleep,
        sleep=policy.sleep,
        reraise=True,
    )
    try:
        async for attempt in retrying:
            with attempt:
                tries += 1
                return await call()
    except ModelError as exc:
        exc.attempts = tries
        raise
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date), or None."""
    if not headers:
        return None
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
