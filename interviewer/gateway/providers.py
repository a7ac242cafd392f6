"""What we know about providers without importing litellm: which environment variable holds each provider's key,
where a local Ollama server listens, and the hints that tell a user what to do when a call fails.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

OLLAMA_DEFAULT_BASE = "http://localhost:11434"
OLLAMA_BASE_ENV = "OLLAMA_API_BASE"
NO_KEY = "sk-no-key-required"
"""Sent as the API key to OpenAI-compatible local servers (litellm needs some key; they ignore it)."""


@dataclass(frozen=True)
class Provider:
    """A hosted provider: its litellm prefix, its display name and the variables that can hold its key."""

    prefix: str
    label: str
    key_vars: tuple[str, ...]


PROVIDERS: tuple[Provider, ...] = (
    Provider("openai", "OpenAI", ("OPENAI_API_KEY",)),
    Provider("anthropic", "Anthropic", ("ANTHROPIC_API_KEY",)),
    Provider("gemini", "Google Gemini", ("GEMINI_API_KEY", "GOOGLE_API_KEY")),
    Provider("mistral", "Mistral", ("MISTRAL_API_KEY",)),
    Provider("groq", "Groq", ("GROQ_API_KEY",)),
    Provider("deepseek", "DeepSeek", ("DEEPSEEK_API_KEY",)),
    Provider("openrouter", "OpenRouter", ("OPENROUTER_API_KEY",)),
    Provider("together_ai", "Together AI", ("TOGETHERAI_API_KEY", "TOGETHER_API_KEY")),
    Provider("xai", "xAI", ("XAI_API_KEY",)),
    Provider("cohere", "Cohere", ("COHERE_API_KEY", "CO_API_KEY")),
    Provider("fireworks_ai", "Fireworks AI", ("FIREWORKS_AI_API_KEY", "FIREWORKS_API_KEY")),
    Provider("perplexity", "Perplexity", ("PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY")),
    Provider("azure", "Azure OpenAI", ("AZURE_API_KEY",)),
)
_BY_PREFIX = {p.prefix: p for p in PROVIDERS}
OLLAMA_PREFIXES = ("ollama_chat", "ollama")
_LOCAL_PREFIXES = ("hosted_vllm", "lm_studio", "llamafile", "openai_like")
_OPENAI_BARE = ("gpt-", "o1", "o3", "o4", "chatgpt-", "ft:gpt")


def split_model(model: str) -> tuple[str | None, str]:
    """``("anthropic", "claude-...")`` for ``anthropic/claude-...``; ``(None, name)`` when there is no known prefix."""
    prefix, sep, rest = model.partition("/")
    if sep and (prefix in _BY_PREFIX or prefix in OLLAMA_PREFIXES or prefix in _LOCAL_PREFIXES):
        return prefix, rest
    return None, model


def provider_of(model: str) -> str | None:
    """The litellm provider a model string routes to, as far as we can tell without litellm (None if unsure)."""
    prefix, name = split_model(model)
    if prefix is not None:
        return prefix
    if name.startswith(_OPENAI_BARE):
        return "openai"
    if name.startswith("claude-"):
        return "anthropic"
    return None


def is_ollama(model: str) -> bool:
    """True for ``ollama/...`` and ``ollama_chat/...`` models."""
    return split_model(model)[0] in OLLAMA_PREFIXES


def ollama_base(api_base: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """Where the Ollama server is: ``api_base`` if given, else ``OLLAMA_API_BASE``, else localhost:11434."""
    env = os.environ if env is None else env
    return (api_base or env.get(OLLAMA_BASE_ENV) or OLLAMA_DEFAULT_BASE).rstrip("/")


def key_vars(model: str) -> tuple[str, ...]:
    """The environment variables that may hold the key ``model`` needs (empty for local or unknown providers)."""
    provider = provider_of(model)
    found = _BY_PREFIX.get(provider) if provider else None
    return found.key_vars if found else ()


def keys_set(env: Mapping[str, str] | None = None) -> list[str]:
    """The names (never the values) of the known provider key variables that are set."""
    env = os.environ if env is None else env
    return [var for p in PROVIDERS for var in p.key_vars if env.get(var, "").strip()]


def missing_key(model: str, *, api_key: str | None, api_base: str | None, env: Mapping[str, str] | None = None) -> bool:
    """True when ``model`` needs a provider key and none is given or set (checked before any network call)."""
    env = os.environ if env is None else env
    if api_key or api_base:
        return False
    wanted = key_vars(model)
    return bool(wanted) and not any(env.get(var, "").strip() for var in wanted)


# ------------------------------------------------------------------------------------------------------ hints
def key_hint(model: str, api_base: str | None = None) -> str:
    """What to set so that ``model`` has a key."""
    wanted = key_vars(model)
    if api_base:
        return (
            f"the server at {api_base} wants an API key: pass --api-key or set INTERVIEWER_API_KEY "
            "(`interviewer models` shows which provider keys are set)"
        )
    if wanted:
        names = " or ".join(wanted)
        return (
            f"set {names} (e.g. `export {wanted[0]}=...`), or run offline with --model offline; "
            "`interviewer models` shows which provider keys are set"
        )
    return "set the provider's API key variable; `interviewer models` shows which provider keys are set"


def connection_hint(model: str, api_base: str | None = None) -> str:
    """What to check when the model server cannot be reached."""
    if is_ollama(model):
        base = ollama_base(api_base)
        return (
            f"is `ollama serve` running at {base}? Start it, or point OLLAMA_API_BASE (or --api-base) at it; "
            "`interviewer models` checks the server"
        )
    if api_base:
        return f"is the model server running at {api_base}? Check --api-base; `interviewer models` checks it"
    return "check your network connection, or run offline with --model offline"


def not_found_hint(model: str, api_base: str | None = None) -> str:
    """How to find a model name that works."""
    if api_base and not is_ollama(model):
        return (
            f"check the model name and the server address {api_base} (OpenAI-compatible servers usually end in /v1); "
            "`interviewer models` checks the server"
        )
    if is_ollama(model):
        name = split_model(model)[1]
        return (
            f"`ollama list` shows the models you have and `ollama pull {name}` fetches this one; "
            "`interviewer models` lists what the server has"
        )
    return (
        "check the model name: `interviewer models` shows the model in use and the provider keys set; names look "
        "like gpt-4o-mini, anthropic/claude-haiku-4-5, gemini/gemini-2.0-flash, ollama_chat/llama3.2, or "
        "openai/<name> with --api-base"
    )
