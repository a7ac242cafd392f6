"""Plain mode: the same engine without the TUI, for scripts, screen readers and tests.

Interactive: the interviewer's text on stdout; an answer ends with an empty line; ``/skip``, ``/clarify`` and
``/end`` on a line of their own are commands. ``--answers FILE`` answers from a file; when its answers run out, the
interview ends early and is scored. ``--json`` prints only the report (JSON) on stdout; the conversation goes to
stderr.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Protocol

from interviewer.domain.answers import MAX_ANSWER_CHARS, cut_notice
from interviewer.domain.conversation import follow_up_of, question_of
from interviewer.domain.phrasing import display_quote, short_label
from interviewer.engine.answers_file import COMMANDS
from interviewer.engine.plan import Prompt
from interviewer.engine.session import (
    AnswerNotSaved,
    Feedback,
    InterviewSession,
    Step,
    clean_answer,
)
from interviewer.report import (
    MARKS,
    QuestionOut,
    Report,
    StarOut,
    feedback_view,
    score_label,
    star_label,
)
from interviewer.report.labels import YES_NO
from interviewer.services import interview_report
from interviewer.textsafe import printable

if TYPE_CHECKING:
    from interviewer.services import Choice, ModelError


class AnswerSource(Protocol):
    """Where answers come from: the keyboard or a file."""

    def next_answer(self, prompt: Prompt) -> str | None:
        """The next answer (or command), or None when there are no more."""
        ...


READ_CHUNK = 64 * 1024
"""Bytes read from stdin at a time: a pasted line without an end is read in pieces, never whole."""


def read_line(stream: IO[bytes], keep: int) -> tuple[str, int, bool] | None:
    """The next line of ``stream`` (None at the end of input) without its end, of which at most ``keep`` characters
    are kept (the rest is read and dropped); its whole length; and whether all of it is blank."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    parts: list[str] = []
    kept = length = 0
    started = False
    blank = True
    while True:
        raw = stream.readline(READ_CHUNK)
        if not raw:
            break
        started = True
        text = decoder.decode(raw)
        if raw.endswith(b"\n"):
            text = text.rstrip("\r\n")
        length += len(text)
        blank = blank and not text.strip()
        if kept < keep:
            piece = text[: keep - kept]
            parts.append(piece)
            kept += len(piece)
        if raw.endswith(b"\n"):
            break
    if not started:
        return None
    tail = decoder.decode(b"", final=True)
    length += len(tail)
    blank = blank and not tail.strip()
    if kept < keep:
        parts.append(tail[: keep - kept])
    return "".join(parts).rstrip("\r"), length, blank


class StdinAnswers:
    """Answers typed on stdin, each ending with an empty line (invalid UTF-8 is replaced, never fatal).

    Memory stays bounded whatever is pasted: of an answer, the first ``MAX_ANSWER_CHARS`` characters are kept and
    the rest is read and dropped, with a notice that says how long the answer was."""

    def __init__(self, stream: IO[bytes] | None = None, out: IO[str] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdin.buffer
        self.out = out if out is not None else sys.stdout

    def next_answer(self, prompt: Prompt) -> str | None:
        lines: list[str] = []
        kept = length = 0
        while True:
            read = read_line(self.stream, keep=MAX_ANSWER_CHARS - kept)
            if read is None:  # end of input
                break
            line, line_length, blank = read
            if not lines and line.strip() in COMMANDS:
                return line.strip()
            if blank:
                if lines:
                    break
                continue
            lines.append(line)
            kept += len(line) + 1
            length += line_length + 1
        if not lines:
            return None
        if length - 1 > MAX_ANSWER_CHARS:
            self.out.write(cut_notice(length - 1) + "\n")
        return "\n".join(lines)[:MAX_ANSWER_CHARS]


class ListAnswers:
    """Answers from a list (``--answers FILE``)."""

    def __init__(self, answers: list[str]) -> None:
        self._iter: Iterator[str] = iter(answers)

    def next_answer(self, prompt: Prompt) -> str | None:
        return next(self._iter, None)


class PlainUI:
    """Writes the conversation as plain text."""

    def __init__(self, out: IO[str], *, echo_answers: bool = False) -> None:
        self.out = out
        self.echo_answers = echo_answers

    def say(self, text: str = "") -> None:
        """One line (or several) of output: never a control or bidirectional character (see ``printable``)."""
        self.out.write(printable(text) + "\n")
        self.out.flush()

    def prompt(self, prompt: Prompt) -> None:
        self.say()
        where = question_of(prompt.number, prompt.total)
        if prompt.kind == "probe":
            self.say(f"{follow_up_of(prompt.probe_index, prompt.max_probes).capitalize()} ({where})")
        else:
            self.say(f"{where.capitalize()} · {prompt.question_kind} · {prompt.topic}")
        self.say(prompt.text)
        self.say("(Answer, then an empty line to submit. Commands: /clarify, /skip, /end)")

    def answer(self, text: str) -> None:
        """Echo an answer read from a file as it is kept (cleaned, and cut when it is too long)."""
        if self.echo_answers:
            kept, _ = clean_answer(text)
            self.say("> " + kept.replace("\n", "\n> "))

    def notices(self, step: Step) -> None:
        for notice in step.notices:
            self.say(f"[note] {notice}")

    def feedback(self, item: Feedback) -> None:
        """The feedback on a question just graded: its view (``feedback_view``), as text."""
        self.question(feedback_view(item))

    def question(self, view: QuestionOut) -> None:
        """One question's view: score, STAR or key points with the quoted evidence, misconceptions, the tip, and
        what a strong answer covers."""
        self.say()
        self.say(f"Feedback on {view.topic}: {score_label(view)}")
        if view.star:
            self._star(view.star)
        for kp in view.key_points:
            self.say(f"  {MARKS[kp.status].ascii} {short_label(kp.description)}")
            self._quote(kp.quote)
        for mis in view.misconceptions:
            self.say(f"  ! {short_label(mis.description)}: {mis.correction}")
            self._quote(mis.quote)
        if view.tip:
            self.say(f"  Tip: {view.tip}")
        if view.strong_answer:
            self.say("  A strong answer covers:")
            for point in view.strong_answer:
                self.say(f"    - {short_label(point, 160)}")
        for label, text in view.extras():
            self.say(f"  {label}: {text}")

    def _star(self, star: StarOut) -> None:
        self.say(f"  STAR: {', '.join(f'{star_label(s.name)} {YES_NO[s.present]}' for s in star.items())}")
        for quote, names in star.evidence().items():
            self._quote(quote, f"{', '.join(star_label(n) for n in names)}: ")

    def _quote(self, quote: str | None, label: str = "") -> None:
        """A line with the evidence quoted from the answer (shortened at a clause boundary when long)."""
        if quote:
            self.say(f"      {label}“{display_quote(quote)}”")

    def summary(self, report: Report) -> None:
        o = report.overall
        self.say()
        self.say(
            f"Interview {report.interview_id} finished{' early' if report.ended_early else ''}: "
            f"overall {o.score:.1f}/5 ({o.answered} answered, {o.skipped} skipped)."
        )
        for q in report.questions:
            self.say(f"  {score_label(q, unscored='skipped'):>8}  {q.topic}")
        if report.next_steps:
            self.say("Next steps:")
            for i, s in enumerate(report.next_steps, 1):
                self.say(f"  {i}. {s}")
        self.say(f"Full report: interviewer report {report.interview_id} --format md")


async def drive(session: InterviewSession, first: Step, source: AnswerSource, ui: PlainUI) -> Report:
    """Run the interview to the end with answers from ``source``; returns the report."""
    step = first
    while True:
        ui.notices(step)
        for item in step.feedback:
            ui.feedback(item)
        if step.prompt is None:
            report = interview_report(session.repo, session.id, session.bank)
            ui.summary(report)
            return report
        ui.prompt(step.prompt)
        answer = source.next_answer(step.prompt)
        if answer is None:
            ui.say("[note] No more answers: ending the interview and scoring what was answered.")
            step = await session.end()
            continue
        ui.answer(answer)
        command = answer.strip()
        if command == "/skip":
            step = await session.skip()
        elif command == "/clarify":
            step = await session.clarify()
        elif command == "/end":
            step = await session.end()
        else:
            try:
                step = await session.submit(answer)
            except AnswerNotSaved as exc:
                ui.say(f"[note] Your answer could not be saved ({exc.message.split(':')[0]}). Here it is, to keep:")
                ui.say(exc.answer)
                raise


REPLY_CHARS = 64
"""The longest reply to a question of plain mode's own that is read as one; a longer one is asked again."""


class AskOnTerminal:
    """Plain mode on a terminal, when a model call failed after its retries: say what went wrong and ask whether to
    retry it or to continue with the offline engine (the answer is already stored). The end of input means offline."""

    def __init__(self, out: IO[str], stream: IO[bytes] | None = None) -> None:
        self.ui = PlainUI(out)
        self.stream = stream if stream is not None else sys.stdin.buffer

    async def __call__(self, error: ModelError) -> Choice:
        self.ui.say(f"[model] {error.title}: {error.message}")
        if error.hint:
            self.ui.say(f"Hint: {error.hint}")
        while True:
            self.ui.say("Your answer is saved. Retry the model call (r), or continue offline for the rest (o)?")
            read = read_line(self.stream, keep=REPLY_CHARS)
            reply = read[0].strip().lower() if read is not None and read[1] <= REPLY_CHARS else ""
            if read is None or reply in ("o", "offline"):
                return "offline"
            if reply in ("r", "retry"):
                return "retry"
