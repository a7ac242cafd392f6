"""Faults with a real model path: a loopback OpenAI-compatible stub server behind the real gateway (litellm).

- a plain-mode interview killed (SIGKILL) between answer submission and grading, widened by a slow stub model;
- a 10-question interview completing while the stub injects 429/500/503/timeouts/dropped connections/broken JSON
  at 30%: every answer stored, every grade valid or marked as an offline fallback, retries as the policy says;
- secrets: provider keys in the environment never reach the database, logs, reports or cache.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli

from interviewer.bank import load_bank
from interviewer.engine.fallback import FallbackGrader, FallbackProber
from interviewer.engine.llm_prober import LLMProber
from interviewer.engine.session import Engines, InterviewSession, offline_engines
from interviewer.gateway.factory import make_model
from interviewer.gateway.retry import RetryPolicy
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.judge import LLMJudge
from interviewer.settings import Settings
from interviewer.storage.repo import Repository
from interviewer.testing.stub_server import Faults, StubServer

ANSWER = "L1 adds the absolute values of the weights to the loss and drives many of them to exactly zero."


def _phase_and_answers(db: Path) -> tuple[str | None, list[str]]:
    if not db.exists():
        return None, []
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            row = conn.execute("SELECT status FROM interviews ORDER BY created_at DESC LIMIT 1").fetchone()
            answers = [r[0] for r in conn.execute("SELECT text FROM turns WHERE role = 'candidate' ORDER BY seq")]
    except sqlite3.OperationalError:  # the schema is not there yet
        return None, []
    return (row[0] if row else None), answers


@pytest.mark.slow
def test_kill_between_submission_and_grading_then_resume(tmp_path: Path, cli: Cli) -> None:
    home = tmp_path / "home"
    answers = tmp_path / "answers.jsonl"
    answers.write_text(json.dumps(ANSWER) + "\n", encoding="utf-8")
    db = home / "data" / "interviewer.db"
    with StubServer(latency=4.0) as server:  # a slow model: grading takes seconds
        proc = cli.spawn(
            "run",
            "--answers",
            str(answers),
            "--model",
            "openai/stub",
            "--api-base",
            server.base_url,
            "--question",
            "l1_vs_l2",
            "--question",
            "rf_vs_gbm",
            home=home,
        )
        deadline = time.monotonic() + 60
        phase: str | None = None
        stored: list[str] = []
        while time.monotonic() < deadline:
            phase, stored = _phase_and_answers(db)
            if phase == "grading" and stored:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert (phase, stored) == ("grading", [ANSWER])  # killed after the answer was stored, before its grade
    rest = tmp_path / "rest.txt"
    rest.write_text("/end\n", encoding="utf-8")
    resumed = cli.run("resume", "--answers", str(rest), "--json", home=home, timeout=120)  # offline now
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["questions"][0]["answers"][0] == ANSWER
    assert report["questions"][0]["score"] is not None  # graded on resume
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
async def test_interview_completes_under_thirty_percent_faults(tmp_path: Path) -> None:
    bank = load_bank()
    waits: list[float] = []

    async def record_wait(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(
        attempts=3,
        initial_wait=0.01,
        max_wait=0.05,
        jitter=0.0,
        total_time=30.0,
        max_retry_after=0.05,
        sleep=record_wait,
    )
    faults = Faults(rate=0.3, retry_after=0.02, timeout_seconds=1.5)
    with StubServer(faults=faults, seed=7) as server:
        settings = Settings(model="openai/stub", api_base=server.base_url, timeout=1.0, max_probes=1, seed=3)
        ledger = UsageLedger()
        told: list[str] = []
        ledger.listeners.append(told.append)
        model = make_model(settings, ledger, retry=policy)
        assert model is not None
        offline = offline_engines(bank)
        engines = Engines(
            grader=FallbackGrader(LLMJudge(model, bank), offline.grader, ledger),
            prober=FallbackProber(LLMProber(model, bank), offline.prober, ledger),
            ledger=ledger,
        )
        repo = Repository.open(f"sqlite:///{tmp_path}/faults.db")
        session, step = await InterviewSession.start(settings, repo, engines=engines)
        submitted: list[str] = []
        while step.prompt is not None:
            answer = f"{ANSWER} (answer {len(submitted) + 1})"
            submitted.append(answer)
            step = await asyncio.wait_for(session.submit(answer), timeout=120)
        outcomes = dict(server.stats.outcomes)
    record = repo.get(session.id)
    assert record is not None and record.completed_at is not None
    assert [t.text for t in record.turns if t.role == "candidate"] == submitted  # every answer stored
    assert len(record.grades) == 10
    for grade in record.all_grades:
        assert 1 <= grade.score <= 5
        assert grade.grader in ("judge", "rubric")
        assert grade.fallback == (grade.grader == "rubric")  # valid from the model, or marked as a fallback
    injected = sum(v for k, v in outcomes.items() if k != "ok")
    assert injected > 0 and outcomes.get("ok", 0) > 0
    assert waits and all(w <= 0.05 + 1e-9 for w in waits)  # backoff within the policy's bounds
    assert len(told) == len(waits)  # every retry was told as it happened
    assert repo.integrity_check() == "ok"


@pytest.mark.slow
def test_provider_keys_never_land_on_disk(tmp_path: Path, cli: Cli) -> None:
    home = tmp_path / "home"
    secrets = {
        "OPENAI_API_KEY": "sk-test-SECRET-openai-123456",
        "ANTHROPIC_API_KEY": "sk-ant-SECRET-987654",
        "GEMINI_API_KEY": "gm-SECRET-555",
    }
    answers = tmp_path / "a.jsonl"
    answers.write_text(json.dumps(ANSWER) + "\n" + json.dumps("/end") + "\n", encoding="utf-8")
    env = cli.env(
        home,
        **secrets,
        INTERVIEWER_API_KEY="sk-local-SECRET-4242",
        INTERVIEWER_CACHE="true",
        INTERVIEWER_VERBOSE="true",
    )
    with StubServer() as server:
        for args in (
            ["run", "--answers", str(answers), "--model", "openai/stub", "--api-base", server.base_url, "--verbose"],
            ["report", "--format", "md", "--output", str(home / "report.md")],
            ["report", "--format", "json", "--output", str(home / "report.json")],
        ):
            proc = cli.run(*args, env=env)
            assert proc.returncode == 0, proc.stderr
        data = tmp_path / "d.jsonl"
        data.write_text(
            json.dumps({"id": "a", "question_id": "l1_vs_l2", "answer": ANSWER, "gold": {"score": 3}}) + "\n",
            encoding="utf-8",
        )
        proc = cli.run(
            "--dataset",
            str(data),
            "--model",
            "openai/stub",
            "--api-base",
            server.base_url,
            "--report",
            str(home / "evals.md"),
            env=env,
            evals=True,
        )
        assert proc.returncode == 0, proc.stderr
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in files) and any("log" in str(p) for p in files)
    for path in files:
        content = path.read_bytes()
        for value in [*secrets.values(), "sk-local-SECRET-4242"]:
            assert value.encode() not in content, f"{value} found in {path}"


def test_api_key_flag_reaches_the_server_and_nothing_else(cli: Cli, tmp_path: Path) -> None:
    """``--api-key`` on run, resume, models and evals: sent to the --api-base server, never stored or logged."""
    home = tmp_path / "home"
    key = "sk-flag-SECRET-7331"
    answers = tmp_path / "a.txt"
    answers.write_text(ANSWER + "\n", encoding="utf-8")
    for command in (["run"], ["resume"], ["models"], []):
        help_text = cli.run(*command, "--help", evals=not command).stdout
        assert "--api-key" in help_text, command
    with StubServer() as server:
        proc = cli.run(
            "run", "--answers", str(answers), "--question", "l1_vs_l2", "--max-probes", "0",
            "--model", "openai/stub", "--api-base", server.base_url, "--api-key", key, "--verbose",
            home=home,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert server.stats.authorizations[f"Bearer {key}"] >= 1
    assert key not in proc.stdout + proc.stderr
    for path in home.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
