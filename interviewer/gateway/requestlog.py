"""``--verbose`` request logs: one JSON line per model call (request, reply or error, usage, latency) in a file in
the user log folder, with API keys and authorization headers removed. Nothing is printed to the terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from interviewer import paths

LOG_FILE = "model-requests.log"
REDACTED = "[redacted]"
_SECRET_KEYS = re.compile(
    r"^(?:x-)?(?:api[_-]?key|(?:proxy-)?authorization|(?:access[_-]?|auth[_-]?)?token|secret|password|(?:set-)?cookie)$",
    re.IGNORECASE,
)
_SECRET_ENV = re.compile(r"(?:_API_KEY|_TOKEN|_SECRET|_PASSWORD|_KEY)$")
_PATTERNS = (
    re.compile(r"(?i)\b((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{6,}"),
    re.compile(r"(?i)((?:x-)?api[-_]?key['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"),
    re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}"),
    re.compile(r"\bAIza[0-9A-Za-z_-]{20,}"),
)


def secret_values(extra: Iterable[str | None] = ()) -> list[str]:
    """Values to scrub: the given ones and those of every ``*_API_KEY``-like environment variable."""
    values = {v for v in extra if v}
    values |= {v for k, v in os.environ.items() if _SECRET_ENV.search(k.upper()) and v}
    return sorted((v for v in values if len(v) >= 6), key=len, reverse=True)


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the given secret values and anything that looks like a key or auth header replaced."""
    for value in secrets:
        text = text.replace(value, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.re.groups else "") + REDACTED, text)
    return text


def redact(value: Any, secrets: Iterable[str] = ()) -> Any:
    """A copy of ``value`` (JSON-like) with secret-named fields and secret-looking strings removed."""
    secrets = list(secrets)
    if isinstance(value, dict):
        return {
            k: REDACTED if isinstance(k, str) and _SECRET_KEYS.search(k) and v else redact(v, secrets)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v, secrets) for v in value]
    if isinstance(value, str):
        return redact_text(value, secrets)
    return value


class RequestLog:
    """Appends redacted JSON lines to one file."""

    def __init__(self, path: Path, secrets: Iterable[str | None] = ()) -> None:
        self.path = path
        self._extra = [s for s in secrets if s]
        self._lock = threading.Lock()

    @classmethod
    def default(cls, secrets: Iterable[str | None] = ()) -> RequestLog:
        """The log file in the user log folder."""
        return cls(paths.log_dir() / LOG_FILE, secrets)

    def secrets(self) -> list[str]:
        return secret_values(self._extra)

    def write(self, event: str, **fields: Any) -> None:
        """Append one event (never raises: a log that cannot be written must not break an interview)."""
        record = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
        line = json.dumps(redact(record, self.secrets()), ensure_ascii=False, default=str)
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
        except OSError:
            pass

    def handler(self) -> logging.Handler:
        """A logging handler that writes other libraries' records (litellm's) to the same file, redacted."""
        return RequestLogHandler(self)


class RequestLogHandler(logging.Handler):
    """Writes log records to a RequestLog (redacted like everything else there)."""

    def __init__(self, log: RequestLog) -> None:
        super().__init__(level=logging.INFO)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string in someone else's log call
            message = str(record.msg)
        self.log.write("log", logger=record.name, level=record.levelname, message=message[:4000])
