"""The TUI's small parts: Ollama detection, drafts, formatting, and how the CLI opens the app."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import respx
from typer.testing import CliRunner

from interviewer import cli
from interviewer.services import detect_ollama_models
from interviewer.tui.drafts import Drafts
from interviewer.tui.formatting import clock_text, word_count
from interviewer.tui.widgets.score_bar import bar_cells
from interviewer.tui.widgets.status_line import timing_text, usage_text


@respx.mock
async def test_ollama_models_are_listed_as_litellm_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_API_BASE", "http://127.0.0.1:9999/")
    respx.get("http://127.0.0.1:9999/api/tags").mock(
        return_value=httpx.Response(200, json={"models": [{"name": "llama3.2:latest"}, {"name": "qwen2.5:0.5b"}]})
    )
    assert await detect_ollama_models() == ["ollama_chat/llama3.2", "ollama_chat/qwen2.5:0.5b"]


@respx.mock
async def test_no_ollama_server_lists_nothing() -> None:
    respx.get("http://localhost:11434/api/tags").mock(side_effect=httpx.ConnectError("refused"))
    assert await detect_ollama_models() == []
    respx.get("http://127.0.0.1:1/api/tags").mock(return_value=httpx.Response(200, text="not json"))
    assert await detect_ollama_models("http://127.0.0.1:1") == []


def test_drafts_round_trip(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path / "drafts")
    assert drafts.load("abc123") == ""
    drafts.save("abc123", "half an answer\nwith two lines")
    assert drafts.load("abc123") == "half an answer\nwith two lines"
    drafts.save("abc123", "   ")  # an empty draft removes the file
    assert not drafts.path("abc123").exists()
    drafts.save("abc123", "again")
    drafts.clear("abc123")
    assert drafts.load("abc123") == ""
    with pytest.raises(ValueError, match="not an interview id"):
        drafts.path("../escape")


def test_drafts_live_in_the_data_folder(home: Path) -> None:
    assert Drafts().path("abc") == home / "data" / "drafts" / "abc.txt"


def test_formatting() -> None:
    assert word_count("  one two\nthree ") == 3
    assert clock_text(0) == "0:00" and clock_text(75.9) == "1:15" and clock_text(3725) == "1:02:05"
    assert bar_cells(None, 10) == ("", "··········", "skipped", "muted")
    filled, rest, label, level = bar_cells(3.5, 10)
    assert (filled, len(rest), label, level) == ("███████", 3, "3.5/5", "warning")
    assert bar_cells(5, 10)[0] == "█" * 10 and bar_cells(1, 10)[3] == "error"
    assert timing_text(1, 130, 120).plain == "1 word · 2:10 · 0:10 over time"
    assert timing_text(2, 30, 120).plain == "2 words · 0:30 · 1:30 left"
    assert usage_text("gpt-4o-mini", offline_engine=False, tokens=1234, cost_usd=0.0021).plain == (
        "gpt-4o-mini · 1,234 tok · $0.0021"
    )
    assert usage_text("offline", offline_engine=True, tokens=0, cost_usd=0).plain == "offline engine · no model calls"


class _FakeApp:
    return_code = 0  # what Textual's App.run leaves when the app quits normally

    def __init__(self, calls: list[dict[str, Any]], **kwargs: Any) -> None:
        calls.append(kwargs)

    def run(self) -> None:
        return None


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {"start": True, "resume": False, "question_ids": []}),
        (["run", "-q", "l1_vs_l2"], {"start": False, "resume": False, "question_ids": ["l1_vs_l2"]}),
        (["retry", "l1_vs_l2"], {"start": False, "resume": False, "question_ids": ["l1_vs_l2"], "retry": True}),
        (["resume", "abc"], {"start": False, "resume": True, "resume_id": "abc"}),
    ],
)
def test_cli_opens_the_tui_in_a_terminal(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: dict[str, Any]
) -> None:
    import interviewer.tui.app as tui_app

    calls: list[dict[str, Any]] = []

    def fake_make_app(settings: Any, **kwargs: Any) -> _FakeApp:
        return _FakeApp(calls, **kwargs)

    monkeypatch.setattr(tui_app, "make_app", fake_make_app)
    terminal = SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(cli, "sys", SimpleNamespace(stdin=terminal, stdout=terminal, exit=sys.exit))
    result = CliRunner().invoke(cli.app, argv)
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    for key, value in expected.items():
        assert calls[0][key] == value
