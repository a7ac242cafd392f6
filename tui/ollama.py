"""Detect the models of a local Ollama server, so the start screen can offer them.

The probe itself is the gateway's (``interviewer models`` uses the same one); this only turns its answer into
litellm model strings. An absent or broken server is not an error: it simply lists nothing.
"""

from __future__ import annotations

import asyncio

from interviewer.gateway.discovery import check_ollama
from interviewer.gateway.providers import ollama_base

__all__ = ["detect_ollama_models", "ollama_base"]


async def detect_ollama_models(base: str | None = None, wait: float = 0.8) -> list[str]:
    """The server's models as litellm model strings (``ollama_chat/<name>``), or [] when there is no server
    (or it does not answer within ``wait`` seconds)."""
    status = await asyncio.to_thread(check_ollama, ollama_base(base), wait)
    names = {name.strip().removesuffix(":latest") for name in status.models if name.strip()}
    return sorted(f"ollama_chat/{name}" for name in names)
