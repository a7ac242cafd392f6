"""Detect the models of a local Ollama server (``GET /api/tags``), so the start screen can offer them.

An absent or broken server is not an error: it simply lists nothing.
"""

from __future__ import annotations

import os

import httpx

DEFAULT_BASE = "http://localhost:11434"


def ollama_base() -> str:
    """The Ollama server to ask: ``OLLAMA_API_BASE`` or the default local address."""
    return (os.environ.get("OLLAMA_API_BASE") or DEFAULT_BASE).rstrip("/")


async def detect_ollama_models(base: str | None = None, wait: float = 0.8) -> list[str]:
    """The server's models as litellm model strings (``ollama_chat/<name>``), or [] when there is no server
    (or it does not answer within ``wait`` seconds)."""
    url = f"{(base or ollama_base()).rstrip('/')}/api/tags"
    try:
        async with httpx.AsyncClient(timeout=wait) as client:
            response = await client.get(url)
            response.raise_for_status()
            data = response.json()
    except (httpx.HTTPError, ValueError, OSError):
        return []
    models = data.get("models") if isinstance(data, dict) else None
    names: list[str] = []
    for item in models if isinstance(models, list) else []:
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and name.strip():
            name = name.strip().removesuffix(":latest")
            names.append(f"ollama_chat/{name}")
    return sorted(set(names))
