"""Evaluation datasets: JSONL lines validated one by one (a bad line is an error naming its line number), and the
adapter for the SAF human-graded short-answer benchmark (``saf:PATH``)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interviewer.bank.inline import inline_question
from interviewer.bank.loader import Bank
from interviewer.bank.schema import Kind, Question
from interviewer.errors import InterviewerError
from interviewer.resources import PACKAGE_DIR

DEFAULT_DATASET = "interview_answers"
BUILTIN_DATASETS = (DEFAULT_DATASET, "holdout_answers")
"""The project's labeled sets: the one the grader was developed against, and one written later that it never saw."""


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


class Gold(_Line):
    score: float
    star: StarGold | None = None
    missing: list[str] = Field(default_factory=list)


class DatasetLine(_Line):
    """One labeled answer (see the README for the format)."""

    id: Annotated[str, Field(min_length=1)]
    question_id: str | None = None
    question: InlineQuestion | None = None
    answer: str
    gold: Gold
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_question(self) -> DatasetLine:
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
    star = row.gold.star.model_dump() if row.gold.star else None
    return Item(row.id, question, row.answer, gold, star, tuple(row.gold.missing), tuple(row.tags))


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
