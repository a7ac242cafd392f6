"""Structured output: fences stripped, near-JSON repaired, schema errors re-asked with the error shown, then a
typed StructuredOutputError carrying the attempts and the last raw reply."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx
import pytest
import respx
from pydantic import BaseModel, Field

from interviewer.gateway.errors import StructuredOutputError
from interviewer.gateway.fake import FakeModel
from interviewer.gateway.llm import LiteLLMModel
from interviewer.gateway.structured import (
    ParseFailure,
    load_json_object,
    parse_reply,
    schema_for_prompt,
    strip_fences,
    with_schema_instruction,
)
from interviewer.gateway.usage import UsageLedger
from interviewer.prompting import Message

if TYPE_CHECKING:
    from gateway.conftest import Payloads

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
MESSAGES: list[Message] = [{"role": "system", "content": "Grade."}, {"role": "user", "content": "The answer."}]


class Verdict(BaseModel):
    reasoning: str
    score: int = Field(ge=1, le=5)


async def test_malformed_json_then_valid(mock_http: respx.MockRouter, payloads: Payloads, openai_key: str) -> None:
    route = mock_http.post(OPENAI_URL).mock(
        side_effect=[
            httpx.Response(200, json=payloads.openai("Sure! Here it is: {reasoning: 'cut off")),
            httpx.Response(200, json=payloads.openai('{"reasoning": "complete", "score": 4}')),
        ]
    )
    ledger = UsageLedger()
    model = LiteLLMModel("gpt-4o-mini", ledger=ledger)
    assert await model.structured(MESSAGES, Verdict, purpose="grade") == Verdict(reasoning="complete", score=4)
    assert route.call_count == 2 and len(ledger.records) == 2  # both calls are paid for
    assert model.stats.reasked == 1 and model.stats.failed == 0


async def test_schema_invalid_then_valid_reasks_with_the_error(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str
) -> None:
    route = mock_http.post(OPENAI_URL).mock(
        side_effect=[
            httpx.Response(200, json=payloads.openai('{"reasoning": "too generous", "score": 9}')),
            httpx.Response(200, json=payloads.openai('{"reasoning": "fixed", "score": 5}')),
        ]
    )
    model = LiteLLMModel("gpt-4o-mini")
    assert (await model.structured(MESSAGES, Verdict, purpose="grade")).score == 5
    second = json.loads(route.calls[1].request.content)["messages"]
    assert second[-2] == {"role": "assistant", "content": '{"reasoning": "too generous", "score": 9}'}
    assert "score" in second[-1]["content"] and "less than or equal to 5" in second[-1]["content"]


async def test_gives_up_with_a_typed_error() -> None:
    replies = ["not json at all", '{"reasoning": "x"}', '{"score": 3}']
    model = FakeModel(replies)
    with pytest.raises(StructuredOutputError) as caught:
        await model.structured(MESSAGES, Verdict, purpose="grade")
    error = caught.value
    assert error.attempts == 3 and error.last_output == '{"score": 3}' and len(error.errors) == 3
    assert "reasoning" in error.errors[-1] and error.hint
    assert model.stats.failed == 1 and len(model.calls) == 3


async def test_fenced_and_near_json_are_accepted_first_time() -> None:
    model = FakeModel(['```json\n{"reasoning": "r", "score": 3}\n```', "{'reasoning': 'r', 'score': 2,}"])
    assert (await model.structured(MESSAGES, Verdict, purpose="grade")).score == 3
    assert (await model.structured(MESSAGES, Verdict, purpose="grade")).score == 2
    assert model.stats.first_try == 1 and model.stats.repaired == 1 and model.stats.reasked == 0


async def test_truncated_json_is_repaired() -> None:
    model = FakeModel(['{"reasoning": "the answer covers both points", "score": 4'])
    assert await model.structured(MESSAGES, Verdict, purpose="grade") == Verdict(
        reasoning="the answer covers both points", score=4
    )
    assert model.stats.repaired == 1


def test_schema_instruction_goes_into_the_last_user_message() -> None:
    out = with_schema_instruction(MESSAGES, schema_for_prompt(Verdict))
    assert out[0] == MESSAGES[0] and out[1]["content"].startswith("The answer.")
    assert '"reasoning"' in out[1]["content"] and '"title"' not in out[1]["content"]
    assert MESSAGES[1]["content"] == "The answer."  # the caller's list is not changed


def test_parse_helpers() -> None:
    assert strip_fences('text\n```json\n{"a": 1}\n```\nmore') == '{"a": 1}'
    assert load_json_object('Here: {"a": 1} hope that helps') == ({"a": 1}, False)
    assert load_json_object('[{"a": 1}]') == ({"a": 1}, False)
    with pytest.raises(ParseFailure, match="empty"):
        load_json_object("   ")
    with pytest.raises(ParseFailure, match="not a JSON object"):
        load_json_object("I cannot grade this.")
    with pytest.raises(ParseFailure, match="score"):
        parse_reply('{"reasoning": "r", "score": 0}', Verdict)


async def test_a_reask_shows_only_the_last_bad_reply_cut_short() -> None:
    """Re-asks do not pile up: the third request is the first one plus the second bad reply (cut to a bounded size),
    so a re-ask still fits a small local model's context."""
    from interviewer.gateway.structured import REASK_REPLY_CHARS

    long_bad = "x" * 5000
    model = FakeModel([long_bad, "still not json", '{"reasoning": "ok", "score": 3}'])
    assert (await model.structured(MESSAGES, Verdict, purpose="grade")).score == 3
    first, second, third = (list(c.request.messages) for c in model.calls)
    assert len(second) == len(first) + 2 and len(third) == len(first) + 2
    assert len(second[-2]["content"]) <= REASK_REPLY_CHARS + 20 and second[-2]["content"].endswith("[... cut]")
    assert third[-2]["content"] == "still not json"
