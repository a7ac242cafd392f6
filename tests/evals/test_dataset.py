"""Dataset files: validation with line numbers, inline questions, the SAF adapter, and the shipped dataset."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from interviewer.bank import load_bank
from interviewer.evals.dataset import DatasetError, builtin_dataset_path, load_dataset, load_saf, open_dataset

BANK = load_bank()
SAF = Path(__file__).resolve().parents[3] / "shared" / "data" / "saf" / "validation.jsonl"


def _write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "a", "question_id": "l1_vs_l2", "answer": "L1 is sparse.", "gold": {"score": 3}, "note": "ignored"}


def test_valid_lines_and_unknown_keys(tmp_path: Path) -> None:
    inline = {
        "id": "b",
        "question": {"text": "Why TCP?", "kind": "technical", "reference_answer": "Reliable.", "max_score": 2},
        "answer": "x",
        "gold": {"score": 1.5},
        "tags": ["t"],
    }
    ds = load_dataset(_write(tmp_path, GOOD, inline), BANK)
    assert ds.name == "d" and [i.id for i in ds.items] == ["a", "b"]
    assert ds.items[1].gold_score == pytest.approx(1 + 4 * 1.5 / 2) and ds.items[1].gold_level == 4
    assert ds.items[1].question.reference_only


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ({**GOOD, "id": "a"}, "line 2: id 'a' already used on line 1"),
        ({k: v for k, v in GOOD.items() if k != "id"}, "line 2: id: Field required"),
        ({**GOOD, "id": "c", "question_id": "nope"}, "line 2: question_id: no question 'nope'"),
        ({**GOOD, "id": "c", "gold": {"score": 7}}, "line 2: gold.score 7 is outside 1..5"),
        ({**GOOD, "id": "c", "question": {"text": "q", "kind": "technical"}}, "exactly one of question_id"),
        (
            {"id": "c", "question": {"text": "q", "kind": "technical"}, "answer": "x", "gold": {"score": 2}},
            "line 2: question: an inline technical question needs a reference_answer",
        ),
        ({**GOOD, "id": "c", "gold": {"score": 3, "star": {"situation": True}}}, "line 2: gold.star.task"),
    ],
)
def test_bad_lines_name_their_line(tmp_path: Path, second: object, message: str) -> None:
    with pytest.raises(DatasetError) as info:
        load_dataset(_write(tmp_path, GOOD, second), BANK)
    assert message in str(info.value)


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError):
        load_dataset(tmp_path / "nope.jsonl", BANK)
    (tmp_path / "e.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="no items"):
        load_dataset(tmp_path / "e.jsonl", BANK)


def test_saf_adapter_on_a_small_file(tmp_path: Path) -> None:
    rows = [
        {
            "id": "1",
            "question": "Q1",
            "reference_answer": "R1",
            "provided_answer": "a",
            "score": 2.5,
            "verification_feedback": "Correct",
        },
        {
            "id": "2",
            "question": "Q1",
            "reference_answer": "R1",
            "provided_answer": "b",
            "score": 1.0,
            "verification_feedback": "Partially correct",
        },
        {
            "id": "3",
            "question": "Q2",
            "reference_answer": "R2",
            "provided_answer": "c",
            "score": 0.0,
            "verification_feedback": "Incorrect",
        },
        {
            "id": "4",
            "question": "Q2",
            "reference_answer": "R2",
            "provided_answer": "d",
            "score": 1.0,
            "verification_feedback": "Correct",
        },
    ]
    path = tmp_path / "saf.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    ds = open_dataset(f"saf:{path}", BANK)
    assert ds.name == "saf"
    assert [round(i.gold_score, 3) for i in ds.items] == [5.0, round(1 + 4 * 1.0 / 2.5, 3), 1.0, 5.0]
    assert ds.items[1].tags == ("partially_correct",)


@pytest.mark.skipif(not SAF.is_file(), reason="the SAF benchmark file (shared/data/saf) is not beside this checkout")
def test_real_saf_file_loads() -> None:
    ds = load_saf(SAF, BANK)
    assert len(ds.items) == 427
    assert all(1 <= i.gold_score <= 5 for i in ds.items)


@pytest.mark.parametrize(
    ("name", "size"), [("interview_answers", 150), ("holdout_answers", 150), ("fresh_answers", 40)]
)
def test_shipped_datasets_meet_the_labeling_guide(name: str, size: int) -> None:
    ds = load_dataset(builtin_dataset_path(name), BANK)
    assert len(ds.items) >= size
    levels = collections.defaultdict(set)
    for item in ds.items:
        levels[item.question.id].add(item.gold_level)
    assert set(levels) == set(BANK.ids)
    assert all(v == {1, 2, 3, 4, 5} for v in levels.values())
    tags = collections.Counter(t for i in ds.items for t in i.tags)
    adversarial = (
        "keyword_stuffing",
        "confident_wrong",
        "verbose_empty",
        "off_topic",
        "copy_question",
        "short_correct",
    )
    voices = ("terse", "rambling", "non_native", "structured", "conversational")
    if name != "fresh_answers":  # 50 answers, five a question: traps chosen by the writer, not the full list
        assert all(tags[tag] >= 1 for tag in adversarial), tags
    assert all(tags[tag] >= 4 for tag in voices), tags
    for item in ds.items:
        question = BANK.get(item.question.id)
        names = {kp.id for kp in question.key_points} | {m.id for m in question.misconceptions}
        if question.kind.value == "behavioral":
            assert item.gold_star is not None
            names |= {"situation", "task", "action", "result", "ownership", "quantified_result", "reflection"}
        if item.gold_level < 5:
            assert item.gold_missing, item.id
        if name != "interview_answers":  # written with exact names only
            assert set(item.gold_missing) <= names, item.id


def test_the_shipped_sets_share_no_answer() -> None:
    sets = [
        {i.answer for i in load_dataset(builtin_dataset_path(name), BANK).items}
        for name in ("interview_answers", "holdout_answers", "fresh_answers", "pairs", "pairs_second", "pairs_third")
    ]
    for k, one in enumerate(sets):
        for other in sets[k + 1 :]:
            assert not one & other


@pytest.mark.parametrize(("name", "twins_written"), [("pairs_second", 36), ("pairs_third", 40)])
def test_the_later_pairs_sets_cover_every_question_and_class(name: str, twins_written: int) -> None:
    """``pairs_second`` and ``pairs_third`` (each written blind on 2026-11-30, see LABELING.md): every twin has its
    base, every question and every failure class is there, and behavioral lines carry full STAR gold."""
    items = load_dataset(builtin_dataset_path(name), BANK).items
    twins = [i for i in items if i.twin_of]
    assert len(items) == 2 * twins_written and len(twins) == twins_written
    assert {i.twin_of for i in twins} == {i.id for i in items if not i.twin_of}
    assert {i.question.id for i in items} == {q.id for q in BANK.questions}
    assert set(collections.Counter(i.failure_class for i in twins)) == {
        "swapped_concepts",
        "wrong_method",
        "rejected_mistake",
        "control",
        "stuffing",
        "outcome_removed",
        "hypothetical",
        "reflection_in_follow_up",
    }
    assert all(i.gold_star is not None for i in items if i.question.kind == "behavioral")


def test_unknown_builtin_dataset_is_a_clear_error() -> None:
    with pytest.raises(DatasetError, match="built-in dataset 'nope' is missing"):
        builtin_dataset_path("nope")
