"""What is shown or exported is safe to print, and input is read in bounded memory (issue: as a new user meets it).

Escape sequences, C1 controls and bidirectional controls in an answer (or in what a model or a bank says) never reach
the terminal or an export; an answers file is never read past its size limit, and a folder or a device is refused
with one line."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

from interviewer.engine import answers_file
from interviewer.engine.answers_file import AnswersFileError, read_answers
from interviewer.plain import PlainUI
from interviewer.textsafe import printable

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from conftest import Cli

HOSTILE = "L1 \x1b]0;PWNED\x07\x1b[2J gives \u202eexe.txt\u202c zeros \x9b31m and \u2066L2\u2069 shrinks."
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069")


def test_printable_drops_controls_and_bidi_but_keeps_text_and_lines() -> None:
    shown = printable(HOSTILE + "\nsecond line\tafter a tab")
    assert not any(ch in shown for ch in UNSAFE)
    assert "gives exe.txt zeros" in shown and "\nsecond line\tafter a tab" in shown
    assert printable("plain text, unchanged") == "plain text, unchanged"


def test_plain_output_never_carries_a_control_character() -> None:
    out = io.StringIO()
    ui = PlainUI(out, echo_answers=True)
    ui.say(HOSTILE)
    ui.answer(HOSTILE)
    assert not any(ch in out.getvalue() for ch in UNSAFE)


def test_the_echo_shows_what_is_kept_not_what_was_sent() -> None:
    out = io.StringIO()
    PlainUI(out, echo_answers=True).answer("word " * 1_000_000)  # 5 MB
    assert len(out.getvalue()) < 25_000


def test_a_hostile_answer_on_a_pipe_is_neither_echoed_raw_nor_exported_raw(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proc = cli.run("run", "--answers", "-", "--question", "l1_vs_l2", "--max-probes", "0", stdin=HOSTILE.encode())
    assert proc.returncode == 0, proc.stderr
    assert not any(ch in proc.stdout for ch in UNSAFE)
    assert "gives exe.txt zeros" in proc.stdout  # the text itself is shown
    report = cli.run("report", "--format", "md")
    assert report.returncode == 0, report.stderr
    assert "L2" in report.stdout and not any(ch in report.stdout for ch in UNSAFE)


def test_answers_are_read_from_a_pipe_and_from_stdin(tmp_path: Path) -> None:
    assert read_answers(Path("-"), io.BytesIO(b"first\n---\nsecond\n")) == ["first", "second"]
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # the writer end of the pipe
        with fifo.open("wb") as fh:
            fh.write(b"one\n---\ntwo\n")
        os._exit(0)
    try:
        assert read_answers(fifo) == ["one", "two"]
    finally:
        os.waitpid(pid, 0)


def test_a_folder_or_a_device_is_refused_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(AnswersFileError, match="is a folder"):
        read_answers(tmp_path)
    with pytest.raises(AnswersFileError, match="device or special file"):
        read_answers(Path("/dev/zero"))


class _Endless(io.RawIOBase):
    """A stream that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        n = len(view)
        view[:n] = b"a" * n
        self.served += n
        return n


def test_an_endless_stream_is_read_only_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers_file, "MAX_FILE_BYTES", 10_000)
    stream = _Endless()
    with pytest.raises(AnswersFileError, match="larger than"):
        read_answers(Path("-"), io.BufferedReader(stream))
    assert stream.served <= 10_000 + 1 + io.DEFAULT_BUFFER_SIZE


def test_a_folder_given_to_the_cli_is_one_line_and_exit_1(cli: Cli, tmp_path: Path) -> None:
    proc = cli.run("run", "--answers", str(tmp_path), "--question", "l1_vs_l2")
    assert proc.returncode == 1
    assert "is a folder" in proc.stderr and "Traceback" not in proc.stderr


def test_the_tui_shows_no_control_or_bidi_character() -> None:
    from textual.content import Content

    from interviewer.tui.widgets.conversation import Message, Note
    from interviewer.tui.widgets.feedback_view import _quoted, _simple

    message = Message("you", "You", HOSTILE)
    shown = [
        cast(Content, message.content).plain,
        _simple("+", [HOSTILE])[0].body.plain,
        _quoted(Content("d"), HOSTILE).plain,
        str(Note(HOSTILE).content),
    ]
    for text in shown:
        assert not any(ch in text for ch in UNSAFE), repr(text)
    assert json.dumps(printable(HOSTILE))  # and what is left is ordinary text
