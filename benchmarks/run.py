"""Benchmarks: every figure is measured side by side with its baseline in one run and printed as a ratio, plus the
absolute times. Run with the installed package: ``python benchmarks/run.py`` (``--quick`` for fewer repeats,
``--only NAME`` for one benchmark). Machines here are shared and noisy: read ratios, not single timings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PY = sys.executable
ANSWERS = [
    "L1 adds the sum of absolute values of the weights to the loss, which drives many weights exactly to zero.",
    "Lambda scales the penalty; it is tuned by cross-validation.",
    "Bias is error from a model too simple for the data; variance is sensitivity to the particular sample.",
    "Learning curves: if both errors are high it is bias, a large gap means variance.",
    "Random forests bag deep trees in parallel; gradient boosting adds shallow trees sequentially.",
    "Use a random forest as a robust baseline with little tuning; GBM for the best accuracy on tabular data.",
]


def _env(home: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "INTERVIEWER_HOME": home, "PYTHONIOENCODING": "utf-8"}
    env.update(extra)
    return env


def _median_time(cmd: list[str], env: dict[str, str], repeats: int, stdin: bytes | None = None) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, input=stdin, capture_output=True, check=True, timeout=300)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _row(name: str, value: float, unit: str = "s") -> str:
    return f"  {name:<58} {value:>10.3f} {unit}"


# ------------------------------------------------------------------------------------------------------- startup
def bench_startup(repeats: int) -> dict[str, Any]:
    """CLI start-up against a bare `python -c pass`, and proof that offline runs never import litellm."""
    with tempfile.TemporaryDirectory() as home:
        env = _env(home)
        floor = _median_time([PY, "-c", "pass"], env, repeats)
        questions = _median_time([PY, "-m", "interviewer.cli", "questions", "--json"], env, repeats)
        answers = Path(home) / "a.jsonl"
        answers.write_text("\n".join(json.dumps(a) for a in ANSWERS[:1]) + "\n", encoding="utf-8")
        plain = _median_time(
            [
                PY,
                "-m",
                "interviewer.cli",
                "run",
                "--answers",
                str(answers),
                "--max-probes",
                "0",
                "--question",
                "l1_vs_l2",
            ],
            env,
            repeats,
        )
        probe = (
            "import runpy, sys\n"
            f"sys.argv = ['interviewer', 'run', '--answers', {str(answers)!r}, '--question', 'l1_vs_l2']\n"
            "try:\n    runpy.run_module('interviewer.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('LITELLM_LOADED=' + str(any(m == 'litellm' or m.startswith('litellm.') for m in sys.modules)))\n"
        )
        out = subprocess.run([PY, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout
        litellm_cost = _median_time(
            [PY, "-c", "import os; os.environ['LITELLM_LOCAL_MODEL_COST_MAP']='True'; import litellm"],
            env,
            max(1, repeats // 2),
        )
    return {
        "python_floor_s": floor,
        "questions_s": questions,
        "questions_over_floor": questions / floor,
        "plain_one_question_s": plain,
        "plain_over_floor": plain / floor,
        "import_litellm_s": litellm_cost,
        "litellm_imported_offline": "LITELLM_LOADED=True" in out,
    }


# --------------------------------------------------------------------------------------------------------- grader
def bench_grader(repeats: int) -> dict[str, Any]:
    """Offline grading speed on one core: the project's labeled answers, graded in a loop."""
    from interviewer.bank import load_bank
    from interviewer.evals.dataset import builtin_dataset_path, load_dataset
    from interviewer.grading.rubric_grader import RubricGrader

    bank = load_bank()
    items = load_dataset(builtin_dataset_path(), bank).items
    grader = RubricGrader(bank)
    grader.grade_sync(items[0].question, [items[0].answer])  # warm caches
    durations = []
    for _ in range(max(1, repeats // 2)):
        for item in items:
            start = time.perf_counter()
            grader.grade_sync(item.question, [item.answer])
            durations.append(time.perf_counter() - start)
    durations.sort()
    return {
        "answers": len(durations),
        "answers_per_second": len(durations) / sum(durations),
        "median_ms": 1000 * statistics.median(durations),
        "p95_ms": 1000 * durations[int(0.95 * (len(durations) - 1))],
        "max_ms": 1000 * durations[-1],
        "target_ms": 50.0,
    }


# ----------------------------------------------------------------------------------------------------------- turn
def bench_turn(repeats: int) -> dict[str, Any]:
    """One turn's overhead (state machine + storage, no model): session turns vs the grading alone."""
    from interviewer.bank import load_bank
    from interviewer.engine.session import InterviewSession
    from interviewer.grading.rubric_grader import RubricGrader
    from interviewer.settings import Settings
    from interviewer.storage.repo import Repository

    bank = load_bank()
    grader = RubricGrader(bank)

    async def run_session(db: str) -> tuple[float, int]:
        repo = Repository.open(db)  # creating the schema is a one-off, not a turn: outside the timing
        turns = 0
        start = time.perf_counter()
        session, step = await InterviewSession.start(Settings(max_probes=1, seed=1), repo)
        while step.prompt is not None:
            step = await session.submit(ANSWERS[turns % len(ANSWERS)])
            turns += 1
        elapsed = time.perf_counter() - start
        repo.close()
        return elapsed, turns

    totals = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(max(2, repeats)):
            totals.append(asyncio.run(run_session(f"sqlite:///{tmp}/t{i}.db")))
    elapsed = min(t for t, _ in totals)  # the least disturbed run: machines here are shared
    turns = totals[0][1]
    # The same gradings alone, side by side.
    questions = [q for q in bank.questions]
    start = time.perf_counter()
    for k in range(turns):
        grader.grade_sync(questions[k % len(questions)], [ANSWERS[k % len(ANSWERS)]])
    grading = time.perf_counter() - start
    overhead = (elapsed - grading) / turns
    return {
        "turns": turns,
        "interview_s": elapsed,
        "grading_only_s": grading,
        "overhead_per_turn_ms": 1000 * overhead,
        "target_ms": 5.0,
    }


# --------------------------------------------------------------------------------------------------------- memory
def bench_memory(repeats: int) -> dict[str, Any]:
    """Peak RSS of a whole offline interview in plain mode, against a bare interpreter that imports nothing."""

    def peak(cmd: list[str], env: dict[str, str]) -> float:
        code = (
            "import resource, subprocess, sys\n"
            f"subprocess.run({cmd!r}, check=True, capture_output=True)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        )
        out = subprocess.run([PY, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        return int(out.strip()) / 1024

    with tempfile.TemporaryDirectory() as home:
        env = _env(home)
        answers = Path(home) / "a.jsonl"
        answers.write_text("\n".join(json.dumps(a) for a in ANSWERS * 4) + "\n", encoding="utf-8")
        bare = peak([PY, "-c", "pass"], env)
        plain = peak([PY, "-m", "interviewer.cli", "run", "--answers", str(answers)], env)
    return {"bare_python_mb": bare, "plain_interview_mb": plain, "ratio": plain / bare}


BENCHMARKS: dict[str, Callable[[int], dict[str, Any]]] = {
    "startup": bench_startup,
    "grader": bench_grader,
    "turn": bench_turn,
    "memory": bench_memory,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    results: dict[str, dict[str, Any]] = {}
    for name in args.only or list(BENCHMARKS):
        try:
            results[name] = BENCHMARKS[name](repeats)
        except Exception as exc:
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    if args.json:
        print(json.dumps(results, indent=2, default=str))
        return
    for name, figures in results.items():
        print(f"\n{name}")
        for key, value in figures.items():
            if isinstance(value, float) and not math.isnan(value):
                print(_row(key, value, ""))
            else:
                print(f"  {key:<58} {value!s:>10}")


if __name__ == "__main__":
    main()
