"""litellm is imported only when a model is really called: never to start, list questions, show models, build the
engines, or run a whole offline interview."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any


def run_python(script: str, home: Path) -> dict[str, Any]:
    env = {**os.environ, "INTERVIEWER_HOME": str(home), "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def test_offline_interview_never_imports_litellm(tmp_path: Path, home: Path) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text(
        "L1 adds the absolute values of the weights and drives some to exactly zero; L2 adds squares and shrinks.\n",
        encoding="utf-8",
    )
    script = f"""
        import contextlib, io, json, sys
        sys.argv = ["interviewer", "run", "--plain", "--answers", {str(answers)!r}, "-q", "l1_vs_l2",
                    "--max-probes", "0", "--db", "sqlite:///{tmp_path}/i.db"]
        from interviewer.cli import main
        out = io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out):
            try:
                main()
            except SystemExit as exc:
                code = exc.code or 0
        print(json.dumps({{"code": code, "litellm": "litellm" in sys.modules, "scored": "/5" in out.getvalue()
                          or "score" in out.getvalue().lower()}}))
    """
    assert run_python(script, home) == {"code": 0, "litellm": False, "scored": True}


def test_commands_and_engines_do_not_import_litellm(home: Path) -> None:
    script = """
        import contextlib, io, json, sys
        from interviewer.cli import app
        from typer.testing import CliRunner
        runner = CliRunner()
        codes = [runner.invoke(app, args).exit_code for args in (["questions"], ["models"], ["models", "--json"])]
        from interviewer.services import make_engines
        from interviewer.settings import Settings
        engines = make_engines(Settings(model="gpt-4o-mini"))
        print(json.dumps({"codes": codes, "litellm": "litellm" in sys.modules, "ledger": engines.ledger is not None}))
    """
    assert run_python(script, home) == {"codes": [0, 0, 0], "litellm": False, "ledger": True}
