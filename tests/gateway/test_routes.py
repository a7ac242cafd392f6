"""The gateway against each provider route, on the exact endpoints litellm calls (respx; no network):
completions, streams (SSE / NDJSON), structured output, usage and cost accounting."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import respx
from pydantic import BaseModel

from interviewer.gateway.llm import LiteLLMModel
from interviewer.gateway.providers import NO_KEY
from interviewer.gateway.usage import UsageLedger
from interviewer.prompting import Message

if TYPE_CHECKING:
    from gateway.conftest import Payloads

pytestmark = pytest.mark.usefixtures("_no_provider_keys")

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
ANTHROPIC_URL = "https://api.anthropic.com/v1/messages"
OLLAMA_CHAT = "http://localhost:11434/api/chat"
MESSAGES: list[Message] = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Say hi."}]


class Verdict(BaseModel):
    reasoning: str
    score: int


def body(route: respx.Route) -> dict[str, Any]:
    sent: dict[str, Any] = json.loads(route.calls.last.request.content)
    return sent


async def collect(model: LiteLLMModel, purpose: str = "probe") -> list[str]:
    return [d async for d in model.stream(MESSAGES, purpose=purpose)]


async def test_openai_complete_records_tokens_cost_and_latency(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str
) -> None:
    route = mock_http.post(OPENAI_URL).mock(return_value=httpx.Response(200, json=payloads.openai("hi", 20, 5)))
    ledger = UsageLedger()
    model = LiteLLMModel("gpt-4o-mini", ledger=ledger)
    done = await model.complete(MESSAGES, purpose="grade", max_tokens=50)
    assert done.text == "hi"
    record = done.record
    assert (record.model, record.purpose, record.prompt_tokens, record.completion_tokens) == (
        "gpt-4o-mini",
        "grade",
        20,
        5,
    )
    assert record.cost_usd > 0 and record.latency_ms > 0 and not record.cached
    assert ledger.records == [record]
    sent = body(route)
    assert sent["model"] == "gpt-4o-mini" and sent["max_tokens"] == 50 and sent["temperature"] == 0
    assert sent["messages"] == MESSAGES
    assert route.calls.last.request.headers["authorization"] == f"Bearer {openai_key}"


async def test_openai_stream_sse(mock_http: respx.MockRouter, payloads: Payloads, openai_key: str) -> None:
    route = mock_http.post(OPENAI_URL).mock(return_value=payloads.openai_sse(["Hel", "lo", " there"]))
    ledger = UsageLedger()
    model = LiteLLMModel("gpt-4o-mini", ledger=ledger)
    assert await collect(model) == ["Hel", "lo", " there"]
    assert body(route)["stream"] is True
    assert [r.purpose for r in ledger.records] == ["probe"]
    assert ledger.records[0].completion_tokens == 3


async def test_openai_structured_uses_json_schema_mode(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str
) -> None:
    route = mock_http.post(OPENAI_URL).mock(
        return_value=httpx.Response(200, json=payloads.openai('{"reasoning": "fine", "score": 4}'))
    )
    model = LiteLLMModel("gpt-4o-mini")
    verdict = await model.structured(MESSAGES, Verdict, purpose="grade")
    assert verdict == Verdict(reasoning="fine", score=4)
    fmt = body(route)["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "Verdict"
    assert list(fmt["json_schema"]["schema"]["properties"]) == ["reasoning", "score"]
    assert "JSON Schema" in body(route)["messages"][-1]["content"]


async def test_anthropic_complete_and_stream(
    mock_http: respx.MockRouter, payloads: Payloads, anthropic_key: str
) -> None:
    route = mock_http.post(ANTHROPIC_URL).mock(
        return_value=httpx.Response(200, json=payloads.anthropic("hi from claude"))
    )
    ledger = UsageLedger()
    model = LiteLLMModel("anthropic/claude-haiku-4-5", ledger=ledger)
    done = await model.complete(MESSAGES, purpose="grade")
    assert done.text == "hi from claude"
    assert (done.record.prompt_tokens, done.record.completion_tokens) == (30, 7) and done.record.cost_usd > 0
    sent = body(route)
    assert sent["model"] == "claude-haiku-4-5"
    assert sent["system"][0]["text"] == "You are terse."  # the system message goes where Anthropic wants it
    assert route.calls.last.request.headers["x-api-key"] == anthropic_key

    route.mock(return_value=payloads.anthropic_sse(["Hi", " there", "!"]))
    assert await collect(model) == ["Hi", " there", "!"]
    assert body(route)["stream"] is True


async def test_ollama_chat_complete_stream_and_structured(
    mock_http: respx.MockRouter, payloads: Payloads, ollama_show: respx.Route
) -> None:
    route = mock_http.post(OLLAMA_CHAT).mock(return_value=httpx.Response(200, json=payloads.ollama("hi from llama")))
    ledger = UsageLedger()
    model = LiteLLMModel("ollama_chat/llama3.2", ledger=ledger)
    done = await model.complete(MESSAGES, purpose="grade")
    assert done.text == "hi from llama"
    assert (done.record.prompt_tokens, done.record.completion_tokens) == (9, 3) and done.record.cost_usd == 0
    assert body(route)["model"] == "llama3.2" and "authorization" not in route.calls.last.request.headers

    route.mock(return_value=payloads.ollama_stream(["Hi ", "there"]))
    assert await collect(model) == ["Hi ", "there"]

    route.mock(return_value=httpx.Response(200, json=payloads.ollama('{"reasoning": "ok", "score": 3}')))
    assert await model.structured(MESSAGES, Verdict, purpose="grade") == Verdict(reasoning="ok", score=3)
    assert body(route)["format"]["properties"]["score"] == {"type": "integer"}  # the schema, as Ollama's `format`


async def test_openai_compatible_local_server(
    mock_http: respx.MockRouter, payloads: Payloads, unused_tcp_port: int
) -> None:
    base = f"http://127.0.0.1:{unused_tcp_port}/v1"
    route = mock_http.post(f"{base}/chat/completions").mock(
        return_value=httpx.Response(200, json=payloads.openai("local hi", model="smol"))
    )
    ledger = UsageLedger()
    model = LiteLLMModel("openai/smol", api_base=base, ledger=ledger)
    done = await model.complete(MESSAGES, purpose="grade")
    assert done.text == "local hi" and done.record.cost_usd == 0  # an unpriced local model costs nothing
    assert body(route)["model"] == "smol"
    assert route.calls.last.request.headers["authorization"] == f"Bearer {NO_KEY}"  # some key is needed

    route.mock(return_value=payloads.openai_sse(["lo", "cal"], model="smol"))
    assert await collect(model) == ["lo", "cal"]

    route.mock(return_value=httpx.Response(200, json=payloads.openai('{"reasoning": "r", "score": 2}', model="smol")))
    assert await model.structured(MESSAGES, Verdict, purpose="grade") == Verdict(reasoning="r", score=2)
    fmt = body(route)["response_format"]  # JSON mode, with the schema for llama.cpp-style servers
    assert fmt["type"] == "json_object" and fmt["schema"]["required"] == ["reasoning", "score"]


async def test_openai_compatible_with_a_key(
    mock_http: respx.MockRouter, payloads: Payloads, unused_tcp_port: int
) -> None:
    base = f"http://127.0.0.1:{unused_tcp_port}/v1"
    route = mock_http.post(f"{base}/chat/completions").mock(return_value=httpx.Response(200, json=payloads.openai("x")))
    model = LiteLLMModel("openai/smol", api_base=base, api_key="server-key-123456")
    await model.complete(MESSAGES, purpose="grade")
    assert route.calls.last.request.headers["authorization"] == "Bearer server-key-123456"


async def test_structured_mode_can_be_forced(
    mock_http: respx.MockRouter, payloads: Payloads, unused_tcp_port: int
) -> None:
    base = f"http://127.0.0.1:{unused_tcp_port}/v1"
    route = mock_http.post(f"{base}/chat/completions").mock(
        return_value=httpx.Response(200, json=payloads.openai('{"reasoning": "r", "score": 2}'))
    )
    model = LiteLLMModel("openai/smol", api_base=base, structured_mode="json_schema")
    await model.structured(MESSAGES, Verdict, purpose="grade")
    assert body(route)["response_format"]["type"] == "json_schema"
    prompt_only = LiteLLMModel("openai/smol", api_base=base, structured_mode="prompt")
    await prompt_only.structured(MESSAGES, Verdict, purpose="grade")
    assert "response_format" not in body(route)
