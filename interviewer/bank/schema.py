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


StarName = StarComponent | StarQuality
"""A STAR component or quality. Both are ``str`` enums: a member equals its name, so grades and stored JSON keep
plain strings."""
STAR_COMPONENTS: tuple[StarComponent, ...] = tuple(StarComponent)
STAR_QUALITIES: tuple[StarQuality, ...] = tuple(StarQuality)
STAR_NAMES: tuple[StarName, ...] = (*STAR_COMPONENTS, *STAR_QUALITIES)
"""Every STAR name, components first, in the order reports list them."""


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
    not_evidence: list[Text] = Field(default_factory=list)
    """Wordings of sentences that look like this component but do not count for this question (for a project's
    result: an offline metric on a test set)."""


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


class Method(_Strict):
    """A wrong method recognised by what it does, however it is phrased: an operation (``does``) applied to the
    wrong data, at the wrong time or as a rule (``wrongly``), said within a few words of each other (or ``wrongly`` in
    the next sentence when it goes on in time: "Then I split."), asserted (not negated, not named to be rejected, not
    someone else's words), and not limited by any of ``unless``."""

    does: list[Text] = Field(min_length=1)
    """Wordings of the operation ("impute", "fill the gaps with the mean", "smote")."""
    wrongly: list[Text] = Field(min_length=1)
    """Wordings of what makes it wrong ("the whole dataset", "before the split", "always")."""
    unless: list[Text] = Field(default_factory=list)
    """Wordings that make the same operation right ("on the training split only", "after the split")."""
    later: list[Text] = Field(default_factory=list)
    """Wordings that make it wrong when said in the next sentence, which goes on in time ("Then I split")."""


class Misconception(_Strict):
    """A common error; an answer that asserts it must score low however fluent it is."""

    id: Slug
    description: Text
    phrasings: list[Text] = Field(min_length=1)
    """Typical wordings of the wrong claim."""
    methods: list[Method] = Field(default_factory=list)
    """The wrong claim or method described by what it does (see ``Method``), beyond the literal phrasings."""
    correction: Text
    """Why it is wrong, shown to the candidate after grading."""
    probe: Text
    """A follow-up that challenges the claim without giving the right answer."""
    max_score: Score = 2
    """The highest overall score an answer asserting it can get (the level descriptors say which)."""


class Claim(_Strict):
    """Attributes of a concept whose swap asserts a misconception of its own (not the contrast's)."""

    attributes: list[Text] = Field(min_length=1)
    misconception: Slug


class Concept(_Strict):
    """One side of a contrast: the words that name it and the attributes that define it."""

    id: Slug
    names: list[Text] = Field(min_length=1)
    """Words that name the concept ("L1", "Lasso"); naming the other concept's name as this one's is a swap."""
    attributes: list[Text] = Field(default_factory=list)
    """What defines it ("absolute values", "exact zeros"); said of another concept of the contrast, a swap."""
    claims: list[Claim] = Field(default_factory=list)
    """More attributes, grouped by the misconception their swap asserts ("exact zeros" said of Ridge:
    ``l2_produces_sparsity``)."""


class Contrast(_Strict):
    """Concepts an answer must keep apart. The offline grader reads which concept each attribute is said of, credits
    a key point only when its attributes are said of the right concept, and reports ``misconception`` (quoting the
    sentence) when an attribute or a name is said of the wrong one."""

    id: Slug
    concepts: list[Concept] = Field(min_length=2, max_length=4)
    misconception: Slug
    """The id of the question's misconception that a swap asserts (e.g. ``swapped_definitions``)."""
    ignore: list[Text] = Field(default_factory=list)
    """Wordings that contain an attribute's words but say nothing about any concept ("squared error")."""
    name_swaps: bool = True
    """Whether a name said of another concept's name ("L1 is Ridge") is a swap here (off for a second contrast over
    the same concepts, so that one misnaming is reported once)."""
    others: list[Text] = Field(default_factory=list)
    """Names of related things an answer may speak of in between ("Elastic Net"): what is said of them is said of
    neither concept."""

    @model_validator(mode="after")
    def _distinct(self) -> Contrast:
        ids = [c.id for c in self.concepts]
        if len(set(ids)) != len(ids):
            raise ValueError(f"contrast '{self.id}': concept ids must differ")
        seen: dict[str, str] = {}
        for concept in self.concepts:
            for phrase in (*concept.names, *concept.attributes, *(a for c in concept.claims for a in c.attributes)):
                key = " ".join(phrase.lower().split())
                if seen.setdefault(key, concept.id) != concept.id:
                    raise ValueError(f"contrast '{self.id}': '{phrase}' is given for two concepts")
        return self


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
    contrasts: list[Contrast] = Field(default_factory=list)
    """Concepts the answer must keep apart (see ``Contrast``)."""
    reference_only: bool = False
    """Graded against ``reference_answer`` alone, with key points derived from it (datasets' inline questions)."""

    def star_focus(self, name: str) -> StarFocus | None:
        """What STAR component ``name`` means for this question; None for a quality, or with no ``star`` section."""
        if self.star is None or name not in STAR_COMPONENTS:
            return None
        return self.star.get(StarComponent(name))

    @model_validator(mode="after")
    def _check_kind(self) -> Question:
        self._check_ids()
        if self.reference_only:
            if not self.reference_answer:
                raise ValueError("a reference_only question needs a reference_answer")
        elif self.kind is Kind.TECHNICAL:
            self._check_technical()
        else:
            self._check_behavioral()
        return self

    def _check_ids(self) -> None:
        """All five level descriptors, no id given twice, every contrast naming one of this question's
        misconceptions."""
        if sorted(self.levels) != [1, 2, 3, 4, 5]:
            raise ValueError("levels needs a descriptor for each score 1, 2, 3, 4 and 5")
        ids = [kp.id for kp in self.key_points] + [m.id for m in self.misconceptions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate key point or misconception id: {', '.join(dupes)}")
        misconception_ids = {m.id for m in self.misconceptions}
        for contrast in self.contrasts:
            named = [contrast.misconception, *(c.misconception for k in contrast.concepts for c in k.claims)]
            unknown = next((mid for mid in named if mid not in misconception_ids), None)
            if unknown is not None:
                raise ValueError(f"contrast '{contrast.id}': misconception '{unknown}' is not one of this question's")

    def _check_technical(self) -> None:
        if self.star is not None:
            raise ValueError("a technical question has no 'star' section")
        if len(self.key_points) < 2:
            raise ValueError("a technical question needs at least two key_points")
        if not any(kp.required for kp in self.key_points):
            raise ValueError("a technical question needs at least one required key point")

    def _check_behavioral(self) -> None:
        missing = [c.value for c in StarComponent if c not in (self.star or {})]
        if missing:
            raise ValueError(f"a behavioral question needs 'star' entries for: {', '.join(missing)}")


class BankFile(_Strict):
    """One file of a question bank. A bank is one such file or a folder of them."""

    version: Annotated[str, StringConstraints(pattern=r"^\d{1,9}(\.\d{1,9}){0,2}$", max_length=32)]
    """The file's own version, bumped when its content changes meaning (e.g. ``1.2``)."""
    name: Text | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "en"
    """ISO 639-1 code of the questions' language (the offline grader stems words in it)."""
    star_rubric: StarRubric | None = None
    questions: list[Question] = Field(default_factory=list)
