"""`interviewer models`: the model in use, provider keys (names only), the local Ollama server; works offline."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from typer.testing import CliRunner

from interviewer.cli import app

runner = CliRunner()


@pytest.fixture
def ollama_down(mock_http: respx.MockRouter) -> respx.Route:
    return mock_http.get("http://localhost:11434/api/tags").mock(side_effect=httpx.ConnectError("refused"))


def test_models_offline_with_no_network_and_no_keys(ollama_down: respx.Route) -> None:
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    assert "Model in use: offline" in result.stdout
    assert "Provider keys set: none" in result.stdout
    assert "not answering" in result.stdout and "ollama serve" in result.stdout


def test_models_json_names_keys_but_never_values(ollama_down: respx.Route, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-very-secret-value")
    result = runner.invoke(app, ["models", "--json", "--model", "gpt-4o-mini"])
    assert result.exit_code == 0, result.output
    assert "very-secret" not in result.stdout
    data = json.loads(result.stdout)
    assert data["model"] == "gpt-4o-mini" and data["provider"] == "openai"
    assert data["keys_set"] == ["ANTHROPIC_API_KEY"]
    assert data["keys_needed"] == ["OPENAI_API_KEY"] and data["key_missing"] is True
    assert data["ollama"]["answering"] is False


def test_models_lists_ollama_models(mock_http: respx.MockRouter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_API_BASE", "http://127.0.0.1:11500")
    mock_http.get("http://127.0.0.1:11500/api/tags").mock(
        return_value=httpx.Response(200, json={"models": [{"name": "llama3.2:latest"}, {"name": "qwen2.5:0.5b"}]})
    )
    result = runner.invoke(app, ["models", "--model", "ollama_chat/llama3.2"])
    assert result.exit_code == 0, result.output
    assert "Ollama at http://127.0.0.1:11500: answering" in result.stdout
    assert "llama3.2:latest, qwen2.5:0.5b" in result.stdout and "Missing key" not in result.stdout
    data = json.loads(runner.invoke(app, ["models", "--json", "--model", "ollama_chat/llama3.2"]).stdout)
    assert data["provider"] == "ollama" and data["ollama"]["models"] == ["llama3.2:latest", "qwen2.5:0.5b"]


def test_models_checks_an_openai_compatible_server(ollama_down: respx.Route, mock_http: respx.MockRouter) -> None:
    mock_http.get("http://127.0.0.1:8080/v1/models").mock(
        return_value=httpx.Response(200, json={"object": "list", "data": [{"id": "smol"}]})
    )
    result = runner.invoke(app, ["models", "--model", "openai/smol", "--api-base", "http://127.0.0.1:8080/v1"])
    assert result.exit_code == 0, result.output
    assert "Server at http://127.0.0.1:8080/v1: answering; models: smol" in result.stdout
    assert "Missing key" not in result.stdout


def test_models_without_respx_really_probes_localhost(monkeypatch: pytest.MonkeyPatch, unused_tcp_port: int) -> None:
    monkeypatch.setenv("OLLAMA_API_BASE", f"http://127.0.0.1:{unused_tcp_port}")
    result = runner.invoke(app, ["models", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["ollama"]["answering"] is False
