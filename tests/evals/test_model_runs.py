"""evals with a model: a loopback OpenAI-compatible stub server behind the real gateway; repeats, and a re-run from
the response cache that makes no model call and does not import litellm."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from interviewer.testing.processes import run_code
from interviewer.testing.stub_server import StubServer

CODE = (
    "import sys\n"
    "from interviewer.evals.cli import main\n"
    "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
    "sys.stderr.write('\\nLITELLM=' + str('litellm' in sys.modules) + '\\n')\n"
    "sys.exit(code)\n"
)


def _dataset(tmp_path: Path, n: int = 6) -> Path:
    path = tmp_path / "small.jsonl"
    rows = [
        {
            "id": f"i{k}",
            "question_id": "l1_vs_l2" if k % 2 else "teammate_conflict",
            "answer": f"Answer number {k}: lasso zeroes weights, ridge shrinks them.",
            "gold": {"score": 3},
        }
        for k in range(n)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return run_code(CODE, *args, home=home)


@pytest.mark.slow
def test_model_run_then_cached_rerun(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = _dataset(tmp_path)
    with StubServer(latency=0.01) as server:
        args = [
            "--dataset",
            str(data),
            "--model",
            "offline",
            "--model",
            "openai/stub",
            "--api-base",
            server.base_url,
            "--repeat",
            "2",
            "--concurrency",
            "4",
            "--json",
        ]
        first = _run(args, home)
        assert first.returncode == 0, first.stderr
        calls = server.stats.requests
        assert calls >= 6 * 3  # two repeats and the invariance variant of each item
        second = _run(args, home)
        assert second.returncode == 0, second.stderr
        assert server.stats.requests == calls  # every reply came from the cache
    one, two = json.loads(first.stdout)["results"], json.loads(second.stdout)["results"]
    assert [r["model"] for r in one] == ["offline", "openai/stub"]
    model_first, model_second = one[1], two[1]
    assert model_first["model_calls"] > 0 and model_second["model_calls"] == 0
    assert model_second["cache_hits"] >= calls
    for key in ("qwk", "mae", "exact", "consistency", "mean_score"):
        assert model_first[key] == model_second[key], key
    assert model_first["consistency"] is not None
    # the share of gradings that needed a re-ask or fell back is reported for a model, not offline
    assert model_first["reask_share"] is not None and 0 <= model_first["reask_share"] <= 1
    assert model_first["fallback_share"] is not None and 0 <= model_first["fallback_share"] <= 1
    assert one[0]["reask_share"] is None and one[0]["fallback_share"] is None
    assert "LITELLM=False" in second.stderr  # a cache hit never imports litellm
