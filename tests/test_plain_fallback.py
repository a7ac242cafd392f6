"""Plain mode when a model call fails after its retries: on a terminal the candidate chooses (retry, or continue
offline for the rest of the interview); without one (``--answers``, stdin not a terminal) the offline engine stands
in with a note (that path's end-to-end tests: tests/test_model_faults.py, tests/gateway)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from interviewer import cli
from interviewer.bank import load_bank
from interviewer.engine.probing import OfflineProber
from interviewer.plain import AskOnTerminal, ListAnswers, PlainUI, drive
from interviewer.services import AskOnFailure, ContinueOffline, InterviewSession, Repository, model_engines
from interviewer.settings import Settings
from interviewer.testing.failing import FailingGrader

QUESTIONS = ["l1_vs_l2", "bias_variance"]


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    repository = Repository.open(f"sqlite:///{tmp_path / 'plain.db'}")
    yield repository
    repository.close()


async def _interview(repo: Repository, grader: FailingGrader, typed: bytes, answers: list[str]) -> tuple[str, str]:
    """A plain interview whose model grader is ``grader``, the candidate typing ``typed`` when asked; the output and
    the interview id."""
    out = io.StringIO()
    bank = load_bank()
    policy = AskOnFailure(AskOnTerminal(out, stream=io.BytesIO(typed)))
    engines = model_engines(grader, OfflineProber(bank), bank, policy=policy)
    settings = Settings(max_probes=0, mode="coach", seed=1)
    session, step = await InterviewSession.start(settings, repo, question_ids=QUESTIONS, engines=engines)
    try:
        await drive(session, step, ListAnswers(answers), PlainUI(out))
    finally:
        session.close()
    return out.getvalue(), session.id


async def test_on_a_terminal_a_failed_grade_can_be_retried(repo: Repository, good_l1: str) -> None:
    grader = FailingGrader(failures=1)
    text, interview_id = await _interview(repo, grader, b"r\n", [good_l1])
    assert "[model] Model unavailable: cannot reach http://localhost:11434" in text
    assert "Hint: start Ollama" in text
    assert "Retry the model call (r), or continue offline for the rest (o)?" in text
    assert grader.calls == 2
    record = repo.get(interview_id)
    assert record is not None and not record.grades["l1_vs_l2"].fallback  # the model's grade, on the retry
    assert next(t.text for t in record.turns if t.role == "candidate") == good_l1


async def test_on_a_terminal_continue_offline_holds_for_the_rest(repo: Repository, good_l1: str) -> None:
    grader = FailingGrader()
    text, interview_id = await _interview(repo, grader, b"maybe\no\n", [good_l1, "Bias is underfitting."])
    assert text.count("Retry the model call (r)") == 2  # an unknown reply asks again
    assert grader.calls == 1  # the second answer is graded offline without trying the model
    assert "the offline grader stood in" in text
    record = repo.get(interview_id)
    assert record is not None and all(record.grades[q].fallback for q in QUESTIONS)


async def test_a_pasted_wall_of_text_is_no_reply_and_is_asked_again(repo: Repository, good_l1: str) -> None:
    """A reply longer than any answer to the question (``o`` and a megabyte) is read in pieces and asked again; the
    twin: ``o`` padded with spaces is still ``o``."""
    grader = FailingGrader()
    text, interview_id = await _interview(repo, grader, b"o" + b"x" * 1_000_000 + b"\n" + b"  o  \n", [good_l1])
    assert text.count("Retry the model call (r)") == 2
    record = repo.get(interview_id)
    assert record is not None and record.grades["l1_vs_l2"].fallback


async def test_end_of_input_when_asked_means_offline(repo: Repository, good_l1: str) -> None:
    grader = FailingGrader()
    _, interview_id = await _interview(repo, grader, b"", [good_l1])
    record = repo.get(interview_id)
    assert record is not None and record.grades["l1_vs_l2"].fallback


@pytest.mark.parametrize(
    ("stdin_is_a_terminal", "scripted", "interactive"),
    [(True, None, True), (True, ["an answer"], False), (False, None, False)],
)
def test_plain_mode_asks_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, stdin_is_a_terminal: bool, scripted: list[str] | None, interactive: bool
) -> None:
    terminal = SimpleNamespace(isatty=lambda: stdin_is_a_terminal)
    monkeypatch.setattr(cli, "sys", SimpleNamespace(stdin=terminal, stdout=terminal))
    policy = cli._failure_policy(io.StringIO(), scripted)
    assert isinstance(policy, AskOnFailure if interactive else ContinueOffline)
