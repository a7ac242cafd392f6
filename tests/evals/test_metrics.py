"""Metrics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from interviewer.evals import metrics as mt


def test_to_level_rounds_half_up() -> None:
    assert [mt.to_level(x) for x in (1.0, 1.49, 1.5, 2.5, 3.5, 4.5, 5.0, 0.2, 7)] == [1, 1, 2, 3, 4, 5, 5, 1, 5]


def test_qwk_by_hand() -> None:
    # gold 1,2,3 vs pred 1,2,4. Observed disagreement: one item off by 1 -> weight (1/4)^2 = 1/16, mean over 3
    # items = 1/48. Expected under independence: marginals gold {1,2,3}, pred {1,2,4}, each 1/3:
    # sum_ij (1/9) * ((i-j)/4)^2 over i in {1,2,3}, j in {1,2,4} = (1/9)(1/16)(0+1+9+1+0+4+4+1+1) = 21/144.
    expected = 1 - (1 / 48) / (21 / 144)
    assert mt.qwk([1, 2, 3], [1, 2, 4]) == pytest.approx(expected)
    assert mt.qwk([1, 2, 3, 4], [1, 2, 3, 4]) == pytest.approx(1.0)
    assert mt.qwk([3], [3]) is None


def test_agreement_by_hand() -> None:
    gold, pred = [1.0, 2.0, 3.0, 5.0], [1.0, 3.0, 5.0, 5.0]
    assert mt.mae(gold, pred) == pytest.approx((0 + 1 + 2 + 0) / 4)
    assert mt.exact(gold, pred) == pytest.approx(0.5)
    assert mt.within_one(gold, pred) == pytest.approx(0.75)
    assert mt.confusion(gold, pred)[1][2] == 1 and mt.confusion(gold, pred)[4][4] == 1


def test_spearman_by_hand_and_undefined() -> None:
    # ranks gold 1,2,3,4 ; pred 1,3,2,4 -> d^2 = 0+1+1+0 = 2 ; rho = 1 - 6*2/(4*15) = 0.8
    assert mt.spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    assert mt.spearman([1, 2, 3], [2, 2, 2]) is None  # constant: not NaN


def test_star_precision_recall() -> None:
    gold = [{"situation": True, "task": True, "action": True, "result": False}] * 2
    pred = [{"situation": True, "task": False, "action": True, "result": True}] * 2
    scores = mt.star_scores(gold, pred)
    assert scores["task"].recall == 0.0 and scores["situation"].f1 == 1.0
    assert scores["result"].precision == 0.0 and scores["result"].recall is None  # no gold positives
    # micro: tp = 4 (situation, action x2), fp = 2 (result), fn = 2 (task)
    assert scores["micro"].precision == pytest.approx(4 / 6) and scores["micro"].recall == pytest.approx(4 / 6)


def test_target_matching() -> None:
    assert mt.target_matches("result", (), ["result"])
    assert mt.target_matches(
        "l1_abs_sparsity", ("sparse model", "built-in feature selection"), ["sparsity / feature selection"]
    )
    assert mt.target_matches("elastic_net_and_tuning", (), ["elastic net and tuning"])
    assert not mt.target_matches("why_geometry", ("diamond constraint region",), ["correlated features"])


def test_injection_lift_and_length_bias() -> None:
    assert mt.injection_lift([(3, 3), (2, 4)]) == (1.0, 2.0)
    assert mt.injection_lift([]) == (None, None)
    rho = mt.length_bias([3, 3, 3, 3], [2, 3, 4, 5], [10, 20, 30, 40])
    assert rho is not None and math.isclose(rho, 1.0)
