"""The model interface every engine talks to (``ChatModel``), and the machinery all models share
(``BaseChatModel``): the response cache, retries, per-call timeouts, usage accounting, request logs and validated
structured output. A concrete model only says how to send one request (``_send``) and stream one (``_send_stream``):
``LiteLLMModel`` through litellm, ``FakeModel`` from a queue of replies.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Required, TypedDict, TypeVar, Unpack

from pydantic import BaseModel

from interviewer.gateway.cache import CachedReply, ResponseCache, cache_key
from interviewer.gateway.errors import ModelError, ModelTimeoutError, StructuredOutputError
from interviewer.gateway.requestlog import RequestLog
from interviewer.gateway.retry import RetryPolicy, call_with_retry
from interviewer.gateway.structured import (
    ParseFailure,
    StructuredStats,
    parse_reply,
    reask_messages,
    schema_for_prompt,
    with_schema_instruction,
)
from interviewer.gateway.usage import CallRecord, UsageLedger
from interviewer.prompting import Message

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
DEFAULT_MAX_REASKS = 2


@dataclass(frozen=True)
class Usage:
    """What one call consumed."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


@dataclass(frozen=True)
class Reply:
    """The text of one successful call and its usage."""

    text: str
    usage: Usage = Usage()


@dataclass(frozen=True)
class Completion:
    """What ``complete`` returns: the text and the call's record (also added to the ledger)."""

    text: str
    record: CallRecord


@dataclass(frozen=True)
class Request:
    """One call as a model backend sees it."""

    messages: tuple[Message, ...]
    purpose: str
    temperature: float = 0.0
    max_tokens: int | None = None
    sample: int = 0
    """Which sample this is (repeated draws of the same prompt get distinct cache keys); never sent."""
    json_schema: dict[str, Any] | None = None
    """For structured calls: the JSON Schema the reply must match (sent as the provider's JSON mode allows)."""
    schema_name: str | None = None

    @classmethod
    def of(
        cls,
        messages: Sequence[Message],
        options: CallOptions,
        json_schema: dict[str, Any] | None = None,
        schema_name: str | None = None,
    ) -> Request:
        """The request for ``messages`` with a call's options (their defaults where not given)."""
        return cls(
            tuple(messages),
            options["purpose"],
            options.get("temperature", 0.0),
            options.get("max_tokens"),
            options.get("sample", 0),
            json_schema,
            schema_name,
        )

    def cache_fields(self) -> dict[str, Any]:
        """Everything that decides the reply (not the purpose, which is only a label)."""
        return {
            "messages": [{"role": m["role"], "content": m["content"]} for m in self.messages],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "json_schema": self.json_schema,
            "sample": self.sample,
        }


class CallOptions(TypedDict, total=False):
    """The keyword options of one call, the same for ``complete``, ``stream`` and ``structured``."""

    purpose: Required[str]
    """Labels the call in the usage ledger (``grade``, ``probe``, ``clarify``, ``report``, ``eval``...)."""
    temperature: float
    """0.0 unless given."""
    max_tokens: int | None
    """The provider's default unless given."""
    sample: int
    """Distinguishes repeated draws of the same prompt in the response cache (0 unless given)."""


class ChatModel(Protocol):
    """A chat model: plain completions, streamed completions and validated structured replies (each call takes the
    ``CallOptions``)."""

    @property
    def name(self) -> str:
        """The model string (``gpt-4o-mini``, ``ollama_chat/llama3.2``, ``fake``...)."""
        ...

    async def complete(self, messages: Sequence[Message], **options: Unpack[CallOptions]) -> Completion:
        """The model's reply to ``messages``."""
        ...

    def stream(self, messages: Sequence[Message], **options: Unpack[CallOptions]) -> AsyncIterator[str]:
        """The reply as text deltas, as the model produces them."""
        ...

    async def structured(self, messages: Sequence[Message], schema: type[T], **options: Unpack[CallOptions]) -> T:
        """A reply validated against ``schema`` (repaired and re-asked as needed; StructuredOutputError if never)."""
        ...


class BaseChatModel(ABC):
    """The shared machinery; subclasses implement ``_send`` and ``_send_stream`` (one try, no retry)."""

    def __init__(
        self,
        name: str,
        *,
        ledger: UsageLedger | None = None,
        cache: ResponseCache | None = None,
        retry: RetryPolicy | None = None,
        request_log: RequestLog | None = None,
        timeout: float = 60.0,
        max_reasks: int = DEFAULT_MAX_REASKS,
    ) -> None:
        self.name = name
        self.ledger = ledger
        self.cache = cache
        self.retry = retry if retry is not None else RetryPolicy()
        self.request_log = request_log
        self.timeout = timeout
        self.max_reasks = max_reasks
        self.stats = StructuredStats()

    # ------------------------------------------------------------------------------------------ for subclasses
    @abstractmethod
    async def _send(self, request: Request) -> Reply:
        """One try of ``request``; raises a ModelError (``transient`` when worth retrying)."""

    @abstractmethod
    def _send_stream(self, request: Request) -> AsyncGenerator[str | Usage, None]:
        """One try of ``request`` as a stream: text deltas, then (optionally) one Usage at the end."""

    async def _prepare(self) -> None:
        """Runs once before each call that is not answered from the cache, outside its timeout and latency (the
        place for slow one-time set-up and for checks that no retry can fix)."""
        return None

    @property
    def cache_identity(self) -> str:
        """What identifies this model in cache keys (the model string, plus the server for local models)."""
        return self.name

    # ------------------------------------------------------------------------------------------------ the API
    async def complete(self, messages: Sequence[Message], **options: Unpack[CallOptions]) -> Completion:
        """The model's reply to ``messages`` (from the cache when enabled and present)."""
        return await self._run(Request.of(messages, options))

    async def stream(self, messages: Sequence[Message], **options: Unpack[CallOptions]) -> AsyncIterator[str]:
        """Text deltas as they come. Failures before the first delta are retried like any call; a failure after
        it is raised (retrying would repeat what was already shown). A cached reply comes as one delta."""
        request = Request.of(messages, options)
        started = time.perf_counter()
        key, hit = self._lookup(request)
        if hit is not None:
            self._record(request, Usage(), started, cached=True)
            if hit.text:
                yield hit.text
            return
        (stream, delta), started = await self._call(request, lambda: self._open_stream(request), started)
        parts: list[str] = []
        try:
            while delta is not None:
                parts.append(delta)
                yield delta
                delta = await stream.next()
        except ModelError as exc:
            self._log_error(request, exc, started)
            raise
        finally:
            await stream.close()
        self._finish(request, key, Reply("".join(parts), stream.usage), started)

    async def structured(self, messages: Sequence[Message], schema: type[T], **options: Unpack[CallOptions]) -> T:
        """A reply validated against ``schema``: fences stripped, near-JSON repaired, and re-asked with the error
        up to ``max_reasks`` times; then StructuredOutputError with every attempt's problem and the last reply."""
        json_schema = schema_for_prompt(schema)
        first = with_schema_instruction(list(messages), json_schema)
        conversation = first
        problems: list[str] = []
        reply = ""
        attempts = self.max_reasks + 1
        self.stats.calls += 1
        for attempt in range(1, attempts + 1):
            request = Request.of(conversation, options, json_schema, schema.__name__)
            reply = (await self._run(request)).text
            try:
                value, repaired = parse_reply(reply, schema)
            except ParseFailure as problem:
                problems.append(str(problem))
                self._log("invalid_reply", request, attempt=attempt, problem=str(problem))
                conversation = reask_messages(first, reply, problem)  # the last bad reply only: bounded context
                continue
            self.stats.repaired += repaired
            self.stats.reasked += attempt > 1
            self.stats.first_try += attempt == 1 and not repaired
            return value
        self.stats.reasked += attempts > 1
        self.stats.failed += 1
        raise StructuredOutputError(
            f"{self.name} gave no valid {schema.__name__} in {attempts} attempt(s): "
            + problems[-1].splitlines()[0].rstrip(":"),
            attempts=attempts,
            last_output=reply,
            errors=problems,
            model=self.name,
            hint="small models often break JSON; try a larger model (the offline grader stands in meanwhile)",
        )

    # ------------------------------------------------------------------------------------------------ helpers
    async def _run(self, request: Request) -> Completion:
        started = time.perf_counter()
        key, hit = self._lookup(request)
        if hit is not None:
            return Completion(hit.text, self._record(request, Usage(), started, cached=True))
        reply, started = await self._call(request, lambda: self._attempt(request), started)
        return Completion(reply.text, self._finish(request, key, reply, started))

    async def _attempt(self, request: Request) -> Reply:
        try:
            async with asyncio.timeout(self.timeout):
                return await self._send(request)
        except TimeoutError:
            raise self._timeout_error() from None

    async def _open_stream(self, request: Request) -> tuple[_Stream, str | None]:
        stream = _Stream(self._send_stream(request), self.timeout, self._timeout_error)
        try:
            first = await stream.next()
        except BaseException:
            await stream.close()
            raise
        return stream, first

    def _timeout_error(self) -> ModelTimeoutError:
        return ModelTimeoutError(
            f"{self.name} did not answer within {self.timeout:g} s",
            model=self.name,
            hint="try again, use a faster model, or raise `timeout` in the settings file (INTERVIEWER_TIMEOUT)",
        )

    def _key(self, request: Request) -> str | None:
        return cache_key(self.cache_identity, request.cache_fields()) if self.cache is not None else None

    def _lookup(self, request: Request) -> tuple[str | None, CachedReply | None]:
        """The request's cache key (None without a cache) and its cached reply, if there is one."""
        key = self._key(request)
        return key, self.cache.get(key) if self.cache is not None and key is not None else None

    async def _call(self, request: Request, attempt: Callable[[], Awaitable[R]], started: float) -> tuple[R, float]:
        """``attempt``, retried as the policy says, after ``_prepare``; and when its first try started. A failure
        is logged (its latency counted from ``started`` when ``_prepare`` failed)."""
        try:
            await self._prepare()
            started = time.perf_counter()
            return await call_with_retry(self.retry, attempt, self._retrying(request)), started
        except ModelError as exc:
            self._log_error(request, exc, started)
            raise

    def _finish(self, request: Request, key: str | None, reply: Reply, started: float) -> CallRecord:
        record = self._record(request, reply.usage, started)
        if self.cache is not None and key is not None:
            usage = reply.usage
            self.cache.put(
                key,
                self.cache_identity,
                CachedReply(reply.text, usage.prompt_tokens, usage.completion_tokens, usage.cost_usd),
            )
        self._log(
            "call",
            request,
            reply=reply.text,
            prompt_tokens=record.prompt_tokens,
            completion_tokens=record.completion_tokens,
            cost_usd=record.cost_usd,
            latency_ms=round(record.latency_ms, 1),
        )
        return record

    def _record(self, request: Request, usage: Usage, started: float, *, cached: bool = False) -> CallRecord:
        record = CallRecord(
            model=self.name,
            purpose=request.purpose,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            cost_usd=0.0 if cached else usage.cost_usd,
            latency_ms=(time.perf_counter() - started) * 1000,
            cached=cached,
        )
        if self.ledger is not None:
            self.ledger.add(record)
        if cached:
            self._log("cache_hit", request)
        return record

    def _retrying(self, request: Request) -> Callable[[int, float, BaseException], None]:
        """What a retry tells: the request log (``--verbose``) gets the failed try, the user a line saying that the
        model is being asked again (through the ledger's listeners: a plain-mode line, a TUI notice)."""

        def told(attempt: int, seconds: float, error: BaseException) -> None:
            title = error.title if isinstance(error, ModelError) else type(error).__name__
            self._log("retry", request, attempt=attempt, wait_s=round(seconds, 1), error=title, message=str(error))
            if self.ledger is not None:
                self.ledger.announce(
                    f"{self.name}: {title.lower()} on try {attempt} of {self.retry.attempts}; "
                    f"asking again in {seconds:.0f} s"
                )

        return told

    def _log_error(self, request: Request, exc: ModelError, started: float) -> None:
        self._log(
            "error",
            request,
            error=exc.title,
            message=exc.message,
            status_code=exc.status_code,
            attempts=exc.attempts,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def _log(self, event: str, request: Request, **fields: Any) -> None:
        if self.request_log is None:
            return
        self.request_log.write(
            event,
            model=self.name,
            purpose=request.purpose,
            request=request.cache_fields() if event != "cache_hit" else {"sample": request.sample},
            **fields,
        )


class _Stream:
    """One open stream: the next non-empty delta with a per-delta timeout, and the usage reported at its end."""

    def __init__(
        self,
        source: AsyncGenerator[str | Usage, None],
        timeout: float,
        timeout_error: Callable[[], ModelError],
    ) -> None:
        self.source = source
        self.timeout = timeout
        self.timeout_error = timeout_error
        self.usage = Usage()

    async def next(self) -> str | None:
        """The next non-empty delta, or None at the end of the stream."""
        while True:
            try:
                async with asyncio.timeout(self.timeout):
                    item = await anext(self.source)
            except StopAsyncIteration:
                return None
            except TimeoutError:
                raise self.timeout_error() from None
            if isinstance(item, Usage):
                self.usage = item
            elif item:
                return item

    async def close(self) -> None:
        await self.source.aclose()
