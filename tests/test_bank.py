"""The shipped question bank and bank validation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from interviewer.bank import Kind, load_bank
from interviewer.bank.loader import bank_files, content_hash, validate_files
from interviewer.errors import BankError
from interviewer.resources import data_dir

_ASKING_VERBS = {"tell", "walk", "describe", "give", "talk", "share", "explain", "take"}
GUIDE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "ml_engineer_interview_guide.txt"


def test_default_bank_has_the_ten_questions_in_guide_order(expected_questions: dict[str, str]) -> None:
    bank = load_bank()
    assert bank.ids == list(expected_questions)
    assert {q.id: q.kind.value for q in bank.questions} == expected_questions
    assert re.fullmatch(r"[0-9a-f]{64}", bank.hash)


def test_every_question_is_complete() -> None:
    bank = load_bank()
    for q in bank.questions:
        assert 2 <= len(q.alternatives) <= 4, q.id
        assert sorted(q.levels) == [1, 2, 3, 4, 5], q.id
        assert q.topic and q.competency and q.strong_answer, q.id
        if q.kind is Kind.TECHNICAL:
            assert any(kp.required for kp in q.key_points), q.id
            assert q.misconceptions, q.id
        else:
            assert q.star is not None and len(q.star) == 4, q.id
        for kp in q.key_points:
            probe = kp.probe.strip()
            assert probe.endswith("?") or probe.split()[0].lower() in _ASKING_VERBS, (q.id, kp.id, probe)


@pytest.mark.skipif(not GUIDE.is_file(), reason="the interview guide (shared/seed) is not beside this checkout")
def test_question_texts_are_verbatim_from_the_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    numbered = dict(re.findall(r"^(\d+)\. (.+?)\s*$", guide, flags=re.MULTILINE))
    bank = load_bank()
    assert [q.text for q in bank.questions] == [numbered[str(i)] for i in range(1, 11)]


def test_star_rubric_defines_every_element() -> None:
    star = load_bank().star
    for name in ("situation", "task", "action", "result", "ownership", "quantified_result", "reflection"):
        criterion = star.criterion(name)
        assert criterion.evidence and criterion.not_evidence and criterion.probes


def test_hash_ignores_formatting_but_not_content(tmp_path: Path) -> None:
    src = data_dir("rubrics") / "05_l1_vs_l2.yaml"
    raw = yaml.safe_load(src.read_text(encoding="utf-8"))
    reformatted = tmp_path / "a.yaml"
    reformatted.write_text("# a comment\n" + yaml.safe_dump(raw, sort_keys=True, width=60), encoding="utf-8")
    (loaded,), problems = validate_files([reformatted])
    assert not problems
    original = next(lf for lf in load_bank().files if lf.path.name == "05_l1_vs_l2.yaml")
    assert loaded.hash == original.hash
    raw["questions"][0]["key_points"][0]["weight"] = 1 if raw["questions"][0]["key_points"][0]["weight"] != 1 else 2
    changed = tmp_path / "b.yaml"
    changed.write_text(yaml.safe_dump(raw), encoding="utf-8")
    (loaded2,), _ = validate_files([changed])
    assert loaded2.hash != original.hash


def test_rubric_version_names_file_version_and_hash() -> None:
    bank = load_bank()
    q = bank.get("bias_variance")
    assert re.fullmatch(r"\d+(\.\d+)*\+[0-9a-f]{12}", bank.rubric_version(q))
    # A behavioral grade depends on the STAR rubric too.
    beh = bank.get("teammate_conflict")
    assert bank.rubric_hash(beh) != content_hash(beh)


def test_unknown_question_id_lists_known_ids() -> None:
    with pytest.raises(BankError) as info:
        load_bank().get("nope")
    assert "bias_variance" in (info.value.hint or "")


def _copy_bank(tmp_path: Path) -> Path:
    dest = tmp_path / "bank"
    shutil.copytree(data_dir("rubrics"), dest)
    return dest


def _edit(path: Path, edit: object) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(raw)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")


def _problems(path: Path) -> list[str]:
    _, problems = validate_files(bank_files(path))
    return [p.one_line() for p in problems]


def test_shipped_bank_validates_cleanly() -> None:
    assert _problems(data_dir("rubrics")) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda raw: raw["questions"][0].pop("topic"),
            r"03_missing_data\.yaml: question 'missing_data': topic: Field required",
        ),
        (
            lambda raw: raw["questions"][0].update(colour="red"),
            r"question 'missing_data': colour: Extra inputs are not permitted",
        ),
        (
            lambda raw: raw["questions"][0]["key_points"][1].update(weight=9),
            r"question 'missing_data': key_points\[1\]\.weight: .*less than or equal to 5",
        ),
        (
            lambda raw: raw["questions"][0].update(kind="trivia"),
            r"question 'missing_data': kind: Input should be 'behavioral' or 'technical'",
        ),
        (
            lambda raw: raw["questions"][0].update(alternatives=["only one"]),
            r"question 'missing_data': alternatives: .*at least 2",
        ),
        (
            lambda raw: raw["questions"][0]["levels"].pop(3),
            r"question 'missing_data': .*levels needs a descriptor for each score",
        ),
        (lambda raw: raw["questions"][0].update(id="Bad Id"), r"question 'Bad Id': id: String should match pattern"),
    ],
)
def test_broken_bank_reports_file_question_and_field(tmp_path: Path, edit: object, expected: str) -> None:
    bank = _copy_bank(tmp_path)
    _edit(bank / "03_missing_data.yaml", edit)
    problems = _problems(bank)
    assert len(problems) == 1, problems
    assert re.search(expected, problems[0]), problems[0]
    with pytest.raises(BankError):
        load_bank(bank)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    bank = _copy_bank(tmp_path)
    _edit(bank / "03_missing_data.yaml", lambda raw: raw["questions"][0].update(id="bias_variance"))
    (problem,) = _problems(bank)
    assert "03_missing_data.yaml: question 'bias_variance': id: duplicate id" in problem
    assert "02_bias_variance.yaml" in problem


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: '1.0'\nquestions:\n  - id: x\n    text: [unclosed\n", encoding="utf-8")
    (problem,) = _problems(bad)
    assert problem.startswith(f"{bad}: line ")


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "dup.yaml"
    bad.write_text("version: '1.0'\nversion: '2.0'\nquestions: []\n", encoding="utf-8")
    (problem,) = _problems(bad)
    assert "duplicate key 'version'" in problem


def test_users_bank_without_star_rubric_uses_the_shipped_one(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    shutil.copy(data_dir("rubrics") / "07_teammate_conflict.yaml", mine)
    bank = load_bank(mine)
    assert bank.ids == ["teammate_conflict"]
    assert bank.star == load_bank().star


def test_empty_folder_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(BankError, match=r"no \.yaml bank files"):
        load_bank(tmp_path)
    with pytest.raises(BankError, match="no such file"):
        load_bank(tmp_path / "nope")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('version: "1.0"\nquestions:\n  - ? [a, b]\n    : x\n', "mapping key must be a plain value"),
        ('version: "1.0"\nname: ' + "9" * 5000 + "\nquestions: []\n", "a value cannot be read"),
        ('version: "' + "1" * 5000 + '"\nquestions: []\n', "version"),
    ],
    ids=["non-scalar key", "5000-digit integer", "5000-digit version"],
)
def test_hostile_banks_are_one_line_errors_in_validate_and_run(cli, tmp_path: Path, content: str, message: str) -> None:  # type: ignore[no-untyped-def]
    bank = tmp_path / "bank.yaml"
    bank.write_text(content, encoding="utf-8")
    checked = cli.run("bank", "validate", str(bank))
    assert checked.returncode == 1 and message in checked.stdout + checked.stderr
    ran = cli.run("run", "--bank", str(bank), "--plain", "--answers", "-", stdin="x\n")
    assert ran.returncode == 1 and "Traceback" not in ran.stderr


def test_validate_rejects_a_probe_that_gives_its_point_away(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shipped = (Path(__file__).parents[1] / "rubrics" / "09_rf_vs_gbm.yaml").read_text(encoding="utf-8")
    leaky = shipped.replace(
        "Picture a project with a tight deadline and no time for a big hyperparameter search.",
        "Picture a project with a tight deadline, noisy labels and no time for a big hyperparameter search.",
    )
    assert leaky != shipped
    (tmp_path / "bank.yaml").write_text(leaky, encoding="utf-8")
    proc = cli.run("bank", "validate", str(tmp_path / "bank.yaml"))
    assert proc.returncode == 1
    assert "probe of 'when_rf' gives the point away" in proc.stderr and "robust to noisy labels" in proc.stderr
    # its twin: the shipped probe, which describes the situation without the rubric's reasons, passes
    (tmp_path / "ok.yaml").write_text(shipped, encoding="utf-8")
    assert cli.run("bank", "validate", str(tmp_path / "ok.yaml")).returncode == 0
