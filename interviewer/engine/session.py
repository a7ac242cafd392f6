"""The session service: drives the pure state machine, runs its actions (store, grade, probe), and gives every UI
the same small async API: ``start``/``resume``, then ``submit``, ``clarify``, ``skip``, ``end``.

Every submitted answer is committed, together with the machine state, before grading starts; the state is
committed after every transition, so a crash at any point loses nothing and ``resume`` continues where it stopped.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interviewer.bank.loader import Bank, load_bank
from interviewer.bank.schema import Question
from interviewer.domain.answers import MAX_ANSWER_CHARS, cut_notice
from interviewer.domain.grades import Grade
from interviewer.domain.review_item import ReviewItem
from interviewer.domain.scores import overall_score
from interviewer.engine import machine as m
from interviewer.engine.lease import Lease
from interviewer.engine.plan import PlanError, Prompt, QuestionHead, plan_questions, prompt_for, question_infos
from interviewer.engine.probing import (
    ClarifyAsk,
    OfflineProber,
    ProbeAsk,
    Prober,
    ProbeTarget,
    TextSink,
    probe_target,
    rank_targets,
)
from interviewer.engine.review import review as review_items_after
from interviewer.engine.snapshot import dump_state, load_state
from interviewer.errors import InterviewerError, StorageError
from interviewer.gateway.usage import CallRecord, UsageLedger
from interviewer.grading.base import Grader
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.settings import Settings
from interviewer.storage.repo import InterviewRecord, NewTurn, Repository


class NotFound(InterviewerError):
    """No such interview."""

    title = "Interview not found"


@dataclass(frozen=True)
class Feedback:
    """Coach-mode feedback on a finished question."""

    question: Question
    grade: Grade


@dataclass
class Step:
    """What happened after a command: the next prompt (None when the interview is over: its report is then asked
    of ``interviewer.services.interview_report``), feedback, notices."""

    prompt: Prompt | None
    feedback: list[Feedback] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.prompt is None


class AnswerNotSaved(StorageError):
    """The answer just given could not be stored (the earlier ones are): ``answer`` holds it, to be given back."""

    def __init__(self, message: str, *, hint: str | None = None, answer: str = "") -> None:
        super().__init__(message, hint=hint)
        self.answer = answer


def clean_answer(text: str) -> tuple[str, list[str]]:
    """The answer as it will be stored: control characters removed, newlines normalised, cut if huge."""
    notices: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
    if len(text) > MAX_ANSWER_CHARS:
        notices.append(cut_notice(len(text)))
        text = text[:MAX_ANSWER_CHARS]
    return text, notices


def _absolute(path: Path | None) -> str | None:
    return str(path.resolve()) if path is not None else None


@dataclass
class Engines:
    """What grades answers and words follow-ups, and the ledger of model calls (None when offline). Built by
    ``interviewer.services`` (``make_engines``): the engine only runs them."""

    grader: Grader
    prober: Prober
    ledger: UsageLedger | None = None


EngineSource = Callable[[Bank], Engines]
"""The engines for an interview on a bank (a resumed interview's bank is known only once its record is read)."""


def offline_engines(bank: Bank) -> Engines:
    """The offline engine: the rubric grader and the rubric's probe material (what a session given no engines
    uses; ``interviewer.services`` chooses between it and a model)."""
    return Engines(grader=RubricGrader(bank), prober=OfflineProber(bank))


def _engines_for(bank: Bank, engines: Engines | EngineSource | None) -> Engines:
    if engines is None:
        return offline_engines(bank)
    return engines if isinstance(engines, Engines) else engines(bank)


NO_UNFINISHED_HINT = "start one with `interviewer run`; `interviewer history` lists past ones"


def interview_to_resume(repo: Repository, wanted: str | None, *, hint: str = NO_UNFINISHED_HINT) -> str:
    """The full id of the interview to resume: ``wanted`` (an id or a unique prefix), else the newest unfinished one
    (NotFound when there is none). The one place this is decided."""
    if wanted is not None:
        return repo.resolve_id(wanted) or wanted
    interview_id = repo.latest(unfinished=True)
    if interview_id is None:
        raise NotFound("there is no unfinished interview to resume", hint=hint)
    return interview_id


class InterviewSession:
    """One interview, driven through the state machine."""

    def __init__(
        self,
        *,
        repo: Repository,
        bank: Bank,
        settings: Settings,
        interview_id: str,
        state: m.State,
        engines: Engines,
        review_targets: Mapping[str, str] | None = None,
    ) -> None:
        self.repo = repo
        self._review_targets = dict(review_targets or {})
        self.bank = bank
        self.settings = settings
        self.id = interview_id
        self.state = state
        self.engines = engines
        self._clarifications = 0
        self._grades: dict[str, Grade] = {}
        """The latest grade of each question, kept here as it is made (loaded once on resume)."""
        self._ranked: dict[str, dict[str, ProbeTarget]] = {}
        """Per question, what its latest grade found missing (ranked once, when it was graded), by id."""
        self._unsaved_grades: list[Grade] = []
        self._unsaved_usage: list[CallRecord] = []
        self._last_turn: tuple[str, str] | None = None
        """Role and text of the last stored turn (to tell whether a resumed prompt was already put)."""
        self._lease: Lease | None = None

    def _hold(self) -> None:
        """Take this interview's lease (InterviewBusy when another process answers it), kept until ``close``."""
        lease = Lease(self.repo, self.id)
        lease.acquire()
        self._lease = lease

    def close(self) -> None:
        """Let go of the interview (its lease), so another process may resume it at once. An interview left before
        any answer is removed: history lists interviews from their first answer on."""
        if self._lease is not None:
            self._lease.release()
            self._lease = None
            if not self.finished:
                record = self.repo.get(self.id)
                if record is not None and not any(t.role == "candidate" for t in record.turns):
                    self.repo.delete(self.id)

    async def _open(self, event: m.Event, on_delta: TextSink | None) -> Step:
        """Take the lease (one writer per interview: another process answering it is refused here) and run the
        opening ``event``. When that fails (a model call the candidate is to decide on, the database), the session is
        closed before the error goes up: no lease is left held, no renewal keeps running, and an interview left
        before any answer is removed, as on any close."""
        self._hold()
        try:
            return await self._run(event, on_delta)
        except BaseException:
            with suppress(StorageError):  # the error that stopped the opening is the one to tell
                self.close()
            raise

    # ---------------------------------------------------------------------------------------------- creation
    @classmethod
    async def start(
        cls,
        settings: Settings,
        repo: Repository,
        *,
        bank: Bank | None = None,
        question_ids: Sequence[str] = (),
        engines: Engines | EngineSource | None = None,
        on_delta: TextSink | None = None,
        retry: bool = False,
        review_targets: Mapping[str, str] | None = None,
    ) -> tuple[InterviewSession, Step]:
        """Plan and begin a new interview; returns the session and the first question. ``retry``: a question asked
        again (it counts in that question's history, not in the overall trend). ``review_targets``: per question, the
        review item the first follow-up aims at when the answer still lacks it (``interviewer review``)."""
        bank = bank or load_bank(settings.bank)
        questions, adaptive = plan_questions(bank, settings, question_ids)
        seed = settings.seed if settings.seed is not None else random.SystemRandom().randrange(1 << 30)
        history = repo.weakness()
        state = m.initial_state(
            question_infos([QuestionHead.of(q) for q in questions]),
            total=settings.questions,
            max_probes=settings.max_probes,
            adaptive=adaptive,
            seed=seed,
            history=history,
        )
        options: dict[str, Any] = {
            "questions": settings.questions,
            "focus": settings.focus,
            "max_probes": settings.max_probes,
            "question_ids": list(question_ids),
            "seed": seed,
            "mode": settings.mode,
        }
        if retry:
            options["retry"] = True
        if review_targets:
            options["review_targets"] = dict(review_targets)
        interview_id = repo.create_interview(
            model=settings.model,
            mode=settings.mode,
            bank_version=bank.version,
            bank_hash=bank.hash,
            bank_path=_absolute(settings.bank),
            options=options,
            state=dump_state(state),
            status=state.phase.value,
        )
        session = cls(
            repo=repo,
            bank=bank,
            settings=settings,
            interview_id=interview_id,
            state=state,
            engines=_engines_for(bank, engines),
            review_targets=review_targets,
        )
        step = await session._open(m.Start(), on_delta)
        return session, step

    @classmethod
    async def resume(
        cls,
        settings: Settings,
        repo: Repository,
        interview_id: str | None = None,
        *,
        engines: Engines | EngineSource | None = None,
        on_delta: TextSink | None = None,
        not_found_hint: str = NO_UNFINISHED_HINT,
    ) -> tuple[InterviewSession, Step]:
        """Continue a stored interview (the newest unfinished one by default). ``engines``: the engines, or what
        builds them for the interview's bank (the offline engine when None)."""
        interview_id = interview_to_resume(repo, interview_id, hint=not_found_hint)
        record = repo.get(interview_id)
        if record is None:
            raise NotFound(f"no interview '{interview_id}'", hint="`interviewer history` lists the interviews")
        bank = load_bank(record.bank_path)
        if bank.hash != record.bank_hash:
            raise PlanError(
                "the question bank changed since this interview started (its rubrics were revised, e.g. by an "
                "upgrade of interviewer)",
                hint="grades would not be comparable: start a new interview; answers already given stay in "
                "`interviewer report` and `interviewer history`",
            )
        state = load_state(record.state)
        merged = settings.model_copy(update={"mode": record.mode})
        session = cls(
            repo=repo,
            bank=bank,
            settings=merged,
            interview_id=interview_id,
            state=state,
            engines=_engines_for(bank, engines),
            review_targets=record.options.get("review_targets"),
        )
        session._remember(record)
        if state.phase in m.TERMINAL:
            return session, Step(prompt=None, notices=["This interview is already finished."])
        step = await session._open(m.Resume(), on_delta)
        step.notices.insert(0, f"Resumed interview {interview_id} at question {state.number} of {state.total}.")
        return session, step

    # ---------------------------------------------------------------------------------------------- commands
    async def submit(self, text: str, on_delta: TextSink | None = None) -> Step:
        """Submit an answer to the current prompt. ``on_delta`` receives a follow-up's text as it is produced."""
        cleaned, notices = clean_answer(text)
        try:
            step = await self._run(m.Answer(cleaned), on_delta)
        except m.EmptyAnswer as exc:
            return Step(prompt=self.current_prompt(), notices=[exc.user_message()])
        except StorageError as exc:
            if self.current_prompt() is None:
                raise StorageError(f"{exc.message}; your answer is saved", hint=exc.hint) from None
            raise AnswerNotSaved(
                f"{exc.message}: this answer was not saved (your earlier answers are)", hint=exc.hint, answer=cleaned
            ) from None
        step.notices[:0] = notices
        return step

    async def clarify(self, text: str = "", on_delta: TextSink | None = None) -> Step:
        """Ask for the current question to be rephrased (it is rephrased, not answered)."""
        return await self._run(m.Clarify(clean_answer(text)[0]), on_delta)

    async def skip(self, on_delta: TextSink | None = None) -> Step:
        """Skip the current question (or the current follow-up)."""
        return await self._run(m.Skip(), on_delta)

    async def end(self) -> Step:
        """End the interview now; answered questions are scored."""
        return await self._run(m.EndEarly(), None)

    async def retry(self, on_delta: TextSink | None = None) -> Step:
        """Run again whatever failed (a grade or follow-up that raised); the stored answer is used."""
        return await self._run(m.Resume(), on_delta)

    @property
    def finished(self) -> bool:
        return self.state.phase in m.TERMINAL

    @property
    def progress(self) -> m.Progress:
        """Questions asked of the total, and the one being asked."""
        return self.state.progress

    def current_prompt(self) -> Prompt | None:
        ask = self.state.last_ask
        if self.state.phase is not m.Phase.AWAITING_ANSWER or ask is None:
            return None
        return self._prompt(ask)

    # ------------------------------------------------------------------------------------------------ engine
    def _prompt(self, ask: m.Ask) -> Prompt:
        return prompt_for(QuestionHead.of(self.bank.get(ask.question_id)), ask, self.state.max_probes)

    def _remember(self, record: InterviewRecord) -> None:
        """What a resumed session keeps in memory from storage, read once: the latest grades and the last turn."""
        self._grades = dict(record.grades)
        if record.turns:
            self._last_turn = (record.turns[-1].role, record.turns[-1].text)

    def _commit(self, turns: Sequence[NewTurn] = (), reviews: Sequence[ReviewItem] = ()) -> None:
        """One transaction: new turns, grades and model calls made since the last commit, review items, and the
        machine state. Model calls of a failed commit wait for the next one (they were made); grades do not (the
        state that records them was not stored, so the answer is graded again)."""
        grades, self._unsaved_grades = self._unsaved_grades, []
        usage, self._unsaved_usage = self._unsaved_usage, []
        try:
            self.repo.commit_step(
                self.id,
                state=dump_state(self.state),
                status=self.state.phase.value,
                turns=turns,
                grades=grades,
                reviews=reviews,
                usage=usage,
            )
        except StorageError:
            self._unsaved_usage[:0] = usage
            raise
        if turns:
            self._last_turn = (turns[-1].role, turns[-1].text)

    def _save_usage(self, step: Step) -> None:
        """After an action failed: the model calls it made are stored at once, with the state as it stands (already
        stored), so leaving now loses no accounting. If even that fails they wait for the next commit."""
        self._collect_usage(step)
        if self._unsaved_usage:
            with suppress(StorageError):
                self._commit()

    def _reviews(self, actions: Sequence[m.Action], before: m.State) -> list[ReviewItem]:
        """The review items that the final grades of the questions finished now create or reschedule (they land in
        the same transaction as the state that finishes the question)."""
        out: list[ReviewItem] = []
        for action in actions:
            if not isinstance(action, m.QuestionDone) or action.skipped:
                continue
            final = self._grades.get(action.question_id)
            if final is None:
                continue
            existing = {(i.kind, i.item_id): i for i in self.repo.review_items([action.question_id])}
            out += review_items_after(
                self.bank.get(action.question_id),
                final,
                existing,
                first_try=not before.probes and len(before.answers) <= 1,
                now=self._now(),
                interview_id=self.id,
            )
        return out

    @staticmethod
    def _now() -> datetime:
        return datetime.now(UTC)

    async def _run(self, event: m.Event, on_delta: TextSink | None) -> Step:
        step = Step(prompt=None)
        pending: list[m.Event] = [event]
        while pending:
            current = pending.pop(0)
            before = self.state
            self.state, actions = m.transition(self.state, current)
            turns, follow_ups = self._store_actions(actions, step, resumed=isinstance(current, m.Resume))
            try:
                self._commit(turns, self._reviews(actions, before))  # answers and state land together, before grading
            except StorageError:
                self.state = before  # what is stored is what the session knows: nothing was taken
                raise
            for action in follow_ups:
                try:
                    nxt = await self._perform(action, step, on_delta)
                except BaseException:
                    self._save_usage(step)
                    raise
                self._collect_usage(step)
                if nxt is not None:
                    pending.append(nxt)
        return step

    def _store_actions(
        self, actions: Sequence[m.Action], step: Step, *, resumed: bool
    ) -> tuple[list[NewTurn], list[m.Action]]:
        """The turns the actions store (answers, skips, what the interviewer says; the prompt goes in ``step``),
        and the actions left to perform."""
        turns: list[NewTurn] = []
        follow_ups: list[m.Action] = []
        for action in actions:
            if isinstance(action, m.StoreAnswer):
                turns.append(NewTurn(action.question_id, "candidate", "answer", action.text, action.probe_index))
            elif isinstance(action, m.StoreSkip):
                turns.append(NewTurn(action.question_id, "candidate", "skip", "/skip", action.probe_index))
            elif isinstance(action, m.Ask):
                prompt = self._prompt(action)
                if not (resumed and self._last_turn == ("interviewer", prompt.text)):  # not put twice on resume
                    turns.append(
                        NewTurn(action.question_id, "interviewer", action.kind, prompt.text, action.probe_index)
                    )
                step.prompt = prompt
            else:
                follow_ups.append(action)
        return turns, follow_ups

    def _collect_usage(self, step: Step) -> None:
        """The model calls made since the last look: stored with the next commit; their notices go in ``step``."""
        ledger = self.engines.ledger
        if ledger is None:
            return
        self._unsaved_usage += ledger.drain()
        step.notices.extend(ledger.drain_notices())

    async def _perform(self, action: m.Action, step: Step, on_delta: TextSink | None) -> m.Event | None:
        match action:
            case m.GradeAnswers():
                return await self._grade(action, step)
            case m.MakeProbe():
                return await self._probe(action, on_delta)
            case m.MakeClarification():
                return await self._clarify(action, on_delta)
            case m.QuestionDone():
                self._question_done(action, step)
            case m.Finish():
                self._finish(action, step)
            case _:  # pragma: no cover
                raise AssertionError(f"unhandled action {action!r}")
        return None

    async def _grade(self, action: m.GradeAnswers, step: Step) -> m.Graded:
        """Grade the answers, keep the grade (it lands with the next commit), and rank what it lacks, once."""
        question = self.bank.get(action.question_id)
        grade = await self.engines.grader.grade(question, action.answers)
        if grade.fallback:
            step.notices.append("The model could not grade this answer; the offline grader stood in.")
        self._unsaved_grades.append(grade)
        self._grades[action.question_id] = grade
        # ``interviewer review``: the first follow-up aims at the due item when the answer still lacks it.
        due = None if self.state.probes else self._review_targets.get(action.question_id)
        ranked = rank_targets(question, grade, self.bank, first=due or None)
        self._ranked[action.question_id] = {t.id: t for t in ranked}
        return m.Graded(action.question_id, grade.score, tuple(t.id for t in ranked))

    async def _probe(self, action: m.MakeProbe, on_delta: TextSink | None) -> m.ProbeReady:
        """Word the follow-up the machine chose, from the ranking of the latest grade (after a restart, from the
        rubric by id)."""
        question = self.bank.get(action.question_id)
        target = self._ranked.get(action.question_id, {}).get(action.target) or probe_target(
            question, self.bank, action.target
        )
        if target is None:  # the rubric changed under a resumed interview: ask generically
            return m.ProbeReady("Could you go into a little more detail?", action.target)
        ask = ProbeAsk(question, target, action.answers, action.previous)
        text = await self.engines.prober.probe(ask, on_delta)
        return m.ProbeReady(text, action.target)

    async def _clarify(self, action: m.MakeClarification, on_delta: TextSink | None) -> m.Rephrased:
        question = self.bank.get(action.question_id)
        clarify = ClarifyAsk(question, action.candidate_text, self._clarifications, action.follow_up)
        text = await self.engines.prober.clarify(clarify, on_delta)
        self._clarifications += 1
        return m.Rephrased(text)

    def _question_done(self, action: m.QuestionDone, step: Step) -> None:
        """Coach mode: feedback on the question just finished."""
        if not action.skipped and self.settings.mode == "coach":
            done = self._grades.get(action.question_id)
            if done is not None:
                step.feedback.append(Feedback(self.bank.get(action.question_id), done))

    def _finish(self, action: m.Finish, step: Step) -> None:
        """Store the overall score and (exam mode) put the feedback on every question in ``step``."""
        scores = [None if s is None else float(s) for _, s in self.state.scores]
        scores += [None] * (len(set(self.state.asked)) - len(scores))
        self.repo.finish(
            self.id,
            overall_score=overall_score(scores),
            ended_early=action.reason == "ended_early",
            status=self.state.phase.value,
        )
        if self.settings.mode == "exam":
            for qid in self.state.asked:
                final = self._grades.get(qid)
                if final is not None:
                    step.feedback.append(Feedback(self.bank.get(qid), final))
