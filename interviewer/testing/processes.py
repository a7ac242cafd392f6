"""Running Python code in a child process the way the tests need it: a home of its own, output captured as text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_code(code: str, *args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -c code args`` with ``INTERVIEWER_HOME=home``, run from the folder that holds ``home`` (never from
    the checkout, whose source tree would shadow the installed package); never raises for its exit status."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "INTERVIEWER_HOME": str(home)},
        cwd=home.parent,
    )
