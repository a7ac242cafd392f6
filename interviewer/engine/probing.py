"""Adaptive follow-ups: which single missing element to probe, and the offline prober that words the probe from
the rubric's probe material (never from the answer key)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from interviewer.bank.loader import Bank
from interviewer.bank.schema import STAR_NAMES, Kind, Question
from interviewer.domain.grades import GAP_KINDS, GapKind, Grade
from interviewer.grading.gaps import Gap, ranked_gaps


@dataclass(frozen=True)
class ProbeTarget:
    """The element a follow-up aims at."""

    id: str
    kind: GapKind
    description: str
    suggested_probe: str


def _material(question: Question, bank: Bank, gap: Gap) -> ProbeTarget | None:
    """The rubric's probe material for one gap (None for a point the rubric does not list)."""
    if gap.kind == "misconception":
        m = next((m for m in question.misconceptions if m.id == gap.id), None)
        return None if m is None else ProbeTarget(m.id, "misconception", m.description, m.probe)
    if gap.kind == "key_point":
        kp = next((kp for kp in question.key_points if kp.id == gap.id), None)
        return None if kp is None else ProbeTarget(kp.id, "key_point", kp.description, kp.probe)
    if gap.id not in STAR_NAMES:
        return None
    item = question.star_focus(gap.id)
    criterion = bank.star.criterion(gap.id)
    return ProbeTarget(gap.id, "star", criterion.description, item.probe if item is not None else criterion.probes[0])


def probe_targets(question: Question, grade: Grade, bank: Bank) -> list[ProbeTarget]:
    """Everything worth a follow-up, most important first (empty when the answer is complete): the grade's gaps in
    the order of ``ranked_gaps``, each with the rubric's probe material (points the rubric does not list, such as
    those derived from a reference answer, are not probed)."""
    gaps = ranked_gaps(
        question,
        grade.score,
        star=grade.star_map(),
        key_points=grade.key_points,
        misconceptions=grade.misconceptions,
    )
    return [t for t in (_material(question, bank, gap) for gap in gaps) if t is not None]


def rank_targets(question: Question, grade: Grade, bank: Bank, *, first: str | None = None) -> list[ProbeTarget]:
    """``probe_targets``, with ``first`` (a review item due, under ``interviewer review``) moved to the front when the
    answer still lacks it. The session calls this once per graded answer and hands the ids to the machine."""
    targets = probe_targets(question, grade, bank)
    if first is not None:
        targets.sort(key=lambda t: t.id != first)  # stable: the others keep their order
    return targets


def probe_target(question: Question, bank: Bank, target_id: str) -> ProbeTarget | None:
    """The probe material of element ``target_id`` looked up in the rubric, without ranking anything (for a follow-up
    resumed after a restart, when the session no longer holds the ranking that chose it); None if the rubric has no
    such element."""
    kinds: tuple[GapKind, ...] = GAP_KINDS
    return next((t for kind in kinds if (t := _material(question, bank, Gap(target_id, kind))) is not None), None)


def choose_target(question: Question, grade: Grade, bank: Bank, tried: Sequence[str] = ()) -> ProbeTarget | None:
    """The single most important missing element not probed yet, or None (the evals' choice of a follow-up)."""
    return next((t for t in probe_targets(question, grade, bank) if t.id not in tried), None)


TextSink = Callable[[str], None]
"""Receives the interviewer's text as it is produced (streamed deltas from a model; one piece offline)."""


@dataclass(frozen=True)
class ProbeAsk:
    """What a follow-up is worded from: the question, the element it aims at, the answers so far, and the follow-ups
    already asked (not to be repeated)."""

    question: Question
    target: ProbeTarget
    answers: Sequence[str]
    previous: Sequence[str] = ()


@dataclass(frozen=True)
class ClarifyAsk:
    """What a clarification is worded from: the question, what the candidate said, how many times it was rephrased
    before, and the follow-up the candidate asked about (None: the question itself)."""

    question: Question
    candidate_text: str = ""
    times: int = 0
    follow_up: str | None = None


class Prober(Protocol):
    """Words follow-ups and clarifications. ``on_delta``, when given, receives the text as it is produced."""

    async def probe(self, ask: ProbeAsk, on_delta: TextSink | None = None) -> str:
        """One follow-up aimed at ``ask.target``."""
        ...

    async def clarify(self, ask: ClarifyAsk, on_delta: TextSink | None = None) -> str:
        """The question (or ``ask.follow_up``, when the candidate asked about a follow-up) rephrased, never
        answered."""
        ...


class OfflineProber:
    """Probes from the rubric's probe material: question-specific first, then the shared STAR probes."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank

    async def probe(self, ask: ProbeAsk, on_delta: TextSink | None = None) -> str:
        target = ask.target
        options = [target.suggested_probe]
        if target.kind == "star":
            options += list(self.bank.star.criterion(target.id).probes)
        text = next((option for option in options if option not in ask.previous), options[0])
        if on_delta is not None:
            on_delta(text)
        return text

    async def clarify(self, ask: ClarifyAsk, on_delta: TextSink | None = None) -> str:
        question, follow_up = ask.question, ask.follow_up
        alternative = question.alternatives[ask.times % len(question.alternatives)]
        if follow_up is not None:
            text = (
                f"Let me put the follow-up another way. {follow_up} Take it one step at a time: there is no trick, "
                "I'd like to hear your own reasoning, even if you are not sure."
            )
        elif question.kind is Kind.BEHAVIORAL:
            text = (
                f"Let me put it another way. {alternative} I'm looking for one real situation from your own "
                "experience: what happened, what you did, and how it turned out."
            )
        else:
            text = (
                f"Let me put it another way. {alternative} Explain it in your own words, as you would to a colleague."
            )
        if on_delta is not None:
            on_delta(text)
        return text
