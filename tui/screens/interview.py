"""The interview: the current question with progress, the conversation so far, the answer editor, and a status
line with words, time (and the soft time limit), what the app is doing, and the model's tokens and cost.

Every session call runs in a worker, so typing never waits for grading. The draft is saved as you type and
restored on resume; an answer is stored by the session before grading starts. A model call that failed after its
retries follows the interview's failure policy (``AskOnFailure``): a dialog says what went wrong and offers to retry
or to continue with the offline engine (now, or later with ctrl+r / ctrl+o); the answer is never lost. Any other
failure after the answer was stored is reported, and the interview waits on the start screen to be resumed.

Start-up paints first: when the plan alone decides the first question (``--question``), it is shown from the bank
before the session service, SQLAlchemy and the migrations are loaded (in a worker, behind it). Until the session is
open the candidate can type; a submit then waits, visibly, and is sent (stored, then graded) once the session is
ready, never accepted before it can be stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, TextArea

from interviewer.domain.conversation import interviewer_label
from interviewer.engine.failure import AskOnFailure
from interviewer.errors import InterviewerError
from interviewer.textsafe import printable
from interviewer.tui.backend import Launch, OpenInterview
from interviewer.tui.drafts import Drafts
from interviewer.tui.formatting import word_count
from interviewer.tui.screens.base import AppScreen
from interviewer.tui.screens.confirm import ConfirmDialog
from interviewer.tui.screens.model_error import Choice, ModelErrorDialog
from interviewer.tui.widgets.answer_editor import AnswerEditor
from interviewer.tui.widgets.conversation import Conversation
from interviewer.tui.widgets.progress_header import ProgressHeader
from interviewer.tui.widgets.status_line import StatusLine, timing_text, usage_text

if TYPE_CHECKING:
    from interviewer.compare import Retried
    from interviewer.engine.plan import Prompt
    from interviewer.engine.probing import TextSink
    from interviewer.report import QuestionOut
    from interviewer.services import Step, Turn
    from interviewer.tui.screens.feedback import CompareLoader
    from interviewer.tui.screens.model_check import CheckChoice

    Command = Callable[[TextSink], Awaitable[Step]]

DRAFT_DELAY = 0.6
"""Seconds of quiet typing before the draft is saved."""

PREPARING = "Preparing your interview…"
QUEUED = "Preparing your interview… your answer is sent as soon as it is ready."


def is_model_error(exc: BaseException) -> bool:
    """A model call that failed after its retries, handed up by the failure policy for the candidate to decide."""
    from interviewer.services import ModelError

    return isinstance(exc, ModelError)


def describe(exc: BaseException) -> tuple[str, str, str | None]:
    """Title, message and hint of an error, for a notification."""
    if isinstance(exc, InterviewerError):
        return exc.title, exc.message, exc.hint
    return (
        "Unexpected error",
        f"{type(exc).__name__}: {exc}",
        "your answers so far are saved: resume the interview to go on",
    )


def prompt_label(prompt: Prompt) -> str:
    return interviewer_label(
        prompt.kind,
        number=prompt.number,
        total=prompt.total,
        probe_index=prompt.probe_index,
        max_probes=prompt.max_probes,
    )


class _Labels:
    """The interviewer's labels in a replayed transcript: questions numbered in the order they were first asked."""

    def __init__(self, total: int, max_probes: int) -> None:
        self.total = total
        self.max_probes = max_probes
        self.seen: set[str] = set()

    def of(self, turn: Turn) -> str:
        kind = turn.kind if turn.kind != "question" or turn.question_id not in self.seen else "rephrased"
        if kind == "question":
            self.seen.add(turn.question_id)
        return interviewer_label(
            kind, number=len(self.seen), total=self.total, probe_index=turn.probe_index, max_probes=self.max_probes
        )


class InterviewScreen(AppScreen):
    """One interview, from the first question to the scorecard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,ctrl+enter", "submit", "Submit", priority=True, tooltip="Submit your answer"),
        Binding("ctrl+l", "clarify", "Clarify", priority=True, tooltip="Ask the interviewer to rephrase"),
        Binding("ctrl+n", "skip", "Skip", priority=True, tooltip="Skip this question or follow-up"),
        Binding("ctrl+g", "end", "End", priority=True, tooltip="End the interview and see the scorecard"),
        Binding("f2", "show_feedback", "Feedback", tooltip="Show the last feedback again"),
        Binding("ctrl+r", "retry", "Retry", priority=True, tooltip="Retry the failed model call"),
        Binding("ctrl+o", "offline", "Offline", priority=True, tooltip="Continue with the offline engine"),
    ]

    def __init__(self, launch: Launch) -> None:
        super().__init__(classes="interview-screen")
        self.launch = launch
        self.session: OpenInterview | None = None
        self.prompt: Prompt | None = None
        self.busy: str | None = None
        self.error: BaseException | None = None
        """A failed model call waiting for the candidate's choice (retry or continue offline)."""
        self.policy = AskOnFailure()
        """What a failed model call does: come up here, for the candidate to choose (see ``_failed``)."""
        self.last_feedback: list[QuestionOut] = []
        self.last_compare: CompareLoader | None = None
        """For a retry, what changed against the last attempt (shown with the last feedback)."""
        self.drafts = Drafts()
        self._draft_timer: Timer | None = None
        self._prompt_started: float | None = None
        self._warned: set[str] = set()
        self._base_tokens = 0
        self._base_cost = 0.0
        self._last_said: str | None = None
        self._queued = False
        """A submit made before the session was open waits for it (the editor is read-only meanwhile)."""
        self._previewed = False

    # ------------------------------------------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield ProgressHeader(self.launch.settings.mode, id="header")
        yield Conversation(id="conversation")
        editor = AnswerEditor(
            id="answer",
            soft_wrap=True,
            tab_behavior="focus",
            placeholder="Type your answer here. ctrl+s submits it; ctrl+l asks to rephrase the question.",
        )
        editor.border_title = "Your answer"
        editor.border_subtitle = "ctrl+s submit"
        yield editor
        yield StatusLine(id="status")
        yield Footer()

    @property
    def conversation(self) -> Conversation:
        return self.query_one("#conversation", Conversation)

    @property
    def editor(self) -> TextArea:
        return self.query_one("#answer", TextArea)

    @property
    def limit_seconds(self) -> float | None:
        settings = self.session.settings if self.session else self.launch.settings
        return settings.time_limit * 60 if settings.time_limit else None

    def on_mount(self) -> None:
        self.editor.focus()
        self.set_interval(1.0, self.tick)
        self._update_usage()
        if not self.backend.checks_model(self.launch.settings):
            # The first question is in the very first frame (a model is checked first: its dialog comes before
            # any question).
            self._preview(self.backend.first_prompt(self.launch))
        self._begin()

    def on_unmount(self) -> None:
        self.flush_draft()
        if self.session is not None:
            self.session.close()  # let go of the interview: it can be resumed elsewhere at once

    # ------------------------------------------------------------------------------------------------ starting
    def _begin(self, *, offline: bool = False) -> None:
        self.run_worker(self._open(offline), group="session", exclusive=True, exit_on_error=False)

    async def _open(self, offline: bool) -> None:
        if self.launch.resume:
            self._set_busy("Resuming your interview…")
        else:
            self._set_busy(QUEUED if self._queued else PREPARING)
        problem = None if offline else await self.backend.check_model(self.launch.settings)
        if problem is not None:
            from interviewer.tui.screens.model_check import ModelCheckDialog

            self._set_busy(None)
            self.app.push_screen(ModelCheckDialog(problem), self._after_model_check)
            return
        if not self._previewed:
            # The first question, now the model is checked (its dialog comes before any question).
            self._preview(await asyncio.to_thread(self.backend.first_prompt, self.launch))
        if self.session is None:
            # The frame (and the first question, when known) is on screen before the core is loaded behind it:
            # importing it in a thread still holds the GIL most of the time, which would delay the first paint.
            await self.wait_for_refresh()
        try:
            session, step = await self.backend.open_session(
                self.launch, self._on_delta("Interviewer"), self.policy, offline=offline
            )
        except Exception as exc:
            self.conversation.drop_stream()
            queued = self._unqueue()
            self._set_busy(None)
            self._open_failed(exc, queued=queued)
            return
        self.session = session
        if session.ledger is not None:
            session.ledger.listeners.append(self._model_retrying)
        queued, self._queued = self._queued, False  # the editor stays read-only until the answer is sent
        self._set_busy(None)
        if self.launch.resume:
            await self._show_transcript(session, step)
        self._update_usage()
        if not step.done:
            self._restore_draft(session)
        previewed = self.prompt
        self._apply(step)
        if queued:
            if step.prompt is not None and step.prompt == previewed:
                self.editor.call_later(self._send_queued)  # after any key the editor has yet to handle
            else:  # pragma: no cover - the plan decides the first question; never seen
                self.editor.read_only = False
                self.app.notify("Your answer was not sent: it stays in the editor.", title="Not sent", timeout=6)

    def _preview(self, prompt: Prompt | None) -> None:
        """Show the first question, known from the bank before the session is open (the session asks the very
        same one: ``interviewer.engine.plan.first_prompt``); looked for once."""
        self._previewed = True
        if prompt is not None and self.prompt is None:
            self._show_prompt(prompt)

    def _queue(self) -> None:
        """A submit before the session is open: the answer waits, read-only (what is sent is what is seen), and is
        sent as soon as the session is ready. Nothing is shown as answered before it is stored."""
        self._queued = True
        self.editor.read_only = True
        self._set_busy(QUEUED)

    def _send_queued(self) -> None:
        """The session is open: send the waiting answer, as ctrl+s would (stored first, then graded)."""
        self.editor.read_only = False
        self._submit_now()

    def _unqueue(self) -> bool:
        """Release a waiting answer back to the editor; whether one was waiting."""
        queued, self._queued = self._queued, False
        if queued:
            self.editor.read_only = False
        return queued

    def _model_retrying(self, text: str) -> None:
        """A model call failed and is asked again: say so now (the wait can be long)."""
        self.app.notify(printable(text), title="Waiting for the model", severity="warning", timeout=6)

    def _after_model_check(self, choice: CheckChoice | None) -> None:
        if choice == "offline":
            offline = self.launch.settings.model_copy(update={"model": "offline"})
            self.launch = replace(self.launch, settings=offline)
            self._begin(offline=True)
        else:
            self.app.exit(return_code=1, message="The model could not be used; nothing was asked.")

    def _open_failed(self, exc: Exception, *, queued: bool = False) -> None:
        title, message, hint = describe(exc)
        if queued:
            self.app.notify(
                "Your answer was not sent: the interview could not start, so nothing was stored.",
                title="Answer not sent",
                severity="warning",
                timeout=10,
            )
        if not self.launch.resume or not is_model_error(exc):
            self.iapp.report_error(title, message, hint)
            self.iapp.show_start()
            return
        self.iapp.report_error(title, message, hint)
        self.conversation.note(
            Content.from_markup("[b]⚠ $title:[/] $message", title=title, message=message), classes="error"
        )

        def chosen(choice: Choice | None) -> None:
            if choice == "offline":
                self._begin(offline=True)
            elif choice == "retry":
                self._begin()
            else:
                self.iapp.show_start()

        self.app.push_screen(ModelErrorDialog(title, message, hint), chosen)

    async def _show_transcript(self, session: OpenInterview, step: Step) -> None:
        from interviewer.report import question_view

        transcript = await self.backend.transcript(session)
        self._base_tokens, self._base_cost = transcript.tokens, transcript.cost_usd
        labels = _Labels(step.prompt.total if step.prompt else session.total, session.max_probes)
        coach = session.settings.mode == "coach"
        graded = {g.question_id: g for g in transcript.grades}
        told: set[str] = set()

        def tell(question_id: str | None) -> None:
            """The feedback line of a graded question, once, where it was given (coach mode)."""
            if coach and question_id in graded and question_id not in told:
                told.add(question_id)
                self._feedback_note(question_view(session.question(question_id), graded[question_id]))

        previous: str | None = None
        for turn in transcript.turns:
            if turn.question_id != previous:
                tell(previous)
                previous = turn.question_id
            self._replay(turn, labels)
        if step.prompt is None or step.prompt.question_id != previous:
            tell(previous)
        if coach and transcript.grades:
            last = transcript.grades[-1]
            self.last_feedback = [question_view(session.question(last.question_id), last)]
            self.refresh_bindings()
        if any(turn.role == "candidate" for turn in transcript.turns):
            self.conversation.note("— resumed here —", classes="resumed")

    def _replay(self, turn: Turn, labels: _Labels) -> None:
        """One stored turn of a resumed interview, shown as it was when it happened."""
        if turn.role == "interviewer":
            self.conversation.say(labels.of(turn), turn.text, kind=turn.kind)
            self._last_said = turn.text
        elif turn.kind == "skip":
            self.conversation.note("You skipped the follow-up." if turn.probe_index else "You skipped the question.")
        else:
            self.conversation.answer(turn.text)

    # ------------------------------------------------------------------------------------------------- drafts
    def _restore_draft(self, session: OpenInterview) -> None:
        draft = self.drafts.load(session.id)
        editor = self.editor
        if draft and not editor.text.strip():
            editor.load_text(draft)
            editor.move_cursor(editor.document.end)
            self.app.notify("Your unsent draft was restored.", title="Draft", timeout=4)
        elif editor.text.strip():
            self.drafts.save(session.id, editor.text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "answer":
            return
        self._update_timing()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.flush_draft)

    def flush_draft(self) -> None:
        """Save the editor's text now (called after a pause in typing, on quit, and when the screen goes)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.session is None or self.session.finished:
            return
        try:
            text = self.editor.text
        except Exception:  # the editor is already gone (app closing)
            return
        try:
            self.drafts.save(self.session.id, text)
        except OSError as exc:
            self.app.notify(f"Could not save the draft: {exc}", severity="warning")

    def _clear_editor(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self.editor.clear()
        if self.session is not None:
            self.drafts.clear(self.session.id)

    # ----------------------------------------------------------------------------------------------- commands
    def _ready(self, what: str) -> OpenInterview | None:
        if self.busy is None and (self.session is None or self.session.finished):
            return None
        if self.busy is not None:
            self.app.notify(f"{self.busy} Your text stays in the editor.", title=f"Cannot {what} yet", timeout=3)
            return None
        if self.error is not None:
            self.app.notify(
                "Retry the model call (ctrl+r) or continue offline (ctrl+o) first.",
                title="A model call failed",
                severity="warning",
            )
            return None
        return self.session if self.session is not None and not self.session.finished else None

    def action_submit(self) -> None:
        # ctrl+s is a priority binding: it can fire before the editor has handled keys typed (or pasted) just
        # before it. Reading the editor from its own queue takes the text only after all of them.
        self.editor.call_later(self._submit_now)

    def _submit_now(self) -> None:
        if self.session is None and self.busy is not None and self.prompt is not None:
            # The question is on screen and the session is still opening: the answer waits for it.
            if self._queued:
                self.app.notify("Your answer is sent as soon as the interview is ready.", title="Waiting", timeout=3)
            elif not self.editor.text.strip():
                self.app.notify("Type an answer first, or skip the question (ctrl+n).", title="Empty answer", timeout=3)
            else:
                self._queue()
            return
        session = self._ready("submit")
        if session is None:
            return
        text = self.editor.text
        if not text.strip():
            self.app.notify("Type an answer first, or skip the question (ctrl+n).", title="Empty answer", timeout=3)
            return
        message = self.conversation.answer(text)
        self._clear_editor()
        self._prompt_started = None

        async def submit(on_delta: TextSink) -> Step:
            return await session.submit(text, on_delta)

        self._call("Grading your answer…", submit, answer=text, answer_widget=message)

    def action_clarify(self) -> None:
        session = self._ready("ask to clarify")
        if session is None:
            return
        self.conversation.note("You asked the interviewer to rephrase the question.")

        async def clarify(on_delta: TextSink) -> Step:
            return await session.clarify("", on_delta)

        self._call("Rephrasing the question…", clarify)

    def action_skip(self) -> None:
        session = self._ready("skip")
        if session is None or self.prompt is None:
            return
        what = "follow-up" if self.prompt.kind == "probe" else "question"

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._skip(session, what)

        if self.editor.text.strip():
            self.app.push_screen(
                ConfirmDialog(
                    f"Skip this {what}?",
                    "The text in the editor will not be sent or graded.",
                    confirm="Skip",
                ),
                confirmed,
            )
        else:
            self._skip(session, what)

    def _skip(self, session: OpenInterview, what: str) -> None:
        self._clear_editor()
        self._prompt_started = None
        self.conversation.note(f"You skipped the {what}.")

        async def skip(on_delta: TextSink) -> Step:
            return await session.skip(on_delta)

        self._call("Moving on…", skip)

    def action_end(self) -> None:
        session = self._ready("end the interview")
        if session is None:
            return
        message = "Answered questions are scored; the others count as skipped."
        if self.editor.text.strip():
            message += "\nThe text in the editor is not sent: submit it first (ctrl+s) to have it graded."

        def confirmed(ok: bool | None) -> None:
            if ok:

                async def end(on_delta: TextSink) -> Step:
                    return await session.end()

                self._call("Scoring the interview…", end)

        self.app.push_screen(ConfirmDialog("End the interview now?", message, confirm="End"), confirmed)

    def action_show_feedback(self) -> None:
        from interviewer.tui.screens.feedback import FeedbackScreen

        if self.last_feedback:
            self.app.push_screen(
                FeedbackScreen(self.last_feedback, title="Last feedback", hint="Back", compare=self.last_compare)
            )

    def action_retry(self) -> None:
        self._resolve("retry")

    def action_offline(self) -> None:
        self._resolve("offline")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "offline"):
            return self.error is not None
        if action == "show_feedback":
            return bool(self.last_feedback)
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Submit answer", "Send the answer in the editor (ctrl+s)", self.action_submit)
        yield SystemCommand("Clarify question", "Ask the interviewer to rephrase (ctrl+l)", self.action_clarify)
        yield SystemCommand("Skip", "Skip this question or follow-up (ctrl+n)", self.action_skip)
        yield SystemCommand("End interview", "Stop now and see the scorecard (ctrl+g)", self.action_end)
        if self.last_feedback:
            yield SystemCommand(
                "Show last feedback", "The feedback on the last question (f2)", self.action_show_feedback
            )
        if self.error is not None:
            yield SystemCommand(
                "Retry model call", "Run the failed grade or follow-up again (ctrl+r)", self.action_retry
            )
            yield SystemCommand("Continue offline", "Go on with the offline engine (ctrl+o)", self.action_offline)
        yield SystemCommand("History", "Past interviews (this one stays open)", self.iapp.show_history)

    # ------------------------------------------------------------------------------------------------- workers
    def _on_delta(self, label: str) -> TextSink:
        def on_delta(delta: str) -> None:
            if self.busy != "The interviewer is typing…":
                self._set_busy("The interviewer is typing…")
            self.conversation.stream(delta, label)

        return on_delta

    def _call(
        self,
        busy: str,
        command: Command,
        *,
        answer: str | None = None,
        answer_widget: Widget | None = None,
    ) -> None:
        self.run_worker(
            self._drive(busy, command, answer, answer_widget),
            group="session",
            exclusive=True,
            exit_on_error=False,
        )

    async def _drive(self, busy: str, command: Command, answer: str | None, answer_widget: Widget | None) -> None:
        self._set_busy(busy)
        try:
            step = await command(self._on_delta("Interviewer"))
        except Exception as exc:
            self.conversation.drop_stream()
            self._set_busy(None)
            self._failed(exc, answer, answer_widget)
            return
        self._set_busy(None)
        self._apply(step)

    def _failed(self, exc: Exception, answer: str | None, answer_widget: Widget | None) -> None:
        session = self.session
        title, message, hint = describe(exc)
        pending = session is not None and not session.finished and session.current_prompt() is None
        self.iapp.report_error(title, message, hint)
        if not pending:
            self._give_back(answer, answer_widget)
            return
        if not is_model_error(exc):
            # Not the model's: the answer is stored, and the interview can be resumed from the start screen.
            self.iapp.show_start()
            return
        self.error = exc
        self.refresh_bindings()
        self.conversation.note(
            Content.from_markup(
                "[b]⚠ $title:[/] $message (your answer is saved: ctrl+r retry, ctrl+o continue offline)",
                title=title,
                message=message,
            ),
            classes="error",
        )
        self.app.push_screen(ModelErrorDialog(title, message, hint), self._resolve)

    def _give_back(self, answer: str | None, answer_widget: Widget | None) -> None:
        """Nothing was stored: give the answer back to the editor so it is not lost."""
        if answer is not None:
            if answer_widget is not None:
                answer_widget.remove()
            if not self.editor.text.strip():
                self.editor.load_text(answer)
            self.flush_draft()
        if self.session is not None:
            self._prompt_started = self.iapp.clock()

    def _resolve(self, choice: Choice | None) -> None:
        session = self.session
        if choice is None or session is None or self.error is None or self.busy is not None:
            return
        self.error = None
        self.refresh_bindings()
        self.policy.decide(choice)
        if choice == "offline":
            self._update_usage()
            self.app.notify("The rest of the interview uses the offline engine.", title="Offline", timeout=4)

        async def retry(on_delta: TextSink) -> Step:
            return await session.retry(on_delta)

        self._call("Retrying…" if choice == "retry" else "Grading offline…", retry)

    # ------------------------------------------------------------------------------------------------ results
    def _feedback_note(self, item: QuestionOut) -> None:
        from interviewer.report import score_label

        score = score_label(item, unscored="-")
        self.conversation.note(
            Content.from_markup(
                "[$text-accent]✓[/] Feedback on [b]$topic[/]: [b]$score[/] (f2 shows it again)",
                topic=item.topic,
                score=score,
            ),
            classes="feedback-note",
        )

    def _apply(self, step: Step) -> None:
        from interviewer.report import feedback_view
        from interviewer.tui.screens.feedback import FeedbackScreen

        session = self.session
        assert session is not None
        for notice in step.notices:
            self.app.notify(notice, title="Note", timeout=6)
        coach = session.settings.mode == "coach"
        items = [feedback_view(f) for f in step.feedback] if coach else []
        for item in items:
            self._feedback_note(item)
        compare = self._retry_compare(session, step) if items else None
        if items:
            self.last_feedback = items
            self.last_compare = compare
            self.refresh_bindings()
        self._update_usage()
        if step.done:
            self.drafts.clear(session.id)
            report = session.report()
            self.iapp.show_scorecard(report, feedback=items, replace=True, compare=compare)
            return
        if step.prompt is not None:
            self._show_prompt(step.prompt)
        if items:
            title = f"Feedback · {items[-1].topic}"
            self.app.push_screen(FeedbackScreen(items, title=title, hint="Next question", compare=compare))

    def _retry_compare(self, session: OpenInterview, step: Step) -> CompareLoader | None:
        """In a retry, what loads the comparison of the question just graded with its last attempt."""
        if not self.launch.retry or not step.feedback:
            return None
        backend, interview_id, question_id = self.backend, session.id, step.feedback[-1].grade.question_id

        async def load() -> Retried | None:
            return await backend.retry_comparison(interview_id, question_id)

        return load

    def _show_prompt(self, prompt: Prompt) -> None:
        conversation = self.conversation
        same = prompt == self.prompt  # e.g. the session asking the question its preview already showed
        repeated = same or (self.prompt is None and prompt.text == self._last_said)
        if conversation.streaming is not None or not repeated:
            conversation.say(prompt_label(prompt), prompt.text, kind=prompt.kind)
        self._last_said = prompt.text
        self.query_one(ProgressHeader).show(prompt, self.session.settings.mode if self.session else None)
        if self._prompt_started is None or (prompt.kind != "clarification" and not same):
            self._prompt_started = self.iapp.clock()
            self._warned.clear()
        self.prompt = prompt
        self._update_timing()

    # ------------------------------------------------------------------------------------------------- status
    def _set_busy(self, message: str | None) -> None:
        self.busy = message
        self.query_one(StatusLine).set_busy(message)
        if message is None:
            self.editor.border_subtitle = "ctrl+s submit"
        else:
            self.editor.border_subtitle = "sent when ready" if self._queued else "you can keep typing"

    def _elapsed(self) -> float | None:
        if self._prompt_started is None:
            return None
        return self.iapp.clock() - self._prompt_started

    def _update_timing(self) -> None:
        words = word_count(self.editor.text)
        self.query_one(StatusLine).set_timing(timing_text(words, self._elapsed(), self.limit_seconds))

    def _update_usage(self) -> None:
        settings = self.session.settings if self.session else self.launch.settings
        ledger = self.session.ledger if self.session else None
        if self.policy.offline:
            ledger = None  # the candidate chose the offline engine for the rest of the interview
        model = settings.model
        tokens = self._base_tokens + (ledger.prompt_tokens + ledger.completion_tokens if ledger else 0)
        cost = self._base_cost + (ledger.cost_usd if ledger else 0.0)
        self.query_one(StatusLine).set_usage(
            usage_text(model, offline_engine=ledger is None, tokens=tokens, cost_usd=cost)
        )

    def tick(self) -> None:
        """Once a second: the clock on this answer, and the soft time limit's warnings."""
        self._update_timing()
        elapsed, limit = self._elapsed(), self.limit_seconds
        if elapsed is None or limit is None:
            return
        left = limit - elapsed
        if left <= 60 and limit > 90 and "minute" not in self._warned:
            self._warned.add("minute")
            self.app.notify("About a minute left on this answer: time to land the result.", title="Time", timeout=5)
        if left <= 0 and "over" not in self._warned:
            self._warned.add("over")
            self.app.notify(
                "The soft time limit for this answer has passed. Finish your thought and submit; nothing is cut.",
                title="Time is up",
                severity="warning",
                timeout=6,
            )

    # ---------------------------------------------------------------------------------------------- quitting
    def unfinished_id(self) -> str | None:
        """The id of this interview if it is still going (for the goodbye message)."""
        if self.session is None or self.session.finished:
            return None
        return self.session.id
