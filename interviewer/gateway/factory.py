"""The model the settings call for (None for ``offline``), with the cache and the request log they ask for.
Building it imports nothing heavy: litellm is imported on the first call that is not answered from the cache."""

from __future__ import annotations

from interviewer.gateway.cache import ResponseCache
from interviewer.gateway.llm import LiteLLMModel
from interviewer.gateway.model import ChatModel
from interviewer.gateway.requestlog import RequestLog
from interviewer.gateway.retry import RetryPolicy
from interviewer.gateway.usage import UsageLedger
from interviewer.settings import Settings


def make_model(
    settings: Settings,
    ledger: UsageLedger | None = None,
    *,
    retry: RetryPolicy | None = None,
) -> ChatModel | None:
    """The configured model, or None when the settings say ``offline``."""
    if settings.is_offline:
        return None
    return LiteLLMModel(
        settings.model,
        **settings.provider_options(),
        ledger=ledger,
        cache=ResponseCache.default() if settings.cache else None,
        request_log=RequestLog.default(secrets=[settings.api_key]) if settings.verbose else None,
        retry=retry,
        timeout=settings.timeout,
    )
