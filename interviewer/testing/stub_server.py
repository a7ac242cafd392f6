"""A loopback OpenAI-compatible stub server for tests, benchmarks and demos (standard library only).

It answers ``POST /v1/chat/completions`` (plain and streamed) after a fixed latency, and ``GET /v1/models``. When a
request carries a JSON schema (``response_format``), the reply is a valid instance of it, so structured calls
succeed; otherwise it is a short follow-up question. Faults can be injected at a seeded rate: 429 with Retry-After,
500, 503, a timeout (a reply slower than the client waits), a dropped connection, truncated JSON and malformed
JSON. It binds 127.0.0.1 only, and every request is counted.

    with StubServer(latency=0.2) as server:
        ...  # model "openai/stub" with api_base=server.base_url
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

FAULT_KINDS = ("429", "500", "503", "timeout", "drop", "truncated", "malformed")
DEFAULT_TEXT = "Could you walk me through what you personally did, step by step?"


@dataclass
class Faults:
    """Which faults to inject, how often, and how long a 'timeout' reply takes."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    retry_after: float = 0.05
    timeout_seconds: float = 3.0


@dataclass
class Stats:
    requests: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    authorizations: Counter[str] = field(default_factory=Counter)
    """The ``Authorization`` headers the server saw (to check that a key was sent, and only where it should be)."""


def instance_of(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """A small valid instance of a JSON schema (objects with their required properties, mid-range numbers)."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return instance_of(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return instance_of(options[0], defs)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    return _INSTANCES.get(kind, _string)(schema, defs, kind)


def _object(schema: dict[str, Any], defs: dict[str, Any], kind: str) -> Any:
    props = schema.get("properties", {})
    return {name: instance_of(props[name], defs) for name in schema.get("required", list(props))}


def _array(schema: dict[str, Any], defs: dict[str, Any], kind: str) -> Any:
    return [instance_of(schema.get("items", {"type": "string"}), defs) for _ in range(schema.get("minItems", 0))]


def _number(schema: dict[str, Any], defs: dict[str, Any], kind: str) -> Any:
    low, high = schema.get("minimum", 1), schema.get("maximum", 5)
    value = (low + high) / 2
    return int(value) if kind == "integer" else value


def _string(schema: dict[str, Any], defs: dict[str, Any], kind: str) -> Any:
    return "x" * max(1, int(schema.get("minLength", 1)))


_INSTANCES: dict[str, Callable[[dict[str, Any], dict[str, Any], str], Any]] = {
    "object": _object,
    "array": _array,
    "integer": _number,
    "number": _number,
    "boolean": lambda schema, defs, kind: False,
    "null": lambda schema, defs, kind: None,
}
"""How to make an instance of each JSON-schema type (anything else is a string)."""


def _schema_of(body: dict[str, Any]) -> dict[str, Any] | None:
    fmt = body.get("response_format")
    if isinstance(fmt, dict):
        if fmt.get("type") == "json_schema":
            inner = fmt.get("json_schema", {})
            schema = inner.get("schema", inner)
            return schema if isinstance(schema, dict) else None
        if fmt.get("type") == "json_object":  # llama.cpp-style servers honour a schema sent with JSON mode
            schema = fmt.get("schema")
            return schema if isinstance(schema, dict) else {"type": "object", "properties": {}}
    return None


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # socketserver's 5 drops SYNs when 16+ clients connect at once


class StubServer:
    """The server; a context manager that starts it on a free loopback port."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        faults: Faults | None = None,
        seed: int = 0,
        reply: Callable[[dict[str, Any]], str] | None = None,
    ) -> None:
        self.latency = latency
        self.faults = faults or Faults()
        self.reply = reply
        self.stats = Stats()
        self.bodies: list[dict[str, Any]] = []
        """Every chat request received, in order (benchmarks replay them against a baseline)."""
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> StubServer:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in two sends: no 40 ms delayed-ACK stall

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": "stub", "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                stub.stats.authorizations[self.headers.get("Authorization", "")] += 1
                length = int(self.headers.get("Content-Length", "0"))
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    self._json(400, {"error": {"message": "bad JSON"}})
                    return
                stub._serve(self, body)

            def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="stub-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------------------------------------ serving
    def _pick_fault(self) -> str | None:
        with self._lock:
            self.stats.requests += 1
            if self.faults.rate and self._rng.random() < self.faults.rate:
                return self._rng.choice(self.faults.kinds)
        return None

    def _count(self, outcome: str) -> None:
        with self._lock:
            self.stats.outcomes[outcome] += 1

    def _serve(self, handler: Any, body: dict[str, Any]) -> None:
        with self._lock:
            self.bodies.append(body)
        fault = self._pick_fault()
        if self.latency:
            time.sleep(self.latency)
        self._count(fault or "ok")
        if fault in ("429", "500", "503"):
            headers = {"Retry-After": f"{self.faults.retry_after:g}"} if fault == "429" else {}
            handler._json(int(fault), {"error": {"message": f"injected {fault}", "type": "stub"}}, headers)
            return
        if fault == "timeout":
            time.sleep(self.faults.timeout_seconds)
        if fault == "drop":
            handler.close_connection = True
            handler.connection.shutdown(2)
            return
        schema = _schema_of(body)
        if self.reply is not None:
            content = self.reply(body)
        elif schema is not None:
            content = json.dumps(instance_of(schema))
        else:
            content = DEFAULT_TEXT
        if fault == "truncated":
            content = content[: max(1, len(content) // 2)]
        elif fault == "malformed":
            content = "```json\n" + content.replace('"', "'").replace(",", ",,", 1) + "\n```"
        model = str(body.get("model", "stub"))
        usage = {
            "prompt_tokens": 100,
            "completion_tokens": max(1, len(content) // 4),
            "total_tokens": 100 + max(1, len(content) // 4),
        }
        if body.get("stream"):
            self._stream(handler, model, content, usage)
            return
        handler._json(
            200,
            {
                "id": "chatcmpl-stub",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
                "usage": usage,
            },
        )

    @staticmethod
    def _stream(handler: Any, model: str, content: str, usage: dict[str, int]) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        words = content.split(" ")
        for i, word in enumerate(words):
            delta = {"content": word + (" " if i < len(words) - 1 else "")}
            if i == 0:
                delta["role"] = "assistant"
            chunk = {
                "id": "chatcmpl-stub",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
            }
            handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            handler.wfile.flush()
        final = {
            "id": "chatcmpl-stub",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            "usage": usage,
        }
        handler.wfile.write(f"data: {json.dumps(final)}\n\ndata: [DONE]\n\n".encode())
        handler.wfile.flush()
