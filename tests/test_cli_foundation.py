"""The CLI skeleton: --version, questions, bank validate; and what starting it imports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from interviewer import __version__
from interviewer.cli import app
from interviewer.resources import data_dir

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"interviewer {__version__}"


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("questions", "bank"):
        assert command in result.stdout


def test_questions_table_lists_all_ten(expected_questions: dict[str, str]) -> None:
    result = runner.invoke(app, ["questions"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for qid in expected_questions:
        assert qid in result.stdout


def test_questions_json_is_the_whole_bank(expected_questions: dict[str, str]) -> None:
    result = runner.invoke(app, ["questions", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= {"version", "hash", "questions"}
    assert [(q["id"], q["kind"]) for q in data["questions"]] == list(expected_questions.items())
    assert all(q["levels"] and q["alternatives"] for q in data["questions"])


def test_questions_with_a_users_bank(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    shutil.copy(data_dir("rubrics") / "05_l1_vs_l2.yaml", mine)
    result = runner.invoke(app, ["questions", "--json", "--bank", str(mine)])
    assert result.exit_code == 0
    assert [q["id"] for q in json.loads(result.stdout)["questions"]] == ["l1_vs_l2"]


def test_bank_validate_shipped_bank() -> None:
    result = runner.invoke(app, ["bank", "validate", str(data_dir("rubrics"))])
    assert result.exit_code == 0, result.output
    assert "10 question(s)" in result.stdout


def test_bank_validate_broken_copy_exits_1_with_one_line(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(data_dir("rubrics"), bank)
    path = bank / "09_rf_vs_gbm.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["questions"][0]["levels"]
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = runner.invoke(app, ["bank", "validate", str(bank)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"{path}: question 'rf_vs_gbm': levels: Field required"]


def test_bank_validate_missing_path(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bank", "validate", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_questions_with_broken_bank_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1.0\nquestions: 3\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "interviewer.cli", "questions", "--bank", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "Invalid question bank" in proc.stderr and "bad.yaml" in proc.stderr


def _loaded_after(tmp_path: Path, code: str, packages: tuple[str, ...]) -> list[str]:
    """Which of ``packages`` (or modules: ``interviewer.engine.session``) a fresh interpreter has imported after
    running ``code``."""
    probe = (
        f"{code}\nimport sys\n"
        f"loaded = sorted(p for p in {packages!r} if any(m == p or m.startswith(p + '.') for m in sys.modules))\n"
        "sys.stderr.write('\\nLOADED=' + ','.join(loaded) + '.')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path
    )
    assert "LOADED=" in proc.stderr, proc.stderr
    return [m for m in proc.stderr.rsplit("LOADED=", 1)[1].strip().rstrip(".").split(",") if m]


def test_listing_questions_imports_neither_litellm_nor_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from interviewer.cli import main\n"
        "sys.argv = ['interviewer', 'questions', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert _loaded_after(tmp_path, code, ("litellm", "textual", "openai")) == []


def test_the_tui_loads_no_model_machinery_before_its_first_question(tmp_path: Path) -> None:
    """httpx (80 ms with the rich modules it pulls in) is only for asking a model server what it has, and jinja2 and
    json_repair only for model prompts and replies: the TUI imports them when it uses a model, not at start-up. Their
    twin: checking a local server and grading through a model still work (tests/gateway)."""
    code = "import interviewer.tui.app, interviewer.services, interviewer.gateway.discovery"
    assert _loaded_after(tmp_path, code, ("httpx", "jinja2", "json_repair")) == []


PAINTED_BEFORE_THE_CORE = """
import asyncio
from textual.widgets import Static
from interviewer.settings import Settings
from interviewer.tui.app import make_app
from interviewer.tui.backend import Backend

opened = []

async def hold(self, *args, **kwargs):  # the core is imported and the session opened here: hold it there
    opened.append(True)
    await asyncio.Event().wait()

Backend.open_session = hold

def painted(app):
    return any(
        isinstance(w, Static) and w.region.area and "difference between L1 and L2" in str(w.visual)
        for w in app.screen.walk_children()
    )

async def main():
    app = make_app(Settings(), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if opened and painted(app):
                break
        else:
            raise SystemExit(f"first question painted: {painted(app)}, session being opened: {bool(opened)}")
        app.exit()

asyncio.run(main())
"""


def test_the_first_question_is_painted_before_the_core_is_imported(tmp_path: Path) -> None:
    """With --question the first question comes from the bank: it is on screen before the session service, SQLAlchemy,
    Alembic and the grader are imported (they load behind it, when the session is opened). Its twin, that the session
    then asks that very question and stores the answer, is in tests/tui."""
    core = ("sqlalchemy", "alembic", "interviewer.engine.session", "interviewer.storage", "interviewer.grading")
    assert _loaded_after(tmp_path, PAINTED_BEFORE_THE_CORE, core) == []


def test_the_tui_exit_code_reaches_the_shell(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The fatal screen says the program exits with code 1: the process does (the app's return code is passed on)."""

    import interviewer.tui.app as tui_app
    from interviewer import cli
    from interviewer.settings import load_settings

    class FakeApp:
        return_code = 1

        def run(self) -> None:
            return None

    monkeypatch.setattr(cli, "_tui_available", lambda: True)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(tui_app, "make_app", lambda *a, **k: FakeApp())
    settings = load_settings(db=f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(typer.Exit) as exited:
        cli._interview(settings, cli.Interview(), cli.Output(plain=False, answers=None, as_json=False))
    assert exited.value.exit_code == 1
    FakeApp.return_code = 0
    cli._interview(settings, cli.Interview(), cli.Output(plain=False, answers=None, as_json=False))


def test_review_and_retry_take_runs_shared_options() -> None:
    shared = {"--model", "--api-base", "--api-key", "--bank", "--db", "--max-probes", "--max-cost", "--time-limit"}
    shared |= {"--plain", "--answers", "--json", "--verbose"}
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in ("run", "retry", "review"):
        options = {o for p in commands[name].params for o in p.opts}
        assert shared <= options, (name, sorted(shared - options))
