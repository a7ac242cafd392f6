"""A fake model for tests (and the TUI's and evals' tests): replies come from a queue, every call is logged, and no
real request can ever be made (it imports neither litellm nor an HTTP client).

A reply is a string, a dict or pydantic object (sent as JSON), an exception to raise, or a function of the request
that returns any of those. When the queue is empty, ``default`` answers (or the call fails loudly).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncGenerator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from interviewer.gateway.model import BaseChatModel, Reply, Request, Usage
from interviewer.gateway.retry import RetryPolicy

FakeReply = str | dict[str, Any] | BaseModel | BaseException | Callable[[Request], Any]


class FakeModelExhausted(AssertionError):
    """The test asked the fake model more than it queued replies for."""


@dataclass(frozen=True)
class FakeCall:
    """One call the fake model received."""

    request: Request
    stream: bool

    @property
    def purpose(self) -> str:
        return self.request.purpose

    @property
    def messages(self) -> list[dict[str, str]]:
        return [{"role": m["role"], "content": m["content"]} for m in self.request.messages]

    @property
    def prompt(self) -> str:
        """All message contents joined (handy for ``in`` assertions)."""
        return "\n\n".join(m["content"] for m in self.request.messages)


class FakeModel(BaseChatModel):
    """A ChatModel whose replies are queued by the test; retries off and no timeout by default."""

    def __init__(
        self,
        replies: Iterable[FakeReply] = (),
        *,
        default: FakeReply | None = None,
        name: str = "fake",
        cost_per_call: float = 0.0,
        chunk_size: int = 12,
        retry: RetryPolicy | None = None,
        **options: Any,
    ) -> None:
        super().__init__(name, retry=retry if retry is not None else RetryPolicy.no_retry(), **options)
        self.replies: deque[FakeReply] = deque(replies)
        self.default = default
        self.cost_per_call = cost_per_call
        self.chunk_size = max(1, chunk_size)
        self.calls: list[FakeCall] = []

    def queue(self, *replies: FakeReply) -> None:
        """Add replies to the end of the queue."""
        self.replies.extend(replies)

    @property
    def purposes(self) -> list[str]:
        return [c.purpose for c in self.calls]

    def _next_text(self, request: Request, *, stream: bool) -> str:
        self.calls.append(FakeCall(request, stream))
        if self.replies:
            reply = self.replies.popleft()
        elif self.default is not None:
            reply = self.default
        else:
            raise FakeModelExhausted(f"FakeModel has no reply left for a '{request.purpose}' call")
        if callable(reply) and not isinstance(reply, BaseModel | BaseException | type):
            reply = reply(request)
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, BaseModel):
            return reply.model_dump_json()
        if isinstance(reply, dict):
            return json.dumps(reply)
        return str(reply)

    def _usage(self, request: Request, text: str) -> Usage:
        prompt = sum(len(m["content"].split()) for m in request.messages)
        return Usage(prompt_tokens=prompt, completion_tokens=len(text.split()), cost_usd=self.cost_per_call)

    async def _send(self, request: Request) -> Reply:
        text = self._next_text(request, stream=False)
        return Reply(text, self._usage(request, text))

    async def _send_stream(self, request: Request) -> AsyncGenerator[str | Usage, None]:
        text = self._next_text(request, stream=True)
        for start in range(0, len(text), self.chunk_size):
            yield text[start : start + self.chunk_size]
        yield self._usage(request, text)
