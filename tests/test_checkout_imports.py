"""The repository's top-level tui/, evals/, prompts/ and rubrics/ are ``interviewer.tui``, ``interviewer.evals`` and
the package's data whether the package comes from the installed wheel or from a source checkout (an editable
install, or the working folder being the repository, which shadows the installed package)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, interviewer, interviewer.tui, interviewer.tui.app, interviewer.evals, interviewer.evals.cli
from interviewer.resources import data_dir
print(json.dumps({
    "interviewer": interviewer.__file__, "tui": interviewer.tui.__file__, "evals": interviewer.evals.__file__,
    "prompts": str(data_dir("prompts")), "rubrics": str(data_dir("rubrics")), "path": list(interviewer.__path__),
}))
"""


def _probe(cwd: Path, code: str = PROBE, pythonpath: Path | None = None) -> dict[str, object]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False, cwd=cwd, env=env
    )
    assert proc.returncode == 0, proc.stderr
    found: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return found


def test_from_the_repository_root_the_checkouts_files_are_used(repo_root: Path) -> None:
    """``python -c``/``python -m`` put the working folder first: from the repository root the source tree is the
    package, and its subpackages and data are the repository's own folders, not missing (nor the installed copy)."""
    found = _probe(repo_root)
    assert found["interviewer"] == str(repo_root / "interviewer" / "__init__.py")
    assert found["tui"] == str(repo_root / "tui" / "__init__.py")
    assert found["evals"] == str(repo_root / "evals" / "__init__.py")
    assert found["prompts"] == str(repo_root / "prompts")
    assert found["rubrics"] == str(repo_root / "rubrics")


def test_from_elsewhere_the_installed_package_is_whole(tmp_path: Path, repo_root: Path) -> None:
    """Away from the checkout: the installed wheel (everything inside the package) or an editable install (the
    checkout's folders)."""
    found = _probe(tmp_path)
    package = Path(str(found["interviewer"])).parent
    if package == repo_root / "interviewer":  # editable
        assert found["tui"] == str(repo_root / "tui" / "__init__.py")
        assert found["evals"] == str(repo_root / "evals" / "__init__.py")
        assert found["prompts"] == str(repo_root / "prompts")
    else:  # the wheel: nothing from outside the installed package
        assert found["path"] == [str(package)]
        assert found["tui"] == str(package / "tui" / "__init__.py")
        assert found["evals"] == str(package / "evals" / "__init__.py")
        assert found["prompts"] == str(package / "prompts")
        assert found["rubrics"] == str(package / "rubrics")


def test_only_a_checkout_extends_the_package(tmp_path: Path, repo_root: Path) -> None:
    """The wheel's layout (tui/ inside the package) is left alone; a folder that is not a checkout is not added."""
    code = "import json, interviewer; print(json.dumps({'path': list(interviewer.__path__)}))"
    init = repo_root / "interviewer" / "__init__.py"

    wheel = tmp_path / "wheel"
    (wheel / "interviewer" / "tui").mkdir(parents=True)
    shutil.copy(init, wheel / "interviewer" / "__init__.py")
    (wheel / "tui").mkdir()  # even beside a pyproject.toml and a tui/ package
    (wheel / "tui" / "__init__.py").write_text("", encoding="utf-8")
    (wheel / "pyproject.toml").write_text("", encoding="utf-8")
    assert _probe(tmp_path, code, wheel)["path"] == [str(wheel / "interviewer")]

    loose = tmp_path / "loose"  # a tui/ beside it but no pyproject.toml: not a checkout
    (loose / "interviewer").mkdir(parents=True)
    shutil.copy(init, loose / "interviewer" / "__init__.py")
    (loose / "tui").mkdir()
    (loose / "tui" / "__init__.py").write_text("", encoding="utf-8")
    assert _probe(tmp_path, code, loose)["path"] == [str(loose / "interviewer")]

    (loose / "pyproject.toml").write_text("", encoding="utf-8")  # now it is one
    assert _probe(tmp_path, code, loose)["path"] == [str(loose / "interviewer"), str(loose)]
