"""Wiring: the one place the repository, the models, the graders and the probers are built from the settings, for
the CLI, the TUI and the evals alike; and the core's names a surface needs (so the TUI imports neither the gateway
nor storage).

A surface chooses only what is its own: how a failed model call is handled (``FailurePolicy``: ask the candidate
when someone is there to ask, else go on offline with a note)."""

from __future__ import annotations

import asyncio
import importlib

from interviewer.bank.loader import Bank, load_bank
from interviewer.deck import DeckNote
from interviewer.engine.failure import AskOnFailure, Choice, ContinueOffline, FailurePolicy
from interviewer.engine.fallback import FallbackGrader, FallbackProber
from interviewer.engine.probing import Prober
from interviewer.engine.session import (
    Engines,
    EngineSource,
    InterviewSession,
    NotFound,
    Step,
    interview_to_resume,
    offline_engines,
)
from interviewer.errors import StorageError
from interviewer.gateway.discovery import Problem, check_ollama, preflight
from interviewer.gateway.errors import ModelError
from interviewer.gateway.providers import ollama_base
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.base import Grader, GraderFactory
from interviewer.progress import Progress
from interviewer.report import Report, build_report
from interviewer.settings import OFFLINE_MODEL, Settings
from interviewer.storage.repo import GradedInterview, InterviewRecord, InterviewSummary, Repository, Turn

__all__ = [
    "AskOnFailure",
    "Choice",
    "ContinueOffline",
    "EngineSource",
    "Engines",
    "FailurePolicy",
    "GraderFactory",
    "InterviewRecord",
    "InterviewSession",
    "InterviewSummary",
    "ModelError",
    "NotFound",
    "Problem",
    "Repository",
    "Step",
    "StorageError",
    "Turn",
    "UsageLedger",
    "check_model",
    "detect_ollama_models",
    "engine_source",
    "eval_grader_factory",
    "import_engines",
    "interview_report",
    "interview_to_resume",
    "load_deck_notes",
    "load_progress",
    "load_report",
    "make_engines",
    "model_engines",
    "offline_engines",
    "ollama_base",
    "open_repository",
]

_MODEL_ENGINE_MODULES = (
    "interviewer.engine.llm_prober",
    "interviewer.gateway.factory",
    "interviewer.grading.combined",
    "interviewer.grading.judge",
)


def check_model(settings: Settings) -> Problem | None:
    """What stands in the way of the configured model, found before the first question without a paid call (a
    missing key, a local server that does not answer or lacks the model); None when nothing does."""
    return preflight(settings)


def open_repository(settings: Settings) -> Repository:
    """The repository on the configured database (migrated)."""
    return Repository.open(settings.db_url())


# ------------------------------------------------------------------------------------------------ engines
def model_engines(
    grader: Grader,
    prober: Prober,
    bank: Bank,
    *,
    ledger: UsageLedger | None = None,
    policy: FailurePolicy | None = None,
) -> Engines:
    """A model-backed ``grader`` and ``prober`` with the offline engine behind them: a failed model call follows
    ``policy`` (``ContinueOffline`` by default), a spent budget goes offline."""
    offline = offline_engines(bank)
    policy = policy or ContinueOffline()
    return Engines(
        grader=FallbackGrader(grader, offline.grader, ledger, policy),
        prober=FallbackProber(prober, offline.prober, ledger, policy),
        ledger=ledger,
    )


def make_engines(settings: Settings, bank: Bank | None = None, *, policy: FailurePolicy | None = None) -> Engines:
    """The grader and prober for the configured model (the offline engine when no model is configured).

    With a model: the LLM judge combined with the offline grader's analysis (``CombinedGrader``) and the LLM prober,
    each backed by the offline engine (which stands in when the model fails, as ``policy`` says, or the
    ``max_cost`` budget is spent), and the ledger of the model's calls. Nothing here imports litellm; the first model
    call does."""
    bank = bank or load_bank(settings.bank)
    if settings.is_offline:
        return offline_engines(bank)
    from interviewer.engine.llm_prober import LLMProber
    from interviewer.gateway.factory import make_model
    from interviewer.grading.combined import CombinedGrader
    from interviewer.grading.judge import LLMJudge

    ledger = UsageLedger(settings.max_cost)
    model = make_model(settings, ledger)
    assert model is not None  # not offline
    return model_engines(
        CombinedGrader(LLMJudge(model, bank)), LLMProber(model, bank), bank, ledger=ledger, policy=policy
    )


def engine_source(settings: Settings, *, policy: FailurePolicy | None = None) -> EngineSource:
    """What builds the engines for an interview's bank (a resumed interview's bank is known once it is read)."""
    return lambda bank: make_engines(settings, bank, policy=policy)


def import_engines(settings: Settings) -> None:
    """Import what the model-backed engine needs when a model is configured (this module already holds the rest:
    the session service, storage, the grader), so that building the engines later is quick (the TUI does this in a
    thread)."""
    if not settings.is_offline:
        for name in _MODEL_ENGINE_MODULES:
            importlib.import_module(name)


def eval_grader_factory(
    model: str, bank: Bank, settings: Settings, *, cache: bool
) -> tuple[GraderFactory, UsageLedger | None]:
    """For an evals run: a factory of graders, one per sample index, and the ledger of the model's calls (None
    offline). With a model, the judge is combined with the offline grader's analysis (``CombinedGrader``), as in an
    interview; a model that fails on an item is replaced by the offline grader for that item (``ContinueOffline``),
    and the run counts it as a fallback."""
    from interviewer.grading.rubric_grader import RubricGrader

    offline = RubricGrader(bank)
    if model == OFFLINE_MODEL:
        return (lambda _sample: offline), None
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


async def detect_ollama_models(base: str | None = None, wait: float = 0.8) -> list[str]:
    """The models of a local Ollama server as litellm model strings (``ollama_chat/<name>``), or [] when there is
    no server (or it does not answer within ``wait`` seconds): an absent or broken server is not an error."""
    status = await asyncio.to_thread(check_ollama, ollama_base(base), wait)
    names = {name.strip().removesuffix(":latest") for name in status.models if name.strip()}
    return sorted(f"ollama_chat/{name}" for name in names)


# ------------------------------------------------------------------------------------------ stored interviews
def _graded_history(settings: Settings) -> list[GradedInterview]:
    """Every stored interview with its grades, read from the configured database."""
    repo = open_repository(settings)
    try:
        return repo.graded_history()
    finally:
        repo.close()


def load_progress(settings: Settings) -> Progress:
    """Progress over every stored interview, described with the configured bank."""
    from interviewer.progress import build_progress

    return build_progress(_graded_history(settings), load_bank(settings.bank))


def load_deck_notes(settings: Settings) -> list[DeckNote]:
    """The gaps to review (the review deck's notes), from every stored interview and the configured bank."""
    from interviewer.deck import deck_notes
    from interviewer.progress import build_progress

    history = _graded_history(settings)
    bank = load_bank(settings.bank)
    return deck_notes(history, bank, build_progress(history, bank))


def load_report(settings: Settings, interview_id: str | None) -> Report:
    """The report of a stored interview (the newest by default; a unique prefix of its id will do)."""
    repo = open_repository(settings)
    try:
        if interview_id is None:
            interview_id = repo.latest()
            if interview_id is None:
                raise NotFound("there are no interviews yet", hint="start one with `interviewer run`")
        try:
            return interview_report(repo, repo.resolve_id(interview_id) or interview_id)
        except NotFound:
            raise NotFound(
                f"no interview '{interview_id}'", hint="`interviewer history` lists the interviews"
            ) from None
    finally:
        repo.close()


def interview_report(repo: Repository, interview_id: str, bank: Bank | None = None) -> Report:
    """The report of interview ``interview_id`` (finished or not): the one place a report is built, for the CLI's
    ``report``, plain mode and the TUI at the end of an interview, and the TUI's scorecard and history.

    ``bank``: the interview's bank when the caller holds it (a session); else the one it was started with."""
    record = repo.get(interview_id)
    if record is None:
        raise NotFound(f"no interview '{interview_id}'")
    return build_report(record, bank or load_bank(record.bank_path), repo.past_overall(exclude=interview_id))
