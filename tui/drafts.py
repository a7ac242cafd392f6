"""Draft answers, saved as the candidate types so that quitting or a crash loses nothing.

One small text file per interview under ``<data dir>/drafts/<interview id>.txt``. A draft always belongs to the
prompt the interview is waiting on: it is cleared once an answer is submitted (the session stores it) or skipped.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from interviewer import paths

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class Drafts:
    """Reads and writes draft answers."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else paths.data_dir() / "drafts"

    def path(self, interview_id: str) -> Path:
        if not _SAFE_ID.match(interview_id):
            raise ValueError(f"not an interview id: {interview_id!r}")
        return self.folder / f"{interview_id}.txt"

    def load(self, interview_id: str) -> str:
        """The saved draft, or an empty string."""
        try:
            return self.path(interview_id).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def save(self, interview_id: str, text: str) -> None:
        """Save ``text`` atomically (an empty draft removes the file)."""
        target = self.path(interview_id)
        if not text.strip():
            self.clear(interview_id)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)

    def clear(self, interview_id: str) -> None:
        with contextlib.suppress(OSError):
            self.path(interview_id).unlink(missing_ok=True)
