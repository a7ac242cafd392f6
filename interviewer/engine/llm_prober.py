"""The model-backed prober: follow-ups and clarifications worded by a model, streamed as they are written.

A probe must never give the answer away. The model's text is checked as it streams: text is passed on only once it
cannot be the start of an accepted phrasing of what the probe is after, and a reply that states one (or is empty,
or rambles) is replaced by the rubric's own probe. ``on_delta`` therefore receives a preview; the returned text is
the one to show and store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from interviewer.bank.loader import Bank
from interviewer.bank.schema import Question
from interviewer.engine.probing import ClarifyAsk, OfflineProber, ProbeAsk, ProbeTarget, TextSink
from interviewer.gateway.model import ChatModel
from interviewer.grading.judge import make_fence
from interviewer.prompting import Message, load_prompt

MAX_PROBE_CHARS = 600
"""A longer "follow-up" is a model answering or lecturing, not asking: the rubric's probe is used instead."""
_TARGET_LABELS = {"key_point": "a key point", "misconception": "a misconception to challenge", "star": "a STAR element"}
_OPENING = " \t\r\n\"'“”‘’`"
_LABEL = re.compile(r"^(?:follow[- ]?up(?: question)?|interviewer|question|probe)\s*:\s*", re.IGNORECASE)


def _normalize(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class LeakGuard:
    """Finds phrases that must not appear in a probe (whole words, any case, any spacing)."""

    phrases: tuple[str, ...]

    @classmethod
    def build(cls, secrets: Iterable[str], allowed: Iterable[str]) -> LeakGuard:
        """Guard ``secrets``, except those already said in ``allowed`` texts (the question, the candidate's words,
        the rubric's probe): repeating them reveals nothing."""
        said = _normalize(" ".join(allowed))
        kept = {
            p
            for p in (_normalize(s) for s in secrets)
            if len(p) >= 3 and not re.search(rf"(?<!\w){re.escape(p)}(?!\w)", said)
        }
        return cls(tuple(sorted(kept, key=len, reverse=True)))

    @property
    def holdback(self) -> int:
        """How many trailing characters of streamed text to hold back: the longest phrase could still be forming."""
        return max((len(p) for p in self.phrases), default=0) + 8 if self.phrases else 0

    def leaks(self, text: str) -> bool:
        norm = _normalize(text)
        return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", norm) for p in self.phrases)


def clean_reply(text: str) -> str:
    """The model's follow-up without wrapping quotes or a ``Follow-up:`` label."""
    text = _LABEL.sub("", text.strip(_OPENING)).strip(_OPENING)
    return " ".join(text.split())


_ENDED = re.compile(r"[.?!…][\"'”’)\]]*\s*$")
"""How a complete follow-up ends: a question mark, a full stop (or !, …), maybe a closing quote."""


class LLMProber:
    """A Prober that asks a model for the wording, with the offline prober as its safety net."""

    def __init__(
        self,
        model: ChatModel,
        bank: Bank,
        *,
        temperature: float = 0.0,
        max_tokens: int = 160,
        sample: int = 0,
    ) -> None:
        self.model = model
        self.bank = bank
        self.offline = OfflineProber(bank)
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.sample = sample

    async def probe(self, ask: ProbeAsk, on_delta: TextSink | None = None) -> str:
        """One follow-up aimed at ``ask.target``, streamed to ``on_delta``."""
        question, target, answers, previous = ask.question, ask.target, ask.answers, ask.previous
        answer = "\n\n".join(a for a in answers if a.strip())
        messages = load_prompt("probe").render(
            question=question,
            answer=answer,
            fence=make_fence(answer),
            target_kind=_TARGET_LABELS.get(target.kind, target.kind),
            target_description=target.description,
            suggested_probe=target.suggested_probe,
            previous_probes=list(previous),
        )
        guard = LeakGuard.build(
            self._target_phrases(question, target), [question.text, *answers, target.suggested_probe]
        )
        text, emitted = await self._stream(messages, "probe", guard, on_delta)
        if text is None or text in previous:
            return await self.offline.probe(ask, None if emitted else on_delta)
        return text

    async def clarify(self, ask: ClarifyAsk, on_delta: TextSink | None = None) -> str:
        """The question, or the follow-up asked about, rephrased (never answered), streamed to ``on_delta``."""
        question, candidate_text, follow_up = ask.question, ask.candidate_text, ask.follow_up
        messages = load_prompt("persona").render(
            action="clarify",
            question=question,
            follow_up=follow_up,
            candidate_text=candidate_text,
            fence=make_fence(candidate_text),
        )
        secrets = [p for kp in question.key_points for p in kp.phrasings]
        guard = LeakGuard.build(secrets, [question.text, *question.alternatives, candidate_text])
        text, emitted = await self._stream(messages, "clarify", guard, on_delta)
        if text is None:
            return await self.offline.clarify(ask, None if emitted else on_delta)
        return text

    def _target_phrases(self, question: Question, target: ProbeTarget) -> list[str]:
        if target.kind == "key_point":
            return [p for kp in question.key_points if kp.id == target.id for p in kp.phrasings]
        if target.kind == "misconception":
            return [m.correction for m in question.misconceptions if m.id == target.id]
        return []  # STAR elements: a probe that names them gives nothing away

    async def _stream(
        self, messages: list[Message], purpose: str, guard: LeakGuard, on_delta: TextSink | None
    ) -> tuple[str | None, bool]:
        """The model's cleaned text (None when it must not be used) and whether any of it was passed on."""
        text = ""
        start: int | None = None  # where the shown text starts (after opening quotes and spaces)
        shown = 0
        leaked = False
        async for delta in self.model.stream(
            messages, purpose=purpose, temperature=self.temperature, max_tokens=self.max_tokens, sample=self.sample
        ):
            text += delta
            if leaked or guard.leaks(text) or len(text) > MAX_PROBE_CHARS:
                leaked = True  # keep reading (the call is accounted when it ends), show nothing more
                continue
            if on_delta is None:
                continue
            if start is None:
                stripped = len(text) - len(text.lstrip(_OPENING))
                if stripped == len(text):
                    continue
                start = shown = stripped
            safe = len(text) - guard.holdback
            if safe > shown:
                on_delta(text[shown:safe])
                shown = safe
        final = clean_reply(text)
        incomplete = not _ENDED.search(final)  # a reply cut short ("Could you say more about what you")
        if leaked or incomplete or not final or guard.leaks(final) or len(final) > MAX_PROBE_CHARS:
            return None, start is not None and shown > start
        if on_delta is not None:
            rest = text[shown:].rstrip(_OPENING) if start is not None else final
            if rest:
                on_delta(rest)
        return final, True
