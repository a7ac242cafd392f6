"""Load and validate a question bank: one YAML file or a folder of them.

Validation reports every problem as one line naming the file, the question id and the field, so a user editing a
bank of their own can find and fix it without reading a traceback.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from interviewer.bank.schema import BankFile, Kind, Question, StarRubric
from interviewer.errors import BankError
from interviewer.resources import data_dir

BANK_SUFFIXES = (".yaml", ".yml")
MAX_BANK_FILE_BYTES = 2_000_000


def content_hash(model: BaseModel | Sequence[BaseModel]) -> str:
    """A sha256 of a model's canonical JSON: stable across YAML formatting, comments and key order."""
    if isinstance(model, BaseModel):
        data: Any = model.model_dump(mode="json")
    else:
        data = [m.model_dump(mode="json") for m in model]
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoadedFile:
    """A validated bank file and where it came from."""

    path: Path
    content: BankFile
    hash: str


@dataclass(frozen=True)
class Bank:
    """A validated question bank: its questions in order, the STAR rubric, a version and a content hash."""

    questions: tuple[Question, ...]
    star: StarRubric
    files: tuple[LoadedFile, ...]
    version: str
    hash: str
    language: str = "en"
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in self.questions})

    @property
    def ids(self) -> list[str]:
        """The question ids, in bank order."""
        return [q.id for q in self.questions]

    def get(self, question_id: str) -> Question:
        """The question with this id, or a BankError listing the ids there are."""
        try:
            return self._by_id[question_id]
        except KeyError:
            raise BankError(
                f"no question with id '{question_id}'",
                question=question_id,
                hint=f"known ids: {', '.join(self.ids)} (see `interviewer questions`)",
            ) from None

    def rubric_hash(self, question: Question) -> str:
        """The hash of everything a grade of this question depends on in the bank."""
        parts: list[BaseModel] = [question]
        if question.kind is Kind.BEHAVIORAL:
            parts.append(self.star)
        return content_hash(parts)

    def rubric_version(self, question: Question) -> str:
        """``<file version>+<rubric hash prefix>``: recorded with every grade so grades stay comparable."""
        version = next(
            (f.content.version for f in self.files if any(q.id == question.id for q in f.content.questions)),
            self.version,
        )
        return f"{version}+{self.rubric_hash(question)[:12]}"

    def to_json(self) -> dict[str, Any]:
        """The whole bank as one JSON-ready object: ``{"version", "hash", "questions": [...]}``."""
        return {
            "version": self.version,
            "hash": self.hash,
            "language": self.language,
            "star_rubric": self.star.model_dump(mode="json"),
            "questions": [q.model_dump(mode="json", exclude_none=True) for q in self.questions],
        }


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe YAML loader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value, not a list or a mapping", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def bank_files(path: Path) -> list[Path]:
    """The bank files at ``path``: the file itself, or every YAML file below the folder, sorted."""
    if not path.exists():
        raise BankError("no such file or folder", path=str(path))
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.suffix in BANK_SUFFIXES and p.is_file())
    if not files:
        raise BankError("the folder holds no .yaml bank files", path=str(path))
    return files


def _read_yaml(path: Path) -> Any:
    if path.stat().st_size > MAX_BANK_FILE_BYTES:
        raise BankError(f"file is larger than {MAX_BANK_FILE_BYTES // 1_000_000} MB", path=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BankError(f"not UTF-8 text (byte {exc.start})", path=str(path)) from None
    except OSError as exc:
        raise BankError(f"cannot read: {exc.strerror}", path=str(path)) from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except ValueError as exc:  # an integer too long to convert (Python's 4,300-digit limit), and the like
        raise BankError(f"a value cannot be read: {str(exc).split(';')[0]}", path=str(path)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        raise BankError(f"{exc.problem or exc}", path=str(path), field=where) from None
    except yaml.YAMLError as exc:
        raise BankError(f"invalid YAML: {exc}", path=str(path)) from None


def _format_loc(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _errors_for(path: Path, raw: Any, exc: ValidationError) -> list[BankError]:
    errors: list[BankError] = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        question: str | None = None
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            try:
                qid = raw["questions"][loc[1]].get("id")
            except (AttributeError, IndexError, KeyError, TypeError):
                qid = None
            question = qid if isinstance(qid, str) else f"#{loc[1] + 1}"
            loc = loc[2:]
        field_name = _format_loc(loc) or None
        message = err["msg"].removeprefix("Value error, ")
        errors.append(BankError(message, path=str(path), question=question, field=field_name))
    return errors


def validate_files(files: Iterable[Path]) -> tuple[list[LoadedFile], list[BankError]]:
    """Validate each file, then the bank they make together; returns what loaded and every problem found."""
    loaded: list[LoadedFile] = []
    problems: list[BankError] = []
    for path in files:
        result = _validate_file(path)
        if isinstance(result, LoadedFile):
            loaded.append(result)
        else:
            problems.extend(result)
    problems.extend(_duplicate_ids(loaded))
    problems.extend(_star_rubrics(loaded))
    problems.extend(_languages(loaded))
    if loaded and not problems and not any(lf.content.questions for lf in loaded):
        problems.append(BankError("the bank has no questions", path=str(loaded[0].path), field="questions"))
    return loaded, problems


def _validate_file(path: Path) -> LoadedFile | list[BankError]:
    """One file, validated on its own; or its problems."""
    try:
        raw = _read_yaml(path)
    except BankError as exc:
        return [exc]
    if not isinstance(raw, dict):
        return [BankError("the file must hold a mapping with 'version' and 'questions'", path=str(path))]
    try:
        content = BankFile.model_validate(raw)
    except ValidationError as exc:
        return _errors_for(path, raw, exc)
    return LoadedFile(path=path, content=content, hash=content_hash(content))


def _duplicate_ids(loaded: Sequence[LoadedFile]) -> list[BankError]:
    """A question id given again, in this file or another (the first one stands)."""
    problems: list[BankError] = []
    seen: dict[str, Path] = {}
    for lf in loaded:
        for q in lf.content.questions:
            if q.id in seen:
                problems.append(
                    BankError(f"duplicate id (also in {seen[q.id]})", path=str(lf.path), question=q.id, field="id")
                )
            else:
                seen[q.id] = lf.path
    return problems


def _star_rubrics(loaded: Sequence[LoadedFile]) -> list[BankError]:
    """A second star_rubric (a bank has at most one)."""
    star_files = [lf for lf in loaded if lf.content.star_rubric is not None]
    if len(star_files) <= 1:
        return []
    return [
        BankError(
            f"more than one star_rubric (also in {star_files[0].path})",
            path=str(star_files[1].path),
            field="star_rubric",
        )
    ]


def _languages(loaded: Sequence[LoadedFile]) -> list[BankError]:
    """Files with questions in different languages."""
    languages = {lf.content.language for lf in loaded if lf.content.questions}
    if len(languages) <= 1:
        return []
    return [BankError(f"files disagree on language: {', '.join(sorted(languages))}", field="language")]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def build_bank(loaded: Sequence[LoadedFile], fallback_star: StarRubric | None = None) -> Bank:
    """Assemble validated files into a Bank (files already checked by ``validate_files``)."""
    questions = tuple(q for lf in loaded for q in lf.content.questions)
    star = next((lf.content.star_rubric for lf in loaded if lf.content.star_rubric is not None), fallback_star)
    if star is None:
        raise BankError(
            "behavioral questions need a star_rubric and none was found",
            field="star_rubric",
            hint="add a star_rubric section to one file of the bank, or copy rubrics/00_star.yaml",
        )
    version = max((lf.content.version for lf in loaded), key=_version_key)
    language = next((lf.content.language for lf in loaded if lf.content.questions), "en")
    bank_hash = content_hash([star, *questions])
    return Bank(questions=questions, star=star, files=tuple(loaded), version=version, hash=bank_hash, language=language)


def load_bank(path: Path | str | None = None) -> Bank:
    """Load the bank at ``path`` (a file or folder), or the shipped one when ``path`` is None.

    A user's bank without a STAR rubric of its own uses the shipped STAR rubric.
    """
    if path is None:
        return default_bank()
    loaded, problems = validate_files(bank_files(Path(path)))
    if problems:
        first = problems[0]
        more = (
            f" (and {len(problems) - 1} more problem(s); run `interviewer bank validate {path}`)"
            if len(problems) > 1
            else ""
        )
        raise BankError(first.one_line() + more, hint="fix the field named, then try again")
    fallback = None
    if not any(lf.content.star_rubric for lf in loaded):
        fallback = default_bank().star
    return build_bank(loaded, fallback)


@cache
def default_bank() -> Bank:
    """The bank shipped in ``rubrics/`` (loaded once per process)."""
    loaded, problems = validate_files(bank_files(data_dir("rubrics")))
    if problems:  # pragma: no cover - guarded by the test suite
        raise BankError(problems[0].one_line(), hint="the shipped bank is broken; reinstall interviewer")
    return build_bank(loaded)
