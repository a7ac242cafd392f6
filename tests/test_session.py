"""The session service: a whole offline interview, storage before grading, resume, feedback modes, bad input."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from interviewer.bank import Question, load_bank
from interviewer.domain.answers import MAX_ANSWER_CHARS
from interviewer.domain.grades import Grade
from interviewer.engine.plan import PlanError
from interviewer.engine.probing import OfflineProber
from interviewer.engine.session import (
    Engines,
    InterviewSession,
    NotFound,
    clean_answer,
    offline_engines,
)
from interviewer.services import interview_report
from interviewer.settings import Settings
from interviewer.storage.repo import Repository


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository.open(f"sqlite:///{tmp_path}/s.db")


def settings(**kw: object) -> Settings:
    return Settings(**kw)  # type: ignore[arg-type]


async def test_whole_offline_interview(repo: Repository, good_l1: str) -> None:
    session, step = await InterviewSession.start(settings(seed=1), repo, question_ids=["l1_vs_l2", "teammate_conflict"])
    assert step.prompt is not None and step.prompt.number == 1 and step.prompt.total == 2
    assert step.prompt.text == load_bank().get("l1_vs_l2").text
    step = await session.submit(good_l1)
    prompts = 0
    while step.prompt is not None and step.prompt.question_id == "l1_vs_l2":
        assert step.prompt.kind == "probe"
        prompts += 1
        step = await session.submit("I'm not sure.")
    assert prompts <= 2
    assert step.feedback and step.feedback[0].question.id == "l1_vs_l2"  # coach mode: feedback after the question
    assert step.prompt is not None and step.prompt.question_id == "teammate_conflict"
    step = await session.skip()
    assert step.done
    report = interview_report(repo, session.id, session.bank)  # the report a surface asks for when done
    assert [q.question_id for q in report.questions] == ["l1_vs_l2", "teammate_conflict"]
    assert report.questions[0].score is not None and report.questions[1].score is None
    assert len(report.questions[0].probes) == prompts
    assert report.questions[0].answers[0] == good_l1
    assert 1 <= report.overall.score <= 5


async def test_exam_mode_gives_feedback_only_at_the_end(repo: Repository, good_l1: str) -> None:
    session, step = await InterviewSession.start(
        settings(mode="exam", max_probes=0), repo, question_ids=["l1_vs_l2", "bias_variance"]
    )
    step = await session.submit(good_l1)
    assert not step.feedback
    step = await session.submit("Bias is underfitting, variance is overfitting.")
    assert step.done and [f.question.id for f in step.feedback] == ["l1_vs_l2", "bias_variance"]


async def test_empty_answer_asks_again(repo: Repository) -> None:
    session, step = await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2"])
    again = await session.submit("   \n ")
    assert again.prompt == step.prompt
    assert any("empty" in n.lower() for n in again.notices)
    record = repo.get(session.id)
    assert record is not None and not [t for t in record.turns if t.role == "candidate"]


class ExplodingGrader:
    name = "exploding"

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        raise RuntimeError("the grader crashed")


async def test_answer_is_stored_before_grading_and_resume_grades_it(repo: Repository, good_l1: str) -> None:
    session, _ = await InterviewSession.start(
        settings(),
        repo,
        question_ids=["l1_vs_l2", "bias_variance"],
        engines=Engines(ExplodingGrader(), OfflineProber(load_bank())),
    )
    with pytest.raises(RuntimeError):
        await session.submit(good_l1)
    record = repo.get(session.id)
    assert record is not None
    assert [t.text for t in record.turns if t.role == "candidate"] == [good_l1]
    assert record.state["phase"] == "grading"

    resumed, step = await InterviewSession.resume(settings(), repo)
    assert resumed.id == session.id
    assert step.prompt is not None  # graded on resume, then a probe or the next question
    record = repo.get(session.id)
    assert record is not None and "l1_vs_l2" in record.grades


async def test_a_resume_that_fails_lets_go_of_the_interview(repo: Repository, good_l1: str) -> None:
    """Grading the pending answer fails while resuming (a model call the candidate is to decide on, say): the error
    goes up, and the interview's lease is released, so another process may resume it at once."""
    session, _ = await InterviewSession.start(
        settings(), repo, question_ids=["l1_vs_l2"], engines=Engines(ExplodingGrader(), OfflineProber(load_bank()))
    )
    with pytest.raises(RuntimeError):
        await session.submit(good_l1)
    session.close()
    with pytest.raises(RuntimeError):
        await InterviewSession.resume(settings(), repo, engines=Engines(ExplodingGrader(), OfflineProber(load_bank())))
    assert repo.claim(session.id, "another@process", 60) is None  # free: taken by another writer
    record = repo.get(session.id)
    assert record is not None and [t.text for t in record.turns if t.role == "candidate"] == [good_l1]


async def test_a_resume_that_succeeds_keeps_the_interview_until_closed(repo: Repository, good_l1: str) -> None:
    """The twin: a resumed interview that is open stays this process's until it is closed."""
    session, _ = await InterviewSession.start(
        settings(), repo, question_ids=["l1_vs_l2"], engines=Engines(ExplodingGrader(), OfflineProber(load_bank()))
    )
    with pytest.raises(RuntimeError):
        await session.submit(good_l1)
    session.close()
    resumed, step = await InterviewSession.resume(settings(), repo)
    assert step.prompt is not None or resumed.finished
    assert repo.claim(session.id, "another@process", 60) is not None  # held: refused to another writer
    resumed.close()
    assert repo.claim(session.id, "another@process", 60) is None


async def test_resume_waiting_interview_reasks_without_duplicating(repo: Repository) -> None:
    session, step = await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2"])
    _, again = await InterviewSession.resume(settings(), repo, session.id[:5])
    assert again.prompt is not None and again.prompt.text == step.prompt.text  # type: ignore[union-attr]
    record = repo.get(session.id)
    assert record is not None and len([t for t in record.turns if t.role == "interviewer"]) == 1


async def test_resume_without_unfinished_interview(repo: Repository) -> None:
    with pytest.raises(NotFound):
        await InterviewSession.resume(settings(), repo)


async def test_clarify_rephrases_without_answering(repo: Repository) -> None:
    session, step = await InterviewSession.start(settings(), repo, question_ids=["teammate_conflict"])
    clarified = await session.clarify()
    assert clarified.prompt is not None and clarified.prompt.kind == "clarification"
    assert clarified.prompt.text != step.prompt.text  # type: ignore[union-attr]
    assert clarified.prompt.number == 1


async def test_end_early_scores_what_was_answered(repo: Repository, good_l1: str) -> None:
    session, _ = await InterviewSession.start(settings(max_probes=0), repo)
    await session.submit(good_l1)
    step = await session.end()
    report = interview_report(repo, session.id, session.bank)
    assert step.done and report.ended_early
    assert report.overall.asked == 2 and report.overall.skipped == 1


async def test_plan_options(repo: Repository) -> None:
    _, step = await InterviewSession.start(settings(focus="behavioral", questions=3), repo)
    assert step.prompt is not None and step.prompt.question_kind == "behavioral" and step.prompt.total == 3
    with pytest.raises(PlanError):
        await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2", "l1_vs_l2"])


def test_clean_answer_controls_and_size() -> None:
    text, notes = clean_answer("a\x00b\x1bc\r\nd\te\u200ff")
    assert text == "abc\nd\te\u200ff" and not notes
    huge, notes = clean_answer("x" * (MAX_ANSWER_CHARS + 10))
    assert len(huge) == MAX_ANSWER_CHARS and notes and "kept" in notes[0]


async def test_retry_after_a_failed_grade_or_continue_offline(repo: Repository, good_l1: str) -> None:
    session, _ = await InterviewSession.start(
        settings(max_probes=0),
        repo,
        question_ids=["l1_vs_l2", "bias_variance"],
        engines=Engines(ExplodingGrader(), OfflineProber(load_bank())),
    )
    with pytest.raises(RuntimeError):
        await session.submit(good_l1)
    with pytest.raises(RuntimeError):
        await session.retry()  # still failing: nothing lost, still grading
    assert session.state.phase.value == "grading"
    session.engines = offline_engines(session.bank)  # as services builds it when the candidate goes offline
    step = await session.retry()
    assert step.prompt is not None and step.prompt.question_id == "bias_variance"


async def test_resume_refuses_an_interview_whose_bank_changed(repo: Repository) -> None:
    """A rubric revision (e.g. an upgrade that adds contrasts) changes the bank's hash: the refusal says why and
    what to do."""
    session, _ = await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2"])
    from interviewer.storage.orm import InterviewRow

    with repo._session() as db:  # what an older release stored: another bank hash
        row = db.get(InterviewRow, session.id)
        assert row is not None
        row.bank_hash = "0" * 64
    with pytest.raises(PlanError) as err:
        await InterviewSession.resume(settings(), repo, session.id)
    assert "rubrics were revised" in str(err.value)
    assert "start a new interview" in (err.value.hint or "")


async def test_clarify_on_a_follow_up_rephrases_the_follow_up(repo: Repository) -> None:
    session, _ = await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2"])
    step = await session.submit("Both are regularization; L1 is Lasso and L2 is Ridge.")
    assert step.prompt is not None and step.prompt.kind == "probe"
    follow_up = step.prompt.text
    clarified = await session.clarify("I don't get the follow-up")
    assert clarified.prompt is not None and clarified.prompt.kind == "clarification"
    assert follow_up in clarified.prompt.text  # the follow-up, put another way
    assert load_bank().get("l1_vs_l2").text not in clarified.prompt.text
    # its twin: on the question itself, the question is rephrased
    other, _ = await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2"])
    again = await other.clarify()
    assert again.prompt is not None and "another way" in again.prompt.text and follow_up not in again.prompt.text


def test_the_clarify_prompt_names_the_follow_up() -> None:
    from interviewer.prompting import load_prompt

    question = load_bank().get("l1_vs_l2")
    messages = load_prompt("persona").render(
        action="clarify", question=question, follow_up="What happens to a weak feature?", candidate_text="", fence="F"
    )
    text = "\n".join(str(m["content"]) for m in messages)
    assert "What happens to a weak feature?" in text and "Rephrase the follow-up" in text


@pytest.mark.parametrize(
    ("driver_says", "cause"),
    [
        ("database or disk is full", "the disk is full"),
        ("database is locked", "locked by another program"),
        ("attempt to write a readonly database", "read-only"),
        ("no such column: interviews.lease_owner", "tables are not the ones"),
    ],
)
def test_storage_errors_say_what_happened(driver_says: str, cause: str) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from interviewer.storage.repo import storage_error

    error = storage_error(OperationalError("INSERT ...", {}, sqlite3.OperationalError(driver_says)))
    assert cause in error.message
    assert "your answers so far are saved" not in (error.hint or "")


async def test_an_answer_that_could_not_be_saved_is_given_back(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from interviewer.engine.session import AnswerNotSaved
    from interviewer.plain import ListAnswers, PlainUI, drive
    from interviewer.storage.repo import storage_error

    session, step = await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2"])

    def full(*args: object, **kwargs: object) -> None:
        raise storage_error(OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")))

    monkeypatch.setattr(repo, "commit_step", full)
    out = io.StringIO()
    answer = "Lasso zeroes weights; ridge shrinks them."
    with pytest.raises(AnswerNotSaved) as err:
        await drive(session, step, ListAnswers([answer]), PlainUI(out))
    assert "disk is full" in err.value.message and "this answer was not saved" in err.value.message
    assert "earlier answers are" in err.value.message
    assert answer in out.getvalue()  # printed back, so nothing typed is lost
    assert session.current_prompt() is not None  # still waiting for it


async def test_an_interview_left_before_any_answer_is_not_kept(repo: Repository) -> None:
    """History lists interviews from their first answer on: one quit before answering is removed."""
    session, _ = await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2"])
    session.close()
    assert repo.get(session.id) is None
    # its twin: one answer given, quit, and the interview stays to be resumed
    kept, _ = await InterviewSession.start(settings(), repo, question_ids=["l1_vs_l2", "bias_variance"])
    await kept.submit("Lasso zeroes weights; ridge shrinks them.")
    kept.close()
    assert repo.get(kept.id) is not None


async def test_a_mid_interview_report_calls_the_open_question_in_progress(repo: Repository, good_l1: str) -> None:
    from interviewer.report import to_markdown

    session, _ = await InterviewSession.start(
        settings(max_probes=0), repo, question_ids=["l1_vs_l2", "bias_variance", "missing_data"]
    )
    await session.submit(good_l1)
    await session.skip()  # bias_variance: skipped
    report = interview_report(repo, session.id, session.bank)  # missing_data is being answered now
    by_id = {q.question_id: q for q in report.questions}
    assert by_id["missing_data"].in_progress and not by_id["missing_data"].skipped
    assert by_id["bias_variance"].skipped and not by_id["bias_variance"].in_progress
    assert report.overall.asked == 2 and report.overall.skipped == 1  # the open question does not count yet
    assert "in progress" in to_markdown(report)


@pytest.mark.parametrize(
    ("options", "question_ids"),
    [
        pytest.param({}, ["l1_vs_l2"], id="one question"),
        pytest.param({"questions": 2, "max_probes": 0}, ["teammate_conflict", "l1_vs_l2", "bias_variance"], id="cut"),
        pytest.param({"focus": "technical", "mode": "exam", "seed": 7}, ["teammate_conflict"], id="focus ignored"),
    ],
)
async def test_the_first_prompt_known_from_the_plan_is_the_one_the_session_asks(
    repo: Repository, options: dict[str, object], question_ids: list[str]
) -> None:
    """The TUI paints this prompt before the session exists (from a glance at the bank's YAML, or from a loaded bank
    of one's own); the session must then ask exactly it."""
    from interviewer.engine.plan import QuestionHead, first_prompt, glance

    bank = load_bank()
    from_bank = first_prompt([QuestionHead.of(bank.get(qid)) for qid in question_ids], settings(**options))
    planned = glance(question_ids)
    assert planned is not None
    from_glance = first_prompt(planned, settings(**options))
    _, step = await InterviewSession.start(settings(**options), repo, question_ids=question_ids)
    assert from_bank is not None and from_bank == from_glance == step.prompt


def test_a_glance_at_the_shipped_bank_reads_every_question_as_the_loader_does() -> None:
    from interviewer.engine.plan import QuestionHead, glance

    bank = load_bank()
    assert glance(bank.ids) == [QuestionHead.of(q) for q in bank.questions]
    assert glance(["l1_vs_l2", "no_such_question"]) is None  # the loader says why, as before
    assert glance(["l1_vs"]) is None  # a prefix of an id is no id


def test_an_explicit_plan_names_each_question_once() -> None:
    from interviewer.engine.plan import QuestionHead, first_prompt

    head = QuestionHead.of(load_bank().get("l1_vs_l2"))
    with pytest.raises(PlanError):
        first_prompt([head, head], settings())
