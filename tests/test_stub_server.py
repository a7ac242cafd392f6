"""The loopback stub server that fault tests and benchmarks use."""

from __future__ import annotations

import json

import httpx

from interviewer.testing.stub_server import Faults, StubServer, instance_of


def test_schema_instances_are_valid() -> None:
    schema = {
        "type": "object",
        "required": ["score", "items", "kind"],
        "properties": {
            "score": {"type": "integer", "minimum": 1, "maximum": 5},
            "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}, "minItems": 1},
            "kind": {"enum": ["a", "b"]},
            "note": {"anyOf": [{"type": "null"}, {"type": "string"}]},
        },
        "$defs": {"Item": {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}},
    }
    assert instance_of(schema) == {"score": 3, "items": [{"ok": False}], "kind": "a"}


def test_replies_plain_streamed_and_structured() -> None:
    with StubServer() as server:
        url = f"{server.base_url}/chat/completions"
        plain = httpx.post(url, json={"model": "stub", "messages": []}).json()
        assert plain["choices"][0]["message"]["content"].endswith("?")
        schema = {"type": "object", "properties": {"score": {"type": "integer"}}, "required": ["score"]}
        structured = httpx.post(
            url,
            json={
                "model": "stub",
                "messages": [],
                "response_format": {"type": "json_schema", "json_schema": {"name": "g", "schema": schema}},
            },
        ).json()
        assert json.loads(structured["choices"][0]["message"]["content"]) == {"score": 3}
        with httpx.stream("POST", url, json={"model": "stub", "messages": [], "stream": True}) as response:
            events = [line for line in response.iter_lines() if line.startswith("data: ")]
        assert events[-1] == "data: [DONE]" and len(events) > 3
        assert server.stats.requests == 3


def test_injected_faults_are_counted() -> None:
    with StubServer(faults=Faults(rate=1.0, kinds=("429",), retry_after=0.5), seed=1) as server:
        response = httpx.post(f"{server.base_url}/chat/completions", json={"model": "stub", "messages": []})
        assert response.status_code == 429 and response.headers["Retry-After"] == "0.5"
        assert server.stats.outcomes["429"] == 1
