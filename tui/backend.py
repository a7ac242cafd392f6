"""The TUI's one door to the core: the repository, the engines, sessions, reports and history.

Screens never open the database or a model themselves; they ask the backend, which uses the core's public API
(``interviewer.services``, the sessions it opens, ``Repository`` methods; reports from
``services.interview_report``); the TUI imports neither the gateway nor storage (an import-linter contract). Anything
that may take a while (opening and migrating the database, loading the bank, building engines that may import a model
library) runs in a thread, so the event loop stays free to draw.

Start-up paints first: of the core, this module imports only the plan (the first question of a ``--question``
interview is known from it and a glance at the bank's YAML); the bank, the session service, the storage
(SQLAlchemy, Alembic), the grader and the reports are imported in a thread once that question is on screen.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from interviewer.engine import plan
from interviewer.engine.snapshot import stored_progress
from interviewer.errors import ConfigError, InterviewerError
from interviewer.settings import Settings

NO_UNFINISHED_HINT = "start a new one from this screen (ctrl+s)"

if TYPE_CHECKING:
    from interviewer.bank.loader import Bank
    from interviewer.bank.schema import Question
    from interviewer.compare import Retried
    from interviewer.domain.grades import Grade
    from interviewer.engine.plan import Prompt
    from interviewer.engine.probing import TextSink
    from interviewer.engine.review import ReviewPlan
    from interviewer.progress import Progress
    from interviewer.report import Report
    from interviewer.services import (
        Engines,
        FailurePolicy,
        InterviewSession,
        InterviewSummary,
        Problem,
        Repository,
        Step,
        Turn,
        UsageLedger,
    )

ModelDetector = Callable[[], Awaitable[list[str]]]
EngineSource = Callable[["Bank"], "Engines"]
EngineBuilder = Callable[["Bank", "FailurePolicy"], "Engines"]
"""Engines for a bank, failing over as the policy says (tests inject one; by default ``services.make_engines``)."""


@dataclass(frozen=True)
class Launch:
    """What the interview screen should do: start a new interview or resume a stored one."""

    settings: Settings
    question_ids: tuple[str, ...] = ()
    resume: bool = False
    resume_id: str | None = None
    retry: bool = False
    """A question asked again (``interviewer retry``)."""
    review_targets: tuple[tuple[str, str], ...] = ()
    """Per question, the due review item its first follow-up aims at (``interviewer review``)."""


@dataclass(frozen=True)
class Unfinished:
    """The newest unfinished interview, for the start screen's Resume."""

    id: str
    created_at: datetime
    model: str
    mode: str
    number: int
    total: int


@dataclass(frozen=True)
class Transcript:
    """What a resumed interview already said, and what it cost so far."""

    turns: list[Turn] = field(default_factory=list)
    tokens: int = 0
    cost_usd: float = 0.0
    grades: list[Grade] = field(default_factory=list)
    """Every stored grade, oldest first (the feedback already given)."""


class OpenInterview:
    """The interview a screen drives: the session's commands (each returns the next ``Step``) and what the screen
    shows of it. Screens hold this handle, never the session service, its repository or its engines."""

    def __init__(self, session: InterviewSession) -> None:
        self._session = session

    @property
    def id(self) -> str:
        return self._session.id

    @property
    def settings(self) -> Settings:
        """The interview's settings (a resumed one keeps its mode)."""
        return self._session.settings

    @property
    def finished(self) -> bool:
        return self._session.finished

    @property
    def total(self) -> int:
        """How many questions the interview asks."""
        return self._session.state.total

    @property
    def max_probes(self) -> int:
        return self._session.state.max_probes

    @property
    def ledger(self) -> UsageLedger | None:
        """The model's calls so far (None with the offline engine)."""
        return self._session.engines.ledger

    def question(self, question_id: str) -> Question:
        return self._session.bank.get(question_id)

    def current_prompt(self) -> Prompt | None:
        """The prompt waiting for an answer (None while a step is pending or once finished)."""
        return self._session.current_prompt()

    def report(self) -> Report:
        """The scorecard of this interview as it stands (when a step is ``done``)."""
        from interviewer.services import interview_report

        return interview_report(self._session.repo, self._session.id, self._session.bank)

    def close(self) -> None:
        """Let go of the interview, so it can be resumed elsewhere at once."""
        self._session.close()

    async def submit(self, text: str, on_delta: TextSink | None = None) -> Step:
        return await self._session.submit(text, on_delta)

    async def clarify(self, text: str = "", on_delta: TextSink | None = None) -> Step:
        return await self._session.clarify(text, on_delta)

    async def skip(self, on_delta: TextSink | None = None) -> Step:
        return await self._session.skip(on_delta)

    async def end(self) -> Step:
        return await self._session.end()

    async def retry(self, on_delta: TextSink | None = None) -> Step:
        """Run the pending step again (after the candidate chose what a failed model call does)."""
        return await self._session.retry(on_delta)


class Backend:
    """Opens the repository once (lazily, in a thread) and builds sessions and reports on it."""

    def __init__(
        self,
        settings: Settings,
        *,
        repo: Repository | None = None,
        engines: Engines | EngineBuilder | None = None,
        detect_models: ModelDetector | None = None,
    ) -> None:
        self.settings = settings
        self._repo = repo
        self._owns_repo = repo is None
        self._engines = engines
        self._detect = detect_models
        self._lock = asyncio.Lock()
        self._banks: dict[Path | None, Bank] = {}

    # ------------------------------------------------------------------------------------------------ plumbing
    async def load_core(self) -> None:
        """Import the core behind the first question (the session service, the storage with SQLAlchemy, the
        grader, the model-backed engine when a model is configured), in a thread: importing it on the event loop
        would freeze the screen for a few hundred ms."""
        await asyncio.to_thread(_import_core, self.settings)

    async def repository(self) -> Repository:
        """The repository (opened and migrated on first use, off the event loop)."""
        async with self._lock:
            if self._repo is None:
                self._repo = await asyncio.to_thread(_open_repository, self.settings)
            return self._repo

    def close(self) -> None:
        if self._repo is not None and self._owns_repo:
            self._repo.close()
            self._repo = None

    async def prewarm(self) -> None:
        """Load the shipped bank in a thread, so the first question needs no parsing on the event loop."""
        await asyncio.gather(self.repository(), self.bank(self.settings.bank))

    def _load_bank(self, path: Path | None) -> Bank:
        """The bank at ``path`` (the shipped one when None), loaded once per app (in whatever thread asks first)."""
        if path not in self._banks:
            from interviewer.bank.loader import load_bank

            self._banks[path] = load_bank(path)
        return self._banks[path]

    async def bank(self, path: Path | None) -> Bank:
        """The bank at ``path``, loaded in a thread."""
        return await asyncio.to_thread(self._load_bank, path)

    def first_prompt(self, launch: Launch) -> plan.Prompt | None:
        """The first question of a new interview when the plan alone decides it (``--question``), known without the
        database; None when it depends on stored history (the adaptive order, a resume).

        From the shipped bank's YAML at a glance (a few ms); a bank of one's own is loaded (and kept for the
        session). A bank or plan that cannot be used gives None: opening the session then fails with the same
        error, shown as it always was."""
        if launch.resume or not launch.question_ids:
            return None  # without --question the order adapts to the stored history: the bank is not read here
        try:
            planned = plan.glance(launch.question_ids) if launch.settings.bank is None else None
            if planned is None:
                bank = self._load_bank(launch.settings.bank)
                planned = [plan.QuestionHead.of(bank.get(qid)) for qid in launch.question_ids]
            return plan.first_prompt(planned, launch.settings)
        except InterviewerError:
            return None

    def checks_model(self, settings: Settings) -> bool:
        """Whether ``check_model`` has anything to check (a model is configured and no engines were given)."""
        return not settings.is_offline and self._engines is None

    def _engine_source(self, settings: Settings, policy: FailurePolicy, *, offline: bool) -> EngineSource:
        """What builds the interview's engines for its bank (offline: the offline engine)."""
        from interviewer import services

        given = self._engines
        if offline:
            return services.offline_engines
        if given is None:
            return services.engine_source(settings, policy=policy)
        if callable(given):
            return lambda bank: given(bank, policy)
        return lambda _bank: given

    async def check_model(self, settings: Settings) -> Problem | None:
        """What stands in the way of the configured model (a missing key, a local server down), checked in a thread
        without a paid call; None offline, when nothing does, or when the engines were given (tests)."""
        if not self.checks_model(settings):
            return None
        from interviewer.services import check_model

        return await asyncio.to_thread(check_model, settings)

    async def detect_models(self) -> list[str]:
        """Models a local server offers (Ollama); [] when none answers."""
        if self._detect is None:
            from interviewer.services import detect_ollama_models

            return await detect_ollama_models()
        return await self._detect()

    # ------------------------------------------------------------------------------------------------ sessions
    async def open_session(
        self, launch: Launch, on_delta: TextSink | None, policy: FailurePolicy, *, offline: bool = False
    ) -> tuple[OpenInterview, Step]:
        """Start or resume the interview that ``launch`` describes: a failed model call follows ``policy``
        (``offline``: with the offline engine)."""
        await self.load_core()
        from interviewer.services import InterviewSession

        repo = await self.repository()
        settings = launch.settings
        source = self._engine_source(settings, policy, offline=offline)
        if not launch.resume:
            bank = await self.bank(settings.bank)
            session, step = await InterviewSession.start(
                settings,
                repo,
                bank=bank,
                question_ids=launch.question_ids,
                engines=await asyncio.to_thread(source, bank),
                on_delta=on_delta,
                retry=launch.retry,
                review_targets=dict(launch.review_targets),
            )
        else:
            session, step = await InterviewSession.resume(
                settings, repo, launch.resume_id, engines=source, on_delta=on_delta, not_found_hint=NO_UNFINISHED_HINT
            )
        return OpenInterview(session), step

    async def transcript(self, interview: OpenInterview) -> Transcript:
        """The turns stored so far and the usage recorded so far (for a resumed interview)."""
        repo = await self.repository()
        record = await asyncio.to_thread(repo.get, interview.id)
        if record is None:
            return Transcript()
        tokens = int(record.usage.get("prompt_tokens", 0) + record.usage.get("completion_tokens", 0))
        return Transcript(record.turns, tokens, float(record.usage.get("cost_usd", 0.0)), list(record.all_grades))

    async def retry_comparison(self, interview_id: str, question_id: str) -> Retried | None:
        """How the answer to ``question_id`` in interview ``interview_id`` (a retry) compares with the newest graded
        attempt before it, read and compared in a thread; None when this interview has no grade for it (skipped)."""
        repo = await self.repository()

        def build() -> Retried | None:
            from interviewer.compare import compare_retry

            return compare_retry(repo, interview_id, question_id)

        return await asyncio.to_thread(build)

    # ------------------------------------------------------------------------------------------ history, reports
    async def history(self, limit: int = 200) -> list[InterviewSummary]:
        repo = await self.repository()
        return await asyncio.to_thread(repo.list_interviews, limit)

    async def unfinished(self) -> Unfinished | None:
        """The newest unfinished interview, if any."""
        repo = await self.repository()

        def find() -> Unfinished | None:
            from interviewer.services import NotFound, interview_to_resume

            try:
                record = repo.get(interview_to_resume(repo, None))
            except NotFound:
                return None
            if record is None:
                return None
            progress = stored_progress(record.state)
            return Unfinished(
                record.id, record.created_at, record.model, record.mode, len(progress.asked), progress.total
            )

        return await asyncio.to_thread(find)

    async def past_scores(self) -> list[float]:
        repo = await self.repository()
        past = await asyncio.to_thread(repo.past_overall, limit=20)
        return [score for _, score in past]

    async def progress(self) -> Progress:
        """Progress over every stored interview (``interviewer progress``'s data), read and built in a thread."""
        repo = await self.repository()
        bank = await self.bank(self.settings.bank)

        def build() -> Progress:
            from interviewer.progress import build_progress

            return build_progress(repo.graded_history(), bank)

        return await asyncio.to_thread(build)

    async def review_plan(self, limit: int = 3) -> ReviewPlan:
        """What ``interviewer review`` would ask now (up to ``limit`` questions with due items), read in a thread.
        Items whose rubric item left the bank are left out (``interviewer review`` retires them)."""
        repo = await self.repository()
        bank = await self.bank(self.settings.bank)

        def build() -> ReviewPlan:
            from interviewer.engine.review import current_plan

            return current_plan(repo, bank, limit)

        return await asyncio.to_thread(build)

    async def report(self, interview_id: str) -> Report:
        """The scorecard of a stored interview (finished or not), built in a thread."""
        from interviewer.services import interview_report

        repo = await self.repository()
        return await asyncio.to_thread(interview_report, repo, interview_id)


def _import_core(settings: Settings) -> None:
    """The services module pulls in everything behind the first question: sessions, storage, the grader (and the
    model-backed engine when a model is configured)."""
    importlib.import_module("interviewer.services").import_engines(settings)


def _open_repository(settings: Settings) -> Repository:
    from interviewer.services import open_repository

    return open_repository(settings)


def settings_for(base: Settings, **changes: object) -> Settings:
    """``base`` with the start screen's choices applied (validated like any settings)."""
    data = base.model_dump()
    data.update(changes)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(problems, hint="choose another value") from None
