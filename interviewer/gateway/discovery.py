"""What ``interviewer models`` shows: the model in use, which provider keys are set (names only, never values),
whether a local Ollama server answers and what it has, and whether a configured ``api_base`` server answers.

Plain HTTP with short timeouts (httpx, never litellm), so it works, fast, with no network and no keys.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from interviewer.gateway.providers import (
    is_ollama,
    key_vars,
    keys_set,
    missing_key,
    ollama_base,
    provider_of,
)
from interviewer.settings import Settings

PROBE_TIMEOUT = 1.5


@dataclass
class ServerStatus:
    """A model server and what it said."""

    url: str
    answering: bool
    models: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class ModelsReport:
    """Everything ``interviewer models`` prints."""

    model: str
    offline: bool
    provider: str | None
    api_base: str | None
    keys_needed: list[str]
    keys_set: list[str]
    key_missing: bool
    ollama: ServerStatus
    server: ServerStatus | None = None
    """The ``api_base`` server of an OpenAI-compatible model, when one is configured."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _get_json(url: str, timeout: float, headers: dict[str, str] | None = None) -> tuple[Any, str | None]:
    import httpx  # here, not at the top: it costs 80 ms, and the TUI imports this module before its first paint

    try:
        response = httpx.get(url, timeout=timeout, headers=headers or {})
        response.raise_for_status()
        return response.json(), None
    except httpx.HTTPStatusError as exc:
        return None, f"HTTP {exc.response.status_code}"
    except httpx.TimeoutException:
        return None, "no answer in time"
    except httpx.HTTPError as exc:
        return None, type(exc).__name__.replace("Error", " error").strip().lower() or "unreachable"
    except ValueError:
        return None, "not JSON"


def check_ollama(base: str, timeout: float = PROBE_TIMEOUT) -> ServerStatus:
    """GET ``/api/tags`` on an Ollama server: does it answer, and which models does it have?"""
    data, error = _get_json(f"{base}/api/tags", timeout)
    if error is not None:
        return ServerStatus(base, False, error=error)
    items = data.get("models", []) if isinstance(data, dict) else []
    names = [m.get("name") or m.get("model") for m in items if isinstance(m, dict)] if isinstance(items, list) else []
    return ServerStatus(base, True, sorted(n for n in names if isinstance(n, str) and n.strip()))


def check_openai_compatible(base: str, api_key: str | None, timeout: float = PROBE_TIMEOUT) -> ServerStatus:
    """GET ``/models`` on an OpenAI-compatible server (llama.cpp, LM Studio, vLLM)."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else None
    data, error = _get_json(f"{base.rstrip('/')}/models", timeout, headers)
    if error is not None:
        return ServerStatus(base, False, error=error)
    items = (data or {}).get("data", []) if isinstance(data, dict) else []
    return ServerStatus(base, True, sorted(str(m.get("id")) for m in items if isinstance(m, dict)))


def describe(settings: Settings, *, timeout: float = PROBE_TIMEOUT) -> ModelsReport:
    """The report for these settings."""
    model = settings.model
    offline = settings.is_offline
    ollama = check_ollama(ollama_base(settings.api_base if is_ollama(model) else None), timeout)
    server = None
    if settings.api_base and not offline and not is_ollama(model):
        server = check_openai_compatible(settings.api_base, settings.api_key, timeout)
    return ModelsReport(
        model=model,
        offline=offline,
        provider=None if offline else ("ollama" if is_ollama(model) else provider_of(model)),
        api_base=settings.api_base,
        keys_needed=[] if offline else list(key_vars(model)),
        keys_set=keys_set(),
        key_missing=not offline and missing_key(model, api_key=settings.api_key, api_base=settings.api_base),
        ollama=ollama,
        server=server,
    )


@dataclass(frozen=True)
class Problem:
    """Why the configured model cannot be used, found before the first answer."""

    title: str
    message: str
    hint: str


def preflight(settings: Settings, *, timeout: float = PROBE_TIMEOUT) -> Problem | None:
    """What stands in the way of the configured model, checked at start without a paid call: a missing key, or a
    local server (Ollama, an ``api_base`` server) that does not answer or lacks the model. None when nothing does (a
    hosted model with its key is not called: only its first real call can tell more)."""
    if settings.is_offline:
        return None
    model = settings.model
    if missing_key(model, api_key=settings.api_key, api_base=settings.api_base):
        names = " or ".join(key_vars(model)) or "its API key"
        return Problem(
            "Missing API key", f"{model} needs {names}, which is not set", f"export {names}=... or use --model offline"
        )
    if is_ollama(model):
        status = check_ollama(ollama_base(settings.api_base), timeout)
        if not status.answering:
            return Problem(
                "No Ollama server",
                f"no Ollama server answers at {status.url} ({status.error})",
                "start it with `ollama serve` (or set OLLAMA_API_BASE), or use --model offline",
            )
        wanted = model.split("/", 1)[1]
        have = {n.removesuffix(":latest") for n in status.models} | set(status.models)
        if wanted not in have:
            return Problem(
                "Model not pulled",
                f"the Ollama server at {status.url} has no model '{wanted}'",
                f"run `ollama pull {wanted}`, or use --model offline",
            )
        return None
    if settings.api_base:
        server = check_openai_compatible(settings.api_base, settings.api_key, timeout)
        if not server.answering:
            return Problem(
                "Model server not answering",
                f"the server at {settings.api_base} does not answer ({server.error})",
                "start the server, check --api-base, or use --model offline",
            )
    return None


def render_text(report: ModelsReport) -> list[str]:
    """The report as lines for a terminal."""
    lines = []
    if report.offline:
        lines.append("Model in use: offline (the built-in rubric engine; no key, no network)")
    else:
        where = f" at {report.api_base}" if report.api_base else ""
        lines.append(f"Model in use: {report.model}{where} (provider: {report.provider or 'as litellm routes it'})")
        if report.key_missing:
            lines.append(f"  Missing key: set {' or '.join(report.keys_needed)} to use it.")
    lines.append(
        "Provider keys set: "
        + (", ".join(report.keys_set) if report.keys_set else "none")
        + " (names only; values are never shown)"
    )
    o = report.ollama
    if o.answering:
        names = ", ".join(o.models) if o.models else "no models yet (`ollama pull llama3.2`)"
        lines.append(f"Ollama at {o.url}: answering; models: {names}")
        if o.models:
            lines.append(f"  Use one with --model ollama_chat/{o.models[0].removesuffix(':latest')}")
    else:
        lines.append(f"Ollama at {o.url}: not answering ({o.error}); start it with `ollama serve`")
    if report.server is not None:
        s = report.server
        if s.answering:
            lines.append(f"Server at {s.url}: answering; models: {', '.join(s.models) or 'none listed'}")
        else:
            lines.append(f"Server at {s.url}: not answering ({s.error})")
    lines.append(
        "Choose a model with --model or INTERVIEWER_MODEL: gpt-4o-mini, anthropic/claude-haiku-4-5, "
        "gemini/gemini-2.0-flash, ollama_chat/<name>, openai/<name> with --api-base, or offline."
    )
    return lines
