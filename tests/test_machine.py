"""The pure interview state machine: transition table, probing policy, order policy, snapshots."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewer.engine import machine as m
from interviewer.engine.snapshot import dump_state, load_state

QUESTIONS = (
    m.QuestionInfo("b1", "behavioral", "communication"),
    m.QuestionInfo("t1", "technical", "fundamentals"),
    m.QuestionInfo("t2", "technical", "fundamentals"),
    m.QuestionInfo("b2", "behavioral", "collaboration"),
)


def fresh(**kwargs: object) -> m.State:
    options: dict[str, object] = {"adaptive": False, "max_probes": 2}
    options.update(kwargs)
    return m.initial_state(QUESTIONS, **options)  # type: ignore[arg-type]


def test_a_whole_interview_with_a_probe() -> None:
    state, actions = m.transition(fresh(total=2), m.Start())
    assert actions == [m.Ask("b1", "question", 1, 2)]
    assert state.phase is m.Phase.AWAITING_ANSWER

    state, actions = m.transition(state, m.Answer("my story"))
    assert actions == [m.StoreAnswer("b1", "my story", 0), m.GradeAnswers("b1", ("my story",))]
    assert state.phase is m.Phase.GRADING

    state, actions = m.transition(state, m.Graded("b1", 3, targets=("result", "action")))
    assert actions == [m.MakeProbe("b1", "result", ("my story",), ())]
    state, actions = m.transition(state, m.ProbeReady("What came of it?", "result"))
    assert actions == [m.Ask("b1", "probe", 1, 2, probe_index=1, text="What came of it?")]

    state, actions = m.transition(state, m.Answer("churn fell 10%"))
    assert actions[0] == m.StoreAnswer("b1", "churn fell 10%", 1)
    assert actions[1] == m.GradeAnswers("b1", ("my story", "churn fell 10%"))  # graded together

    state, actions = m.transition(state, m.Graded("b1", 5, targets=()))
    assert actions == [m.QuestionDone("b1", skipped=False), m.Ask("t1", "question", 2, 2)]
    state, _ = m.transition(state, m.Answer("x"))
    state, actions = m.transition(state, m.Graded("t1", 4))
    assert actions == [m.QuestionDone("t1", skipped=False), m.Finish("completed")]
    assert state.phase is m.Phase.COMPLETE
    assert dict(state.scores) == {"b1": 5, "t1": 4}


@pytest.mark.parametrize(
    ("phase_events", "illegal"),
    [
        ([], m.Answer("too early")),
        ([m.Start()], m.Graded("b1", 3)),
        ([m.Start()], m.ProbeReady("x", "y")),
        ([m.Start(), m.Answer("a")], m.Answer("again")),
        ([m.Start(), m.Answer("a")], m.Skip()),
        ([m.Start(), m.EndEarly()], m.Start()),
    ],
)
def test_illegal_event_raises_and_changes_nothing(phase_events: list[m.Event], illegal: m.Event) -> None:
    state = fresh()
    for event in phase_events:
        state, _ = m.transition(state, event)
    before = state
    with pytest.raises(m.IllegalTransition) as info:
        m.transition(state, illegal)
    assert state == before
    assert info.value.hint and "possible now" in info.value.hint


def test_empty_answer_is_refused_and_does_not_count() -> None:
    state, _ = m.transition(fresh(), m.Start())
    with pytest.raises(m.EmptyAnswer):
        m.transition(state, m.Answer("  \n\t "))
    assert state.phase is m.Phase.AWAITING_ANSWER and state.answers == ()


def _to_probe(state: m.State, target: str) -> m.State:
    state, _ = m.transition(state, m.ProbeReady(f"probe for {target}", target))
    return state


def test_probes_stop_at_max_probes() -> None:
    state, _ = m.transition(fresh(max_probes=1), m.Start())
    state, _ = m.transition(state, m.Answer("a"))
    state, actions = m.transition(state, m.Graded("b1", 2, ("action", "result", "task")))
    state = _to_probe(state, "action")
    state, _ = m.transition(state, m.Answer("b"))
    state, actions = m.transition(state, m.Graded("b1", 3, ("result", "task")))
    assert isinstance(actions[0], m.QuestionDone) and isinstance(actions[1], m.Ask)
    assert actions[1].question_id == "t1"


def test_probing_stops_when_a_probe_brought_nothing_new() -> None:
    state, _ = m.transition(fresh(max_probes=3), m.Start())
    state, _ = m.transition(state, m.Answer("a"))
    state, _ = m.transition(state, m.Graded("b1", 2, ("action", "result", "task")))
    state = _to_probe(state, "action")
    state, _ = m.transition(state, m.Answer("nothing useful"))
    state, actions = m.transition(state, m.Graded("b1", 2, ("action", "result", "task")))
    assert isinstance(actions[0], m.QuestionDone)


def test_no_probe_when_complete_or_same_target_again() -> None:
    state, _ = m.transition(fresh(), m.Start())
    state, _ = m.transition(state, m.Answer("a"))
    state, actions = m.transition(state, m.Graded("b1", 5))
    assert isinstance(actions[0], m.QuestionDone)
    state, _ = m.transition(state, m.Answer("a"))
    state, _ = m.transition(state, m.Graded("t1", 2, ("kp1", "kp2", "kp3")))
    state = _to_probe(state, "kp1")
    state, _ = m.transition(state, m.Answer("more"))
    state, actions = m.transition(state, m.Graded("t1", 3, ("kp1",)))  # only the element already probed is left
    assert isinstance(actions[0], m.QuestionDone)


def test_skip_question_and_skip_probe() -> None:
    state, _ = m.transition(fresh(total=2), m.Start())
    state, actions = m.transition(state, m.Skip())
    assert actions[:2] == [m.StoreSkip("b1", 0), m.QuestionDone("b1", skipped=True)]
    assert dict(state.scores) == {"b1": None}
    state, _ = m.transition(state, m.Answer("a"))
    state, _ = m.transition(state, m.Graded("t1", 2, ("kp", "kp2", "kp3")))
    state = _to_probe(state, "kp")
    state, actions = m.transition(state, m.Skip())
    assert actions == [m.StoreSkip("t1", 1), m.QuestionDone("t1", skipped=False), m.Finish("completed")]
    assert dict(state.scores) == {"b1": None, "t1": 2}  # the grade of the answered question stands


def test_end_early_while_grading_waits_for_the_grade() -> None:
    state, _ = m.transition(fresh(), m.Start())
    state, _ = m.transition(state, m.Answer("a"))
    state, actions = m.transition(state, m.EndEarly())
    assert actions == [] and state.phase is m.Phase.GRADING
    state, actions = m.transition(state, m.Graded("b1", 3, ("result", "action")))
    assert actions == [m.QuestionDone("b1", skipped=False), m.Finish("ended_early")]
    assert state.ended_early and state.phase is m.Phase.COMPLETE


def test_end_early_while_waiting_marks_the_open_question_skipped() -> None:
    state, _ = m.transition(fresh(), m.Start())
    state, actions = m.transition(state, m.EndEarly())
    assert actions == [m.QuestionDone("b1", skipped=True), m.Finish("ended_early")]
    assert dict(state.scores) == {"b1": None}


def test_clarify_rephrases_the_same_question() -> None:
    state, _ = m.transition(fresh(), m.Start())
    state, actions = m.transition(state, m.Clarify("what do you mean?"))
    assert actions == [m.MakeClarification("b1", "what do you mean?")]
    state, actions = m.transition(state, m.Rephrased("In other words..."))
    assert actions == [m.Ask("b1", "clarification", 1, 4, text="In other words...")]
    assert state.asked == ("b1",)


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([], m.Ask),
        ([m.Start()], m.Ask),
        ([m.Start(), m.Answer("a")], m.GradeAnswers),
        ([m.Start(), m.Answer("a"), m.Graded("b1", 2, ("action", "result"))], m.MakeProbe),
        ([m.Start(), m.Clarify()], m.MakeClarification),
    ],
)
def test_resume_reissues_what_was_pending(events: list[m.Event], expected: type) -> None:
    state = fresh()
    for event in events:
        state, _ = m.transition(state, event)
    restored = load_state(dump_state(state))
    assert restored == state
    _, actions = m.transition(restored, m.Resume())
    assert isinstance(actions[-1], expected)


def test_fixed_order_when_not_adaptive() -> None:
    state, _ = m.transition(fresh(), m.Start())
    asked = [state.current]
    while state.phase is not m.Phase.COMPLETE:
        state, _ = m.transition(state, m.Skip())
        if state.current:
            asked.append(state.current)
    assert asked == ["b1", "t1", "t2", "b2"]


def test_adaptive_order_mixes_kinds_and_favours_past_weakness() -> None:
    state = m.initial_state(QUESTIONS, adaptive=True, seed=1, history={"t2": 1.0})
    state, actions = m.transition(state, m.Start())
    assert isinstance(actions[0], m.Ask) and actions[0].question_id == "t2"  # missed before
    state, _ = m.transition(state, m.Skip())
    assert state.current in ("b1", "b2")  # then the other kind


def test_adaptive_order_favours_weak_area_of_this_interview() -> None:
    qs = (
        m.QuestionInfo("a1", "technical", "stats"),
        m.QuestionInfo("b1", "technical", "mlops"),
        m.QuestionInfo("a2", "technical", "stats"),
        m.QuestionInfo("b2", "technical", "mlops"),
    )
    state = m.initial_state(qs, adaptive=True, seed=3)
    state, _ = m.transition(state, m.Start())
    first = state.current
    state, _ = m.transition(state, m.Answer("x"))
    state, _ = m.transition(state, m.Graded(str(first), 1))
    area = {q.id: q.area for q in qs}
    assert area[str(state.current)] == area[str(first)]  # the weak area again


def test_same_seed_same_order() -> None:
    def order(seed: int) -> list[str]:
        state, _ = m.transition(m.initial_state(QUESTIONS, seed=seed), m.Start())
        out = [str(state.current)]
        while state.phase is not m.Phase.COMPLETE:
            state, _ = m.transition(state, m.Skip())
            if state.current:
                out.append(state.current)
        return out

    assert order(7) == order(7)
    assert sorted(order(7)) == sorted(q.id for q in QUESTIONS)


_events = st.one_of(
    st.builds(m.Start),
    st.builds(m.Answer, st.text(max_size=20)),
    st.builds(m.Clarify),
    st.builds(m.Skip),
    st.builds(m.EndEarly),
    st.builds(
        m.Graded,
        st.sampled_from(["b1", "t1", "t2", "b2"]),
        st.integers(1, 5),
        st.lists(st.sampled_from(["action", "result", "kp1", "kp2"]), unique=True, max_size=4).map(tuple),
    ),
    st.builds(m.ProbeReady, st.text(min_size=1, max_size=10), st.sampled_from(["action", "kp1"])),
    st.builds(m.Rephrased, st.text(min_size=1, max_size=10)),
    st.builds(m.Resume),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_events, max_size=40))
def test_any_event_sequence_keeps_the_machine_consistent(events: list[m.Event]) -> None:
    state = fresh()
    for event in events:
        try:
            new, _actions = m.transition(state, event)
        except (m.IllegalTransition, m.EmptyAnswer):
            continue
        assert load_state(dump_state(new)) == new
        assert len(new.asked) <= new.total
        assert len(new.probes) <= new.max_probes
        if new.phase is m.Phase.AWAITING_ANSWER:
            assert new.last_ask is not None and new.current is not None
        state = new
    assert replace(state) == state


def test_abandon_stops_for_good_without_scoring() -> None:
    """Kept for "an interview quit with no answer is removed" (no caller sends it yet)."""
    state, _ = m.transition(fresh(), m.Start())
    state, actions = m.transition(state, m.Abandon())
    assert actions == [] and state.phase is m.Phase.ABANDONED and state.phase in m.TERMINAL
    assert state.scores == ()
    with pytest.raises(m.IllegalTransition):
        m.transition(state, m.Resume())


def test_progress_is_asked_of_total_and_the_open_question() -> None:
    state = fresh(total=2)
    assert state.progress == m.Progress(asked=(), total=2) and state.progress.number == 0
    state, _ = m.transition(state, m.Start())
    assert state.progress == m.Progress(asked=("b1",), total=2, current="b1") and state.progress.number == 1
