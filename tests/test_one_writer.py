"""One writer per interview, with real processes: a second `interviewer resume` of an interview that another
process is answering is refused with a message naming it; after that process is killed, the interview resumes at
once with no manual step. On SQLite, and on PostgreSQL when INTERVIEWER_TEST_PG_URL is set."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interviewer.storage.repo import Repository

if TYPE_CHECKING:
    from conftest import Cli

PG_URL = os.environ.get("INTERVIEWER_TEST_PG_URL")
DATABASES = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="INTERVIEWER_TEST_PG_URL is not set")],
    ),
]


def _wait_for_interview(url: str, proc: subprocess.Popen[str], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        repo = Repository.open(url)
        try:
            newest = repo.latest(unfinished=True)
            if newest is not None:
                record = repo.get(newest)
                if record is not None and any(t.role == "interviewer" for t in record.turns):
                    return newest
        finally:
            repo.close()
        time.sleep(0.2)
    raise AssertionError("the first process never asked its question")


@pytest.mark.slow
@pytest.mark.parametrize("database", DATABASES)
def test_a_second_writer_is_refused_and_a_killed_one_lets_go(cli: Cli, tmp_path: Path, database: str) -> None:
    if database == "postgres":
        assert PG_URL
        url = PG_URL
        repo = Repository.open(url)
        with repo.engine.begin() as conn:
            from sqlalchemy import text

            conn.execute(text("DELETE FROM usage; DELETE FROM grades; DELETE FROM turns; DELETE FROM interviews"))
        repo.close()
    else:
        url = f"sqlite:///{tmp_path / 'one.db'}"
    first = subprocess.Popen(
        cli.argv("run", "--plain", "--db", url, "--question", "l1_vs_l2", "--max-probes", "0"),
        env=cli.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cli.cwd,
    )
    try:
        interview = _wait_for_interview(url, first)
        second = cli.run("resume", interview, "--plain", "--db", url, "--answers", "-", stdin="Lasso zeroes weights.")
        assert second.returncode == 1, second.stdout
        assert f"being answered in another process ({first.pid}@" in second.stderr
        assert "Traceback" not in second.stderr
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        third = cli.run(
            "resume", interview, "--plain", "--db", url, "--answers", "-", stdin="Lasso zeroes weights; ridge shrinks."
        )
        assert third.returncode == 0, third.stderr  # taken over at once: that process has ended
        record = Repository.open(url).get(interview)
        assert record is not None and record.completed_at is not None
        assert [t.text for t in record.turns if t.role == "candidate"] == ["Lasso zeroes weights; ridge shrinks."]
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=30)
