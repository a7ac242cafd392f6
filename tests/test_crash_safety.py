"""Crash safety and concurrency, as a user would meet them: real processes, killed with SIGKILL at random points,
and many interviews writing one SQLite file at once. Bounded in count and time; loopback only."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli

ANSWERS = [
    "L1 adds the sum of absolute values of the weights and drives many of them to exactly zero, a sparse model.",
    "The penalty is added to the loss and scaled by lambda, to keep the model from overfitting.",
    "Bias is error from a too simple model, which underfits; variance is sensitivity to the training sample.",
    "More data and regularization reduce variance; a richer model reduces bias.",
    "I would look at learning curves of train and validation error.",
    "Random forests bag trees in parallel; boosting fits trees sequentially to the previous errors.",
    "Random forest for a quick robust baseline, GBM when accuracy matters and there is time to tune.",
    "Tune the learning rate and use early stopping to avoid overfitting the GBM.",
]
QUESTIONS = ["--question", "l1_vs_l2", "--question", "bias_variance", "--question", "rf_vs_gbm"]
TRIALS = int(os.environ.get("INTERVIEWER_CRASH_TRIALS", "30"))


def _db(home: Path) -> Path:
    return home / "data" / "interviewer.db"


def _stored_answers(home: Path) -> list[str]:
    if not _db(home).exists():
        return []
    with sqlite3.connect(_db(home)) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'turns'").fetchone():
            return []  # killed while the schema was being created (a transaction: nothing half-made)
        rows = conn.execute("SELECT text FROM turns WHERE role = 'candidate' ORDER BY interview_id, seq").fetchall()
    return [r[0] for r in rows]


def _integrity(home: Path) -> str:
    with sqlite3.connect(_db(home)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def _concurrent_run(answers_file: Path) -> tuple[str, ...]:
    return (
        "run",
        "--answers",
        str(answers_file),
        "--max-probes",
        "1",
        "--json",
        "--question",
        "l1_vs_l2",
        "--question",
        "bias_variance",
    )


def _write_answers(path: Path, answers: list[str]) -> Path:
    path.write_text("\n".join(json.dumps(a) for a in answers) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_sigkill_at_random_points_loses_no_submitted_answer(tmp_path: Path, cli: Cli) -> None:
    rng = random.Random(20261125)
    answers_file = _write_answers(tmp_path / "answers.jsonl", ANSWERS)
    for trial in range(TRIALS):
        home = tmp_path / f"home{trial}"
        proc = cli.spawn(
            "run", "--answers", str(answers_file), "--max-probes", "1", "--seed", "1", *QUESTIONS, home=home
        )
        time.sleep(rng.uniform(0.2, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        stored = _stored_answers(home)
        # Whatever was submitted is there, in order, intact (never a torn or reordered answer).
        assert stored == ANSWERS[: len(stored)], (trial, stored)
        if not _db(home).exists():
            continue
        assert _integrity(home) == "ok"
        # Resume with the answers not yet given; the interview completes and keeps every earlier answer.
        rest = _write_answers(tmp_path / f"rest{trial}.jsonl", ANSWERS[len(stored) :])
        resumed = cli.run("resume", "--answers", str(rest), "--json", home=home, timeout=120)
        if "no unfinished interview" in resumed.stderr:  # it had already finished before the kill
            continue
        assert resumed.returncode == 0, resumed.stderr
        report = json.loads(resumed.stdout)
        given = [a for q in report["questions"] for a in q["answers"]]
        assert given[: len(stored)] == stored
        assert _integrity(home) == "ok"


@pytest.mark.slow
def test_twenty_interviews_at_once_on_one_sqlite_file(tmp_path: Path, cli: Cli) -> None:
    home = tmp_path / "shared-home"
    answers_file = _write_answers(tmp_path / "answers.jsonl", ANSWERS[:4])
    procs = [cli.spawn(*_concurrent_run(answers_file), home=home, capture=True) for _ in range(20)]
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "database is locked" not in err.lower()
        json.loads(out)
    with sqlite3.connect(_db(home)) as conn:
        interviews = conn.execute("SELECT COUNT(*) FROM interviews WHERE completed_at IS NOT NULL").fetchone()[0]
        per = conn.execute("SELECT COUNT(*) FROM turns WHERE role = 'candidate' GROUP BY interview_id").fetchall()
    assert interviews == 20
    assert all(n[0] >= 2 for n in per) and len(per) == 20
    assert _integrity(home) == "ok"


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("INTERVIEWER_TEST_PG_URL"), reason="INTERVIEWER_TEST_PG_URL is not set")
def test_twenty_interviews_at_once_on_postgresql(tmp_path: Path, cli: Cli) -> None:
    from sqlalchemy import create_engine, text

    url = os.environ["INTERVIEWER_TEST_PG_URL"]
    answers_file = _write_answers(tmp_path / "answers.jsonl", ANSWERS[:4])
    engine = create_engine(url)
    with engine.begin() as conn:  # the schema may not exist yet on a fresh server
        conn.execute(text("CREATE TABLE IF NOT EXISTS _probe (x int)"))
    procs = [
        cli.spawn(*_concurrent_run(answers_file), "--db", url, home=tmp_path / "pg-home", capture=True)
        for _ in range(20)
    ]
    ids = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        ids.append(json.loads(out)["interview_id"])
    with engine.connect() as conn:
        for interview_id in ids:
            count = conn.execute(
                text("SELECT COUNT(*) FROM turns WHERE role = 'candidate' AND interview_id = :i"), {"i": interview_id}
            ).scalar()
            assert count is not None and count >= 2
    engine.dispose()
