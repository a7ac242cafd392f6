"""A prober that streams its follow-up (the text arrives in the conversation piece by piece while typing goes
on), and a model that fails after its retries (a notification with title and hint, Retry, Continue offline; the answer
is kept): the failing grader is wired as production wires a model's (``services.model_engines``, the offline engine
behind it, the interview's failure policy)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual.widgets import TextArea

from interviewer.bank import load_bank
from interviewer.engine.probing import ClarifyAsk, OfflineProber, ProbeAsk, TextSink
from interviewer.engine.session import Engines
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.services import FailurePolicy, model_engines
from interviewer.testing.failing import FailingGrader
from interviewer.tui.screens.feedback import FeedbackScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.model_error import ModelErrorDialog
from interviewer.tui.widgets.conversation import Conversation
from interviewer.tui.widgets.spinner import Spinner

if TYPE_CHECKING:
    from tui.conftest import Answer, Press

CHUNKS = ["Interesting. ", "What happens to the weights ", "when the penalty ", "gets very large?"]


class StreamingProber:
    """A test prober: writes its follow-up in chunks, waiting for the test between the first and the rest."""

    def __init__(self) -> None:
        self.first_sent = asyncio.Event()
        self.go_on = asyncio.Event()

    async def probe(self, ask: ProbeAsk, on_delta: TextSink | None = None) -> str:
        assert on_delta is not None
        on_delta(CHUNKS[0])
        self.first_sent.set()
        await self.go_on.wait()
        for chunk in CHUNKS[1:]:
            await asyncio.sleep(0)
            on_delta(chunk)
        return "".join(CHUNKS)

    async def clarify(self, ask: ClarifyAsk, on_delta: TextSink | None = None) -> str:
        text = "Put differently: how do the two penalties change the weights?"
        if on_delta is not None:
            on_delta(text)
        return text


def wired(grader: FailingGrader) -> Any:
    """What builds the engines around ``grader`` for the app: the model's wiring, with the offline engine behind."""

    def build(bank: Any, policy: FailurePolicy) -> Engines:
        return model_engines(grader, OfflineProber(bank), bank, policy=policy)

    return build


async def test_streamed_follow_up_arrives_while_typing_goes_on(
    app_factory: Any, make_settings: Any, settle: Any, good_l1: str
) -> None:
    bank = load_bank()
    prober = StreamingProber()
    app = app_factory(make_settings(), engines=Engines(RubricGrader(bank), prober), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        screen.editor.load_text("Both penalise the weights; L1 is the sum of absolute values.")
        await pilot.press("ctrl+s")
        await asyncio.wait_for(prober.first_sent.wait(), 5)
        await pilot.pause()
        conversation = screen.query_one(Conversation)
        assert conversation.streaming is not None and conversation.streaming.text == CHUNKS[0]
        assert screen.query_one(Spinner).message == "The interviewer is typing…"
        # The UI is not blocked: typing goes on while the follow-up is being written.
        await pilot.press(*"ok")
        assert screen.query_one("#answer", TextArea).text == "ok"
        prober.go_on.set()
        await settle(pilot)
        assert conversation.streaming is None
        last = list(conversation.query("Message"))[-1]
        assert last.text == "".join(CHUNKS)
        assert screen.prompt is not None and screen.prompt.kind == "probe"
        assert screen.prompt.text == "".join(CHUNKS)
        assert screen.query_one(Spinner).message is None


async def test_model_error_retry_then_continue_offline(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, good_l1: str, answer: Answer, press: Press
) -> None:
    grader = FailingGrader()
    app = app_factory(
        make_settings(max_probes=0),
        engines=wired(grader),
        question_ids=["l1_vs_l2", "bias_variance"],
    )
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = await answer(pilot, good_l1)

        assert isinstance(app.screen, ModelErrorDialog)
        assert app.errors[-1] == (
            "Model unavailable",
            "cannot reach http://localhost:11434",
            "start Ollama, or set OLLAMA_API_BASE",
        )
        shown = [n for n in app._notifications if n.title == "Model unavailable"]
        assert shown and "OLLAMA_API_BASE" in shown[0].message and shown[0].severity == "error"
        assert screen.session is not None
        record = repo.get(screen.session.id)
        assert [t.text for t in record.turns if t.role == "candidate"] == [good_l1]  # stored before grading

        await press(pilot, "r")  # retry: the model still fails
        assert grader.calls == 2
        assert isinstance(app.screen, ModelErrorDialog)

        await press(pilot, "o")  # continue offline
        assert isinstance(app.screen, FeedbackScreen)
        assert app.screen.items[0].topic == "Regularization"
        await press(pilot, "enter")
        assert screen.prompt is not None and screen.prompt.question_id == "bias_variance"
        assert screen.session.ledger is None and screen.error is None

    record = repo.get(screen.session.id)
    assert [t.text for t in record.turns if t.role == "candidate"] == [good_l1]
    assert "l1_vs_l2" in record.grades
    assert record.grades["l1_vs_l2"].fallback  # graded by the offline engine
    assert grader.calls == 2  # offline for the rest of the interview: the model is not called again


async def test_model_error_retry_succeeds(
    app_factory: Any, make_settings: Any, settle: Any, repo: Any, good_l1: str
) -> None:
    grader = FailingGrader(failures=1)
    app = app_factory(make_settings(max_probes=0), engines=wired(grader), question_ids=["l1_vs_l2", "bias_variance"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        screen.editor.load_text(good_l1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ModelErrorDialog)

        await pilot.press("r")  # retry: the model answers this time
        await settle(pilot)
        assert grader.calls == 2
        assert isinstance(app.screen, FeedbackScreen)
        assert screen.error is None and screen.policy is not None and not screen.policy.offline

    record = repo.get(screen.session.id)
    assert [t.text for t in record.turns if t.role == "candidate"] == [good_l1]
    assert not record.grades["l1_vs_l2"].fallback  # the model's grade


async def test_model_error_decided_later_from_the_interview_screen(
    app_factory: Any, make_settings: Any, settle: Any, good_l1: str, answer: Answer, press: Press
) -> None:
    app = app_factory(make_settings(max_probes=0), engines=wired(FailingGrader()), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = await answer(pilot, good_l1)
        await press(pilot, "escape")  # decide later
        assert app.screen is screen and screen.error is not None
        assert "Retry model call" in [c.title for c in app.get_system_commands(screen)]
        await pilot.press(*"x")
        await press(pilot, "ctrl+s")  # blocked until the error is resolved, the text stays
        assert screen.editor.text == "x"
        await press(pilot, "ctrl+o")
        assert screen.error is None
        assert app.screen.__class__.__name__ in ("FeedbackScreen", "ScorecardScreen")


async def test_an_answer_that_could_not_be_stored_goes_back_to_the_editor(
    app_factory: Any, make_settings: Any, settle: Any, good_l1: str, answer: Answer
) -> None:
    from interviewer.errors import StorageError
    from interviewer.tui.drafts import Drafts

    app = app_factory(make_settings(), question_ids=["l1_vs_l2"])
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)

        async def locked(text: str, on_delta: Any = None) -> Any:
            raise StorageError("database is locked", hint="your answers so far are saved")

        assert screen.session is not None
        screen.session.submit = locked  # type: ignore[method-assign]
        await answer(pilot, good_l1)
        assert app.errors[-1][0] == "Database error"
        assert screen.editor.text == good_l1  # nothing lost
        assert Drafts().load(screen.session.id) == good_l1
        assert [m.who for m in screen.query_one(Conversation).query("Message")] == ["interviewer"]  # type: ignore[attr-defined]
        assert screen.error is None and screen.busy is None
