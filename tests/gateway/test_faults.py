"""Faults: transient errors retried (Retry-After honoured, capped), others not; timeouts; errors a user can act on
(which key, which server, which command); nothing from litellm on the terminal."""

from __future__ import annotations

import asyncio
import email.utils
import importlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import respx

from interviewer.gateway.errors import (
    ModelAuthError,
    ModelConnectionError,
    ModelError,
    ModelNotFoundError,
    ModelRequestError,
    ModelServerError,
    ModelSetupError,
    ModelTimeoutError,
)
from interviewer.gateway.llm import LiteLLMModel
from interviewer.gateway.model import BaseChatModel, Reply, Request, Usage
from interviewer.gateway.retry import RetryPolicy, parse_retry_after
from interviewer.gateway.usage import UsageLedger
from interviewer.prompting import Message

if TYPE_CHECKING:
    from gateway.conftest import Payloads, RecordedSleep

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
MESSAGES: list[Message] = [{"role": "user", "content": "hi"}]


async def test_429_then_200_honours_retry_after(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str, fast_retry: RetryPolicy, sleeps: RecordedSleep
) -> None:
    route = mock_http.post(OPENAI_URL).mock(
        side_effect=[
            httpx.Response(429, json={"error": {"message": "Rate limit reached"}}, headers={"retry-after": "2"}),
            httpx.Response(200, json=payloads.openai("finally")),
        ]
    )
    ledger = UsageLedger()
    model = LiteLLMModel("gpt-4o-mini", retry=fast_retry, ledger=ledger)
    await model.warm_up()  # the import of litellm is not what is timed
    started = time.perf_counter()
    done = await model.complete(MESSAGES, purpose="grade")
    assert done.text == "finally" and route.call_count == 2
    assert sleeps.waits == [2.0]  # the provider's Retry-After, not the tiny backoff
    assert time.perf_counter() - started < 2  # the recorded sleep did not really wait
    assert len(ledger.records) == 1  # one successful call recorded


async def test_retry_after_ms_and_real_tiny_sleep(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str
) -> None:
    route = mock_http.post(OPENAI_URL).mock(
        side_effect=[
            httpx.Response(429, json={"error": {"message": "slow down"}}, headers={"retry-after-ms": "30"}),
            httpx.Response(200, json=payloads.openai("ok")),
        ]
    )
    policy = RetryPolicy(attempts=2, initial_wait=0.001, max_wait=0.01, jitter=0.0)
    model = LiteLLMModel("gpt-4o-mini", retry=policy)
    started = time.perf_counter()
    assert (await model.complete(MESSAGES, purpose="grade")).text == "ok"
    assert time.perf_counter() - started >= 0.03 and route.call_count == 2


async def test_500_three_times_then_a_clear_error(
    mock_http: respx.MockRouter, openai_key: str, fast_retry: RetryPolicy, sleeps: RecordedSleep
) -> None:
    route = mock_http.post(OPENAI_URL).mock(return_value=httpx.Response(500, json={"error": {"message": "boom"}}))
    model = LiteLLMModel("gpt-4o-mini", retry=fast_retry)
    with pytest.raises(ModelServerError) as caught:
        await model.complete(MESSAGES, purpose="grade")
    assert route.call_count == 3 and caught.value.attempts == 3
    assert len(sleeps.waits) == 2 and all(0 < w <= 0.05 for w in sleeps.waits)
    error = caught.value
    assert error.status_code == 500 and "boom" in error.message and error.hint
    assert "Traceback" not in error.user_message() and error.__cause__ is None and error.__suppress_context__


async def test_total_time_caps_the_retries(mock_http: respx.MockRouter, openai_key: str, sleeps: RecordedSleep) -> None:
    route = mock_http.post(OPENAI_URL).mock(
        return_value=httpx.Response(503, json={"error": {"message": "overloaded"}}, headers={"retry-after": "30"})
    )
    policy = RetryPolicy(attempts=10, total_time=1.0, sleep=sleeps)
    with pytest.raises(ModelServerError):
        await LiteLLMModel("gpt-4o-mini", retry=policy).complete(MESSAGES, purpose="grade")
    assert route.call_count == 1  # a 30 s wait would pass the 1 s budget: no retry starts


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, ModelRequestError), (401, ModelAuthError), (404, ModelNotFoundError)],
)
async def test_client_errors_are_not_retried(
    mock_http: respx.MockRouter, openai_key: str, fast_retry: RetryPolicy, status: int, error: type[ModelError]
) -> None:
    route = mock_http.post(OPENAI_URL).mock(return_value=httpx.Response(status, json={"error": {"message": "no"}}))
    with pytest.raises(error):
        await LiteLLMModel("gpt-4o-mini", retry=fast_retry).complete(MESSAGES, purpose="grade")
    assert route.call_count == 1


async def test_401_hint_names_the_env_var_and_hides_the_key(
    mock_http: respx.MockRouter, openai_key: str, fast_retry: RetryPolicy
) -> None:
    mock_http.post(OPENAI_URL).mock(
        return_value=httpx.Response(401, json={"error": {"message": f"Incorrect API key provided: {openai_key}"}})
    )
    with pytest.raises(ModelAuthError) as caught:
        await LiteLLMModel("gpt-4o-mini", retry=fast_retry).complete(MESSAGES, purpose="grade")
    text = caught.value.user_message()
    assert "OPENAI_API_KEY" in (caught.value.hint or "")
    assert openai_key not in text and "Model API key missing or invalid" in text


@pytest.mark.parametrize(
    ("model", "var"),
    [
        ("gpt-4o-mini", "OPENAI_API_KEY"),
        ("anthropic/claude-haiku-4-5", "ANTHROPIC_API_KEY"),
        ("gemini/gemini-2.0-flash", "GEMINI_API_KEY"),
    ],
)
async def test_missing_key_fails_at_once_with_the_var(mock_http: respx.MockRouter, model: str, var: str) -> None:
    with pytest.raises(ModelAuthError) as caught:
        await LiteLLMModel(model).complete(MESSAGES, purpose="grade")
    assert var in (caught.value.hint or "") and not mock_http.calls


async def test_timeout_is_retried_then_reported(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str, fast_retry: RetryPolicy
) -> None:
    route = mock_http.post(OPENAI_URL).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=payloads.openai("ok"))]
    )
    model = LiteLLMModel("gpt-4o-mini", retry=fast_retry, timeout=5)
    assert (await model.complete(MESSAGES, purpose="grade")).text == "ok" and route.call_count == 2

    route.mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(ModelTimeoutError) as caught:
        await model.complete(MESSAGES, purpose="grade")
    assert caught.value.attempts == 3 and "timeout" in (caught.value.hint or "")


class _Hanging(BaseChatModel):
    """A backend that never answers (the per-call timeout must cut it)."""

    async def _send(self, request: Request) -> Reply:
        await asyncio.sleep(30)
        return Reply("never")

    async def _send_stream(self, request: Request):  # type: ignore[no-untyped-def]
        await asyncio.sleep(30)
        yield Usage()


async def test_per_call_timeout_cuts_a_hung_call(fast_retry: RetryPolicy) -> None:
    model = _Hanging("hung", timeout=0.05, retry=fast_retry)
    started = time.perf_counter()
    with pytest.raises(ModelTimeoutError):
        await model.complete(MESSAGES, purpose="grade")
    with pytest.raises(ModelTimeoutError):
        [d async for d in model.stream(MESSAGES, purpose="probe")]
    assert time.perf_counter() - started < 2


async def test_ollama_connection_refused_says_start_ollama(
    monkeypatch: pytest.MonkeyPatch, fast_retry: RetryPolicy, unused_tcp_port: int
) -> None:
    base = f"http://127.0.0.1:{unused_tcp_port}"  # nothing listens there
    monkeypatch.setenv("OLLAMA_API_BASE", base)
    model = LiteLLMModel("ollama_chat/llama3.2", retry=fast_retry)
    with pytest.raises(ModelConnectionError) as caught:
        await model.complete(MESSAGES, purpose="grade")
    assert caught.value.attempts == 1  # refused on loopback: not retried, the user is told to start it
    assert "ollama serve" in (caught.value.hint or "") and base in (caught.value.hint or "")


async def test_local_server_down_names_the_base_url(fast_retry: RetryPolicy, unused_tcp_port: int) -> None:
    base = f"http://127.0.0.1:{unused_tcp_port}/v1"
    with pytest.raises(ModelConnectionError) as caught:
        await LiteLLMModel("openai/smol", api_base=base, retry=fast_retry).complete(MESSAGES, purpose="grade")
    assert base in (caught.value.hint or "")


async def test_ollama_unknown_model_says_how_to_list(
    mock_http: respx.MockRouter, ollama_show: respx.Route, fast_retry: RetryPolicy
) -> None:
    mock_http.post("http://localhost:11434/api/chat").mock(
        return_value=httpx.Response(404, json={"error": "model 'nope' not found, try pulling it first"})
    )
    with pytest.raises(ModelNotFoundError) as caught:
        await LiteLLMModel("ollama_chat/nope", retry=fast_retry).complete(MESSAGES, purpose="grade")
    hint = caught.value.hint or ""
    assert "ollama list" in hint and "ollama pull nope" in hint and "interviewer models" in hint


async def test_unknown_model_string(fast_retry: RetryPolicy) -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        await LiteLLMModel("no-such-provider-model", retry=fast_retry).complete(MESSAGES, purpose="grade")
    assert "interviewer models" in (caught.value.hint or "")


async def test_stream_failure_before_first_delta_is_retried(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str, fast_retry: RetryPolicy
) -> None:
    route = mock_http.post(OPENAI_URL).mock(
        side_effect=[httpx.Response(502, json={"error": {"message": "bad gateway"}}), payloads.openai_sse(["a", "b"])]
    )
    model = LiteLLMModel("gpt-4o-mini", retry=fast_retry)
    assert [d async for d in model.stream(MESSAGES, purpose="probe")] == ["a", "b"]
    assert route.call_count == 2


async def test_litellm_prints_nothing(
    mock_http: respx.MockRouter, openai_key: str, fast_retry: RetryPolicy, capfd: pytest.CaptureFixture[str]
) -> None:
    mock_http.post(OPENAI_URL).mock(return_value=httpx.Response(500, json={"error": {"message": "boom"}}))
    for model in ("gpt-4o-mini", "no-such-provider-model"):
        with pytest.raises(ModelServerError if model == "gpt-4o-mini" else ModelNotFoundError):
            await LiteLLMModel(model, retry=fast_retry).complete(MESSAGES, purpose="grade")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_parse_retry_after() -> None:
    assert parse_retry_after({"Retry-After": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    when = email.utils.formatdate(1_000_010, usegmt=True)
    assert parse_retry_after({"retry-after": when}, now=1_000_000) == pytest.approx(10, abs=1)
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None and parse_retry_after(None) is None


def test_backoff_grows_with_jitter_and_respects_caps() -> None:
    policy = RetryPolicy(initial_wait=1, max_wait=5, jitter=0.5, max_retry_after=10)
    waits = [policy.wait_for(n, None) for n in (1, 2, 3, 4, 5)]
    assert 1 <= waits[0] <= 1.5 and 2 <= waits[1] <= 2.5 and waits[-1] == 5
    error = ModelServerError("x", retry_after=60)
    assert policy.wait_for(1, error) == 10  # Retry-After honoured, up to its cap
    assert RetryPolicy(honour_retry_after=False, max_wait=5, jitter=0).wait_for(1, error) == 1


async def test_server_that_refuses_json_mode_gets_the_prompt_only(
    mock_http: respx.MockRouter, payloads: Payloads, unused_tcp_port: int
) -> None:
    from pydantic import BaseModel

    class Pick(BaseModel):
        choice: str

    base = f"http://127.0.0.1:{unused_tcp_port}/v1"
    route = mock_http.post(f"{base}/chat/completions").mock(
        side_effect=[
            httpx.Response(400, json={"error": {"message": "'response_format.type' must be 'json_schema'"}}),
            httpx.Response(200, json=payloads.openai('{"choice": "a"}')),
            httpx.Response(200, json=payloads.openai('{"choice": "b"}')),
        ]
    )
    model = LiteLLMModel("openai/local", api_base=base)
    assert (await model.structured(MESSAGES, Pick, purpose="grade")).choice == "a"
    assert (await model.structured(MESSAGES, Pick, purpose="grade")).choice == "b"
    sent = [json.loads(call.request.content) for call in route.calls]
    assert "response_format" in sent[0] and "response_format" not in sent[1] and "response_format" not in sent[2]


async def test_broken_litellm_install_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewer.gateway import llm

    def broken(name: str) -> None:
        raise ImportError("cannot import name 'X' from 'openai'")

    monkeypatch.setattr(llm, "_module", None)
    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModelSetupError) as caught:
        await LiteLLMModel("openai/local", api_base="http://127.0.0.1:9/v1").complete(MESSAGES, purpose="grade")
    assert "openai" in caught.value.message and caught.value.hint


async def test_a_local_server_that_is_not_running_fails_fast() -> None:
    """Connection refused on a loopback server is not retried: waiting will not start it."""
    import socket

    from interviewer.gateway.errors import ModelConnectionError
    from interviewer.gateway.llm import LiteLLMModel
    from interviewer.gateway.retry import RetryPolicy

    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    model = LiteLLMModel(
        "openai/nothing", api_base=f"http://127.0.0.1:{port}/v1", retry=RetryPolicy(attempts=4, sleep=record), timeout=5
    )
    with pytest.raises(ModelConnectionError) as info:
        await model.complete([{"role": "user", "content": "hi"}], purpose="test")
    assert not info.value.transient and waits == []


async def test_a_retry_is_told_at_once_and_logged(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str, fast_retry: RetryPolicy, tmp_path: Path
) -> None:
    """During a long run of retries the user is told each one as it happens, and --verbose logs the failed try."""
    from interviewer.gateway.requestlog import RequestLog

    mock_http.post(OPENAI_URL).mock(
        side_effect=[
            httpx.Response(503, json={"error": {"message": "overloaded"}}),
            httpx.Response(200, json=payloads.openai("fine")),
        ]
    )
    told: list[str] = []
    ledger = UsageLedger()
    ledger.listeners.append(told.append)
    log = RequestLog(tmp_path / "requests.jsonl")
    model = LiteLLMModel("gpt-4o-mini", retry=fast_retry, ledger=ledger, request_log=log)
    assert (await model.complete(MESSAGES, purpose="grade")).text == "fine"
    assert len(told) == 1 and "try 1 of" in told[0] and "asking again" in told[0]
    events = [json.loads(line)["event"] for line in (tmp_path / "requests.jsonl").read_text().splitlines()]
    assert "retry" in events
