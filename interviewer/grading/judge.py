"""The LLM judge: grades an answer against the same rubric as the offline grader, through a model.

The answer goes into the ``grade_technical`` / ``grade_star`` prompt fenced as data (the fence is a token the answer
cannot contain), with anything that addresses the grader removed first, so such text can never raise a score. The
model replies with a validated object that puts its ``reasoning`` first, then per item a quote and a verdict, then
the overall 1-5 score. Nothing the model says is taken on trust: a quote that does not occur in the answer drops
its item (missed / absent), unknown ids are dropped, an asserted misconception caps the score as the rubric says,
and the model's score is always bounded by the rubric's level rule (``grading.levels``) over the verified statuses:
a 5 with every key point missed, or every STAR component absent, is stored as the level those statuses give. The
rule's two other inputs (the answer's content-word count and whether it is told as what one *would* do) come from
the offline grader's analysis of the same answer.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from interviewer.bank.loader import Bank
from interviewer.bank.schema import Kind, Question
from interviewer.domain.grades import (
    STAR_NAMES,
    Grade,
    KeyPointResult,
    MisconceptionFound,
    StarResult,
    Status,
)
from interviewer.gateway.model import ChatModel
from interviewer.grading.levels import level_bound
from interviewer.grading.rubric_grader import RubricGrader, strip_grader_directives
from interviewer.grading.text import Document, contains_quote
from interviewer.prompting import load_prompt

GRADER_NAME = "judge"
MAX_LIST_ITEMS = 3
MAX_ITEM_CHARS = 400
JUDGE_MAX_TOKENS = 960
"""Room for brief reasoning and every item with a short quote (a full behavioral reply is about 700 tokens); also a
cap for servers whose default reply length is short (Ollama). With the longest grading prompt, and with a re-ask of
it, it fits the 4,096-token context a local server has by default (tests/gateway/test_judge_budget.py)."""
CONTEXT_TOKENS = 4096
"""The context the judge's prompt plus its reply budget must fit: a local server's usual default."""


def make_fence(text: str) -> str:
    """A fence token that ``text`` does not contain: derived from the text's own hash (so the same answer gives the
    same prompt, and cached replies replay), which no answer can contain by construction."""
    fence = "DATA_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16].upper()
    while fence in text:  # pragma: no cover - would need a sha256 fixed point
        fence = "DATA_" + secrets.token_hex(8).upper()
    return fence


@dataclass(frozen=True)
class AnswerProfile:
    """What the offline analysis of an answer gives the level rule besides the statuses."""

    content_tokens: int
    """Content words in the answer (levels 4 and 5 of a technical answer need enough of them)."""
    hypothetical: bool
    """Told as what one would do rather than what one did (caps a behavioral answer at 2)."""


def answer_profile(offline: RubricGrader, answer: str) -> AnswerProfile:
    """The offline grader's reading of ``answer`` (already stripped of grader-directed text) for the level rule."""
    doc = Document(answer, offline.analyzer)
    return AnswerProfile(content_tokens=len(doc.content_tokens), hypothetical=offline.hypothetical(doc))


# ------------------------------------------------------------------------------------------- output schema
class _Lenient(BaseModel):
    """Verdict parts: extra keys ignored, empty quotes read as none, misconceptions given as bare ids accepted."""

    model_config = ConfigDict(extra="ignore")

    @field_validator("quote", mode="before", check_fields=False)
    @classmethod
    def _blank_quote(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("misconceptions", mode="before", check_fields=False)
    @classmethod
    def _plain_ids(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"id": v} if isinstance(v, str) else v for v in value]
        return value


class KeyPointVerdict(_Lenient):
    """One key point (technical) or question-specific criterion (behavioral)."""

    id: str = Field(description="The id of the key point, exactly as listed.")
    quote: str | None = Field(
        default=None, description="The shortest words of the answer that make it, copied exactly; null if missed."
    )
    status: Literal["hit", "partial", "missed"]

    @field_validator("status", mode="before")
    @classmethod
    def _status_case(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


class ElementVerdict(_Lenient):
    """One STAR component or quality."""

    quote: str | None = Field(default=None, description="The shortest words of the answer that show it, exactly.")
    present: bool


class StarVerdict(_Lenient):
    """The STAR components and qualities, each present (with a quote) or not."""

    situation: ElementVerdict
    task: ElementVerdict
    action: ElementVerdict
    result: ElementVerdict
    ownership: ElementVerdict
    quantified_result: ElementVerdict
    reflection: ElementVerdict


class MisconceptionVerdict(_Lenient):
    """A misconception (or red flag) the answer asserts."""

    id: str = Field(description="The id of the misconception, exactly as listed.")
    quote: str | None = Field(default=None, description="The words of the answer that assert it, copied exactly.")


class TechnicalVerdict(_Lenient):
    """The judge's verdict on a technical answer (reasoning first, score last)."""

    reasoning: str = Field(description="Brief reasoning (at most three sentences) before any verdict.")
    key_points: list[KeyPointVerdict] = Field(default_factory=list, description="One entry per key point id.")
    misconceptions: list[MisconceptionVerdict] = Field(
        default_factory=list, description="Misconceptions the answer asserts (none: an empty list)."
    )
    strengths: list[str] = Field(default_factory=list, description="One or two strengths.")
    gaps: list[str] = Field(default_factory=list, description="One or two gaps.")
    tip: str = Field(default="", description="One concrete tip.")
    score: int = Field(ge=1, le=5, description="The overall score 1-5 from the level descriptors.")


class BehavioralVerdict(_Lenient):
    """The judge's verdict on a behavioral answer (reasoning first, score last)."""

    reasoning: str = Field(description="Brief reasoning (at most three sentences) before any verdict.")
    star: StarVerdict
    key_points: list[KeyPointVerdict] = Field(default_factory=list, description="One entry per criterion id.")
    misconceptions: list[MisconceptionVerdict] = Field(
        default_factory=list, description="Red flags the answer shows (none: an empty list)."
    )
    strengths: list[str] = Field(default_factory=list, description="One or two strengths.")
    gaps: list[str] = Field(default_factory=list, description="One or two gaps.")
    tip: str = Field(default="", description="One concrete tip.")
    score: int = Field(ge=1, le=5, description="The overall score 1-5 from the level descriptors.")


Verdict = TechnicalVerdict | BehavioralVerdict


# --------------------------------------------------------------------------------------------------- judge
class LLMJudge:
    """A Grader that asks a model, and checks what it says against the answer."""

    name = GRADER_NAME

    def __init__(
        self,
        model: ChatModel,
        bank: Bank,
        *,
        sample: int = 0,
        temperature: float = 0.0,
        max_tokens: int | None = JUDGE_MAX_TOKENS,
        offline: RubricGrader | None = None,
    ) -> None:
        self.model = model
        self.bank = bank
        self.sample = sample
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.offline = offline if offline is not None else RubricGrader(bank)
        """The offline grader whose analysis of the answer feeds the level rule that bounds the model's score."""

    def with_sample(self, sample: int) -> LLMJudge:
        """The same judge drawing sample ``sample`` (repeated grades of one answer get distinct cache keys)."""
        return LLMJudge(
            self.model,
            self.bank,
            sample=sample,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            offline=self.offline,
        )

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        """Grade the answer and any follow-up answers together (ModelError when the model fails)."""
        given = [a for a in answers if a.strip()]
        text = strip_grader_directives("\n\n".join(given), self.bank.language)
        behavioral = question.kind is Kind.BEHAVIORAL and not question.reference_only
        template = load_prompt("grade_star" if behavioral else "grade_technical")
        if not text.strip():
            return self._empty(question, template.hash)
        variables: dict[str, Any] = {
            "question": question,
            "levels": question.levels,
            "answer": text,
            "fence": make_fence(text),
            "probe_count": max(0, len(given) - 1),
        }
        if behavioral:
            variables["star"] = self.bank.star
        messages = template.render(**variables)
        schema: type[Verdict] = BehavioralVerdict if behavioral else TechnicalVerdict
        verdict = await self.model.structured(
            messages,
            schema,
            purpose="grade",
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            sample=self.sample,
        )
        return self.to_grade(question, verdict, text, template.hash)

    # --------------------------------------------------------------------------------------- verification
    def to_grade(self, question: Question, verdict: Verdict, answer: str, prompt_hash: str) -> Grade:
        """The Grade the verdict supports, once every quote is checked against ``answer``: the score is bounded by
        the level rule over the verified statuses and by the caps of the verified misconceptions."""
        key_points = _verified_key_points(question, verdict, answer)
        star = _verified_star(verdict, answer)
        misconceptions = _verified_misconceptions(question, verdict, answer)
        profile = answer_profile(self.offline, answer)
        bound = level_bound(
            question, key_points, star, content_tokens=profile.content_tokens, hypothetical=profile.hypothetical
        )
        score = min(verdict.score, bound, *(m.max_score for m in misconceptions))
        return Grade(
            question_id=question.id,
            kind=question.kind,
            score=max(1, score),
            star=star,
            key_points=key_points,
            misconceptions=misconceptions,
            strengths=_clean_list(verdict.strengths),
            gaps=_clean_list(verdict.gaps),
            tip=verdict.tip.strip()[:MAX_ITEM_CHARS],
            reasoning=verdict.reasoning.strip() or None,
            grader=GRADER_NAME,
            model=self.model.name,
            rubric_version=self.bank.rubric_version(question),
            prompt_hash=prompt_hash,
        )

    def _empty(self, question: Question, prompt_hash: str) -> Grade:
        """An answer with no content left once grader-directed text is removed: the lowest score, no model call."""
        behavioral = question.kind is Kind.BEHAVIORAL and not question.reference_only
        return Grade(
            question_id=question.id,
            kind=question.kind,
            score=1,
            star=[StarResult(name=n, present=False) for n in STAR_NAMES] if behavioral else [],
            key_points=[
                KeyPointResult(
                    id=kp.id, description=kp.description, status=Status.MISSED, required=kp.required, weight=kp.weight
                )
                for kp in question.key_points
            ],
            gaps=["The answer has no content that addresses the question."],
            tip="Answer the question itself, in your own words.",
            grader=GRADER_NAME,
            model=self.model.name,
            rubric_version=self.bank.rubric_version(question),
            prompt_hash=prompt_hash,
        )


def _verified_key_points(question: Question, verdict: Verdict, answer: str) -> list[KeyPointResult]:
    """Each key point as the verdict says, missed unless its quote really occurs in ``answer``."""
    by_id: dict[str, KeyPointVerdict] = {}
    for item in verdict.key_points:
        by_id.setdefault(item.id.strip(), item)
    key_points: list[KeyPointResult] = []
    for kp in question.key_points:
        found = by_id.get(kp.id)
        status = Status(found.status) if found is not None else Status.MISSED
        quote = found.quote if found is not None else None
        if status is not Status.MISSED and not (quote and contains_quote(answer, quote)):
            status = Status.MISSED
        key_points.append(
            KeyPointResult(
                id=kp.id,
                description=kp.description,
                status=status,
                quote=quote if status is not Status.MISSED else None,
                required=kp.required,
                weight=kp.weight,
            )
        )
    return key_points


def _verified_star(verdict: Verdict, answer: str) -> list[StarResult]:
    """Each STAR element of a behavioral verdict, present only with a quote that really occurs in ``answer``."""
    star: list[StarResult] = []
    if isinstance(verdict, BehavioralVerdict):
        for name in STAR_NAMES:
            element: ElementVerdict = getattr(verdict.star, name)
            present = element.present and bool(element.quote and contains_quote(answer, element.quote))
            star.append(StarResult(name=name, present=present, quote=element.quote if present else None))
    return star


def _verified_misconceptions(question: Question, verdict: Verdict, answer: str) -> list[MisconceptionFound]:
    """The question's misconceptions the verdict names, once each, unless their quote is invented."""
    known = {m.id: m for m in question.misconceptions}
    misconceptions: list[MisconceptionFound] = []
    for claim in verdict.misconceptions:
        rubric = known.get(claim.id.strip())
        if rubric is None or any(m.id == rubric.id for m in misconceptions):
            continue
        if claim.quote is not None and not contains_quote(answer, claim.quote):
            continue  # an invented quote: the candidate gets the benefit of the doubt
        misconceptions.append(
            MisconceptionFound(
                id=rubric.id,
                description=rubric.description,
                quote=claim.quote,
                correction=rubric.correction,
                max_score=rubric.max_score,
            )
        )
    return misconceptions


def _clean_list(items: Sequence[str]) -> list[str]:
    return [s.strip()[:MAX_ITEM_CHARS] for s in items if s.strip()][:MAX_LIST_ITEMS]
