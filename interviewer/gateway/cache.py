"""The opt-in response cache (``--cache`` / ``cache = true``; used by evals and replays): one SQLite file in the user
cache folder, keyed by the model, the messages, the parameters and a sample index. Only successful replies are
stored; a broken cache file never breaks a call (it is then simply not used).

Looking a reply up needs only the standard library, so a cache hit never imports litellm.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewer import paths

CACHE_FILE = "responses.sqlite3"
_log = logging.getLogger(__name__)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    text TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
)
"""


@dataclass(frozen=True)
class CachedReply:
    """A stored reply and what it cost when it was made."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float


def cache_key(model: str, fields: Mapping[str, Any]) -> str:
    """The sha256 of the model identity and the request fields, as canonical JSON."""
    payload = json.dumps({"model": model, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ResponseCache:
    """Replies stored in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False

    @classmethod
    def default(cls) -> ResponseCache:
        """The cache file in the user cache folder."""
        return cls(paths.cache_dir() / CACHE_FILE)

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=5.0)
        if not self._ready:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)
            conn.commit()
            self._ready = True
        return conn

    def get(self, key: str) -> CachedReply | None:
        """The stored reply for ``key``, or None (also when the cache cannot be read)."""
        try:
            conn = self._connect()
            try:
                row = conn.execute(
                    "SELECT text, prompt_tokens, completion_tokens, cost_usd FROM responses WHERE key = ?", (key,)
                ).fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            _log.warning("response cache %s not readable: %s", self.path, exc)
            return None
        if row is None:
            return None
        return CachedReply(str(row[0]), int(row[1]), int(row[2]), float(row[3]))

    def put(self, key: str, model: str, reply: CachedReply) -> None:
        """Store a successful reply (a write that fails is logged and ignored)."""
        try:
            conn = self._connect()
            try:
                conn.execute(
                    "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        model,
                        reply.text,
                        reply.prompt_tokens,
                        reply.completion_tokens,
                        reply.cost_usd,
                        time.time(),
                    ),
                )
                conn.commit()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            _log.warning("response cache %s not writable: %s", self.path, exc)

    def __len__(self) -> int:
        try:
            conn = self._connect()
            try:
                return int(conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:
            return 0
