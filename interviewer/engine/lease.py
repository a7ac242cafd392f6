"""One writer per interview: a lease in the database, held while an interview is open and renewed in the background.

A second process that tries to answer the same interview is refused with a message naming the first (``pid@host``).
A process that dies lets go by itself: its lease lapses within ``LEASE_SECONDS``, and on the same machine a process
known to have ended is taken over at once, so ``interviewer resume`` after a crash needs no manual step.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading

from interviewer.errors import InterviewerError
from interviewer.storage.repo import LEASE_SECONDS, Repository


class InterviewBusy(InterviewerError):
    """Another process is answering this interview."""

    title = "Interview in use"


def this_process() -> str:
    """This process as a lease owner: ``pid@host``."""
    return f"{os.getpid()}@{socket.gethostname()}"


def _ended(owner: str) -> bool:
    """Whether ``owner`` is a process of this machine that no longer runs (elsewhere nothing can be known)."""
    pid_text, _, host = owner.partition("@")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Lease:
    """The lease of one interview for this process: ``acquire`` (or InterviewBusy), renewed until ``release``."""

    def __init__(self, repo: Repository, interview_id: str, seconds: float = LEASE_SECONDS) -> None:
        self.repo = repo
        self.interview_id = interview_id
        self.seconds = seconds
        self.owner = this_process()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> None:
        holder = self.repo.claim(self.interview_id, self.owner, self.seconds)
        if holder is not None and not (_ended(holder) and self.repo.take_over(self.interview_id, self.owner, holder)):
            raise InterviewBusy(
                f"interview {self.interview_id} is being answered in another process ({holder})",
                hint=f"finish or quit it there; if that process has ended, try again within {self.seconds:.0f} s",
            )
        self._thread = threading.Thread(target=self._renew, name=f"lease-{self.interview_id}", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                self.repo.claim(self.interview_id, self.owner, self.seconds)
            except InterviewerError:
                continue  # a busy database: the next renewal comes well before the lease lapses

    def release(self) -> None:
        """Stop renewing and give the lease back (safe to call twice)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        with contextlib.suppress(InterviewerError):  # it lapses by itself
            self.repo.release(self.interview_id, self.owner)
