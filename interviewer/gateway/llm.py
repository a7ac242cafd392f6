"""The one module that imports litellm, lazily and off the event loop, and the model that calls through it.

``import litellm`` takes seconds and, unless told otherwise, fetches a price list from the internet; so it happens
on the first real call (``await load_litellm()``, in a worker thread), never when the app starts, lists questions,
runs offline or answers from the response cache. Everything litellm returns or raises is turned into our own values
(``Reply``, ``Usage``) and errors (``ModelError`` with a hint) here: no litellm type and no provider traceback gets
past this module. litellm's own logging and banners are silenced; ``--verbose`` sends its log to our log file.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import os
import re
import threading
import warnings
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from interviewer.gateway.cache import ResponseCache
from interviewer.gateway.errors import (
    ModelAuthError,
    ModelConnectionError,
    ModelError,
    ModelNotFoundError,
    ModelRateLimitError,
    ModelRequestError,
    ModelServerError,
    ModelSetupError,
    ModelTimeoutError,
)
from interviewer.gateway.model import DEFAULT_MAX_REASKS, BaseChatModel, Reply, Request, Usage
from interviewer.gateway.providers import (
    NO_KEY,
    connection_hint,
    is_ollama,
    key_hint,
    missing_key,
    not_found_hint,
    ollama_base,
    provider_of,
)
from interviewer.gateway.requestlog import RequestLog, RequestLogHandler, redact_text, secret_values
from interviewer.gateway.retry import RetryPolicy, parse_retry_after
from interviewer.gateway.usage import UsageLedger

StructuredMode = Literal["auto", "json_schema", "json_object", "prompt"]
"""How a structured call asks for JSON: the provider's JSON-schema mode, its JSON mode, or the prompt alone
(``auto`` picks the best the model supports; the schema is always in the prompt too)."""

LITELLM_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy")
_lock = threading.Lock()
_module: Any = None
_log_handlers: set[str] = set()


# -------------------------------------------------------------------------------------------------- loading
def _import_litellm() -> Any:
    """Import and configure litellm once (thread-safe; call it from a worker thread)."""
    global _module
    with _lock:
        if _module is None:
            os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # never fetch the price list at import
            os.environ["DISABLE_AIOHTTP_TRANSPORT"] = "True"  # httpx transport: respx sees async calls too
            warnings.filterwarnings("ignore", module=r"litellm(\..*)?$")
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pydantic(\..*)?$")
            warnings.filterwarnings(
                "ignore", message=r".*on TypedDict class .* `ReadOnly` qualifier", category=UserWarning
            )
            module: Any = importlib.import_module("litellm")
            module.suppress_debug_info = True
            module.disable_aiohttp_transport = True
            module.set_verbose = False
            module.telemetry = False
            _silence_loggers()
            _module = module
        return _module


async def load_litellm() -> Any:
    """The litellm module, imported in a worker thread on first use (the event loop never blocks on it).
    A UI can call it early, in a worker, so that the first model call does not wait for the import."""
    if _module is not None:
        return _module
    try:
        return await asyncio.to_thread(_import_litellm)
    except Exception as exc:  # an incomplete or conflicting install: say so, never show the traceback
        raise ModelSetupError(
            f"litellm could not be imported ({type(exc).__name__}: {str(exc)[:200]})",
            hint="reinstall interviewer (`pip install --force-reinstall interviewer`), or run with --model offline",
        ) from None


def litellm_loaded() -> bool:
    """True once litellm has been imported."""
    return _module is not None


def _silence_loggers() -> None:
    """Nothing from litellm reaches the terminal: its handlers are removed and its loggers do not propagate."""
    for name in LITELLM_LOGGERS:
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        logger.setLevel(logging.WARNING)


def _attach_log(log: RequestLog) -> None:
    """Send litellm's log records (INFO and up) to ``log``'s file, redacted."""
    key = str(log.path)
    with _lock:
        if key in _log_handlers:
            return
        _log_handlers.add(key)
        for name in LITELLM_LOGGERS:
            logger = logging.getLogger(name)
            logger.addHandler(log.handler())
            logger.setLevel(logging.INFO)


def detach_logs() -> None:
    """Stop sending litellm's records to request logs (tests; a long-lived process switching --verbose off)."""
    with _lock:
        _log_handlers.clear()
        for name in LITELLM_LOGGERS:
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                if isinstance(handler, RequestLogHandler):
                    logger.removeHandler(handler)
            logger.setLevel(logging.WARNING)


# ---------------------------------------------------------------------------------------------------- model
HOSTED_TIMEOUT = 60.0
"""Seconds a hosted model's call may take by default."""
LOCAL_TIMEOUT = 300.0
"""Seconds a local server's call may take by default: a small model on a laptop CPU can need minutes for a long
grading prompt, and a timed-out call is not sent again (the server would still be computing the first one)."""


def is_local_server(model: str, api_base: str | None) -> bool:
    """An Ollama model, or any model served from this machine (``api_base`` on a loopback address)."""
    return is_ollama(model) or bool(api_base and _LOOPBACK.search(api_base))


class LiteLLMModel(BaseChatModel):
    """Any model litellm speaks to: ``gpt-4o-mini``, ``anthropic/...``, ``gemini/...``, ``ollama_chat/llama3.2``,
    ``openai/<name>`` with ``api_base`` (llama.cpp, LM Studio, vLLM)..."""

    def __init__(
        self,
        model: str,
        *,
        api_base: str | None = None,
        api_key: str | None = None,
        structured_mode: StructuredMode = "auto",
        ledger: UsageLedger | None = None,
        cache: ResponseCache | None = None,
        retry: RetryPolicy | None = None,
        request_log: RequestLog | None = None,
        timeout: float | None = None,
        max_reasks: int = DEFAULT_MAX_REASKS,
    ) -> None:
        local = is_local_server(model, api_base)
        if retry is None and local:
            retry = RetryPolicy(retry_timeouts=False)
        super().__init__(
            model,
            ledger=ledger,
            cache=cache,
            retry=retry,
            request_log=request_log,
            timeout=timeout if timeout is not None else (LOCAL_TIMEOUT if local else HOSTED_TIMEOUT),
            max_reasks=max_reasks,
        )
        self.api_base = api_base.rstrip("/") if api_base else None
        self.api_key = api_key
        self.structured_mode: StructuredMode = structured_mode
        self._auto_mode: StructuredMode | None = None
        self._stream_usage_supported: bool | None = None

    @property
    def cache_identity(self) -> str:
        return f"{self.name}@{self.api_base}" if self.api_base else self.name

    async def warm_up(self) -> None:
        """Import litellm now (in a worker thread), so the first real call does not wait for it."""
        await self._litellm()

    async def _prepare(self) -> None:
        self._check_key()
        await self._litellm()

    async def _litellm(self) -> Any:
        module = await load_litellm()
        if self.request_log is not None:
            _attach_log(self.request_log)
        return module

    # -------------------------------------------------------------------------------------------- one try
    async def _send(self, request: Request) -> Reply:
        litellm = await self._litellm()
        kwargs = self._kwargs(litellm, request, stream=False)
        try:
            response = await litellm.acompletion(**kwargs)
        except Exception as exc:
            error = self._translate(litellm, exc)
            if not self._json_mode_refused(error, kwargs):
                raise error from None
            kwargs.pop("response_format")  # the server takes no JSON mode: the schema in the prompt must do
            try:
                response = await litellm.acompletion(**kwargs)
            except Exception as again:
                raise self._translate(litellm, again) from None
        return Reply(_choice_text(response, "message"), self._usage(litellm, response))

    def _json_mode_refused(self, error: ModelError, kwargs: dict[str, Any]) -> bool:
        """True when a server refused the JSON mode ``auto`` chose (400): it is then not asked for it again."""
        if not isinstance(error, ModelRequestError) or "response_format" not in kwargs:
            return False
        if not re.search(r"response[_ ]format|json|schema", error.message, re.IGNORECASE):
            return False
        if self.structured_mode != "auto" or self._auto_mode == "prompt":
            return False
        self._auto_mode = "prompt"
        return True

    async def _send_stream(self, request: Request) -> AsyncGenerator[str | Usage, None]:
        litellm = await self._litellm()
        kwargs = self._kwargs(litellm, request, stream=True)
        chunks: list[Any] = []
        response: Any = None
        try:
            response = await litellm.acompletion(**kwargs)
            async for chunk in response:
                chunks.append(chunk)
                text = _choice_text(chunk, "delta")
                if text:
                    yield text
        except Exception as exc:
            raise self._translate(litellm, exc) from None
        finally:
            closer = getattr(response, "aclose", None)
            if closer is not None:
                with contextlib.suppress(Exception):  # closing a finished or broken stream is best effort
                    await closer()
        yield self._stream_usage(litellm, chunks, kwargs["messages"])

    def _check_key(self) -> None:
        """A hosted model with no key fails at once, with the variable to set (no import, no network, no retry)."""
        if missing_key(self.name, api_key=self.api_key, api_base=self.api_base):
            raise ModelAuthError(
                f"no API key is set for {self.name}", hint=key_hint(self.name), model=self.name, status_code=401
            )

    def _kwargs(self, litellm: Any, request: Request, *, stream: bool) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.name,
            "messages": [{"role": m["role"], "content": m["content"]} for m in request.messages],
            "temperature": request.temperature,
            "timeout": self.timeout,
            "max_retries": 0,  # tenacity owns retries
            "drop_params": True,
        }
        if request.max_tokens is not None:
            kwargs["max_tokens"] = request.max_tokens
        if self.api_base:
            kwargs["api_base"] = self.api_base
        api_key = self.api_key or (NO_KEY if self.api_base and not is_ollama(self.name) else None)
        if api_key:
            kwargs["api_key"] = api_key
        response_format = self._response_format(litellm, request)
        if response_format is not None:
            kwargs["response_format"] = response_format
        if stream:
            kwargs["stream"] = True
            if self._supports_stream_usage(litellm):
                kwargs["stream_options"] = {"include_usage": True}
        return kwargs

    # ---------------------------------------------------------------------------------- structured output
    def _response_format(self, litellm: Any, request: Request) -> dict[str, Any] | None:
        if request.json_schema is None:
            return None
        mode = self.structured_mode if self.structured_mode != "auto" else self._choose_mode(litellm)
        if mode == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": request.schema_name or "reply", "schema": request.json_schema},
            }
        if mode == "json_object":
            if self.api_base and not is_ollama(self.name):
                # llama.cpp servers read `schema` in JSON mode and constrain the output to it (a grammar); other
                # OpenAI-compatible servers ignore it. Hosted APIs get plain JSON mode.
                return {"type": "json_object", "schema": request.json_schema}
            return {"type": "json_object"}
        return None

    def _choose_mode(self, litellm: Any) -> StructuredMode:
        """JSON-schema mode where litellm says the model supports it (and for Ollama, which gets it as ``format``),
        JSON mode where the provider takes ``response_format`` (with the schema for local servers), the prompt
        alone otherwise."""
        if self._auto_mode is None:
            mode: StructuredMode = "prompt"
            try:
                if is_ollama(self.name) or litellm.supports_response_schema(model=self.name):
                    mode = "json_schema"
                elif "response_format" in self._supported_params(litellm):
                    mode = "json_object"
            except Exception:  # litellm's capability tables are best-effort
                mode = "prompt"
            self._auto_mode = mode
        return self._auto_mode

    def _supported_params(self, litellm: Any) -> list[str]:
        try:
            _, provider, _, _ = litellm.get_llm_provider(self.name)
            params = litellm.get_supported_openai_params(model=self.name, custom_llm_provider=provider)
        except Exception:  # unknown model: nothing is known to be supported
            return []
        return [str(p) for p in params or []]

    def _supports_stream_usage(self, litellm: Any) -> bool:
        if self._stream_usage_supported is None:
            self._stream_usage_supported = "stream_options" in self._supported_params(litellm)
        return self._stream_usage_supported

    # ------------------------------------------------------------------------------------------ accounting
    def _usage(self, litellm: Any, response: Any) -> Usage:
        usage = getattr(response, "usage", None)
        return Usage(
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            cost_usd=self._cost(litellm, response),
        )

    def _cost(self, litellm: Any, response: Any) -> float:
        """The call's cost in USD from litellm's offline price list (0 for local and unpriced models)."""
        hidden = getattr(response, "_hidden_params", None)
        cost = hidden.get("response_cost") if isinstance(hidden, Mapping) else None
        if cost is None:
            try:
                cost = litellm.completion_cost(completion_response=response)
            except Exception:  # unpriced models (local servers) cost nothing we know of
                cost = 0.0
        try:
            return max(0.0, float(cost or 0.0))
        except (TypeError, ValueError):
            return 0.0

    def _stream_usage(self, litellm: Any, chunks: list[Any], messages: list[dict[str, str]]) -> Usage:
        if not chunks:
            return Usage()
        try:
            built = litellm.stream_chunk_builder(chunks, messages=messages)
        except Exception:  # usage is bookkeeping; a stream that worked is not failed for it
            return Usage()
        return self._usage(litellm, built) if built is not None else Usage()

    # ---------------------------------------------------------------------------------------------- errors
    def _translate(self, litellm: Any, exc: Exception) -> ModelError:
        """Our error, with a hint, for whatever litellm raised (never chained: no provider traceback)."""
        if isinstance(exc, ModelError):
            return exc
        raised = _Raised.of(litellm, exc, secret_values([self.api_key]))
        kind = next((k for k in _KINDS if k.matches(raised)), _OTHER)
        where = str(ollama_base(self.api_base) if is_ollama(self.name) else (self.api_base or "the provider"))
        message = kind.message.format(
            model=self.name,
            message=raised.message,
            timeout=self.timeout,
            where=where,
            provider=provider_of(self.name) or "the provider",
            status=raised.status or 500,
        )
        hint = kind.hint if isinstance(kind.hint, str) else kind.hint(self.name, self.api_base)
        retry_after = _retry_after(exc) if kind.error in (ModelRateLimitError, ModelServerError) else None
        error = kind.error(message, hint=hint, model=self.name, status_code=raised.status, retry_after=retry_after)
        if kind.error is ModelConnectionError and _REFUSED.search(_chain_text(exc)) and _LOOPBACK.search(where):
            error.transient = False  # a local server that is not running will not start by waiting for it
        return error


@dataclass(frozen=True)
class _Raised:
    """What litellm raised, read once: the exception, the provider's words (redacted) and the HTTP status."""

    litellm: Any
    exc: Exception
    message: str
    status: int | None

    @classmethod
    def of(cls, litellm: Any, exc: Exception, secrets: list[str]) -> _Raised:
        status = getattr(exc, "status_code", None)
        return cls(litellm, exc, _provider_message(exc, secrets), status if isinstance(status, int) else None)

    def is_a(self, *names: str) -> bool:
        """Whether the exception is one of litellm's exception classes ``names`` (those this litellm has)."""
        classes = tuple(c for c in (getattr(self.litellm, n, None) for n in names) if isinstance(c, type))
        return bool(classes) and isinstance(self.exc, classes)


def _is_auth(r: _Raised) -> bool:
    return (
        r.is_a("AuthenticationError", "PermissionDeniedError")
        or r.status in (401, 403)
        or bool(_MISSING_KEY.search(r.message))
    )


def _is_not_found(r: _Raised) -> bool:
    return "llm provider not provided" in r.message.lower() or r.is_a("NotFoundError") or r.status == 404


def _is_rate_limit(r: _Raised) -> bool:
    return r.is_a("RateLimitError") or r.status == 429


def _is_timeout(r: _Raised) -> bool:
    return r.is_a("Timeout") or r.status == 408


def _is_connection(r: _Raised) -> bool:
    return r.is_a("APIConnectionError") or bool(_CONNECTION.search(r.message))


def _is_server(r: _Raised) -> bool:
    return r.is_a("InternalServerError", "ServiceUnavailableError", "BadGatewayError") or (r.status or 0) >= 500


def _is_bad_request(r: _Raised) -> bool:
    return r.is_a("BadRequestError", "UnprocessableEntityError", "UnsupportedParamsError") or r.status in (400, 422)


@dataclass(frozen=True)
class _Kind:
    """A kind of failure: how to tell it, our error for it, its message (``str.format`` with ``model``,
    ``message``, ``timeout``, ``where``, ``provider`` and ``status``) and its hint (or how to make it from the model
    and the API base)."""

    matches: Callable[[_Raised], bool]
    error: type[ModelError]
    message: str
    hint: str | Callable[[str, str | None], str]


_KINDS = (  # first match wins
    _Kind(_is_auth, ModelAuthError, "{model}: the provider refused the credentials ({message})", key_hint),
    _Kind(_is_not_found, ModelNotFoundError, "{model} is not a model the provider knows ({message})", not_found_hint),
    _Kind(
        _is_rate_limit,
        ModelRateLimitError,
        "{model} is rate-limited ({message})",
        "wait a minute and try again, or use another model",
    ),
    _Kind(
        _is_timeout,
        ModelTimeoutError,
        "{model} did not answer within {timeout:g} s",
        "try again, use a faster model, or raise `timeout` in the settings file (INTERVIEWER_TIMEOUT)",
    ),
    _Kind(_is_connection, ModelConnectionError, "cannot connect to {where} for {model} ({message})", connection_hint),
    _Kind(
        _is_server,
        ModelServerError,
        "{provider} failed for {model} (HTTP {status}: {message})",
        "the provider may be having trouble: try again later, or use another model",
    ),
    _Kind(
        _is_bad_request,
        ModelRequestError,
        "{model} refused the request ({message})",
        "the answer may be too long for this model, or the model does not take these options",
    ),
)
_OTHER = _Kind(lambda raised: True, ModelError, "{model}: {message}", "run with --verbose and see the log folder")


def _chain_text(exc: BaseException) -> str:
    """The messages of an exception and of the exceptions that caused it (litellm wraps the socket error)."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(parts) < 8:
        seen.add(id(current))
        parts.append(f"{type(current).__name__}: {current}")
        current = current.__cause__ or current.__context__
    return " | ".join(parts)


_REFUSED = re.compile(r"connection refused|connect call failed|errno 111|actively refused", re.IGNORECASE)
_LOOPBACK = re.compile(r"//(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::|/|$)", re.IGNORECASE)
_MISSING_KEY = re.compile(
    r"missing credentials|api[_ ]key client option must be set|no api key|missing .*api key|api key not (?:set|found)",
    re.IGNORECASE,
)
_CONNECTION = re.compile(
    r"connection error|connection refused|all connection attempts failed|cannot connect|failed to establish|"
    r"name or service not known|nodename nor servname",
    re.IGNORECASE,
)
_PREFIXES = re.compile(r"^(?:litellm\.\w+:\s*|\w+(?:Error|Exception):\s*|\w+Exception\s*-\s*)+")


def _provider_message(exc: BaseException, secrets: list[str], limit: int = 300) -> str:
    """The provider's own words, short, without litellm's prefixes and without secrets."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = _PREFIXES.sub("", text).strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error", data)
        if isinstance(error, dict):
            error = error.get("message", error)
        text = str(error)
    text = redact_text(text, secrets)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _retry_after(exc: BaseException) -> float | None:
    """The provider's Retry-After, from wherever litellm kept the response headers."""
    for source in (
        getattr(exc, "litellm_response_headers", None),
        getattr(getattr(exc, "response", None), "headers", None),
        getattr(exc, "headers", None),
    ):
        if source is None:
            continue
        try:
            found = parse_retry_after({str(k): str(v) for k, v in dict(source).items()})
        except (TypeError, ValueError):
            continue
        if found is not None:
            return found
    return None


def _choice_text(response: Any, part: Literal["message", "delta"]) -> str:
    """The text of the first choice's ``message`` (a reply) or ``delta`` (a stream chunk); "" when it has none."""
    try:
        content = getattr(response.choices[0], part).content
    except (AttributeError, IndexError, TypeError):
        return ""
    return content if isinstance(content, str) else ""
