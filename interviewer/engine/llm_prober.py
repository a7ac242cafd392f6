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
        leaked = False
        preview = _Preview(on_delta, guard.holdback) if on_delta is not None else None
        async for delta in self.model.stream(
            messages, purpose=purpose, temperature=self.temperature, max_tokens=self.max_tokens, sample=self.sample
        ):
            text += delta
            # After a leak: keep reading (the call is accounted when it ends), show nothing more.
            leaked = leaked or guard.leaks(text) or len(text) > MAX_PROBE_CHARS
            if not leaked and preview is not None:
                preview.show(text)
        final = clean_reply(text)
        if leaked or not _usable(final, guard):
            return None, preview is not None and preview.passed_on
        if preview is not None:
            preview.close(text, final)
        return final, True


def _usable(final: str, guard: LeakGuard) -> bool:
    """A reply fit to ask: not empty, ended (not cut short, "Could you say more about what you"), giving nothing
    away, and short enough to be a question rather than a lecture."""
    return bool(final) and bool(_ENDED.search(final)) and not guard.leaks(final) and len(final) <= MAX_PROBE_CHARS


@dataclass
class _Preview:
    """What of a streaming reply is passed on: from after its opening quotes and spaces, holding back the tail that
    could still become a guarded phrase."""

    on_delta: TextSink
    holdback: int
    start: int | None = None
    shown: int = 0

    def show(self, text: str) -> None:
        """Pass on what of ``text`` (everything received so far) is safe and new."""
        if self.start is None:
            stripped = len(text) - len(text.lstrip(_OPENING))
            if stripped == len(text):
                return
            self.start = self.shown = stripped
        safe = len(text) - self.holdback
        if safe > self.shown:
            self.on_delta(text[self.shown : safe])
            self.shown = safe

    @property
    def passed_on(self) -> bool:
        return self.start is not None and self.shown > self.start

    def close(self, text: str, final: str) -> None:
        """The reply is accepted: pass on the rest (the held-back tail, or all of it if nothing was shown yet)."""
        rest = text[self.shown :].rstrip(_OPENING) if self.start is not None else final
        if rest:
            self.on_delta(rest)
