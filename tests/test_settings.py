"""Settings precedence: flags, then INTERVIEWER_* variables, then the TOML file, then defaults."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from interviewer import paths
from interviewer.errors import ConfigError
from interviewer.settings import load_settings


def _write_config(text: str) -> Path:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_offline_and_local(home: Path) -> None:
    settings = load_settings()
    assert settings.model == "offline" and settings.is_offline
    assert settings.max_probes == 2 and settings.mode == "coach"
    assert settings.db_url() == f"sqlite:///{home / 'data' / 'interviewer.db'}"


def test_precedence_flag_env_file_default(monkeypatch: pytest.MonkeyPatch) -> None:
    _write_config('model = "from-file"\nmax_probes = 3\nmode = "exam"\n')
    assert load_settings().model == "from-file"
    monkeypatch.setenv("INTERVIEWER_MODEL", "from-env")
    monkeypatch.setenv("INTERVIEWER_MAX_PROBES", "4")
    settings = load_settings()
    assert (settings.model, settings.max_probes, settings.mode) == ("from-env", 4, "exam")
    settings = load_settings(model="from-flag", max_probes=None)
    assert (settings.model, settings.max_probes) == ("from-flag", 4)


def test_config_file_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('model = "gpt-4o-mini"\n', encoding="utf-8")
    monkeypatch.setenv("INTERVIEWER_CONFIG_FILE", str(other))
    assert load_settings().model == "gpt-4o-mini"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("max_probes = 99\n", "max_probes"),
        ('mode = "relaxed"\n', "mode"),
        ("unknown_key = 1\n", "unknown_key"),
        ("model = \n", "cannot read the settings file"),
    ],
)
def test_bad_config_file_is_a_clear_error(text: str, needle: str) -> None:
    path = _write_config(text)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert needle in str(info.value)
    assert str(path) in (info.value.hint or "")


def test_bad_flag_value_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="max_probes"):
        load_settings(max_probes=-1)


def test_every_field_is_documented() -> None:
    import ast
    import inspect

    from interviewer import settings as module

    tree = ast.parse(inspect.getsource(module.Settings))
    body = tree.body[0].body  # type: ignore[attr-defined]
    fields = [n for n in body if isinstance(n, ast.AnnAssign)]
    for node, following in itertools.pairwise(body):
        if isinstance(node, ast.AnnAssign) and node.target.id != "model_config":  # type: ignore[union-attr]
            assert isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant), node.target.id  # type: ignore[union-attr]
    assert len(fields) > 10
