"""Shared fixtures: an isolated home folder for every test and a guard against real network access."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Any

import pytest

EXPECTED_QUESTIONS = {
    "end_to_end_project": "behavioral",
    "bias_variance": "technical",
    "missing_data": "technical",
    "explain_to_stakeholder": "behavioral",
    "l1_vs_l2": "technical",
    "class_imbalance": "technical",
    "teammate_conflict": "behavioral",
    "mlops_pipeline": "technical",
    "rf_vs_gbm": "technical",
    "staying_updated": "behavioral",
}
"""The ten seed questions, in guide order, with their kinds."""

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


GOOD_L1 = (
    "Both add a penalty on the weights to the loss to reduce overfitting. L1 (lasso) adds the sum of absolute "
    "values, which drives many weights exactly to zero: a sparse model and feature selection. L2 (ridge) adds "
    "the sum of squared weights and shrinks them smoothly but rarely to zero."
)


def _is_local(address: Any) -> bool:
    if isinstance(address, str):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) and address else address
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not _is_local(address):
        raise RuntimeError(f"test tried to open a non-loopback connection to {address!r}")
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not _is_local(address):
        raise RuntimeError(f"test tried to open a non-loopback connection to {address!r}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh INTERVIEWER_HOME per test, and no provider keys or INTERVIEWER_* settings from the machine."""
    import os

    for name in list(os.environ):
        if name.startswith("INTERVIEWER_") and name != "INTERVIEWER_TEST_PG_URL":
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("INTERVIEWER_HOME", str(home))
    return home


@pytest.fixture
def repo_root() -> Path:
    """The repository checkout the tests run from."""
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database migrated once for the session, to copy (migrating a new one costs tens of ms)."""
    from interviewer.storage.repo import Repository

    path = tmp_path_factory.mktemp("migrated") / "interviewer.db"
    Repository.open(f"sqlite:///{path}").close()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # closed whole: nothing left in a WAL file
    return path


@pytest.fixture
def good_l1() -> str:
    """A correct, level-3 answer to l1_vs_l2 (the three must-haves, no bonus point): it earns follow-ups."""
    return GOOD_L1


@pytest.fixture
def expected_questions() -> dict[str, str]:
    """The ten seed question ids, in guide order, mapped to their kinds."""
    return dict(EXPECTED_QUESTIONS)


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run without the whole package (``interviewer.tui`` comes from the wheel, or from the checkout)."""
    import importlib.util

    if importlib.util.find_spec("interviewer.tui") is None:
        pytest.exit(
            "interviewer.tui is not importable: install the package first, "
            "`pip install -e '.[test]'` (edits are live) or `pip install '.[test]'`, and run `pytest`.",
            returncode=4,
        )


class Cli:
    """Runs the installed `interviewer` (or `evals`) command in a subprocess, as a user would, with its own home."""

    def __init__(self, home: Path, cwd: Path) -> None:
        self.home = home
        self.cwd = cwd

    def env(self, home: Path | None = None, **extra: str) -> dict[str, str]:
        import os

        return {**os.environ, "INTERVIEWER_HOME": str(home or self.home), "PYTHONIOENCODING": "utf-8", **extra}

    @staticmethod
    def argv(*args: str, evals: bool = False) -> list[str]:
        import sys

        if evals:
            return [sys.executable, "-c", "from interviewer.evals.cli import main; main()", *args]
        return [sys.executable, "-m", "interviewer.cli", *args]

    def run(
        self,
        *args: str,
        home: Path | None = None,
        stdin: bytes | str | None = None,
        timeout: float = 180,
        evals: bool = False,
        env: dict[str, str] | None = None,
    ) -> Any:
        """The finished process (text output; invalid UTF-8 replaced)."""
        import subprocess

        data = stdin.encode() if isinstance(stdin, str) else stdin
        proc = subprocess.run(
            self.argv(*args, evals=evals),
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=env or self.env(home),
            cwd=self.cwd,
        )
        return subprocess.CompletedProcess(
            proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
        )

    def spawn(self, *args: str, home: Path | None = None, capture: bool = False) -> Any:
        """A running process (output captured as text, or discarded)."""
        import subprocess

        stream = subprocess.PIPE if capture else subprocess.DEVNULL
        return subprocess.Popen(
            self.argv(*args), env=self.env(home), stdout=stream, stderr=stream, text=True, cwd=self.cwd
        )


class InProcessCli(Cli):
    """``run`` calls the CLI's entry point (``interviewer.cli.main``, or the evals one) in this process, as the
    subprocess would: the same argv, environment, working folder, bytes on stdin (not a terminal: plain mode) and UTF-8
    stdout/stderr, an uncaught exception printed as a traceback with status 1, ``sys.exit``'s code as the return
    code. It saves the interpreter start-up and the imports of every run (about a second each). ``spawn`` still
    starts a real process: signals, kills and processes running at once need one (and so do start-up, import
    isolation and crash tests, which use ``Cli`` or ``subprocess`` directly). ``timeout`` is not enforced here."""

    def run(
        self,
        *args: str,
        home: Path | None = None,
        stdin: bytes | str | None = None,
        timeout: float = 180,
        evals: bool = False,
        env: dict[str, str] | None = None,
    ) -> Any:
        """The finished run (text output; invalid UTF-8 replaced)."""
        import gc
        import io
        import os
        import subprocess
        import sys
        import traceback

        if evals:
            from interviewer.evals.cli import main
        else:
            from interviewer.cli import main
        data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
        captured = {"stdout": io.BytesIO(), "stderr": io.BytesIO()}
        streams = {
            "stdin": io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="\n"),
            "stdout": io.TextIOWrapper(captured["stdout"], encoding="utf-8", newline="\n"),
            "stderr": io.TextIOWrapper(captured["stderr"], encoding="utf-8", errors="backslashreplace", newline="\n"),
        }
        saved_streams = {name: getattr(sys, name) for name in streams}
        saved_env, saved_argv, saved_cwd = dict(os.environ), sys.argv, os.getcwd()
        os.environ.clear()
        os.environ.update(env or self.env(home))
        os.chdir(self.cwd)
        sys.argv = ["evals" if evals else "interviewer", *args]
        for name, stream in streams.items():
            setattr(sys, name, stream)
        code: Any = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        except Exception:  # as the interpreter does with an uncaught exception
            traceback.print_exc()
            code = 1
        finally:
            for stream in streams.values():
                stream.flush()
            for name, stream in saved_streams.items():
                setattr(sys, name, stream)
            sys.argv = saved_argv
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
            gc.unfreeze()  # an interview freezes what start-up built (cli._started): this process goes on
            gc.enable()
            if "interviewer.gateway.llm" in sys.modules:  # --verbose sent litellm's records to this home's log
                sys.modules["interviewer.gateway.llm"].detach_logs()
        if code is None:
            code = 0
        elif not isinstance(code, int):  # sys.exit("message"): printed on stderr, status 1
            streams["stderr"].write(f"{code}\n")
            streams["stderr"].flush()
            code = 1
        out, err = (captured[name].getvalue().decode("utf-8", "replace") for name in ("stdout", "stderr"))
        return subprocess.CompletedProcess(self.argv(*args, evals=evals), code, out, err)


@pytest.fixture
def cli(home: Path, tmp_path: Path) -> Cli:
    """Run the CLI in this process (``run``; ``spawn`` starts a real process) with this test's home."""
    return InProcessCli(home, tmp_path)


@pytest.fixture
def cli_process(home: Path, tmp_path: Path) -> Cli:
    """Run the CLI in a subprocess with this test's home."""
    return Cli(home, tmp_path)
