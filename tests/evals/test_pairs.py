"""Minimal pairs: the dataset format (twin_of, expect, follow-ups, misconception gold) and what is measured on it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from interviewer.bank import load_bank
from interviewer.evals.dataset import FAILURE_CLASSES, DatasetError, builtin_dataset_path, load_dataset
from interviewer.evals.runner import run_model, summarize
from interviewer.grading.rubric_grader import RubricGrader

BANK = load_bank()
SWAP = "L1 regularization is Ridge regression: it adds the sum of squared weights. L2 is Lasso: absolute values."
RIGHT = "L1 regularization is Lasso regression: it adds the sum of absolute values. L2 is Ridge: squared weights."


def _write(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    return path


def _summary(path: Path) -> dict[str, Any]:
    dataset = load_dataset(path, BANK)
    run = asyncio.run(run_model(dataset, "offline", BANK, lambda _: RubricGrader(BANK), invariance=False))
    return summarize(run)


def test_pair_metrics_are_computed_from_twins(tmp_path: Path) -> None:
    lines: list[dict[str, object]] = [
        {"id": "b1", "question_id": "l1_vs_l2", "answer": RIGHT, "gold": {"score": 3, "misconceptions": []}},
        {
            "id": "t1",
            "question_id": "l1_vs_l2",
            "answer": SWAP,
            "gold": {"score": 2, "misconceptions": ["swapped_definitions"]},
            "tags": ["swapped_concepts"],
            "twin_of": "b1",
            "expect": ["lower", "swapped_definitions"],
        },
        {
            "id": "t2",
            "question_id": "l1_vs_l2",
            "answer": RIGHT + " Keywords: elastic net, laplace prior, gaussian prior, correlated features, l1 ratio.",
            "gold": {"score": 3, "misconceptions": []},
            "tags": ["stuffing"],
            "twin_of": "b1",
            "expect": "not_higher",
        },
    ]
    out = _summary(_write(tmp_path / "p.jsonl", lines))
    assert out["pair_n"] == 2
    assert out["pair_separation"] == 1.0
    assert out["pair_separation_swapped_concepts"] == 1.0
    assert out["stuffing_lift_max"] is not None and out["stuffing_lift_max"] <= 0
    assert out["false_misconception_rate"] == 0.0  # two items labeled free of misconceptions, none found


def test_a_twin_the_grader_cannot_tell_apart_counts_as_not_separated(tmp_path: Path) -> None:
    lines: list[dict[str, object]] = [
        {"id": "b1", "question_id": "l1_vs_l2", "answer": RIGHT, "gold": {"score": 3}},
        {
            "id": "t1",
            "question_id": "l1_vs_l2",
            "answer": RIGHT,
            "gold": {"score": 2},
            "tags": ["swapped_concepts"],
            "twin_of": "b1",
            "expect": "lower",
        },
    ]
    assert _summary(_write(tmp_path / "p.jsonl", lines))["pair_separation"] == 0.0


def test_follow_ups_are_graded_with_the_answer(tmp_path: Path) -> None:
    story = (
        "At a subscription box company I owned the churn model end to end. I built the features in Spark, trained a "
        "gradient-boosting model against a baseline, and shipped it as a daily batch job. Churn in the targeted group "
        "fell from 11% to 8% over the next quarter."
    )
    star = {"situation": True, "task": True, "action": True, "result": True}
    lines: list[dict[str, object]] = [
        {"id": "b", "question_id": "end_to_end_project", "answer": story, "gold": {"score": 4, "star": star}},
        {
            "id": "t",
            "question_id": "end_to_end_project",
            "answer": story,
            "follow_ups": [
                {
                    "probe": "What would you do differently?",
                    "answer": "I would involve the retention "
                    "team from the first week, since we lost a month redefining churn.",
                }
            ],
            "gold": {"score": 4, "star": {**star, "reflection": True}},
            "tags": ["reflection_in_follow_up"],
            "twin_of": "b",
            "expect": "reflection",
        },
    ]
    lines[0]["gold"] = {"score": 4, "star": {**star, "reflection": False}}
    assert _summary(_write(tmp_path / "p.jsonl", lines))["pair_separation"] == 1.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"twin_of": "nope"}, "no other line"),
        ({"expect": "not_an_id"}, "neither a score expectation"),
        ({"expect": []}, "twin_of and expect"),
    ],
)
def test_bad_twins_are_errors_naming_the_line(tmp_path: Path, change: dict[str, object], message: str) -> None:
    twin: dict[str, object] = {
        "id": "t",
        "question_id": "l1_vs_l2",
        "answer": SWAP,
        "gold": {"score": 2},
        "twin_of": "b",
        "expect": "lower",
    }
    twin.update(change)
    lines: list[dict[str, object]] = [
        {"id": "b", "question_id": "l1_vs_l2", "answer": RIGHT, "gold": {"score": 3}},
        twin,
    ]
    with pytest.raises(DatasetError, match=message) as err:
        load_dataset(_write(tmp_path / "p.jsonl", lines), BANK)
    assert "line 2" in str(err.value)


def test_the_shipped_pairs_cover_every_question_and_class() -> None:
    dataset = load_dataset(builtin_dataset_path("pairs"), BANK)
    twins = [i for i in dataset.items if i.twin_of]
    assert len(twins) >= 80
    per_question = {q: sum(1 for t in twins if t.question.id == q) for q in BANK.ids}
    assert min(per_question.values()) >= 4
    per_class = {c: sum(1 for t in twins if t.failure_class == c) for c in FAILURE_CLASSES if c != "control"}
    assert min(per_class.values()) >= 8, per_class
