"""Benchmarks: every figure is measured side by side with its baseline in one run and printed as a ratio, plus the
absolute times. Run with the installed package: ``python benchmarks/run.py`` (``--quick`` for fewer repeats,
``--only NAME`` for one benchmark, ``--json`` for the figures as JSON). Machines here are shared and noisy: read
ratios, not single timings; baselines and subjects are interleaved, and the min or median of several runs is kept.

- ``startup``, ``grader``, ``turn``, ``memory``: the CLI and plain mode, offline.
- ``startup-tui``: process start to the first question on screen, headless (run_test) and in tmux (when installed),
  against a bare Textual app showing one line.
- ``turn-overhead-model``: an interview through a model (a loopback stub answering in 200 ms) against the same
  requests made with bare ``litellm.acompletion``.
- ``eval-throughput``: the evals runner at concurrency 16 through the stub (500 ms) against the ideal and bare
  litellm, then ``evals --cache`` re-run from the cache (no model call, no litellm import, under 2 s).
- ``memory-tui``: peak RSS of a whole offline interview in the TUI, next to plain mode and the floors.
- ``progress``: ``interviewer progress`` over 500 stored interviews, against ``interviewer questions``.
- ``progress-tui``: the TUI's Progress screen over 500 stored interviews (asked for, to its charts and tables on
  screen; headless), against the History screen on the same database and the Progress screen's empty state.

Everything talks to 127.0.0.1 only; ``_tui_probe.py`` holds the TUI child processes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _tui_probe import ANSWERS  # the answers the TUI child process types, typed here too

HERE = Path(__file__).resolve().parent
PY = sys.executable


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
def _peak_rss_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak RSS (MB) of ``cmd``, read by a small parent process that runs nothing else."""
    code = (
        "import resource, subprocess, sys\n"
        f"subprocess.run({cmd!r}, check=True, capture_output=True, timeout=600)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([PY, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


def _plain_interview_cmd(home: str) -> list[str]:
    answers = Path(home) / "a.jsonl"
    answers.write_text("\n".join(json.dumps(a) for a in ANSWERS * 4) + "\n", encoding="utf-8")
    return [PY, "-m", "interviewer.cli", "run", "--answers", str(answers)]


def bench_memory(repeats: int) -> dict[str, Any]:
    """Peak RSS of a whole offline interview in plain mode, against a bare interpreter that imports nothing."""
    with tempfile.TemporaryDirectory() as home:
        env = _env(home)
        bare = _peak_rss_mb([PY, "-c", "pass"], env)
        plain = _peak_rss_mb(_plain_interview_cmd(home), env)
    return {"bare_python_mb": bare, "plain_interview_mb": plain, "ratio": plain / bare}


# ---------------------------------------------------------------------------------------------------- startup-tui
TUI_PROBE = HERE / "_tui_probe.py"
TUI_QUESTION = "l1_vs_l2"
TUI_NEEDLE = "difference between L1 and L2"  # from "What is the difference between L1 and L2 regularization?"
FLOOR_LINE = "bare textual floor line"
TMUX_POLL_S = 0.01
TMUX_DEADLINE_S = 60.0


def _ready_after_launch(cmd: list[str], env: dict[str, str]) -> tuple[float, bool]:
    """Seconds from process launch to the needle on screen (measured by the child against our launch time), and
    whether litellm was imported by then."""
    env = {**env, "BENCH_T0": repr(time.time())}
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, timeout=120).stdout
    line = next(x for x in out.splitlines() if x.startswith("READY "))
    _, seconds, litellm = line.split()
    return float(seconds), litellm == "litellm=True"


def _tmux_until_visible(socket: str, name: str, command: str, needle: str) -> float:
    """Wall time from ``tmux new-session`` to ``needle`` in the pane (polled with capture-pane); the session is
    killed afterwards."""
    tmux = ["tmux", "-L", socket]
    start = time.perf_counter()
    # Started outside the repository: `python -m interviewer.cli` there would import the source tree, not the wheel.
    where = tempfile.gettempdir()
    subprocess.run([*tmux, "new-session", "-d", "-s", name, "-c", where, "-x", "100", "-y", "30", command], check=True)
    try:
        deadline = start + TMUX_DEADLINE_S
        while True:
            pane = subprocess.run(
                [*tmux, "capture-pane", "-p", "-J", "-t", name], capture_output=True, text=True, check=False
            ).stdout
            if needle in pane:
                return time.perf_counter() - start
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{needle!r} not in the tmux pane after {TMUX_DEADLINE_S:g} s:\n{pane}")
            time.sleep(TMUX_POLL_S)
    finally:
        subprocess.run([*tmux, "kill-session", "-t", name], capture_output=True, check=False)


def _stats(prefix: str, times: list[float]) -> dict[str, float]:
    return {f"{prefix}_median_s": statistics.median(times), f"{prefix}_min_s": min(times)}


def bench_startup_tui(repeats: int) -> dict[str, Any]:
    """Process start to the first question on screen in the TUI (offline, fresh INTERVIEWER_HOME), headless
    (run_test) and in a real terminal (tmux), against a bare Textual app that shows one static line (the floor).
    Baseline and subject runs are interleaved."""
    out: dict[str, Any] = {}
    bare_cmd = [PY, str(TUI_PROBE), "headless", "bare", FLOOR_LINE]
    app_cmd = [PY, str(TUI_PROBE), "headless", "interviewer", TUI_QUESTION, TUI_NEEDLE]
    with tempfile.TemporaryDirectory() as tmp:
        _ready_after_launch(bare_cmd, _env(f"{tmp}/warm"))  # first run fills the OS file cache: not counted
        _ready_after_launch(app_cmd, _env(f"{tmp}/warm"))
        bare, app, loaded = [], [], []
        for i in range(repeats):
            bare.append(_ready_after_launch(bare_cmd, _env(f"{tmp}/hb{i}"))[0])
            seconds, litellm = _ready_after_launch(app_cmd, _env(f"{tmp}/ha{i}"))  # a fresh home every run
            app.append(seconds)
            loaded.append(litellm)
        out.update(_stats("headless_bare_textual", bare))
        out.update(_stats("headless_first_question", app))
        out["headless_ratio_median"] = statistics.median(app) / statistics.median(bare)
        out["headless_ratio_min"] = min(app) / min(bare)
        out["litellm_imported_tui_offline"] = any(loaded)

        if shutil.which("tmux") is None:
            out["tmux"] = "skipped: tmux is not installed (apt-get install -y tmux)"
            return out
        socket = f"interviewer-bench-{os.getpid()}"
        tmux = ["tmux", "-L", socket]
        # A private tmux server, held up by an idle session, so server start-up is not in any timing.
        subprocess.run([*tmux, "new-session", "-d", "-s", "hold", "sleep 900"], check=True)
        socket_path = subprocess.run(
            [*tmux, "display-message", "-p", "#{socket_path}"], capture_output=True, text=True, check=False
        ).stdout.strip()
        try:
            bare_tty = " ".join(shlex.quote(a) for a in [PY, str(TUI_PROBE), "tty-bare", FLOOR_LINE])
            bare_t, app_t = [], []
            for i in range(repeats + 1):  # the first pair warms up
                home = f"{tmp}/t{i}"
                app_args = ["env", f"INTERVIEWER_HOME={home}", PY, "-m", "interviewer.cli", "run", "--question"]
                app_tty = " ".join(shlex.quote(a) for a in [*app_args, TUI_QUESTION])
                b = _tmux_until_visible(socket, f"bare{i}", bare_tty, FLOOR_LINE)
                a = _tmux_until_visible(socket, f"app{i}", app_tty, TUI_NEEDLE)
                if i:
                    bare_t.append(b)
                    app_t.append(a)
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True, check=False)
            if socket_path:
                Path(socket_path).unlink(missing_ok=True)
        out.update(_stats("tmux_bare_textual", bare_t))
        out.update(_stats("tmux_first_question", app_t))
        out["tmux_ratio_median"] = statistics.median(app_t) / statistics.median(bare_t)
        out["tmux_ratio_min"] = min(app_t) / min(bare_t)
        out["tmux_poll_interval_s"] = TMUX_POLL_S
    return out


# -------------------------------------------------------------------------------------------- model benchmarks
MODEL = "openai/stub"


def _bench_stub(latency: float) -> Any:
    """The stub server (it records every request body, which the bare-litellm baselines replay)."""
    from interviewer.testing.stub_server import StubServer

    return StubServer(latency=latency)


async def _litellm() -> Any:
    """litellm, imported once (through the gateway, which configures it) before anything is timed, with the same
    settings for the interview and the bare calls.

    Everything that calls litellm in one benchmark runs in ONE event loop: litellm caches its HTTP clients across
    calls, and a pooled connection made in a loop that ``asyncio.run`` has since closed fails in the next loop."""
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    os.environ["DISABLE_AIOHTTP_TRANSPORT"] = "True"
    from interviewer.gateway.llm import load_litellm

    module = await load_litellm()
    module.disable_aiohttp_transport = True
    return module


async def _bare_call(litellm: Any, api_base: str, body: dict[str, Any]) -> None:
    """One bare ``litellm.acompletion`` replaying a recorded request (same messages, format, stream or not)."""
    kwargs: dict[str, Any] = {
        "model": MODEL,
        "messages": body["messages"],
        "api_base": api_base,
        "api_key": "x",
        "max_retries": 0,
        "drop_params": True,
        "timeout": 60,
    }
    for key in ("temperature", "max_tokens", "response_format", "stream_options"):
        if key in body:
            kwargs[key] = body[key]
    if body.get("stream"):
        response = await litellm.acompletion(**kwargs, stream=True)
        async for _chunk in response:
            pass
    else:
        await litellm.acompletion(**kwargs)


# ----------------------------------------------------------------------------------------- turn-overhead-model
def bench_turn_model(repeats: int) -> dict[str, Any]:
    """A scripted interview in-process (InterviewSession, engines from services.make_engines, --model openai/stub
    --api-base <stub>) against a stub answering after 200 ms, and the same requests (replayed from the stub's
    record: same count, same order, same messages, streamed or not) made with bare ``litellm.acompletion``, one
    after the other. Interleaved; the ratio of wall times is the interview's own overhead."""
    from interviewer.engine.session import InterviewSession
    from interviewer.services import make_engines
    from interviewer.settings import Settings
    from interviewer.storage.repo import Repository
    from interviewer.testing.stub_server import StubServer

    latency = 0.2

    async def interview(url: str, db: str) -> tuple[float, int, int]:
        settings = Settings(model=MODEL, api_base=url, max_probes=1, seed=1, questions=3)
        repo = Repository.open(db)  # schema creation is a one-off, outside the timing
        try:
            start = time.perf_counter()
            engines = make_engines(settings)
            session, step = await InterviewSession.start(settings, repo, engines=engines)
            turns = fallbacks = 0
            while step.prompt is not None and turns < 50:
                step = await session.submit(ANSWERS[turns % len(ANSWERS)])
                fallbacks += sum("offline grader stood in" in n for n in step.notices)
                turns += 1
            return time.perf_counter() - start, turns, fallbacks
        finally:
            repo.close()

    async def bare(litellm: Any, url: str, bodies: list[dict[str, Any]]) -> float:
        start = time.perf_counter()
        for body in bodies:
            await _bare_call(litellm, url, body)
        return time.perf_counter() - start

    async def measure(stub: StubServer, tmp: str) -> dict[str, Any]:
        litellm = await _litellm()
        url = stub.base_url
        _, turns, fallbacks = await interview(url, f"sqlite:///{tmp}/warm.db")  # warm-up, and the record
        bodies = list(stub.bodies)
        calls = len(bodies)
        await bare(litellm, url, bodies)  # warm-up
        subject: list[float] = []
        baseline: list[float] = []
        for i in range(repeats):
            before = stub.stats.requests
            elapsed, _, more_fallbacks = await interview(url, f"sqlite:///{tmp}/t{i}.db")
            if stub.stats.requests - before != calls:
                raise RuntimeError(f"the interview made {stub.stats.requests - before} calls, not {calls}")
            fallbacks += more_fallbacks
            subject.append(elapsed)
            baseline.append(await bare(litellm, url, bodies))
        return {
            "stub_latency_s": latency,
            "turns": turns,
            "model_calls": calls,
            "streamed_calls": sum(bool(b.get("stream")) for b in bodies),
            "structured_calls": sum("response_format" in b for b in bodies),
            "grades_fallen_back": fallbacks,
            "stub_non_ok": sum(v for k, v in stub.stats.outcomes.items() if k != "ok"),
            "interview_median_s": statistics.median(subject),
            "bare_litellm_median_s": statistics.median(baseline),
            "ideal_s": calls * latency,
            "ratio_median": statistics.median(subject) / statistics.median(baseline),
            "ratio_min": min(subject) / min(baseline),
            "overhead_per_call_ms": 1000 * (statistics.median(subject) - statistics.median(baseline)) / calls,
            "target_ratio": 1.05,
        }

    with tempfile.TemporaryDirectory() as tmp, _bench_stub(latency) as stub:
        return asyncio.run(measure(stub, tmp))


# --------------------------------------------------------------------------------------------- eval-throughput
def _items_file(path: Path, n: int) -> Path:
    """The first ``n`` items of the project's labeled answers, as a JSONL file of their own."""
    from interviewer.evals.dataset import builtin_dataset_path

    lines = [x for x in builtin_dataset_path().read_text(encoding="utf-8").splitlines() if x.strip()]
    if len(lines) < n:
        raise RuntimeError(f"the built-in dataset has {len(lines)} items, fewer than {n}")
    path.write_text("\n".join(lines[:n]) + "\n", encoding="utf-8")
    return path


def _evals_wrapper(args: list[str]) -> str:
    """``python -c`` code that runs ``evals ARGS`` and then says on stderr whether litellm was imported."""
    return (
        "import sys\n"
        f"sys.argv = ['evals', *{args!r}]\n"
        "from interviewer.evals.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
        "loaded = any(m == 'litellm' or m.startswith('litellm.') for m in sys.modules)\n"
        "print(f'LITELLM_LOADED={loaded}', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )


def _run_evals(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of ``evals ARGS`` in a subprocess (through the wrapper), and what it printed."""
    start = time.perf_counter()
    cmd = [PY, "-c", _evals_wrapper(args)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"evals exited {done.returncode}: {done.stderr[-800:]}")
    return seconds, done


def bench_eval_throughput(repeats: int) -> dict[str, Any]:
    """N items graded by the evals runner (run_model + grader_factory, cache off) through the stub at 500 ms with
    concurrency 16, against the ideal ceil(calls/C)*L and against the same requests made with bare litellm
    (asyncio.gather under a Semaphore(C)); then ``evals --cache`` twice in subprocesses: the second run must make no
    model call, import no litellm, and take under 2 s."""
    from interviewer.bank import load_bank
    from interviewer.evals.dataset import load_dataset
    from interviewer.evals.models import grader_factory
    from interviewer.evals.runner import run_model
    from interviewer.settings import Settings
    from interviewer.testing.stub_server import StubServer

    n = 64 if repeats < 7 else 150  # --quick: 64 items
    concurrency, latency = 16, 0.5
    bank = load_bank()
    out: dict[str, Any] = {"items": n, "concurrency": concurrency, "stub_latency_s": latency}

    async def runner(url: str, items: Any) -> tuple[float, int]:
        factory, ledger = grader_factory(MODEL, bank, Settings(api_base=url), cache=False)
        start = time.perf_counter()
        run = await run_model(items, MODEL, bank, factory, concurrency=concurrency, ledger=ledger)
        elapsed = time.perf_counter() - start
        if run.failures:
            raise RuntimeError(f"{len(run.failures)} items failed: {run.failures[:3]}")
        return elapsed, sum(1 for r in run.graded for g in r.grades if g.fallback)

    async def bare(litellm: Any, url: str, bodies: list[dict[str, Any]]) -> float:
        semaphore = asyncio.Semaphore(concurrency)

        async def one(body: dict[str, Any]) -> None:
            async with semaphore:
                await _bare_call(litellm, url, body)

        start = time.perf_counter()
        await asyncio.gather(*(one(b) for b in bodies))
        return time.perf_counter() - start

    async def measure(stub: StubServer, dataset: Any) -> None:
        litellm = await _litellm()
        url = stub.base_url
        stub.latency = 0.0  # warm-up at no latency: first-call costs out of the timings, and the record
        _, fallbacks = await runner(url, dataset)
        bodies = list(stub.bodies)
        calls = len(bodies)
        await bare(litellm, url, bodies)
        stub.latency = latency
        subject: list[float] = []
        baseline: list[float] = []
        for _ in range(max(1, repeats // 3)):
            before = stub.stats.requests
            elapsed, more = await runner(url, dataset)
            if stub.stats.requests - before != calls:
                raise RuntimeError(f"the runner made {stub.stats.requests - before} calls, not {calls}")
            fallbacks += more
            subject.append(elapsed)
            baseline.append(await bare(litellm, url, bodies))
        ideal = math.ceil(calls / concurrency) * latency
        out.update(
            {
                "model_calls": calls,
                "calls_per_item": calls / n,
                "grades_fallen_back": fallbacks,
                "ideal_s": ideal,
                "runner_min_s": min(subject),
                "bare_litellm_min_s": min(baseline),
                "runner_over_ideal": min(subject) / ideal,
                "bare_over_ideal": min(baseline) / ideal,
                "runner_over_bare": min(subject) / min(baseline),
                "target_over_ideal": 1.25,
            }
        )

    with tempfile.TemporaryDirectory() as tmp, _bench_stub(latency) as stub:
        url = stub.base_url
        items_path = _items_file(Path(tmp) / "items.jsonl", n)
        asyncio.run(measure(stub, load_dataset(items_path, bank)))

        # Re-run from the cache, as a user would: the CLI, twice, in one fresh INTERVIEWER_HOME.
        home = f"{tmp}/cli-home"
        args = ["--dataset", str(items_path), "--model", MODEL, "--api-base", url, "--cache"]
        args += ["--concurrency", str(concurrency), "--json"]
        env = _env(home)
        cold_before = stub.stats.requests
        out["cli_cold_s"], cold = _run_evals(args, env)
        out["cli_cold_model_calls"] = stub.stats.requests - cold_before
        out["cli_cold_litellm_imported"] = "LITELLM_LOADED=True" in cold.stderr  # the check's control: True
        cached_times: list[float] = []
        calls_made = 0
        loaded = False
        summary: dict[str, Any] = {}
        for _ in range(max(1, repeats // 2)):
            before = stub.stats.requests
            seconds, warm = _run_evals(args, env)
            cached_times.append(seconds)
            calls_made += stub.stats.requests - before
            loaded = loaded or "LITELLM_LOADED=True" in warm.stderr
            summary = json.loads(warm.stdout)["results"][0]
        out.update(
            {
                "cli_cached_first_s": cached_times[0],
                "cli_cached_median_s": statistics.median(cached_times),
                "cli_cached_runs": len(cached_times),
                "cli_cached_model_calls": calls_made,
                "cli_cached_cache_hits": summary.get("cache_hits"),
                "cli_cached_litellm_imported": loaded,
                "cli_cached_target_s": 2.0,
                "cli_cached_ok": calls_made == 0 and not loaded and cached_times[0] < 2.0,
            }
        )
    return out


# -------------------------------------------------------------------------------------------------- memory-tui
def bench_memory_tui(repeats: int) -> dict[str, Any]:
    """Peak RSS of a whole offline interview in the TUI (headless run_test; Pilot types each answer, ctrl+s, until
    the scorecard), next to the same interview in plain mode, a bare Textual app under run_test and a bare
    interpreter."""
    with tempfile.TemporaryDirectory() as tmp:
        bare = _peak_rss_mb([PY, "-c", "pass"], _env(f"{tmp}/b"))
        textual_floor = _peak_rss_mb([PY, str(TUI_PROBE), "idle-bare"], _env(f"{tmp}/t"))
        Path(f"{tmp}/p").mkdir()
        plain = _peak_rss_mb(_plain_interview_cmd(f"{tmp}/p"), _env(f"{tmp}/p"))
        tui = _peak_rss_mb([PY, str(TUI_PROBE), "interview"], _env(f"{tmp}/i"))
    return {
        "bare_python_mb": bare,
        "bare_textual_app_mb": textual_floor,
        "plain_interview_mb": plain,
        "tui_interview_mb": tui,
        "tui_over_bare_python": tui / bare,
        "tui_over_bare_textual": tui / textual_floor,
        "tui_over_plain": tui / plain,
    }


# ------------------------------------------------------------------------------------------------------- progress
PROGRESS_INTERVIEWS = 500


def _seed_interviews(db: Path, count: int) -> None:
    """``count`` finished interviews of three graded questions each, written through the repository."""
    from interviewer.bank import load_bank
    from interviewer.grading.rubric_grader import RubricGrader
    from interviewer.storage.repo import Repository
    from interviewer.testing.seed import seed_interview

    bank = load_bank(None)
    grader = RubricGrader(bank)
    pairs = (("l1_vs_l2", ANSWERS[0]), ("bias_variance", ANSWERS[2]), ("rf_vs_gbm", ANSWERS[4]))
    answers = [asyncio.run(grader.grade(bank.get(q), [a])) for q, a in pairs]
    repo = Repository.open(f"sqlite:///{db}")
    try:
        for _ in range(count):
            seed_interview(repo, bank, answers)
    finally:
        repo.close()


def bench_progress(repeats: int) -> dict[str, Any]:
    """`interviewer progress --json` over 500 stored interviews, beside `interviewer questions --json` (the CLI's
    floor) in the same run."""
    with tempfile.TemporaryDirectory() as home:
        db = Path(home) / "interviewer.db"
        _seed_interviews(db, PROGRESS_INTERVIEWS)
        env = _env(home)
        floor = _median_time([PY, "-m", "interviewer.cli", "questions", "--json"], env, repeats)
        progress = _median_time(
            [PY, "-m", "interviewer.cli", "progress", "--json", "--db", f"sqlite:///{db}"], env, repeats
        )
        table = _median_time([PY, "-m", "interviewer.cli", "progress", "--db", f"sqlite:///{db}"], env, repeats)
    return {
        "interviews": PROGRESS_INTERVIEWS,
        "questions_json_s": floor,
        "progress_json_s": progress,
        "progress_tables_s": table,
        "progress_json_over_questions": progress / floor,
    }


def _screen_time(name: str, db: str, env: dict[str, str]) -> float:
    out = subprocess.run(
        [PY, str(TUI_PROBE), "screen", name, db], env=env, capture_output=True, text=True, check=True, timeout=300
    ).stdout
    return float(next(x for x in out.splitlines() if x.startswith("READY ")).split()[1])


def bench_progress_tui(repeats: int) -> dict[str, Any]:
    """The Progress screen with 500 stored interviews: from asking for it on the start screen to its charts and
    tables laid out (headless run_test, a new process each run), beside the History screen on the same database
    (it reads the same interviews and shows a table) and the Progress screen with no interview, interleaved."""
    with tempfile.TemporaryDirectory() as home:
        db = Path(home) / "interviewer.db"
        _seed_interviews(db, PROGRESS_INTERVIEWS)
        full, empty = f"sqlite:///{db}", f"sqlite:///{Path(home) / 'empty.db'}"
        env = _env(home)
        _screen_time("progress", full, env)  # warms the OS file cache: not counted
        progress, history, nothing = [], [], []
        for _ in range(repeats):
            history.append(_screen_time("history", full, env))
            progress.append(_screen_time("progress", full, env))
            nothing.append(_screen_time("progress", empty, env))
    return {
        "interviews": PROGRESS_INTERVIEWS,
        **_stats("history_screen_500", history),
        **_stats("progress_screen_empty", nothing),
        **_stats("progress_screen_500", progress),
        "progress_over_history_median": statistics.median(progress) / statistics.median(history),
        "progress_over_history_min": min(progress) / min(history),
    }


BENCHMARKS: dict[str, Callable[[int], dict[str, Any]]] = {
    "startup": bench_startup,
    "grader": bench_grader,
    "turn": bench_turn,
    "memory": bench_memory,
    "startup-tui": bench_startup_tui,
    "turn-overhead-model": bench_turn_model,
    "eval-throughput": bench_eval_throughput,
    "memory-tui": bench_memory_tui,
    "progress": bench_progress,
    "progress-tui": bench_progress_tui,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (and 64 eval items, not 150)")
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
