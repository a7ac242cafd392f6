"""Shared fixtures: an isolated home folder for every test and a guard against real network access."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
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
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
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


@pytest.fixture
def good_l1() -> str:
    """A correct, level-3 answer to l1_vs_l2 (the three must-haves, no bonus point): it earns follow-ups."""
    return GOOD_L1


@pytest.fixture
def expected_questions() -> dict[str, str]:
    """The ten seed question ids, in guide order, mapped to their kinds."""
    return dict(EXPECTED_QUESTIONS)


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run against a source tree that shadows the installed package (tui/ and evals/ would be missing)."""
    import importlib.util

    if importlib.util.find_spec("interviewer.tui") is None:
        pytest.exit(
            "interviewer.tui is not importable: the tests run against the installed package.\n"
            "Install it with `pip install '.[test]'` (not -e) and run `pytest` (not `python -m pytest`, "
            "which puts the source tree first on sys.path).",
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


@pytest.fixture
def cli(home: Path, tmp_path: Path) -> Cli:
    """Run the CLI in a subprocess with this test's home."""
    return Cli(home, tmp_path)
