"""Only interviewer.gateway.llm may import litellm (statically or through importlib)."""

from __future__ import annotations

import re
from pathlib import Path

import interviewer

_IMPORT = re.compile(r"^\s*(?:import litellm|from litellm\b)|import_module\(\s*[\"']litellm", re.MULTILINE)


def test_only_the_gateway_llm_module_imports_litellm() -> None:
    root = Path(interviewer.__file__).parent
    importers = sorted(
        str(path.relative_to(root)) for path in root.rglob("*.py") if _IMPORT.search(path.read_text(encoding="utf-8"))
    )
    assert importers == ["gateway/llm.py"]
