"""Wiring: the repository, the grader and the prober that the settings call for. Used by the CLI, the TUI and the
evals, so they all build the engine the same way."""

from __future__ import annotations

from interviewer.bank.loader import Bank, load_bank
from interviewer.deck import DeckNote
from interviewer.engine.session import Engines, NotFound
from interviewer.gateway.discovery import Problem, preflight
from interviewer.progress import Progress
from interviewer.report import Report, build_report
from interviewer.settings import Settings
from interviewer.storage.repo import Repository

__all__ = [
    "Problem",
    "check_model",
    "interview_report",
    "load_deck_notes",
    "load_progress",
    "load_report",
    "make_engines",
    "open_repository",
]


def check_model(settings: Settings) -> Problem | None:
    """What stands in the way of the configured model, found before the first question without a paid call (a
    missing key, a local server that does not answer or lacks the model); None when nothing does."""
    return preflight(settings)


def open_repository(settings: Settings) -> Repository:
    """The repository on the configured database (migrated)."""
    return Repository.open(settings.db_url())


def make_engines(settings: Settings, bank: Bank | None = None) -> Engines:
    """The grader and prober for the configured model (the offline engine when no model is configured).

    With a model: the LLM judge combined with the offline grader's analysis (``CombinedGrader``) and the LLM prober,
    each backed by the offline engine (which stands in when the model fails or the ``max_cost`` budget is spent),
    and the ledger of the model's calls. Nothing here imports litellm; the first model call does."""
    bank = bank or load_bank(settings.bank)
    offline = Engines.offline(bank)
    if settings.is_offline:
        return offline
    from interviewer.engine.fallback import FallbackGrader, FallbackProber
    from interviewer.engine.llm_prober import LLMProber
    from interviewer.gateway.factory import make_model
    from interviewer.gateway.usage import UsageLedger
    from interviewer.grading.combined import CombinedGrader
    from interviewer.grading.judge import LLMJudge

    ledger = UsageLedger(settings.max_cost)
    model = make_model(settings, ledger)
    assert model is not None  # not offline
    return Engines(
        grader=FallbackGrader(CombinedGrader(LLMJudge(model, bank)), offline.grader, ledger),
        prober=FallbackProber(LLMProber(model, bank), offline.prober, ledger),
        ledger=ledger,
    )


def load_progress(settings: Settings) -> Progress:
    """Progress over every stored interview, described with the configured bank."""
    from interviewer.progress import build_progress

    repo = open_repository(settings)
    try:
        history = repo.graded_history()
    finally:
        repo.close()
    return build_progress(history, load_bank(settings.bank))


def load_deck_notes(settings: Settings) -> list[DeckNote]:
    """The gaps to review (the review deck's notes), from every stored interview and the configured bank."""
    from interviewer.deck import deck_notes
    from interviewer.progress import build_progress

    repo = open_repository(settings)
    try:
        history = repo.graded_history()
    finally:
        repo.close()
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
