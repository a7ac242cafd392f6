"""The evals runner (concurrency, repeats, failures) and the `evals` command (JSON, reports, thresholds)."""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interviewer.bank import Kind, Question, load_bank
from interviewer.domain.grades import Grade
from interviewer.evals.dataset import load_dataset
from interviewer.evals.runner import run_model, summarize
from interviewer.testing.processes import run_code

if TYPE_CHECKING:
    from conftest import Cli

BANK = load_bank()


class SlowGrader:
    """Sleeps, counts how many gradings run at once, and returns a fixed score."""

    name = "slow"

    def __init__(self, delay: float, score: int = 3, fail_on: str | None = None) -> None:
        self.delay, self.score, self.fail_on = delay, score, fail_on
        self.running = 0
        self.peak = 0

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(self.delay)
            if self.fail_on and self.fail_on in answers[0]:
                raise RuntimeError("model went away")
            return Grade(
                question_id=question.id,
                kind=question.kind,
                score=self.score,
                grader="slow",
                model="m",
                rubric_version="x",
            )
        finally:
            self.running -= 1


def _dataset(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "small.jsonl"
    lines = [
        json.dumps({"id": f"i{k}", "question_id": "l1_vs_l2", "answer": f"answer {k}", "gold": {"score": 3}})
        for k in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_concurrency_is_bounded_and_used(tmp_path: Path) -> None:
    ds = load_dataset(_dataset(tmp_path, 12), BANK)
    grader = SlowGrader(0.05)
    start = time.perf_counter()
    run = await run_model(ds, "slow", BANK, lambda _i: grader, concurrency=4, invariance=False)
    elapsed = time.perf_counter() - start
    assert grader.peak == 4
    assert elapsed < 12 * 0.05  # faster than one at a time
    assert elapsed >= math.ceil(12 / 4) * 0.05 * 0.9
    result = summarize(run)
    assert result["n"] == 12 and result["exact"] == 1.0 and result["qwk"] == 1.0


async def test_repeats_give_consistency_and_failures_are_reported(tmp_path: Path) -> None:
    ds = load_dataset(_dataset(tmp_path, 5), BANK)
    graders = [SlowGrader(0, 3), SlowGrader(0, 3, fail_on="answer 4")]
    run = await run_model(ds, "x", BANK, lambda i: graders[i], repeat=2, invariance=False)
    result = summarize(run)
    assert result["consistency"] == 1.0 and result["n"] == 4
    assert run.failures and run.failures[0][0] == "i4"


def _evals(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return run_code("from interviewer.evals.cli import main; main()", *args, home=home)


@pytest.fixture(scope="module")
def offline_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    home = tmp_path_factory.mktemp("evals") / "home"
    home.mkdir()
    report = home.parent / "report.md"
    proc = _evals("--json", "--report", str(report), home=home)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, object] = json.loads(proc.stdout)  # exactly one JSON object on stdout
    assert report.read_text(encoding="utf-8").startswith("# Grading quality report")
    return data


@pytest.mark.slow  # grades every shipped dataset (tens of seconds); the evals gate of .ci/run grades them too
def test_json_output_has_the_documented_keys(offline_json: dict[str, object]) -> None:
    results = offline_json["results"]
    assert isinstance(results, list)
    # every shipped set by default: the two labeled sets and the minimal pairs
    assert [r["dataset"] for r in results] == ["interview_answers", "holdout_answers", "fresh_answers", "pairs"]
    for result in results:
        for key in (
            "model",
            "dataset",
            "n",
            "qwk",
            "spearman",
            "mae",
            "exact",
            "within_one",
            "star_f1",
            "probe_target_accuracy",
            "injection_lift_max",
            "consistency",
            "seconds",
            "cost_usd",
            "pair_separation",
            "false_misconception_rate",
            "stuffing_lift_max",
        ):
            assert key in result
        assert result["model"] == "offline"
        assert result["consistency"] is None  # one repeat: not computable, and null rather than NaN
    for result in results[:3]:
        assert result["qwk"] >= 0.78  # the engine's quality bar on our own labeled answers
    assert results[3]["pair_n"] >= 80
    result = results[0]
    assert result["injection_lift_max"] <= 0


def test_thresholds_gate(cli: Cli, tmp_path: Path) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text("[small.offline]\nmin = { qwk = 0.99, exact = 1.0 }\n", encoding="utf-8")
    path = tmp_path / "small.jsonl"
    rows = [
        {"id": "a", "question_id": "l1_vs_l2", "answer": "I like pizza.", "gold": {"score": 5}},
        {"id": "b", "question_id": "l1_vs_l2", "answer": "No idea.", "gold": {"score": 1}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    proc = cli.run(
        "--dataset", str(path), "--thresholds", str(strict), "--report", str(tmp_path / "r.html"), evals=True
    )
    assert proc.returncode == 1 and "small / offline: exact" in proc.stdout
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    lenient = tmp_path / "ok.toml"
    lenient.write_text("[small.offline]\nmin = { n = 2 }\nmax = { mae = 4.0 }\n", encoding="utf-8")
    assert cli.run("--dataset", str(path), "--thresholds", str(lenient), evals=True).returncode == 0


def test_bad_dataset_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a"}\n', encoding="utf-8")
    proc = cli.run("--dataset", str(path), evals=True)
    assert proc.returncode == 1 and "line 1" in proc.stderr and "Traceback" not in proc.stderr


def test_inline_behavioral_question_is_graded_by_star() -> None:
    question = Question(
        id="x",
        kind=Kind.BEHAVIORAL,
        text="Tell me about a failure.",
        topic="t",
        competency="c",
        difficulty="easy",
        alternatives=["a", "b"],
        levels={i: str(i) for i in range(1, 6)},
        strong_answer=["s"],
        reference_only=True,
        reference_answer="I failed, learned, improved.",
    )
    assert question.reference_only


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[small.offline]\nmin = 3\n", "min must be a table"),
        ("[small.offline]\nmin = { qwk = true }\n", "must be a number"),
        ("[other.offline]\nmin = { qwk = 0.1 }\n", "no section of the thresholds file applies"),
    ],
    ids=["min not a table", "boolean bound", "no section applies"],
)
def test_thresholds_that_check_nothing_or_cannot_be_read_fail_in_one_line(
    cli: Cli, tmp_path: Path, content: str, message: str
) -> None:
    gate = tmp_path / "gate.toml"
    gate.write_text(content, encoding="utf-8")
    path = tmp_path / "small.jsonl"
    path.write_text(
        json.dumps({"id": "a", "question_id": "l1_vs_l2", "answer": "Lasso zeroes weights.", "gold": {"score": 2}}),
        encoding="utf-8",
    )
    proc = cli.run("--dataset", str(path), "--thresholds", str(gate), evals=True)
    assert proc.returncode == 1, proc.stdout
    assert message in proc.stderr + proc.stdout and "Traceback" not in proc.stderr


def test_a_section_for_a_dataset_not_run_is_fine_when_another_applies(cli: Cli, tmp_path: Path) -> None:
    gate = tmp_path / "gate.toml"
    gate.write_text("[small.offline]\nmin = { n = 1 }\n[saf.offline]\nmin = { qwk = 0.9 }\n", encoding="utf-8")
    path = tmp_path / "small.jsonl"
    path.write_text(
        json.dumps({"id": "a", "question_id": "l1_vs_l2", "answer": "Lasso zeroes weights.", "gold": {"score": 2}}),
        encoding="utf-8",
    )
    assert cli.run("--dataset", str(path), "--thresholds", str(gate), evals=True).returncode == 0
