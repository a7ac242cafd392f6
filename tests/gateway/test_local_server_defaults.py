"""A slow local server is asked once: longer default timeout, and a timed-out call is not sent again (the server
would still be computing the first answer). Hosted models keep a short timeout and retry timeouts."""

from __future__ import annotations

import pytest

from interviewer.gateway.errors import ModelTimeoutError
from interviewer.gateway.llm import HOSTED_TIMEOUT, LOCAL_TIMEOUT, LiteLLMModel, is_local_server
from interviewer.gateway.retry import RetryPolicy, call_with_retry


@pytest.mark.parametrize(
    ("model", "api_base", "local"),
    [
        ("openai/smol", "http://127.0.0.1:8080/v1", True),
        ("openai/smol", "http://localhost:1234/v1", True),
        ("ollama_chat/llama3.2", None, True),
        ("gpt-4o-mini", None, False),
        ("openai/big", "https://llm.example.com/v1", False),
    ],
)
def test_local_servers_wait_longer_and_do_not_retry_timeouts(model: str, api_base: str | None, local: bool) -> None:
    chat = LiteLLMModel(model, api_base=api_base)
    assert is_local_server(model, api_base) is local
    assert chat.timeout == (LOCAL_TIMEOUT if local else HOSTED_TIMEOUT)
    assert chat.retry.retry_timeouts is (not local)
    assert LiteLLMModel(model, api_base=api_base, timeout=12).timeout == 12  # the setting wins


async def _timing_out(calls: list[int]) -> None:
    calls.append(1)
    raise ModelTimeoutError("no answer within 300 s")


async def test_a_timeout_is_not_retried_when_the_policy_says_so() -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    calls: list[int] = []
    local = RetryPolicy(attempts=4, retry_timeouts=False, sleep=record)
    with pytest.raises(ModelTimeoutError) as caught:
        await call_with_retry(local, lambda: _timing_out(calls))
    assert len(calls) == 1 and caught.value.attempts == 1 and not waits
    # its twin: a hosted model's timeout is retried
    calls.clear()
    hosted = RetryPolicy(attempts=3, initial_wait=0.01, jitter=0, sleep=record)
    with pytest.raises(ModelTimeoutError):
        await call_with_retry(hosted, lambda: _timing_out(calls))
    assert len(calls) == 3
