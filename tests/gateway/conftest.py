"""Fixtures for the gateway tests: provider payloads (JSON, SSE, NDJSON) as the real APIs send them, retry policies
that never really sleep, and provider keys that are fake."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from interviewer.gateway.retry import RetryPolicy

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
ANTHROPIC_URL = "https://api.anthropic.com/v1/messages"
OLLAMA_BASE = "http://localhost:11434"
FAKE_OPENAI_KEY = "sk-test-OPENAI-0123456789abcdef"
FAKE_ANTHROPIC_KEY = "sk-ant-test-0123456789abcdef"
KEY_VARS = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "MISTRAL_API_KEY",
    "GROQ_API_KEY",
    "OLLAMA_API_BASE",
)


class Payloads:
    """Provider replies, as their APIs send them."""

    @staticmethod
    def openai(text: str, prompt_tokens: int = 20, completion_tokens: int = 5, model: str = "gpt-4o-mini") -> Any:
        return {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }

    @staticmethod
    def openai_sse(deltas: list[str], model: str = "gpt-4o-mini") -> httpx.Response:
        def event(data: Any) -> str:
            return f"data: {json.dumps(data)}\n\n"

        base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": model}
        body = event({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]})
        for d in deltas:
            body += event({**base, "choices": [{"index": 0, "delta": {"content": d}, "finish_reason": None}]})
        body += event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        body += event({**base, "choices": [], "usage": {"prompt_tokens": 11, "completion_tokens": len(deltas)}})
        body += "data: [DONE]\n\n"
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    @staticmethod
    def anthropic(text: str, input_tokens: int = 30, output_tokens: int = 7) -> Any:
        return {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-4-5",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        }

    @staticmethod
    def anthropic_sse(deltas: list[str]) -> httpx.Response:
        def event(name: str, data: Any) -> str:
            return f"event: {name}\ndata: {json.dumps(data)}\n\n"

        message: dict[str, Any] = {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-4-5",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 30, "output_tokens": 1},
        }
        body = event("message_start", {"type": "message_start", "message": message})
        body += event(
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        )
        for d in deltas:
            body += event(
                "content_block_delta",
                {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": d}},
            )
        body += event("content_block_stop", {"type": "content_block_stop", "index": 0})
        body += event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": len(deltas)},
            },
        )
        body += event("message_stop", {"type": "message_stop"})
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    @staticmethod
    def ollama(text: str) -> Any:
        return {
            "model": "llama3.2",
            "created_at": "2026-01-01T00:00:00Z",
            "message": {"role": "assistant", "content": text},
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": 9,
            "eval_count": 3,
        }

    @staticmethod
    def ollama_stream(deltas: list[str]) -> httpx.Response:
        lines = [
            json.dumps(
                {"model": "llama3.2", "created_at": "x", "message": {"role": "assistant", "content": d}, "done": False}
            )
            for d in deltas
        ]
        lines.append(
            json.dumps(
                {
                    "model": "llama3.2",
                    "created_at": "x",
                    "message": {"role": "assistant", "content": ""},
                    "done": True,
                    "done_reason": "stop",
                    "prompt_eval_count": 9,
                    "eval_count": len(deltas),
                }
            )
        )
        return httpx.Response(200, text="\n".join(lines) + "\n", headers={"content-type": "application/x-ndjson"})


@pytest.fixture
def payloads() -> Payloads:
    return Payloads()


@pytest.fixture(autouse=True)
def _no_provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real key or Ollama address from the machine leaks into a gateway test."""
    for name in KEY_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def openai_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    return FAKE_OPENAI_KEY


@pytest.fixture
def anthropic_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_ANTHROPIC_KEY)
    return FAKE_ANTHROPIC_KEY


class RecordedSleep:
    """A sleep that records how long it was asked to wait, and does not wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def fast_retry(sleeps: RecordedSleep) -> RetryPolicy:
    """Three tries, tiny backoff, no real sleeping (the waits asked for are in ``sleeps.waits``)."""
    return RetryPolicy(attempts=3, initial_wait=0.01, max_wait=0.05, jitter=0.0, total_time=5.0, sleep=sleeps)


@pytest.fixture
def mock_http() -> Iterator[respx.MockRouter]:
    """respx on every HTTP call; an unmatched request fails the test (it would have gone to the network)."""
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def ollama_show(mock_http: respx.MockRouter) -> respx.Route:
    """litellm's sync ``POST /api/show`` calls (model info) on the default Ollama address."""
    return mock_http.post(f"{OLLAMA_BASE}/api/show").mock(
        return_value=httpx.Response(
            200, json={"model_info": {"llama.context_length": 8192}, "template": "", "details": {}}
        )
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """litellm's pydantic types warn when first built (a UserWarning from pydantic, outside our control); the gateway
    silences it at import, but pytest resets warning filters per test."""
    here = str(__file__).rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings("ignore:.*ReadOnly. qualifier:UserWarning"))
