"""Scripted answers for plain mode (``--answers FILE``): a text file of chunks separated by ``---`` lines, or a
``.jsonl`` file of JSON strings. A chunk that is exactly ``/skip``, ``/clarify`` or ``/end`` is that command; an
empty chunk counts as ``/skip``."""

from __future__ import annotations

import json
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from interviewer.errors import InterviewerError

COMMANDS = ("/skip", "/clarify", "/end")
_SEPARATOR = re.compile(r"^[ \t]*---[ \t]*$", re.MULTILINE)
MAX_FILE_BYTES = 20_000_000


class AnswersFileError(InterviewerError):
    """The answers file cannot be read."""

    title = "Invalid answers file"


def read_answers(path: Path, stdin: BinaryIO | None = None) -> list[str]:
    """The answers in ``path`` (``-``: standard input), in order (commands included as their text).

    A regular file or a pipe is read, never more than ``MAX_FILE_BYTES`` plus one byte (a huge file or an endless
    stream fails fast, in bounded memory); a directory or a device is refused with one line."""
    data = _bounded_read(path, stdin)
    if len(data) > MAX_FILE_BYTES:
        raise AnswersFileError(f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AnswersFileError(
            f"{path}: line {line}: not valid UTF-8 (byte {exc.start})", hint="save the file as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if path.suffix.lower() == ".jsonl":
        return _jsonl(path, text)
    chunks = _SEPARATOR.split(text)
    if chunks and not chunks[-1].strip():
        chunks = chunks[:-1]  # a trailing separator
    answers = []
    for chunk in chunks:
        stripped = chunk.strip()
        answers.append(stripped if stripped in COMMANDS else (chunk.strip("\n") if stripped else "/skip"))
    return answers


def _bounded_read(path: Path, stdin: BinaryIO | None) -> bytes:
    if str(path) == "-":
        return (stdin if stdin is not None else sys.stdin.buffer).read(MAX_FILE_BYTES + 1)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise AnswersFileError(f"{path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise AnswersFileError(f"{path}: is a folder, not a file of answers")
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise AnswersFileError(
            f"{path}: is a device or special file, not a file of answers", hint="use a text file, a pipe or '-'"
        )
    try:
        with path.open("rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise AnswersFileError(f"{path}: {exc.strerror or exc}") from None


def _jsonl(path: Path, text: str) -> list[str]:
    answers = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AnswersFileError(f"{path}: line {number}: not JSON ({exc.msg})") from None
        if not isinstance(value, str):
            raise AnswersFileError(f"{path}: line {number}: expected a JSON string, got {type(value).__name__}")
        answers.append(value.strip() if value.strip() in COMMANDS else (value if value.strip() else "/skip"))
    return answers
