"""The judge fits a small local model: for every bank question, the grading prompt as sent (template, rubric, a
300-word answer, the schema instruction) plus the reply budget fits a 4,096-token context.

Tokens are estimated deterministically at four characters a token (no tokenizer download: tiktoken would fetch its
encoding from the network). Measured against a real 1.5B model's tokenizer, English prose runs nearer five characters
a token, so the estimate errs on the safe side."""

from __future__ import annotations

import math

import pytest

from interviewer.bank import load_bank
from interviewer.bank.schema import Question
from interviewer.gateway.fake import FakeModel
from interviewer.grading.judge import CONTEXT_TOKENS, JUDGE_MAX_TOKENS, LLMJudge

BANK = load_bank()
CHARS_PER_TOKEN = 4
MESSAGE_OVERHEAD = 8
"""Tokens a chat template adds around each message (role markers)."""
SENTENCES = (
    "At a subscription box company I owned the churn model end to end, and I agreed the churn definition with the "
    "product manager before writing any code. I built the features in Spark from order history, trained a gradient "
    "boosting model against a logistic regression baseline, and validated it on a time-based split so that no future "
    "orders leaked into training. Churn in the targeted group fell from 11% to 8% over the next quarter. "
)
ANSWER_300_WORDS = " ".join((SENTENCES * 10).split()[:300])


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


async def prompt_tokens(question: Question) -> int:
    model = FakeModel([RuntimeError("no reply needed")])
    with pytest.raises(RuntimeError):
        await LLMJudge(model, BANK).grade(question, [ANSWER_300_WORDS])
    (call,) = model.calls
    assert call.request.max_tokens == JUDGE_MAX_TOKENS
    return sum(estimate_tokens(m["content"]) + MESSAGE_OVERHEAD for m in call.request.messages)


def test_the_answer_has_300_words() -> None:
    assert len(ANSWER_300_WORDS.split()) == 300


@pytest.mark.parametrize("question", BANK.questions, ids=[q.id for q in BANK.questions])
async def test_grading_prompt_and_reply_budget_fit_the_context(question: Question) -> None:
    tokens = await prompt_tokens(question)
    assert tokens + JUDGE_MAX_TOKENS <= CONTEXT_TOKENS, f"{question.id}: {tokens} + {JUDGE_MAX_TOKENS}"


def test_the_reply_budget_leaves_room_for_a_full_verdict() -> None:
    """Seven STAR elements and up to seven criteria, each with a short quote, and brief reasoning: about 700 tokens."""
    assert JUDGE_MAX_TOKENS >= 900


@pytest.mark.parametrize("question", BANK.questions, ids=[q.id for q in BANK.questions])
async def test_a_reask_fits_the_context_too(question: Question) -> None:
    """A re-ask is the first request, the bad reply cut short, and the problem: it fits with the same budget."""
    from interviewer.gateway.structured import REASK_REPLY_CHARS, ParseFailure, reask_messages

    problem = ParseFailure(
        "the reply does not match the schema: key_points.3.status: Input should be 'hit', 'partial' or 'missed'; "
        "score: Input should be less than or equal to 5"
    )
    extra = reask_messages([], "y" * 5000, problem)
    assert len(extra[0]["content"]) <= REASK_REPLY_CHARS + 20
    tokens = await prompt_tokens(question) + sum(estimate_tokens(m["content"]) + MESSAGE_OVERHEAD for m in extra)
    assert tokens + JUDGE_MAX_TOKENS <= CONTEXT_TOKENS, f"{question.id}: {tokens} + {JUDGE_MAX_TOKENS}"
