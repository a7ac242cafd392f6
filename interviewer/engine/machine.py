"""The interview state machine: pure, no I/O.

``transition(state, event)`` returns the new state and the actions the caller must run (ask this, store that,
grade this answer, make a probe). An event that is not allowed in the current phase raises ``IllegalTransition``
and changes nothing. The TUI, the plain mode, the tests and the evals all drive this same machine through the
session service.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Literal

from interviewer.errors import InterviewerError


class Phase(StrEnum):
    """Where the interview is."""

    READY = "ready"
    AWAITING_ANSWER = "awaiting_answer"
    GRADING = "grading"
    PROBING = "probing"
    CLARIFYING = "clarifying"
    COMPLETE = "complete"
    ABANDONED = "abandoned"


TERMINAL = frozenset({Phase.COMPLETE, Phase.ABANDONED})


class IllegalTransition(InterviewerError):
    """An event arrived in a phase that does not accept it."""

    title = "Not possible now"


class EmptyAnswer(InterviewerError):
    """A blank answer: it does not count, and the question is asked again."""

    title = "Empty answer"


# ------------------------------------------------------------------------------------------------------- events
@dataclass(frozen=True)
class Start:
    """Begin the interview."""


@dataclass(frozen=True)
class Answer:
    """The candidate submitted an answer (to the question or to a follow-up)."""

    text: str


@dataclass(frozen=True)
class Clarify:
    """The candidate asked for the question to be rephrased."""

    text: str = ""


@dataclass(frozen=True)
class Skip:
    """The candidate skips the current question (or the current follow-up)."""


@dataclass(frozen=True)
class EndEarly:
    """The candidate ends the interview now; what was answered is scored."""


@dataclass(frozen=True)
class Graded:
    """Grading of the current question finished. ``targets``: what the answer still lacks, most important first,
    ranked once by the session for this grade (ids of key points, misconceptions or STAR parts); a follow-up aims at
    the first one not yet tried, and how many there are tells whether a follow-up brought anything new."""

    question_id: str
    score: int
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProbeReady:
    """The follow-up text is ready to ask."""

    text: str
    target: str


@dataclass(frozen=True)
class Rephrased:
    """The rephrased question is ready to ask."""

    text: str


@dataclass(frozen=True)
class Resume:
    """Continue an interview loaded from storage: re-issue whatever was pending."""


@dataclass(frozen=True)
class Abandon:
    """Stop for good without scoring. No caller sends it yet: it is kept for an interview quit with no answer, which
    is to be removed rather than listed (the ``abandoned`` status is already excluded from "the newest unfinished
    interview"); tests/test_machine.py covers it."""


Event = Start | Answer | Clarify | Skip | EndEarly | Graded | ProbeReady | Rephrased | Resume | Abandon


# ------------------------------------------------------------------------------------------------------ actions
@dataclass(frozen=True)
class Ask:
    """Say this to the candidate and wait for an answer."""

    question_id: str
    kind: Literal["question", "probe", "clarification"]
    number: int
    total: int
    probe_index: int = 0
    text: str | None = None
    """None for a bank question: the session uses the question's own text."""


@dataclass(frozen=True)
class StoreAnswer:
    """Commit this answer now, before anything else can fail."""

    question_id: str
    text: str
    probe_index: int
    """0 for the answer to the question, n for the answer to the n-th follow-up."""


@dataclass(frozen=True)
class StoreSkip:
    """Record that the candidate skipped."""

    question_id: str
    probe_index: int


@dataclass(frozen=True)
class GradeAnswers:
    """Grade these answers to the question together (the original answer and the follow-up answers)."""

    question_id: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class MakeProbe:
    """Write a follow-up aimed at ``target`` (then send ProbeReady)."""

    question_id: str
    target: str
    answers: tuple[str, ...]
    previous: tuple[str, ...]


@dataclass(frozen=True)
class MakeClarification:
    """Rephrase the question, or the follow-up being answered, without answering it (then send Rephrased)."""

    question_id: str
    candidate_text: str
    follow_up: str | None = None
    """The follow-up the candidate asked about (None: the question itself)."""


@dataclass(frozen=True)
class QuestionDone:
    """The question is finished (graded, or skipped)."""

    question_id: str
    skipped: bool


@dataclass(frozen=True)
class Finish:
    """The interview is over: build the scorecard."""

    reason: Literal["completed", "ended_early"]


Action = Ask | StoreAnswer | StoreSkip | GradeAnswers | MakeProbe | MakeClarification | QuestionDone | Finish


# -------------------------------------------------------------------------------------------------------- state
@dataclass(frozen=True)
class QuestionInfo:
    """What the order policy knows of a question."""

    id: str
    kind: str
    area: str


@dataclass(frozen=True)
class Progress:
    """How far an interview is: the questions asked so far (in order) of ``total``, and the one open now (None
    before the first and once it is over)."""

    asked: tuple[str, ...]
    total: int
    current: str | None = None

    @property
    def number(self) -> int:
        """The number of the question being asked (or last asked): 1 for the first."""
        return len(self.asked)


@dataclass(frozen=True)
class State:
    """Everything the machine knows. Immutable; every transition returns a new one."""

    phase: Phase
    questions: tuple[QuestionInfo, ...]
    """Candidates for the interview, in plan order."""
    total: int
    max_probes: int = 2
    adaptive: bool = True
    seed: int = 0
    history: tuple[tuple[str, float], ...] = ()
    """Weakness from past interviews, per question id (0 = strong, 1 = missed before)."""
    asked: tuple[str, ...] = ()
    scores: tuple[tuple[str, int | None], ...] = ()
    current: str | None = None
    answers: tuple[str, ...] = ()
    probes: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    pending_target: str | None = None
    last_score: int | None = None
    last_missing: int | None = None
    end_requested: bool = False
    ended_early: bool = False
    last_ask: Ask | None = None

    @property
    def number(self) -> int:
        return len(self.asked)

    @property
    def remaining(self) -> tuple[QuestionInfo, ...]:
        asked = set(self.asked)
        return tuple(q for q in self.questions if q.id not in asked)

    @property
    def progress(self) -> Progress:
        """Where the interview is: questions asked of the total, and the one being asked."""
        return Progress(asked=self.asked, total=self.total, current=self.current)


def initial_state(
    questions: tuple[QuestionInfo, ...],
    *,
    total: int | None = None,
    max_probes: int = 2,
    adaptive: bool = True,
    seed: int = 0,
    history: Mapping[str, float] | None = None,
) -> State:
    """A new interview over ``questions`` (asking ``total`` of them)."""
    count = len(questions) if total is None else max(0, min(total, len(questions)))
    return State(
        phase=Phase.READY,
        questions=questions,
        total=count,
        max_probes=max_probes,
        adaptive=adaptive,
        seed=seed,
        history=tuple(sorted((history or {}).items())),
    )


# --------------------------------------------------------------------------------------------------- the policy
def choose_next(state: State) -> QuestionInfo | None:
    """The next question: plan order when not adaptive; otherwise favour weak areas of this interview and
    questions missed in past interviews, and alternate kinds when nothing else decides."""
    remaining = state.remaining
    if not remaining or state.number >= state.total:
        return None
    if not state.adaptive:
        return remaining[0]
    info = {q.id: q for q in state.questions}
    by_area: dict[str, list[int]] = {}
    for qid, score in state.scores:
        if score is not None:
            by_area.setdefault(info[qid].area, []).append(score)
    history = dict(state.history)
    last_kind = info[state.asked[-1]].kind if state.asked else None

    def priority(q: QuestionInfo) -> tuple[float, str]:
        value = 0.0
        area_scores = by_area.get(q.area)
        if area_scores:
            value += (5 - sum(area_scores) / len(area_scores)) / 4  # weak area seen in this interview
        value += 0.8 * history.get(q.id, 0.0)
        if last_kind is not None and q.kind != last_kind:
            value += 0.5  # mix kinds
        tie = hashlib.sha256(f"{state.seed}:{q.id}".encode()).hexdigest()
        return (-value, tie)

    return min(remaining, key=priority)


# ---------------------------------------------------------------------------------------------- the transitions
Result = tuple[State, list[Action]]


def _next_question(state: State, done: list[Action]) -> Result:
    if state.end_requested:
        return replace(state, phase=Phase.COMPLETE, ended_early=True, current=None), [*done, Finish("ended_early")]
    nxt = choose_next(state)
    if nxt is None:
        return replace(state, phase=Phase.COMPLETE, current=None), [*done, Finish("completed")]
    ask = Ask(question_id=nxt.id, kind="question", number=state.number + 1, total=state.total)
    new = replace(
        state,
        phase=Phase.AWAITING_ANSWER,
        asked=(*state.asked, nxt.id),
        current=nxt.id,
        answers=(),
        probes=(),
        targets=(),
        pending_target=None,
        last_score=None,
        last_missing=None,
        last_ask=ask,
    )
    return new, [*done, ask]


def _on_start(state: State, event: Start) -> Result:
    return _next_question(state, [])


def _on_answer(state: State, event: Answer) -> Result:
    if not event.text.strip():
        raise EmptyAnswer(
            "the answer is empty; type an answer, or /skip to skip the question",
            hint="an empty answer does not count and the question stays open",
        )
    assert state.current is not None
    answers = (*state.answers, event.text)
    new = replace(state, phase=Phase.GRADING, answers=answers)
    return new, [StoreAnswer(state.current, event.text, len(state.probes)), GradeAnswers(state.current, answers)]


def _brought_nothing_new(state: State, event: Graded) -> bool:
    """After a follow-up: the score did not rise and no fewer elements are missing."""
    if not state.probes or state.last_score is None or state.last_missing is None:
        return False
    return event.score <= state.last_score and len(event.targets) >= state.last_missing


def _probe_target(state: State, event: Graded) -> str | None:
    """What the next follow-up aims at: the first of the grade's targets not tried yet, or None when no follow-up is
    due (the candidate asked to end, the follow-ups are used up, or the last one brought nothing new)."""
    if state.end_requested or len(state.probes) >= state.max_probes or _brought_nothing_new(state, event):
        return None
    return next((t for t in event.targets if t not in state.targets), None)


def _on_graded(state: State, event: Graded) -> Result:
    if event.question_id != state.current:
        raise IllegalTransition(f"a grade for '{event.question_id}' arrived while '{state.current}' is current")
    scores = (*((q, s) for q, s in state.scores if q != event.question_id), (event.question_id, event.score))
    new = replace(state, scores=scores, last_score=event.score, last_missing=len(event.targets))
    target = _probe_target(state, event)
    if target is not None:
        new = replace(new, phase=Phase.PROBING, pending_target=target)
        return new, [MakeProbe(event.question_id, target, state.answers, state.probes)]
    return _next_question(new, [QuestionDone(event.question_id, skipped=False)])


def _on_probe_ready(state: State, event: ProbeReady) -> Result:
    assert state.current is not None
    ask = Ask(
        question_id=state.current,
        kind="probe",
        number=state.number,
        total=state.total,
        probe_index=len(state.probes) + 1,
        text=event.text,
    )
    new = replace(
        state,
        phase=Phase.AWAITING_ANSWER,
        probes=(*state.probes, event.text),
        targets=(*state.targets, event.target),
        pending_target=None,
        last_ask=ask,
    )
    return new, [ask]


def _on_clarify(state: State, event: Clarify) -> Result:
    assert state.current is not None
    on_follow_up = state.last_ask is not None and state.last_ask.probe_index > 0 and bool(state.probes)
    follow_up = state.probes[-1] if on_follow_up else None
    return replace(state, phase=Phase.CLARIFYING), [MakeClarification(state.current, event.text, follow_up)]


def _on_rephrased(state: State, event: Rephrased) -> Result:
    assert state.current is not None and state.last_ask is not None
    ask = replace(state.last_ask, kind="clarification", text=event.text)
    return replace(state, phase=Phase.AWAITING_ANSWER, last_ask=ask), [ask]


def _on_skip(state: State, event: Skip) -> Result:
    assert state.current is not None
    qid = state.current
    actions: list[Action] = [StoreSkip(qid, len(state.probes))]
    if not state.answers:  # the question itself was skipped: no score
        scores = (*state.scores, (qid, None))
        return _next_question(replace(state, scores=scores), [*actions, QuestionDone(qid, skipped=True)])
    return _next_question(state, [*actions, QuestionDone(qid, skipped=False)])  # a follow-up: the grade stands


def _on_end(state: State, event: EndEarly) -> Result:
    if state.phase in (Phase.GRADING, Phase.PROBING):  # let the grade of a submitted answer finish first
        if state.phase is Phase.PROBING:
            assert state.current is not None
            done = replace(state, end_requested=True, pending_target=None)
            return _next_question(done, [QuestionDone(state.current, skipped=False)])
        return replace(state, end_requested=True), []
    end = replace(state, end_requested=True)
    if state.phase is Phase.READY:
        return replace(end, phase=Phase.COMPLETE, ended_early=True), [Finish("ended_early")]
    actions: list[Action] = []
    if state.current is not None and not state.answers:
        end = replace(end, scores=(*state.scores, (state.current, None)))
        actions.append(QuestionDone(state.current, skipped=True))
    elif state.current is not None:
        actions.append(QuestionDone(state.current, skipped=False))
    return replace(end, phase=Phase.COMPLETE, ended_early=True, current=None), [*actions, Finish("ended_early")]


def _on_resume(state: State, event: Resume) -> Result:
    if state.phase is Phase.READY:
        return _on_start(state, Start())
    if state.phase is Phase.AWAITING_ANSWER:
        assert state.last_ask is not None
        return state, [state.last_ask]
    if state.phase is Phase.GRADING:
        assert state.current is not None
        return state, [GradeAnswers(state.current, state.answers)]
    if state.phase is Phase.PROBING:
        assert state.current is not None and state.pending_target is not None
        return state, [MakeProbe(state.current, state.pending_target, state.answers, state.probes)]
    assert state.current is not None  # CLARIFYING
    return state, [MakeClarification(state.current, "")]


def _on_abandon(state: State, event: Abandon) -> Result:
    return replace(state, phase=Phase.ABANDONED), []


_Handler = Callable[[State, Any], Result]
TABLE: dict[tuple[Phase, type[object]], _Handler] = {}
"""The transition table: (phase, event type) -> handler. Anything not in it is illegal."""


def _allow(phases: tuple[Phase, ...], event: type[object], handler: _Handler) -> None:
    for phase in phases:
        TABLE[(phase, event)] = handler


_LIVE = (Phase.READY, Phase.AWAITING_ANSWER, Phase.GRADING, Phase.PROBING, Phase.CLARIFYING)
_allow((Phase.READY,), Start, _on_start)
_allow((Phase.AWAITING_ANSWER,), Answer, _on_answer)
_allow((Phase.AWAITING_ANSWER,), Clarify, _on_clarify)
_allow((Phase.AWAITING_ANSWER,), Skip, _on_skip)
_allow((Phase.GRADING,), Graded, _on_graded)
_allow((Phase.PROBING,), ProbeReady, _on_probe_ready)
_allow((Phase.CLARIFYING,), Rephrased, _on_rephrased)
_allow(_LIVE, EndEarly, _on_end)
_allow(_LIVE, Resume, _on_resume)
_allow(_LIVE, Abandon, _on_abandon)


def transition(state: State, event: Event) -> Result:
    """Apply ``event``; returns the new state and the actions to run. Raises IllegalTransition if not allowed."""
    handler = TABLE.get((state.phase, type(event)))
    if handler is None:
        allowed = sorted(e.__name__ for (p, e) in TABLE if p is state.phase)
        raise IllegalTransition(
            f"{type(event).__name__} is not possible while the interview is {state.phase.value}",
            hint=f"possible now: {', '.join(allowed) or 'nothing (the interview is over)'}",
        )
    return handler(state, event)
