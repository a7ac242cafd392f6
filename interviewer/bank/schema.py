"""The question-bank schema: what a bank file on disk must look like.

Every model forbids unknown keys, so a typo in a rubric is an error rather than a silently ignored field.
The shipped bank lives in ``rubrics/``; a user's own bank (``--bank PATH``) is validated by the same models.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Weight = Annotated[int, Field(ge=1, le=5)]
Score = Annotated[int, Field(ge=1, le=5)]


class Kind(StrEnum):
    """The two kinds of interview question."""

    BEHAVIORAL = "behavioral"
    TECHNICAL = "technical"


class Difficulty(StrEnum):
    """How hard a question is for a mid-level candidate."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class StarComponent(StrEnum):
    """The four parts of a STAR answer."""

    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"


class StarQuality(StrEnum):
    """Qualities a strong behavioral answer shows beyond the four STAR parts."""

    OWNERSHIP = "ownership"
    QUANTIFIED_RESULT = "quantified_result"
    REFLECTION = "reflection"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Strict):
    """One element of the shared STAR rubric: what counts as evidence for it, what does not, how to probe for it."""

    description: Text
    weight: Weight
    evidence: list[Text] = Field(min_length=1)
    """What in an answer counts as showing this element."""
    not_evidence: list[Text] = Field(min_length=1)
    """What looks like it but does not count."""
    signals: list[Text] = Field(default_factory=list)
    """Typical wordings that point to the element (used by the offline grader, never sufficient alone)."""
    probes: list[Text] = Field(min_length=1)
    """Follow-up questions that ask for the element without suggesting an answer."""


class StarRubric(_Strict):
    """The STAR rubric shared by every behavioral question of a bank."""

    situation: Criterion
    task: Criterion
    action: Criterion
    result: Criterion
    ownership: Criterion
    quantified_result: Criterion
    reflection: Criterion

    def criterion(self, name: StarComponent | StarQuality | str) -> Criterion:
        """The criterion for a STAR component or quality (by enum or by name)."""
        key = name.value if isinstance(name, StarComponent | StarQuality) else name
        if key not in type(self).model_fields:
            raise KeyError(key)
        value: Criterion = getattr(self, key)
        return value


class StarFocus(_Strict):
    """What a STAR component means for one particular behavioral question."""

    description: Text
    probe: Text
    """A question-specific follow-up asked when this component is missing."""
    signals: list[Text] = Field(default_factory=list)


class KeyPoint(_Strict):
    """A point a good answer makes (technical), or a question-specific criterion (behavioral)."""

    id: Slug
    description: Text
    weight: Weight
    required: bool
    """Must-have (True) or bonus (False)."""
    phrasings: list[Text] = Field(min_length=1)
    """Accepted ways of saying it; the offline grader matches these (stemmed and fuzzily)."""
    probe: Text
    """A follow-up that leads the candidate toward this point without stating it."""


class Misconception(_Strict):
    """A common error; an answer that asserts it must score low however fluent it is."""

    id: Slug
    description: Text
    phrasings: list[Text] = Field(min_length=1)
    """Typical wordings of the wrong claim."""
    correction: Text
    """Why it is wrong, shown to the candidate after grading."""
    probe: Text
    """A follow-up that challenges the claim without giving the right answer."""
    max_score: Score = 2
    """The highest overall score an answer asserting it can get (the level descriptors say which)."""


class Question(_Strict):
    """One interview question with everything needed to ask, probe and grade it."""

    id: Slug
    kind: Kind
    text: Text
    topic: Text
    competency: Text
    difficulty: Difficulty
    alternatives: list[Text] = Field(min_length=2, max_length=4)
    """Other phrasings an interviewer may use (also used to rephrase on request)."""
    levels: dict[Score, Text]
    """Descriptors for the overall score 1-5 (all five), anchored to the rubric items."""
    strong_answer: list[Text] = Field(min_length=1)
    """What a strong answer covers or adds: trade-offs, when to use which, pitfalls."""
    reference_answer: Text | None = None
    key_points: list[KeyPoint] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
    star: dict[StarComponent, StarFocus] | None = None
    """Behavioral only: what each STAR component means for this question."""
    reference_only: bool = False
    """Graded against ``reference_answer`` alone, with key points derived from it (datasets' inline questions)."""

    @model_validator(mode="after")
    def _check_kind(self) -> Question:
        if sorted(self.levels) != [1, 2, 3, 4, 5]:
            raise ValueError("levels needs a descriptor for each score 1, 2, 3, 4 and 5")
        ids = [kp.id for kp in self.key_points] + [m.id for m in self.misconceptions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate key point or misconception id: {', '.join(dupes)}")
        if self.reference_only:
            if not self.reference_answer:
                raise ValueError("a reference_only question needs a reference_answer")
        elif self.kind is Kind.TECHNICAL:
            if self.star is not None:
                raise ValueError("a technical question has no 'star' section")
            if len(self.key_points) < 2:
                raise ValueError("a technical question needs at least two key_points")
            if not any(kp.required for kp in self.key_points):
                raise ValueError("a technical question needs at least one required key point")
        else:
            missing = [c.value for c in StarComponent if c not in (self.star or {})]
            if missing:
                raise ValueError(f"a behavioral question needs 'star' entries for: {', '.join(missing)}")
        return self


class BankFile(_Strict):
    """One file of a question bank. A bank is one such file or a folder of them."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")]
    """The file's own version, bumped when its content changes meaning (e.g. ``1.2``)."""
    name: Text | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "en"
    """ISO 639-1 code of the questions' language (the offline grader stems words in it)."""
    star_rubric: StarRubric | None = None
    questions: list[Question] = Field(default_factory=list)
