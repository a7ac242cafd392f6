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
    """A factory of graders (one per sample index) for ``model``, and the ledger of its calls (None offline)."""
    if model == OFFLINE_MODEL:
        grader = RubricGrader(bank)
        return (lambda _sample: grader), None
    from interviewer.services import make_engines

    configured = settings.model_copy(update={"model": model, "cache": cache, "max_cost": None})
    engines = make_engines(configured, bank)
    return (lambda _sample: engines.grader), engines.ledger
