"""The opt-in response cache (a hit makes no HTTP call, costs nothing and does not import litellm; errors are never
cached) and the --verbose request log (keys and auth headers removed)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import respx

from interviewer import paths
from interviewer.gateway.cache import CACHE_FILE, ResponseCache
from interviewer.gateway.errors import ModelServerError
from interviewer.gateway.factory import make_model
from interviewer.gateway.fake import FakeModel
from interviewer.gateway.llm import LiteLLMModel
from interviewer.gateway.requestlog import LOG_FILE, RequestLog, redact
from interviewer.gateway.retry import RetryPolicy
from interviewer.gateway.usage import UsageLedger
from interviewer.prompting import Message
from interviewer.settings import Settings

if TYPE_CHECKING:
    from gateway.conftest import Payloads

MESSAGES: list[Message] = [{"role": "user", "content": "Ask me something."}]
OPENAI_URL = "https://api.openai.com/v1/chat/completions"


def local_model(port: int, **kw: Any) -> LiteLLMModel:
    return LiteLLMModel("openai/smol", api_base=f"http://127.0.0.1:{port}/v1", **kw)


async def test_cache_hit_is_free_and_makes_no_call(
    mock_http: respx.MockRouter, payloads: Payloads, unused_tcp_port: int
) -> None:
    route = mock_http.post(f"http://127.0.0.1:{unused_tcp_port}/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=payloads.openai("What is bias?", 12, 4))
    )
    ledger = UsageLedger()
    model = local_model(unused_tcp_port, cache=ResponseCache.default(), ledger=ledger)
    first = await model.complete(MESSAGES, purpose="probe")
    again = await model.complete(MESSAGES, purpose="probe")
    assert again.text == first.text == "What is bias?" and route.call_count == 1
    assert not first.record.cached and again.record.cached and again.record.cost_usd == 0
    assert [r.cached for r in ledger.records] == [False, True] and ledger.calls == 1
    assert (paths.cache_dir() / CACHE_FILE).is_file()

    other_sample = await model.complete(MESSAGES, purpose="probe", sample=1)  # another draw: another key
    assert other_sample.text == "What is bias?" and route.call_count == 2
    await model.complete(MESSAGES, purpose="probe", temperature=0.7)  # another parameter: another key
    assert route.call_count == 3

    route.mock(return_value=payloads.openai_sse(["Why ", "so?"]))
    assert [d async for d in model.stream([{"role": "user", "content": "x"}], purpose="probe")] == ["Why ", "so?"]
    assert [d async for d in model.stream([{"role": "user", "content": "x"}], purpose="probe")] == ["Why so?"]
    assert route.call_count == 4


async def test_errors_are_never_cached(mock_http: respx.MockRouter, payloads: Payloads, unused_tcp_port: int) -> None:
    route = mock_http.post(f"http://127.0.0.1:{unused_tcp_port}/v1/chat/completions").mock(
        side_effect=[
            httpx.Response(500, json={"error": {"message": "down"}}),
            httpx.Response(200, json=payloads.openai("up")),
        ]
    )
    model = local_model(unused_tcp_port, cache=ResponseCache.default(), retry=RetryPolicy.no_retry())
    with pytest.raises(ModelServerError):
        await model.complete(MESSAGES, purpose="probe")
    assert (await model.complete(MESSAGES, purpose="probe")).text == "up" and route.call_count == 2
    assert len(ResponseCache.default()) == 1


async def test_cache_hit_does_not_import_litellm(
    mock_http: respx.MockRouter, payloads: Payloads, unused_tcp_port: int, home: Path
) -> None:
    base = f"http://127.0.0.1:{unused_tcp_port}/v1"
    mock_http.post(f"{base}/chat/completions").mock(return_value=httpx.Response(200, json=payloads.openai("cached!")))
    settings = Settings(model="openai/smol", api_base=base, cache=True)
    model = make_model(settings)
    assert model is not None
    await model.complete(MESSAGES, purpose="probe")

    script = textwrap.dedent(
        f"""
        import asyncio, json, sys
        from interviewer.gateway.factory import make_model
        from interviewer.gateway.usage import UsageLedger
        from interviewer.settings import Settings
        ledger = UsageLedger()
        model = make_model(Settings(model="openai/smol", api_base={base!r}, cache=True), ledger)
        done = asyncio.run(model.complete({MESSAGES!r}, purpose="probe"))
        print(json.dumps({{"text": done.text, "cached": done.record.cached, "cost": ledger.cost_usd,
                          "litellm": "litellm" in sys.modules}}))
        """
    )
    # nothing listens on the port: a real call would have failed, so the reply came from the cache
    assert json.loads(_run_script(script, home)) == {"text": "cached!", "cached": True, "cost": 0.0, "litellm": False}


def _run_script(script: str, home: Path) -> str:
    """Run ``script`` in a fresh interpreter with the test's home folder; its stdout."""
    env = {**os.environ, "INTERVIEWER_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


async def test_fake_model_uses_the_cache_too() -> None:
    model = FakeModel(["one"], cache=ResponseCache.default())
    assert (await model.complete(MESSAGES, purpose="eval")).text == "one"
    assert (await model.complete(MESSAGES, purpose="eval")).text == "one"  # the queue is empty: from the cache
    assert len(model.calls) == 1


@pytest.fixture
def _detach_logs() -> Iterator[None]:
    yield
    from interviewer.gateway.llm import detach_logs

    detach_logs()


@pytest.mark.usefixtures("_detach_logs")
async def test_verbose_log_has_no_key(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str, home: Path
) -> None:
    route = mock_http.post(OPENAI_URL).mock(return_value=httpx.Response(200, json=payloads.openai("logged reply")))
    model = make_model(Settings(model="gpt-4o-mini", verbose=True), retry=RetryPolicy.no_retry())
    assert model is not None
    await model.complete(MESSAGES, purpose="probe")
    route.mock(
        return_value=httpx.Response(401, json={"error": {"message": f"Incorrect API key provided: {openai_key}"}})
    )
    with pytest.raises(Exception, match="credentials"):
        await model.complete([{"role": "user", "content": "again"}], purpose="grade")
    logging.getLogger("LiteLLM").warning("POST -H 'Authorization: Bearer %s' api_key=%s", openai_key, openai_key)

    log = paths.log_dir() / LOG_FILE
    text = log.read_text(encoding="utf-8")
    assert openai_key not in text and openai_key[:12] not in text
    events = [json.loads(line) for line in text.splitlines()]
    kinds = [e["event"] for e in events]
    assert "call" in kinds and "error" in kinds and "log" in kinds
    call = next(e for e in events if e["event"] == "call")
    assert call["reply"] == "logged reply" and call["purpose"] == "probe" and call["model"] == "gpt-4o-mini"
    assert call["request"]["messages"] == MESSAGES and call["prompt_tokens"] == 20


def test_redaction() -> None:
    data = {
        "api_key": "abc123456",
        "headers": {"Authorization": "Bearer zzz999888777", "x-api-key": "k-1234567"},
        "prompt_tokens": 3,
        "text": "my key is sk-proj-ABCDEFGH12345678 and secret-value-42",
    }
    out = redact(data, ["secret-value-42"])
    assert out["api_key"] == "[redacted]" and out["headers"]["Authorization"] == "[redacted]"
    assert out["headers"]["x-api-key"] == "[redacted]" and out["prompt_tokens"] == 3
    assert "sk-proj" not in out["text"] and "secret-value-42" not in out["text"]
    log = RequestLog(Path("unused"))
    assert log.path == Path("unused")
