"""Whole interviews with the model-backed engine: FakeModel-backed engines, then `make_engines` wired to a model
over (mocked) HTTP; the judge grades, the prober streams, usage rows are stored, and the budget hands over to the
offline engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import respx

from interviewer.bank import load_bank
from interviewer.engine.fallback import FallbackGrader, FallbackProber
from interviewer.engine.llm_prober import LLMProber
from interviewer.engine.session import Engines, InterviewSession, offline_engines
from interviewer.gateway.fake import FakeModel
from interviewer.gateway.model import Request
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.combined import CombinedGrader
from interviewer.grading.judge import LLMJudge
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.services import interview_report, make_engines
from interviewer.settings import Settings
from interviewer.storage.repo import Repository

if TYPE_CHECKING:
    from gateway.conftest import Payloads

BANK = load_bank()
L1_ANSWER = "Both add a penalty term in the loss. L1 adds the sum of absolute values and makes weights exactly zero."
STORY = "At my last job I disagreed with a colleague about features. I ran an offline test and we agreed to ship it."
PROBE = "What would you expect to see in the coefficients after training?"


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository.open(f"sqlite:///{tmp_path}/s.db")


def reply_for(request: Request) -> Any:
    """A scripted model: a verdict for grading calls, a probe or a rephrasing otherwise."""
    if request.purpose == "grade":
        prompt = request.messages[-1]["content"]
        if "STAR components" in prompt:
            element = {"present": True, "quote": "I ran an offline test"}
            missing = {"present": False, "quote": None}
            star = {
                n: element if n in ("action", "ownership") else missing
                for n in ("situation", "task", "action", "result", "ownership", "quantified_result", "reflection")
            }
            return {"reasoning": "Actions, little else.", "star": star, "key_points": [], "score": 2}
        return {
            "reasoning": "Penalty and L1 explained; L2 missing.",
            "key_points": [
                {"id": "penalty_added_to_loss", "quote": "add a penalty term in the loss", "status": "hit"},
                {"id": "l1_abs_sparsity", "quote": "L1 adds the sum of absolute values", "status": "hit"},
            ],
            "score": 3,
        }
    if request.purpose == "clarify":
        return "Put simply: how do the two penalties differ, in your own words?"
    return PROBE


def model_engines(model: FakeModel, ledger: UsageLedger) -> Engines:
    offline = offline_engines(BANK)
    return Engines(
        grader=FallbackGrader(CombinedGrader(LLMJudge(model, BANK)), RubricGrader(BANK), ledger),
        prober=FallbackProber(LLMProber(model, BANK), offline.prober, ledger),
        ledger=ledger,
    )


async def test_interview_with_fake_model_engines_stores_usage(repo: Repository) -> None:
    ledger = UsageLedger()
    model = FakeModel(default=reply_for, ledger=ledger, cost_per_call=0.001, chunk_size=8)
    deltas: list[str] = []
    session, step = await InterviewSession.start(
        Settings(max_probes=1, seed=3),
        repo,
        question_ids=["l1_vs_l2", "teammate_conflict"],
        engines=model_engines(model, ledger),
    )
    clarified = await session.clarify("sorry?", deltas.append)
    assert clarified.prompt is not None and clarified.prompt.kind == "clarification"
    step = await session.submit(L1_ANSWER, deltas.append)
    assert step.prompt is not None and step.prompt.kind == "probe" and step.prompt.text == PROBE
    assert "".join(deltas).endswith(PROBE)  # streamed to the UI as it was written
    step = await session.submit("Most would be zero.", deltas.append)
    assert step.feedback and step.feedback[0].grade.grader == "judge"
    assert step.prompt is not None and step.prompt.question_id == "teammate_conflict"
    step = await session.submit(STORY, deltas.append)
    step = await session.submit("It worked out.", deltas.append)
    assert step.done and interview_report(repo, session.id, session.bank) is not None

    record = repo.get(session.id)
    assert record is not None
    assert {g.grader for g in record.grades.values()} == {"judge"}
    assert record.grades["l1_vs_l2"].model == "fake"
    assert model.purposes.count("grade") == 4 and model.purposes.count("probe") == 2
    assert record.usage["calls"] == len(model.calls) == 7
    assert record.usage["cost_usd"] == pytest.approx(0.007)
    assert record.usage["prompt_tokens"] > 0


async def test_budget_hands_over_to_the_offline_engine(repo: Repository) -> None:
    ledger = UsageLedger(max_cost=0.001)
    model = FakeModel(default=reply_for, ledger=ledger, cost_per_call=0.001)
    session, _ = await InterviewSession.start(
        Settings(max_probes=1), repo, question_ids=["l1_vs_l2", "bias_variance"], engines=model_engines(model, ledger)
    )
    step = await session.submit(L1_ANSWER)
    assert any("budget" in n for n in step.notices)
    assert len(model.calls) == 1  # graded by the judge; the probe and everything after come from the rubric
    while not step.done:
        step = await session.submit("I am not sure.")
    record = repo.get(session.id)
    assert record is not None and record.grades["l1_vs_l2"].fallback
    assert record.usage["calls"] == 1 and len(model.calls) == 1


def test_make_engines_offline_and_with_a_model() -> None:
    offline = make_engines(Settings(), BANK)
    assert offline.ledger is None and isinstance(offline.grader, RubricGrader)
    engines = make_engines(Settings(model="gpt-4o-mini", max_cost=0.5), BANK)
    assert isinstance(engines.grader, FallbackGrader) and isinstance(engines.grader.primary, CombinedGrader)
    assert isinstance(engines.prober, FallbackProber) and isinstance(engines.prober.primary, LLMProber)
    assert engines.ledger is not None and engines.ledger.max_cost == 0.5
    assert engines.grader.ledger is engines.ledger


async def test_interview_over_http_with_make_engines(
    mock_http: respx.MockRouter, payloads: Payloads, openai_key: str, repo: Repository
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        if sent.get("stream"):
            return payloads.openai_sse(["What would ", "you expect ", "to see?"])
        verdict = reply_for(Request(tuple(sent["messages"]), "grade"))
        return httpx.Response(200, json=payloads.openai(json.dumps(verdict), 900, 120))

    route = mock_http.post("https://api.openai.com/v1/chat/completions").mock(side_effect=answer)
    settings = Settings(model="gpt-4o-mini", max_probes=1)
    engines = make_engines(settings, BANK)
    deltas: list[str] = []
    session, _ = await InterviewSession.start(settings, repo, question_ids=["l1_vs_l2"], engines=engines)
    step = await session.submit(L1_ANSWER, deltas.append)
    assert step.prompt is not None and step.prompt.text == "What would you expect to see?"
    assert "".join(deltas) == "What would you expect to see?"
    step = await session.submit("Many zeros.")
    assert step.done and interview_report(repo, session.id, session.bank) is not None
    record = repo.get(session.id)
    assert record is not None and record.grades["l1_vs_l2"].grader == "judge"
    assert record.grades["l1_vs_l2"].model == "gpt-4o-mini"
    assert record.usage["calls"] == route.call_count == 3
    assert record.usage["cost_usd"] > 0
