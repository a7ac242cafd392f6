"""Which grader grades for a model name in an evals run (``offline`` is the rubric grader)."""

from __future__ import annotations

from interviewer.bank.loader import Bank
from interviewer.evals.runner import GraderFactory
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.settings import OFFLINE_MODEL, Settings


def grader_factory(
    model: str, bank: Bank, settings: Settings, *, cache: bool
) -> tuple[GraderFactory, UsageLedger | None]:
    """A factory of graders, one per sample index (repeats draw distinct samples, so distinct cache keys), and the
    ledger of the model's calls (None offline). With a model, the judge is combined with the offline grader's analysis
    (``CombinedGrader``), as in an interview; a model that fails on an item is replaced by the offline grader for that
    item, and the run counts it as a fallback."""
    offline = RubricGrader(bank)
    if model == OFFLINE_MODEL:
        return (lambda _sample: offline), None
    from interviewer.engine.fallback import FallbackGrader
    from interviewer.gateway.factory import make_model
    from interviewer.grading.combined import CombinedGrader
    from interviewer.grading.judge import LLMJudge

    configured = settings.model_copy(update={"model": model, "cache": cache, "max_cost": None})
    ledger = UsageLedger(None)
    chat = make_model(configured, ledger)
    assert chat is not None  # not offline
    ledger.structured = getattr(chat, "stats", None)
    combined = CombinedGrader(LLMJudge(chat, bank, offline=offline))
    return (lambda sample: FallbackGrader(combined.with_sample(sample), offline, ledger)), ledger
