"""The LLM prober with a FakeModel: deltas streamed to on_delta, a probe that would give the answer away (or is
empty) replaced by the rubric's probe, clarifications, and the fallback to the offline prober."""

from __future__ import annotations

from interviewer.bank import load_bank
from interviewer.engine.fallback import FallbackProber
from interviewer.engine.llm_prober import LeakGuard, LLMProber, clean_reply
from interviewer.engine.probing import ClarifyAsk, OfflineProber, ProbeAsk, ProbeTarget
from interviewer.gateway.errors import ModelConnectionError
from interviewer.gateway.fake import FakeModel
from interviewer.gateway.usage import UsageLedger

BANK = load_bank()
L1 = BANK.get("l1_vs_l2")
KP = next(kp for kp in L1.key_points if kp.id == "l1_abs_sparsity")
TARGET = ProbeTarget(KP.id, "key_point", KP.description, KP.probe)
ANSWERS = ["Both are regularization that reduce overfitting."]
GOOD_PROBE = (
    "If you trained a linear model with the L1 penalty on many features, what would the coefficients look like?"
)


async def test_probe_streams_deltas_to_on_delta() -> None:
    model = FakeModel([GOOD_PROBE], chunk_size=7)
    seen: list[str] = []
    text = await LLMProber(model, BANK).probe(ProbeAsk(L1, TARGET, ANSWERS, []), seen.append)
    assert text == GOOD_PROBE
    assert len(seen) > 3 and "".join(seen) == GOOD_PROBE  # many deltas, adding up to the probe
    call = model.calls[0]
    assert call.stream and call.purpose == "probe"
    assert KP.description in call.prompt and KP.probe in call.prompt and ANSWERS[0] in call.prompt


async def test_probe_that_states_the_answer_is_replaced_by_the_rubric_probe() -> None:
    leaking = "Don't you think L1 uses the sum of absolute values, which makes weights exactly zero?"
    seen: list[str] = []
    text = await LLMProber(FakeModel([leaking], chunk_size=5), BANK).probe(
        ProbeAsk(L1, TARGET, ANSWERS, []), seen.append
    )
    assert text == KP.probe
    assert "absolute" not in "".join(seen)  # the leaking words never reached the screen


async def test_a_phrase_the_candidate_already_said_is_not_a_leak() -> None:
    probe = "You mentioned the lasso: what does it do to the coefficients?"
    answers = ["L1 is also called the lasso."]
    assert await LLMProber(FakeModel([probe]), BANK).probe(ProbeAsk(L1, TARGET, answers, [])) == probe


async def test_empty_or_rambling_reply_falls_back() -> None:
    seen: list[str] = []
    prober = LLMProber(FakeModel(["  ", "Well. " * 200]), BANK)
    assert await prober.probe(ProbeAsk(L1, TARGET, ANSWERS, []), seen.append) == KP.probe
    assert seen == [KP.probe]  # nothing was shown before, so the stand-in's text is streamed
    assert await prober.probe(ProbeAsk(L1, TARGET, ANSWERS, [])) == KP.probe


async def test_repeated_probe_falls_back_to_an_unused_one() -> None:
    assert await LLMProber(FakeModel([GOOD_PROBE]), BANK).probe(ProbeAsk(L1, TARGET, ANSWERS, [GOOD_PROBE])) == KP.probe


async def test_clarify_streams_and_never_answers() -> None:
    rephrased = '"Could you explain, in your own words, how the two penalties differ?"'
    seen: list[str] = []
    model = FakeModel([rephrased, "Sure: the lasso uses the sum of absolute values."], chunk_size=9)
    prober = LLMProber(model, BANK)
    text = await prober.clarify(ClarifyAsk(L1, "what do you mean?", 0), seen.append)
    assert text == rephrased.strip('"') and "".join(seen).strip('"') == text
    assert model.calls[0].purpose == "clarify" and L1.alternatives[0] in model.calls[0].prompt
    offline = await OfflineProber(BANK).clarify(ClarifyAsk(L1, "", 1))
    assert await prober.clarify(ClarifyAsk(L1, "", 1)) == offline  # the rephrasing that answered is replaced


async def test_fallback_prober_on_model_error_and_over_budget() -> None:
    ledger = UsageLedger(max_cost=0.05)
    failing = FakeModel([ModelConnectionError("refused", hint="is `ollama serve` running?")])
    prober = FallbackProber(LLMProber(failing, BANK), OfflineProber(BANK), ledger)
    seen: list[str] = []
    assert await prober.probe(ProbeAsk(L1, TARGET, ANSWERS, []), seen.append) == KP.probe and seen == [KP.probe]
    assert any("ollama serve" in n for n in ledger.notices)

    paid = FakeModel(default=GOOD_PROBE, cost_per_call=0.05, ledger=ledger)
    prober = FallbackProber(LLMProber(paid, BANK), OfflineProber(BANK), ledger)
    assert await prober.probe(ProbeAsk(L1, TARGET, ANSWERS, [])) == GOOD_PROBE and ledger.over_budget
    assert await prober.probe(ProbeAsk(L1, TARGET, ANSWERS, [])) == KP.probe
    assert await prober.clarify(ClarifyAsk(L1, "", 0)) == await OfflineProber(BANK).clarify(ClarifyAsk(L1, "", 0))
    assert len(paid.calls) == 1  # over budget: the model is not called again


def test_leak_guard_and_cleaning() -> None:
    guard = LeakGuard.build(["sum of absolute values", "lasso", "l1"], allowed=["What is the difference between L1?"])
    assert guard.phrases == ("sum of absolute values", "lasso")
    assert guard.leaks("Is it the SUM  of absolute\nvalues?") and not guard.leaks("lassos are ropes")
    assert guard.holdback > len("sum of absolute values")
    assert clean_reply('Follow-up: "What would you expect?"') == "What would you expect?"


async def test_a_follow_up_cut_short_is_replaced_by_the_rubric_probe() -> None:
    """A truncated stream ("Could you say more about what you") is never the follow-up; the complete one is."""
    cut = "Could you say more about what you"
    seen: list[str] = []
    text = await LLMProber(FakeModel([cut], chunk_size=6), BANK).probe(ProbeAsk(L1, TARGET, ANSWERS, []), seen.append)
    assert text == KP.probe
    quoted = '"What would you expect the coefficients to look like after an L1 fit?"'
    assert await LLMProber(FakeModel([quoted]), BANK).probe(ProbeAsk(L1, TARGET, ANSWERS, [])) == quoted.strip('"')
