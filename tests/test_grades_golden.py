"""The offline grader's grades of every labeled answer are byte-identical to the golden file (see
``tests/golden/make_grades.py``, which also says how to regenerate it when a change of grades is intended)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

_SCRIPT = Path(__file__).with_name("golden") / "make_grades.py"


def _make_grades() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_grades", _SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_grades_match_the_golden_file() -> None:
    make = _make_grades()
    golden: dict[str, dict[str, str]] = json.loads(make.GOLDEN.read_text(encoding="utf-8"))
    now: dict[str, dict[str, str]] = make.grades()
    if "saf" not in now:
        golden.pop("saf", None)  # the SAF benchmark is not part of the repository; compared where it is present
    assert sorted(now) == sorted(golden), "the labeled sets changed: regenerate with tests/golden/make_grades.py"
    differing = [
        f"{name}/{item}"
        for name in sorted(golden)
        for item in sorted(set(golden[name]) | set(now[name]))
        if golden[name].get(item) != now[name].get(item)
    ]
    count = sum(len(v) for v in golden.values())
    assert not differing, f"{len(differing)} of {count} grades differ, first: {', '.join(differing[:10])}"
