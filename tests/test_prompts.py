"""Prompt templates: data files, strict rendering, versions and hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from interviewer.bank import load_bank
from interviewer.errors import PromptError
from interviewer.prompting import PROMPT_NAMES, load_prompt, parse_template


def test_every_shipped_prompt_parses_with_version_and_hash() -> None:
    for name in PROMPT_NAMES:
        tpl = load_prompt(name)
        assert tpl.version >= 1
        assert tpl.hash == hashlib.sha256(tpl.path.read_bytes()).hexdigest()


def test_grade_technical_renders_rubric_and_fenced_answer() -> None:
    bank = load_bank()
    q = bank.get("l1_vs_l2")
    messages = load_prompt("grade_technical").render(
        question=q, levels=q.levels, answer="L1 gives sparsity.", fence="F3NCE", probe_count=0
    )
    assert [m["role"] for m in messages] == ["system", "user"]
    user = messages[1]["content"]
    assert "<<<F3NCE\nL1 gives sparsity.\nF3NCE>>>" in user
    for kp in q.key_points:
        assert kp.id in user
    assert "{{" not in user and "{%" not in user


def test_grade_star_renders_star_elements() -> None:
    bank = load_bank()
    q = bank.get("teammate_conflict")
    messages = load_prompt("grade_star").render(
        question=q, star=bank.star, levels=q.levels, answer="...", fence="X", probe_count=1
    )
    user = messages[-1]["content"]
    for name in ("situation", "task", "action", "result", "ownership", "quantified_result", "reflection"):
        assert f"- {name}:" in user


def test_missing_variable_fails() -> None:
    q = load_bank().get("l1_vs_l2")
    with pytest.raises(PromptError, match="fence"):
        load_prompt("grade_technical").render(question=q, levels=q.levels, answer="x", probe_count=0)


def test_template_without_front_matter_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.j2"
    path.write_text("{% block user %}hi{% endblock %}", encoding="utf-8")
    with pytest.raises(PromptError, match="front matter"):
        parse_template(path)


def test_template_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.j2"
    path.write_text("---\nname: bad\nversion: 1\n---\n{% block user %}\n{{ oops \n{% endblock %}", encoding="utf-8")
    with pytest.raises(PromptError, match="line"):
        parse_template(path)


def test_template_name_must_match_file(tmp_path: Path) -> None:
    path = tmp_path / "probe.j2"
    path.write_text("---\nname: other\nversion: 1\n---\n{% block user %}x{% endblock %}", encoding="utf-8")
    with pytest.raises(PromptError, match="name"):
        parse_template(path)


def test_the_shipped_prompts_are_exactly_the_listed_ones() -> None:
    """No template ships unused (the report is built from the grades, not written by a model)."""
    from interviewer.resources import data_dir

    assert sorted(p.stem for p in data_dir("prompts").glob("*.j2")) == sorted(PROMPT_NAMES)
