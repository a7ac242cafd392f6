"""Evaluation datasets: JSONL lines validated one by one (a bad line is an error naming its line number), and the
adapter for the SAF human-graded short-answer benchmark (``saf:PATH``)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from interviewer.bank.inline import inline_question
from interviewer.bank.loader import Bank
from interviewer.bank.schema import Kind, Question
from interviewer.errors import InterviewerError
from interviewer.resources import PACKAGE_DIR

DEFAULT_DATASET = "interview_answers"
BUILTIN_DATASETS = (DEFAULT_DATASET, "holdout_answers", "fresh_answers", "pairs")
"""The project's labeled sets: the one the grader was developed against, one written later that it never saw, a
third written blind and first measured untuned (November 2026), and minimal pairs (two answers that differ in the one
thing that matters)."""
FAILURE_CLASSES = (
    "swapped_concepts",
    "wrong_method",
    "rejected_mistake",
    "outcome_removed",
    "reflection_in_follow_up",
    "hypothetical",
    "stuffing",
    "control",
)
"""The failure classes of minimal pairs (a twin carries its class as a tag)."""
SCORE_EXPECTATIONS = ("lower", "not_higher", "same")


class DatasetError(InterviewerError):
    """A dataset file cannot be read or a line is invalid."""

    title = "Invalid dataset"


class _Line(BaseModel):
    model_config = ConfigDict(extra="ignore")  # datasets carry notes


class InlineQuestion(_Line):
    text: Annotated[str, Field(min_length=1)]
    kind: Literal["technical", "behavioral"]
    reference_answer: str | None = None
    max_score: float | None = Field(default=None, gt=0)


class StarGold(_Line):
    situation: bool
    task: bool
    action: bool
    result: bool
    ownership: bool | None = None
    quantified_result: bool | None = None
    reflection: bool | None = None


class Gold(_Line):
    score: float
    star: StarGold | None = None
    missing: list[str] = Field(default_factory=list)
    misconceptions: list[str] | None = None
    """The misconception ids the answer asserts; ``[]`` = labeled free of misconceptions, absent = not labeled."""


class FollowUp(_Line):
    probe: str
    answer: str


class DatasetLine(_Line):
    """One labeled answer (see the README for the format)."""

    id: Annotated[str, Field(min_length=1)]
    question_id: str | None = None
    question: InlineQuestion | None = None
    answer: str
    follow_ups: list[FollowUp] = Field(default_factory=list)
    """Follow-up questions and the candidate's replies, graded together with ``answer``."""
    gold: Gold
    tags: list[str] = Field(default_factory=list)
    twin_of: str | None = None
    """The id of this line's base: the two differ in the one thing ``expect`` names."""
    expect: list[str] = Field(default_factory=list)

    @field_validator("expect", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_question(self) -> DatasetLine:
        if (self.twin_of is None) != (not self.expect):
            raise ValueError("give both twin_of and expect, or neither")
        if (self.question_id is None) == (self.question is None):
            raise ValueError("give exactly one of question_id (a bank question) or question (inline)")
        top = self.question.max_score if self.question and self.question.max_score else 5.0
        low = 0.0 if self.question and self.question.max_score else 1.0
        if not low <= self.gold.score <= top:
            raise ValueError(f"gold.score {self.gold.score:g} is outside {low:g}..{top:g}")
        return self


@dataclass(frozen=True)
class Item:
    """A dataset line resolved against a bank: the question to grade, the answer, and the gold on the 1-5 scale."""

    id: str
    question: Question
    answer: str
    gold_score: float
    """On the 1-5 scale (``1 + 4 * score / max_score`` for questions with a max_score), unrounded."""
    gold_star: dict[str, bool] | None
    gold_missing: tuple[str, ...]
    tags: tuple[str, ...]
    follow_ups: tuple[str, ...] = ()
    """The candidate's follow-up answers, graded together with ``answer``."""
    gold_misconceptions: tuple[str, ...] | None = None
    twin_of: str | None = None
    expect: tuple[str, ...] = ()

    @property
    def answers(self) -> list[str]:
        """The answer and its follow-up answers, as an interview grades them."""
        return [self.answer, *self.follow_ups]

    @property
    def failure_class(self) -> str | None:
        """A twin's failure class (its tag among ``FAILURE_CLASSES``)."""
        return next((t for t in self.tags if t in FAILURE_CLASSES), None)

    @property
    def gold_level(self) -> int:
        """The gold score rounded half up to a level 1-5 (for kappa and agreement)."""
        return max(1, min(5, math.floor(self.gold_score + 0.5)))


@dataclass(frozen=True)
class Dataset:
    name: str
    path: Path
    items: tuple[Item, ...]


def builtin_dataset_path(name: str = DEFAULT_DATASET) -> Path:
    """One of the project's own labeled datasets (``BUILTIN_DATASETS``)."""
    for base in (PACKAGE_DIR / "evals" / "datasets", PACKAGE_DIR.parent / "evals" / "datasets"):
        candidate = base / f"{name}.jsonl"
        if candidate.is_file():
            return candidate
    raise DatasetError(f"the built-in dataset {name!r} is missing", hint="reinstall interviewer")


def _read_lines(path: Path) -> list[tuple[int, str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DatasetError(f"{path}: line {line}: not valid UTF-8") from None
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def load_dataset(path: Path, bank: Bank) -> Dataset:
    """Read and validate a JSONL dataset against ``bank``."""
    items: list[Item] = []
    seen: dict[str, int] = {}
    for number, line in _read_lines(path):
        where = f"{path}: line {number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: not JSON ({exc.msg})") from None
        try:
            row = DatasetLine.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            raise DatasetError(f"{where}: {field}: {message}" if field else f"{where}: {message}") from None
        if row.id in seen:
            raise DatasetError(f"{where}: id '{row.id}' already used on line {seen[row.id]}")
        seen[row.id] = number
        items.append(_item(row, bank, where))
    if not items:
        raise DatasetError(f"{path}: no items")
    _check_twins(path, items, seen)
    return Dataset(name=path.stem, path=path, items=tuple(items))


def _item(row: DatasetLine, bank: Bank, where: str) -> Item:
    if row.question_id is not None:
        if row.question_id not in bank.ids:
            raise DatasetError(f"{where}: question_id: no question '{row.question_id}' in the bank")
        question = bank.get(row.question_id)
        gold = row.gold.score
    else:
        assert row.question is not None
        q = row.question
        try:
            question = inline_question(q.text, Kind(q.kind), bank.star, q.reference_answer)
        except ValueError as exc:
            raise DatasetError(f"{where}: question: {exc}") from None
        gold = 1 + 4 * row.gold.score / q.max_score if q.max_score else row.gold.score
    star = row.gold.star.model_dump(exclude_none=True) if row.gold.star else None
    return Item(
        row.id,
        question,
        row.answer,
        gold,
        star,
        tuple(row.gold.missing),
        tuple(row.tags),
        follow_ups=tuple(f.answer for f in row.follow_ups),
        gold_misconceptions=tuple(row.gold.misconceptions) if row.gold.misconceptions is not None else None,
        twin_of=row.twin_of,
        expect=tuple(row.expect),
    )


def _check_twins(path: Path, items: list[Item], lines: dict[str, int]) -> None:
    """A twin names a base in the same file, of the same question, and expectations the question knows."""
    by_id = {i.id: i for i in items}
    for item in items:
        if item.twin_of is None:
            continue
        where = f"{path}: line {lines[item.id]}"
        base = by_id.get(item.twin_of)
        if base is None or base.id == item.id:
            raise DatasetError(f"{where}: twin_of: no other line with id '{item.twin_of}'")
        if base.question.id != item.question.id:
            raise DatasetError(f"{where}: twin_of: '{item.twin_of}' answers another question")
        q = item.question
        known = {
            *SCORE_EXPECTATIONS,
            "situation",
            "task",
            "action",
            "result",
            "ownership",
            "quantified_result",
            "reflection",
            *(k.id for k in q.key_points),
            *(m.id for m in q.misconceptions),
        }
        unknown = [e for e in item.expect if e not in known]
        if unknown:
            raise DatasetError(f"{where}: expect: '{unknown[0]}' is neither a score expectation nor an id of '{q.id}'")


def load_saf(path: Path, bank: Bank) -> Dataset:
    """The SAF benchmark: ``question``, ``reference_answer``, ``provided_answer``, ``score``; a question's max score
    is the score of its ``Correct`` rows. Graded by reference answer."""
    rows = []
    for number, line in _read_lines(path):
        try:
            raw = json.loads(line)
            rows.append(
                (
                    number,
                    str(raw["id"]),
                    str(raw["question"]),
                    str(raw["reference_answer"]),
                    str(raw["provided_answer"]),
                    float(raw["score"]),
                    str(raw.get("verification_feedback", "")),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise DatasetError(f"{path}: line {number}: not a SAF row ({exc})") from None
    max_score: dict[str, float] = defaultdict(float)
    for _, _, question, _, _, score, verdict in rows:
        if verdict == "Correct":
            max_score[question] = max(max_score[question], score)
    for _, _, question, _, _, score, _ in rows:
        max_score[question] = max_score[question] or max(score, 1.0)
    items = []
    for number, rid, question, reference, answer, score, verdict in rows:
        top = max_score[question]
        q = inline_question(question, Kind.TECHNICAL, bank.star, reference)
        tags = (verdict.lower().replace(" ", "_"),) if verdict else ()
        gold = 1 + 4 * min(score, top) / top
        items.append(Item(rid or f"saf-{number}", q, answer, gold, None, (), tags))
    if not items:
        raise DatasetError(f"{path}: no items")
    return Dataset(name="saf", path=path, items=tuple(items))


def open_dataset(spec: str, bank: Bank) -> Dataset:
    """``PATH`` (our JSONL format) or ``saf:PATH`` (the SAF adapter)."""
    if spec.startswith("saf:"):
        return load_saf(Path(spec[4:]).expanduser(), bank)
    return load_dataset(Path(spec).expanduser(), bank)
