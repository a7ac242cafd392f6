"""Plain mode and the interview commands, run as a user would (the command line's entry point, its arguments and
stdin), offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interviewer.engine.answers_file import AnswersFileError, read_answers
from interviewer.report import Report

if TYPE_CHECKING:
    from conftest import Cli

ANSWERS = """L1 adds the sum of absolute values of the weights to the loss, so many weights become exactly zero:
a sparse model with feature selection. L2 adds the sum of squared weights and shrinks them smoothly.
---
We add the penalty to the loss function, scaled by lambda, to prevent overfitting.
---
/skip
---
At my last company in 2022 I led a churn project. My task was to cut churn for our SaaS product. I met the
sales leads to agree on a success metric, I built the features in SQL, I trained a gradient boosting model with
a time-based split and I deployed it behind a REST API. As a result churn dropped by 12% in two quarters.
I learned to involve stakeholders early.
---
"""


def test_scripted_interview_prints_a_valid_json_report(cli_process: Cli, tmp_path: Path) -> None:
    """In a real process: nothing else reaches stdout, from start-up to the interpreter's exit."""
    answers = tmp_path / "answers.txt"
    answers.write_text(ANSWERS, encoding="utf-8")
    proc = cli_process.run(
        "run",
        "--plain",
        "--questions",
        "3",
        "--answers",
        str(answers),
        "--json",
        "--max-probes",
        "1",
        "--question",
        "l1_vs_l2",
        "--question",
        "bias_variance",
        "--question",
        "end_to_end_project",
    )
    assert proc.returncode == 0, proc.stderr
    report = Report.model_validate_json(proc.stdout)  # stdout holds the report and nothing else
    data = json.loads(proc.stdout)
    assert [q["question_id"] for q in data["questions"]] == ["l1_vs_l2", "bias_variance", "end_to_end_project"]
    first, skipped, story = data["questions"]
    assert isinstance(first["score"], float) and 1 <= first["score"] <= 5
    assert first["star"] is None and isinstance(first["probes"], list) and first["probes"]
    assert skipped["score"] is None
    assert set(story["star"]) >= {"situation", "task", "action", "result"}
    assert 1 <= data["overall"]["score"] <= 5 and isinstance(data["interview_id"], str)
    assert report.model == "offline"
    assert "Question 1 of 3" in proc.stderr  # the conversation went to stderr


def test_answers_running_out_end_the_interview_early(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "few.jsonl"
    answers.write_text(json.dumps("Bias is underfitting and variance is overfitting.") + "\n", encoding="utf-8")
    proc = cli.run("run", "--answers", str(answers), "--json", "--max-probes", "0")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["ended_early"] is True and data["overall"]["answered"] == 1


def test_interactive_plain_mode_on_stdin(cli: Cli) -> None:
    typed = "L1 adds absolute values and zeroes weights; L2 adds squares and shrinks them.\n\n/skip\n/end\n"
    proc = cli.run(
        "run",
        "--plain",
        "--question",
        "l1_vs_l2",
        "--question",
        "rf_vs_gbm",
        "--max-probes",
        "1",
        stdin=typed,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Question 1 of 2" in proc.stdout and "finished" in proc.stdout


def test_invalid_utf8_and_control_characters_on_stdin(cli: Cli) -> None:
    typed = b"L1 gives \xff\xfe sparse \x1b[31m weights\x00 and L2 shrinks them.\n\n/end\n"
    proc = cli.run("run", "--plain", "--question", "l1_vs_l2", "--max-probes", "0", stdin=typed)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_huge_answer_is_cut_with_a_notice(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "big.jsonl"
    answers.write_text(json.dumps("word " * 40_000) + "\n", encoding="utf-8")  # 200 KB
    proc = cli.run("run", "--answers", str(answers), "--question", "l1_vs_l2", "--max-probes", "0")
    assert proc.returncode == 0, proc.stderr
    assert "only the first" in proc.stdout


def test_history_report_and_delete(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "a.txt"
    answers.write_text("Lasso zeroes weights out, ridge shrinks them.\n", encoding="utf-8")
    assert cli.run("run", "--answers", str(answers), "--question", "l1_vs_l2").returncode == 0
    listing = json.loads(cli.run("history", "--json").stdout)
    assert len(listing) == 1
    iid = listing[0]["id"]
    md = cli.run("report")
    assert md.returncode == 0 and f"`{iid}`" in md.stdout and "## 1. What is the difference" in md.stdout
    out = tmp_path / "r.json"
    assert cli.run("report", iid[:6], "--format", "json", "--output", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["interview_id"] == iid
    assert cli.run("delete", iid).returncode == 0
    assert json.loads(cli.run("history", "--json").stdout) == []
    missing = cli.run("report", iid)
    assert missing.returncode == 1 and "Interview not found" in missing.stderr


def test_report_schema_is_the_pydantic_schema(cli: Cli) -> None:
    proc = cli.run("report", "--schema")
    schema = json.loads(proc.stdout)
    assert schema == Report.model_json_schema()
    assert {"interview_id", "model", "questions", "overall"} <= set(schema["required"])


def test_broken_answers_file_and_bank_are_clear_errors(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('"ok"\n{"not": "a string"}\n', encoding="utf-8")
    proc = cli.run("run", "--answers", str(bad))
    assert proc.returncode == 1 and "line 2" in proc.stderr and "Traceback" not in proc.stderr
    bank = tmp_path / "bank.yaml"
    bank.write_text("version: '1'\nquestions:\n  - id: x\n", encoding="utf-8")
    proc = cli.run("run", "--plain", "--bank", str(bank), stdin="")
    assert proc.returncode == 1 and "question 'x'" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_question_id(cli: Cli) -> None:
    proc = cli.run("run", "--plain", "--question", "nope", stdin="")
    assert proc.returncode == 1 and "no question with id 'nope'" in proc.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("one\n---\ntwo\n", ["one", "two"]),
        ("one\r\n  ---  \r\ntwo\r\n---\r\n", ["one", "two"]),
        ("one\n---\n\n---\n/clarify\n---\n /end \n", ["one", "/skip", "/clarify", "/end"]),
        ("multi\nline\n---\nx", ["multi\nline", "x"]),
    ],
)
def test_answers_text_format(tmp_path: Path, content: str, expected: list[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(content.encode("utf-8"))
    assert read_answers(path) == expected


def test_answers_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"fine\n---\n\xff\n")
    with pytest.raises(AnswersFileError, match="line 3"):
        read_answers(bad)
    with pytest.raises(AnswersFileError):
        read_answers(tmp_path / "missing.txt")
    jl = tmp_path / "a.jsonl"
    jl.write_text('"a"\n\n"/skip"\n""\nnot json\n', encoding="utf-8")
    with pytest.raises(AnswersFileError, match="line 5"):
        read_answers(jl)


def test_a_db_folder_that_does_not_exist_is_not_created(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    proc = cli.run("run", "--db", f"sqlite:///{missing}/x.db", "--question", "l1_vs_l2", "--answers", "-", stdin="x")
    assert proc.returncode == 1 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "no").exists()


def test_an_unwritable_home_is_one_line_and_exit_1(cli: Cli) -> None:
    env = {**cli.env(), "INTERVIEWER_HOME": "/proc/interviewer-home"}  # /proc takes no new folder, even for root
    proc = cli.run("run", "--question", "l1_vs_l2", "--answers", "-", stdin="Lasso zeroes weights.", env=env)
    assert proc.returncode == 1 and "cannot create the data folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_model_that_cannot_be_used_is_one_stderr_line_then_offline(cli: Cli) -> None:
    """Found before the first answer: a missing key (no network call at all); --json keeps stdout one JSON object."""
    env = {k: v for k, v in cli.env().items() if k != "OPENAI_API_KEY"}
    proc = cli.run(
        "run", "--model", "gpt-4o-mini", "--question", "l1_vs_l2", "--max-probes", "0", "--answers", "-", "--json",
        stdin="Lasso zeroes weights; Ridge shrinks them.", env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    notes = [line for line in proc.stderr.splitlines() if line.startswith("[note]")]
    assert len(notes) == 1 and "OPENAI_API_KEY" in notes[0] and "offline" in notes[0]
    assert json.loads(proc.stdout)["model"] == "offline"


def test_history_speaks_the_tuis_words(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "a.txt"
    answers.write_text("Lasso zeroes weights out, ridge shrinks them.\n", encoding="utf-8")
    assert cli.run("run", "--answers", str(answers), "--question", "l1_vs_l2").returncode == 0
    listed = json.loads(cli.run("history", "--json").stdout)
    assert [r["status"] for r in listed] == ["finished"]
    assert "awaiting" not in cli.run("history").stdout
