"""The engine owns its data: follow-up targets ranked once per graded answer, grades kept in memory, model-call
accounting stored in the same transaction as the step, progress read through the engine, and state JSON written
by earlier versions still loading."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from interviewer.bank import Question, load_bank
from interviewer.domain.grades import Grade
from interviewer.engine import machine as m
from interviewer.engine import probing
from interviewer.engine.probing import OfflineProber
from interviewer.engine.session import Engines, InterviewSession
from interviewer.engine.snapshot import dump_state, load_state, stored_progress
from interviewer.errors import StorageError
from interviewer.gateway.usage import CallRecord, UsageLedger
from interviewer.grading import gaps
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.settings import Settings
from interviewer.storage.repo import Repository

BANK = load_bank()

FIRST_PROBE = (
    "In a real project, how would you choose how strong the penalty should be, and is there a way to get some of the "
    "benefits of both?"
)

# The stored state of an interview waiting for the answer to its first follow-up, as the code before this change
# wrote it (captured from a real session, `prompt` field included): rows like it must still load and resume.
OLD_STATE_JSON = (
    '{"_v": 1, "adaptive": false, "answers": ["L1 adds the absolute values of the weights to the loss, which drives '
    'some weights exactly to zero, so it selects features. L2 adds the squared weights and shrinks them smoothly."], '
    '"asked": ["l1_vs_l2"], "current": "l1_vs_l2", "end_requested": false, "ended_early": false, "history": [], '
    '"last_ask": {"kind": "probe", "number": 1, "probe_index": 1, "question_id": "l1_vs_l2", "text": "Where exactly '
    'does regularization enter the training process, and what is it trying to discourage?", "total": 2}, '
    '"last_missing": 4, "last_score": 3, "max_probes": 2, "pending_target": null, "phase": "awaiting_answer", '
    '"probes": ["Where exactly does regularization enter the training process, and what is it trying to '
    'discourage?"], "prompt": null, "questions": [{"area": "ML fundamentals", "id": "l1_vs_l2", "kind": '
    '"technical"}, {"area": "Collaboration", "id": "teammate_conflict", "kind": "behavioral"}], "scores": '
    '[["l1_vs_l2", 3]], "seed": 1, "targets": ["penalty_added_to_loss"], "total": 2}'
)
OLD_PROBE = "Where exactly does regularization enter the training process, and what is it trying to discourage?"


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository.open(f"sqlite:///{tmp_path}/s.db")


def _stored(repo: Repository, state: dict[str, Any]) -> str:
    return repo.create_interview(
        model="offline",
        mode="coach",
        bank_version=BANK.version,
        bank_hash=BANK.hash,
        bank_path=None,
        options={},
        state=state,
        status=str(state["phase"]),
    )


# ------------------------------------------------------------------------------------------ ranked once per answer
async def test_targets_are_ranked_once_per_graded_answer(
    repo: Repository, good_l1: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = gaps.ranked_gaps

    def counting(question: Question, *args: Any, **kwargs: Any) -> Any:
        calls.append(question.id)
        return original(question, *args, **kwargs)

    monkeypatch.setattr("interviewer.engine.probing.ranked_gaps", counting)  # the name the engine looks up
    session, _ = await InterviewSession.start(Settings(seed=1, max_probes=2), repo, question_ids=["l1_vs_l2"])
    step = await session.submit(good_l1)
    assert step.prompt is not None and step.prompt.kind == "probe" and step.prompt.text == FIRST_PROBE
    step = await session.submit(
        "Regularization adds a penalty term to the training loss, so the optimizer is discouraged from large "
        "weights and overfitting."
    )
    assert step.prompt is not None and step.prompt.kind == "probe" and step.prompt.probe_index == 2
    assert len(session.state.targets) == 2
    assert calls == ["l1_vs_l2", "l1_vs_l2"]  # one ranking per graded answer; the follow-ups re-rank nothing
    await session.skip()
    assert calls == ["l1_vs_l2", "l1_vs_l2"]


def test_the_machine_probes_the_first_target_not_yet_tried() -> None:
    state = m.initial_state((m.QuestionInfo("t1", "technical", "x"),), max_probes=3, adaptive=False)
    state, _ = m.transition(state, m.Start())
    state, _ = m.transition(state, m.Answer("a"))
    state, actions = m.transition(state, m.Graded("t1", 2, ("kp1", "kp2", "kp3")))
    assert [a.target for a in actions if isinstance(a, m.MakeProbe)] == ["kp1"]
    state, _ = m.transition(state, m.ProbeReady("p1", "kp1"))
    state, _ = m.transition(state, m.Answer("b"))
    state, actions = m.transition(state, m.Graded("t1", 3, ("kp1", "kp3")))  # kp1 still lacking: already tried
    assert [a.target for a in actions if isinstance(a, m.MakeProbe)] == ["kp3"]
    assert state.last_missing == 2


async def test_a_review_item_due_is_ranked_first(repo: Repository, good_l1: str) -> None:
    session, _ = await InterviewSession.start(
        Settings(seed=1), repo, question_ids=["l1_vs_l2"], review_targets={"l1_vs_l2": "bayesian_priors"}
    )
    step = await session.submit(good_l1)
    assert session.state.targets == ("bayesian_priors",)
    assert (
        step.prompt is not None
        and step.prompt.text == "Is there a probabilistic way to interpret adding these penalties to the loss?"
    )


async def test_a_follow_up_resumed_after_a_restart_is_worded_without_ranking(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = json.loads(OLD_STATE_JSON)
    state.update(
        phase="probing",
        probes=[],
        targets=[],
        pending_target="penalty_added_to_loss",
        last_ask={
            "kind": "question",
            "number": 1,
            "probe_index": 0,
            "question_id": "l1_vs_l2",
            "text": None,
            "total": 2,
        },
    )
    interview_id = _stored(repo, state)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("ranked again")

    monkeypatch.setattr(probing, "ranked_gaps", refuse)
    _, step = await InterviewSession.resume(Settings(), repo, interview_id)
    assert step.prompt is not None and step.prompt.kind == "probe" and step.prompt.text == OLD_PROBE


# ------------------------------------------------------------------------------------------------ grades in memory
async def test_grades_stay_in_memory(repo: Repository, good_l1: str, monkeypatch: pytest.MonkeyPatch) -> None:
    session, _ = await InterviewSession.start(
        Settings(seed=1, max_probes=2), repo, question_ids=["l1_vs_l2", "bias_variance"]
    )

    def refuse(interview_id: str) -> Any:
        raise AssertionError("the session read the interview back")

    monkeypatch.setattr(repo, "get", refuse)
    step = await session.submit(good_l1)
    step = await session.submit("I'm not sure.")
    assert step.feedback and step.feedback[0].grade.question_id == "l1_vs_l2"  # coach feedback from memory


# ----------------------------------------------------------------------------------------- usage with the step
class MeteredGrader:
    """The offline grader, accounting one model call per grade in the ledger (as a model-backed grader does)."""

    name = "metered"

    def __init__(self, ledger: UsageLedger) -> None:
        self.ledger = ledger
        self.inner = RubricGrader(BANK)

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        self.ledger.add(
            CallRecord(model="fake/model", purpose="grade", prompt_tokens=10, completion_tokens=5, cost_usd=0.01)
        )
        return await self.inner.grade(question, answers)


def _usage_rows(repo: Repository) -> int:
    from sqlalchemy import text

    with repo.engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM usage")).scalar() or 0)


async def _metered_session(repo: Repository) -> InterviewSession:
    """An interview of two questions, no follow-ups, graded by a grader whose every call is metered."""
    ledger = UsageLedger()
    engines = Engines(MeteredGrader(ledger), OfflineProber(BANK), ledger)
    session, _ = await InterviewSession.start(
        Settings(max_probes=0), repo, question_ids=["l1_vs_l2", "bias_variance"], engines=engines
    )
    return session


async def test_usage_rows_land_in_the_step_that_records_the_grade(
    repo: Repository, good_l1: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = await _metered_session(repo)
    commits: list[dict[str, Any]] = []
    real = repo.commit_step

    def spy(interview_id: str, **kwargs: Any) -> None:
        commits.append(kwargs)
        real(interview_id, **kwargs)

    monkeypatch.setattr(repo, "commit_step", spy)
    await session.submit(good_l1)
    with_usage = [c for c in commits if c.get("usage")]
    assert len(with_usage) == 1 and len(with_usage[0]["grades"]) == 1  # the grade and its model call, together
    assert with_usage[0]["status"] == "awaiting_answer"
    record = repo.get(session.id)
    assert record is not None and record.usage["calls"] == 1.0 and record.usage["cost_usd"] == pytest.approx(0.01)


async def test_a_failed_commit_stores_neither_the_step_nor_its_usage(
    repo: Repository, good_l1: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = await _metered_session(repo)
    monkeypatch.setattr(repo, "commit_step", _failing_once(repo.commit_step, monkeypatch))
    with pytest.raises(StorageError):
        await session.submit(good_l1)
    record = repo.get(session.id)
    assert record is not None
    assert record.status == "grading" and record.state["phase"] == "grading"
    assert record.grades == {} and _usage_rows(repo) == 0  # neither the step nor its model call

    step = await session.retry()  # graded again: both calls are accounted, with the step that records the grade
    assert step.prompt is not None and step.prompt.question_id == "bias_variance"
    record = repo.get(session.id)
    assert record is not None and "l1_vs_l2" in record.grades and _usage_rows(repo) == 2


def _failing_once(real: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``commit_step`` whose first commit carrying usage fails at the end of its transaction, after every row of
    the step was added (the database refuses the write: nothing of it may land)."""
    from sqlalchemy.exc import OperationalError

    from interviewer.storage import repo as repo_module

    failed: list[bool] = []

    def boom() -> Any:
        raise OperationalError("UPDATE interviews", {}, Exception("database or disk is full"))

    def commit_step(interview_id: str, **kwargs: Any) -> None:
        if kwargs.get("usage") and not failed:
            failed.append(True)
            with monkeypatch.context() as patch:
                patch.setattr(repo_module, "utcnow", boom)  # stamped last in the transaction (updated_at)
                real(interview_id, **kwargs)
            return
        real(interview_id, **kwargs)

    return commit_step


# ---------------------------------------------------------------------------------------------------- progress
async def test_progress_is_the_engines(repo: Repository) -> None:
    session, _ = await InterviewSession.start(Settings(seed=1), repo, question_ids=["l1_vs_l2", "bias_variance"])
    assert session.progress == m.Progress(asked=("l1_vs_l2",), total=2, current="l1_vs_l2")
    assert session.progress.number == 1
    record = repo.get(session.id)
    assert record is not None and stored_progress(record.state) == session.progress
    assert [s.questions for s in repo.list_interviews()] == [1]
    await session.skip()
    assert session.progress.number == 2 and [s.questions for s in repo.list_interviews()] == [2]
    assert stored_progress({}) == m.Progress(asked=(), total=0)


# ------------------------------------------------------------------------------------------------ old stored state
def test_state_json_written_by_the_previous_version_loads() -> None:
    data = json.loads(OLD_STATE_JSON)
    state = load_state(data)
    assert state.phase is m.Phase.AWAITING_ANSWER and state.asked == ("l1_vs_l2",) and state.total == 2
    assert state.last_ask is not None and state.last_ask.text == OLD_PROBE
    again = json.loads(json.dumps(dump_state(state)))  # as stored (tuples become lists)
    assert "prompt" not in again
    assert again == {k: v for k, v in data.items() if k != "prompt"}  # everything else round-trips unchanged


async def test_an_interview_stored_by_the_previous_version_resumes(repo: Repository) -> None:
    interview_id = _stored(repo, json.loads(OLD_STATE_JSON))
    session, step = await InterviewSession.resume(Settings(), repo, interview_id)
    assert step.prompt is not None and step.prompt.kind == "probe" and step.prompt.text == OLD_PROBE
    assert session.progress == m.Progress(asked=("l1_vs_l2",), total=2, current="l1_vs_l2")
    step = await session.skip()  # skip the follow-up: the grade stands, on to the next question
    assert step.prompt is not None and step.prompt.question_id == "teammate_conflict" and step.prompt.number == 2


class MeteredFailingGrader(MeteredGrader):
    """Accounts a model call, then fails (an error the fallback does not catch)."""

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        self.ledger.add(CallRecord(model="fake/model", purpose="grade", prompt_tokens=10, cost_usd=0.01))
        raise RuntimeError("the grader crashed")


async def test_the_model_calls_of_a_failed_action_are_kept(repo: Repository, good_l1: str) -> None:
    ledger = UsageLedger()
    engines = Engines(MeteredFailingGrader(ledger), OfflineProber(BANK), ledger)
    session, _ = await InterviewSession.start(Settings(), repo, question_ids=["l1_vs_l2"], engines=engines)
    with pytest.raises(RuntimeError):
        await session.submit(good_l1)
    record = repo.get(session.id)
    assert record is not None and record.state["phase"] == "grading" and record.grades == {}
    assert _usage_rows(repo) == 1  # stored although no step followed: quitting now loses no accounting
