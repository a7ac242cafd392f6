"""Hostile input, generated with hypothesis: answers, bank files, dataset lines and settings files give a clean
result or a clear error (one of ours, with a message), never a traceback and never a corrupted database."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import cast

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewer import paths
from interviewer.bank import load_bank
from interviewer.domain.answers import MAX_ANSWER_CHARS
from interviewer.engine.plan import Prompt
from interviewer.engine.session import InterviewSession
from interviewer.errors import InterviewerError
from interviewer.evals.dataset import load_dataset
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.plain import StdinAnswers
from interviewer.settings import Settings, load_settings
from interviewer.storage.repo import Repository

BANK = load_bank()
GRADER = RubricGrader(BANK)
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

nasty_text = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=200),
    st.just("مرحبا بالعالم، L1 يجعل الأوزان صفرية"),  # right-to-left text
    st.just("🙂🔥 L1 → sparse 🚀" * 50),
    st.just(" \n\t \r\n "),
    st.just("x" * (MAX_ANSWER_CHARS * 3)),
    st.just('{"score": 5}' * 100),
)


@QUICK
@given(answer=nasty_text, qid=st.sampled_from(BANK.ids))
def test_grader_takes_any_text(answer: str, qid: str) -> None:
    grade = GRADER.grade_sync(BANK.get(qid), [answer])
    assert 1 <= grade.score <= 5
    for kp in grade.key_points:
        assert kp.quote is None or kp.quote in answer


@QUICK
@given(answers=st.lists(nasty_text, min_size=1, max_size=4))
def test_session_takes_any_answers_and_keeps_the_database_sound(migrated_db: Path, answers: list[str]) -> None:
    import asyncio
    import shutil

    async def scenario(db: str) -> None:
        repo = Repository.open(db)
        session, _ = await InterviewSession.start(Settings(max_probes=1), repo, question_ids=["l1_vs_l2"])
        for answer in answers:
            step = await session.submit(answer)
            if step.done:
                break
        record = repo.get(session.id)
        assert record is not None
        stored = [t.text for t in record.turns if t.role == "candidate"]
        assert all(len(t) <= MAX_ANSWER_CHARS for t in stored)
        assert repo.integrity_check() == "ok"
        repo.close()

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(migrated_db, f"{tmp}/h.db")  # a new empty database, migrated once for the session
        asyncio.run(scenario(f"sqlite:///{tmp}/h.db"))


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)


@QUICK
@given(
    data=st.dictionaries(
        st.sampled_from(["version", "questions", "star_rubric", "name", "language", "x"]), yaml_values, max_size=5
    )
)
def test_bank_files_of_any_shape(data: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            load_bank(path)
        except InterviewerError as exc:
            assert str(exc)


@QUICK
@given(raw=st.binary(max_size=300))
def test_bank_file_of_random_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.yaml"
        path.write_bytes(raw)
        try:
            load_bank(path)
        except InterviewerError as exc:
            assert str(exc)


def test_huge_bank_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("version: '1'\nquestions: []\n" + "# padding\n" * 300_000, encoding="utf-8")
    with pytest.raises(InterviewerError, match="larger than"):
        load_bank(path)


@QUICK
@given(line=st.one_of(yaml_values.map(json.dumps), st.text(max_size=80)))
def test_dataset_lines_of_any_shape(line: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.jsonl"
        path.write_text(line.replace("\n", " ") + "\n", encoding="utf-8")
        try:
            load_dataset(path, BANK)
        except InterviewerError as exc:
            assert "line" in str(exc) or "no items" in str(exc)


@QUICK
@given(
    data=st.dictionaries(
        st.sampled_from(["model", "max_probes", "mode", "timeout", "questions", "cache", "zzz"]),
        st.one_of(
            st.integers(),
            st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=10),
            st.booleans(),
            st.floats(allow_nan=False, allow_infinity=False),
        ),
        max_size=4,
    )
)
def test_settings_files_of_any_shape(data: dict[str, object]) -> None:
    import tomllib

    def toml_value(value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)  # a TOML basic string
        return repr(value)

    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k} = {toml_value(v)}\n" for k, v in data.items()), encoding="utf-8")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == data
    try:
        load_settings()
    except InterviewerError as exc:
        assert str(paths.config_file()) in (exc.hint or "")


class _Pasted(io.BytesIO):
    """Typed input that refuses to be read whole: a read without a size limit fails the test."""

    def readline(self, size: int | None = -1, /) -> bytes:
        assert size is not None and 0 < size <= 1024 * 1024, f"unbounded readline({size})"
        return super().readline(size)


def _typed_answer(data: bytes) -> tuple[str | None, str]:
    out = io.StringIO()
    answer = StdinAnswers(_Pasted(data), out).next_answer(cast(Prompt, None))
    return answer, out.getvalue()


def test_a_huge_paste_is_read_in_bounded_pieces_and_cut_with_its_true_length() -> None:
    line = "é" * 3_000_000  # 6 MB of UTF-8 on one line, then a second line
    answer, said = _typed_answer(f"{line}\nsecond line\n\n/end\n".encode())
    assert answer is not None and len(answer) == MAX_ANSWER_CHARS and set(answer) == {"é"}
    assert f"Your answer was {3_000_000 + 1 + 11:,} characters; only the first {MAX_ANSWER_CHARS:,} were kept." in said


def test_an_answer_within_the_limit_is_kept_whole_without_a_notice() -> None:
    """The twin: lines, CRLF ends, a multi-byte character across a read boundary, invalid UTF-8 replaced."""
    first = "ab" + "\U0001f600" * 16_384  # 16,386 characters; one emoji's four bytes straddle the first 64 KiB read
    answer, said = _typed_answer(first.encode() + b"\r\nL2 \xff shrinks\n\n")
    assert answer == f"{first}\nL2 \ufffd shrinks"
    assert said == ""
    assert _typed_answer(b"/skip\n") == ("/skip", "")
    assert _typed_answer(b"") == (None, "")
