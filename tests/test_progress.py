"""Progress over time: values checked against hand-computed ones, with 0, 1 and many interviews and mixed graders."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from interviewer.bank import load_bank
from interviewer.domain.grades import Grade
from interviewer.progress import Progress, build_progress, sparkline
from interviewer.progress_text import progress_group
from interviewer.storage.repo import GradedInterview, Repository
from interviewer.testing import grades
from interviewer.testing.seed import seed_interview

if TYPE_CHECKING:
    from conftest import Cli

BANK = load_bank()
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
VERSION = BANK.rubric_version(BANK.get("l1_vs_l2"))


technical = partial(grades.technical, BANK)
behavioral = partial(grades.behavioral, BANK)


def interview(n: int, *grades: Grade, overall: float | None = None) -> GradedInterview:
    scores = [g.score for g in grades]
    mean = sum(scores) / len(scores) if scores else None
    return GradedInterview(
        id=f"iv{n}",
        created_at=T0 + timedelta(days=n),
        status="completed",
        overall_score=overall if overall is not None else mean,
        grades={g.question_id: g for g in grades},
    )


def rendered(progress: Progress) -> str:
    out = io.StringIO()
    Console(file=out, width=140, color_system=None).print(progress_group(progress))
    return out.getvalue()


def test_no_interviews_yet() -> None:
    progress = build_progress([], BANK)
    assert (progress.interviews, progress.questions, progress.topics, progress.star, progress.recurring) == ([],) * 5
    assert "No graded interviews yet" in rendered(progress)


def test_one_interview() -> None:
    progress = build_progress([interview(1, technical(3))], BANK)
    assert "1 interview (last 1 listed)" in rendered(progress)
    (q,) = progress.questions
    assert (q.id, q.attempts, q.latest, q.best, q.trend, q.mixed) == ("l1_vs_l2", 1, 3.0, 3.0, None, False)
    assert [i.overall for i in progress.interviews] == [3.0]
    assert progress.star == [] and progress.recurring == []


def test_many_interviews_against_hand_computed_values() -> None:
    history = [
        interview(1, technical(2, missed=("why_geometry", "correlated_features")), behavioral(2, result=False)),
        interview(2, technical(4, missed=("correlated_features",)), behavioral(4, result=True)),
        interview(3, technical(3, missed=("why_geometry",), misconceptions=("l2_produces_sparsity",))),
    ]
    progress = build_progress(history, BANK)
    l1 = next(q for q in progress.questions if q.id == "l1_vs_l2")
    assert (l1.attempts, l1.latest, l1.best, l1.trend) == (3, 3.0, 4.0, -1.0)
    assert [p.score for p in l1.points] == [2.0, 4.0, 3.0]
    conflict = next(q for q in progress.questions if q.id == "teammate_conflict")
    assert (conflict.attempts, conflict.latest, conflict.best, conflict.trend) == (2, 4.0, 4.0, 2.0)
    # Overall per interview: the stored overall score, oldest first.
    assert [(i.interview_id, i.overall) for i in progress.interviews] == [("iv1", 2.0), ("iv2", 4.0), ("iv3", 3.0)]
    # STAR: two behavioral answers, a result in one of them.
    result = next(r for r in progress.star if r.component == "result")
    assert (result.present, result.of, result.share) == (1, 2, 0.5)
    situation = next(r for r in progress.star if r.component == "situation")
    assert (situation.present, situation.of) == (2, 2)
    # Gaps seen in at least two answers to their question come back; one seen once does not.
    seen = {(r.question_id, r.kind, r.item_id): (r.count, r.of) for r in progress.recurring}
    assert seen[("l1_vs_l2", "key_point", "why_geometry")] == (2, 3)
    assert seen[("l1_vs_l2", "key_point", "correlated_features")] == (2, 3)
    assert seen[("teammate_conflict", "star", "reflection")] == (2, 2)
    assert ("l1_vs_l2", "misconception", "l2_produces_sparsity") not in seen
    text = rendered(progress)
    assert "l1_vs_l2" in text and "↓ -1" in text and sparkline([2, 4, 3]) in text


def test_a_topic_is_the_mean_of_its_questions_per_interview() -> None:
    topic = BANK.get("l1_vs_l2").topic
    same_topic = [q.id for q in BANK.questions if q.topic == topic]
    history = [interview(1, technical(2)), interview(2, technical(4))]
    progress = build_progress(history, BANK)
    series = next(t for t in progress.topics if t.id == topic)
    assert [p.score for p in series.points] == [2.0, 4.0] and series.trend == 2.0
    assert same_topic  # the topic comes from the bank


def test_a_retry_counts_for_its_question_not_for_the_overall_trend() -> None:
    retry = GradedInterview(
        id="retry1",
        created_at=T0 + timedelta(days=3),
        status="completed",
        overall_score=5.0,
        grades={"l1_vs_l2": technical(5)},
        retry=True,
    )
    progress = build_progress([interview(1, technical(2)), interview(2, technical(3)), retry], BANK)
    assert [i.interview_id for i in progress.interviews] == ["iv1", "iv2"]
    (q,) = progress.questions
    assert (q.attempts, q.latest, q.best, q.trend) == (3, 5.0, 5.0, 2.0)


def test_points_graded_by_another_grader_are_marked_never_mixed() -> None:
    history = [
        interview(1, technical(2)),
        interview(2, technical(5, model="ollama_chat/llama3.2")),
        interview(3, technical(3)),
    ]
    progress = build_progress(history, BANK)
    (q,) = progress.questions
    assert [(p.grader, p.other_grader) for p in q.points] == [
        ("offline", False),
        ("model:ollama_chat/llama3.2", True),
        ("offline", False),
    ]
    # The model's 5 is not the best offline score, and a trend across graders is not computed.
    assert (q.best, q.trend, q.mixed) == (3.0, None, True)
    assert [i.other_grader for i in progress.interviews] == [False, True, False]
    text = rendered(progress)
    by_question = text.split("By question")[1].split("By topic")[0]
    assert f"{q.title} *" in by_question
    assert "graded by another grader" in text


def test_a_different_rubric_version_is_marked_too() -> None:
    old = technical(4).model_copy(update={"rubric_version": "0.9+deadbeef"})
    progress = build_progress([interview(1, old), interview(2, technical(3))], BANK)
    (q,) = progress.questions
    assert [p.other_grader for p in q.points] == [True, False] and q.best == 3.0


def test_hostile_text_from_the_database_is_made_safe() -> None:
    grade = technical(2, missed=("why_geometry",))
    hostile = grade.model_copy(
        update={
            "key_points": [
                k.model_copy(update={"description": "evil \x1b]0;PWNED\x07 \u202etext"}) for k in grade.key_points
            ]
        }
    )
    progress = build_progress([interview(1, hostile), interview(2, hostile)], BANK)
    assert all("\x1b" not in r.description and "\u202e" not in r.description for r in progress.recurring)


def test_five_hundred_interviews_stay_bounded() -> None:
    history = [interview(n, technical(1 + n % 5)) for n in range(500)]
    progress = build_progress(history, BANK)
    assert len(progress.interviews) == 500 and progress.questions[0].attempts == 500
    text = rendered(progress)
    assert "500 interviews (last 10 listed)" in text
    assert max(len(line) for line in text.splitlines()) <= 140


def test_the_repository_gives_the_final_grade_of_each_question(tmp_path: Path) -> None:
    repo = Repository.open(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        ids = [seed_interview(repo, BANK, [technical(first)], [technical(final)]) for first, final in ((2, 3), (4, 5))]
        history = repo.graded_history()
    finally:
        repo.close()
    assert [h.id for h in history] == ids
    assert [h.grades["l1_vs_l2"].score for h in history] == [3, 5]
    assert [q.latest for q in build_progress(history, BANK).questions] == [5.0]


def test_progress_command_as_a_user(cli: Cli, tmp_path: Path) -> None:
    empty = cli.run("progress")
    assert empty.returncode == 0 and "No graded interviews yet" in empty.stdout
    answers = tmp_path / "a.txt"
    answers.write_text("Lasso zeroes weights out, ridge shrinks them.\n", encoding="utf-8")
    for _ in range(2):
        assert cli.run("run", "--answers", str(answers), "--question", "l1_vs_l2").returncode == 0
    data = json.loads(cli.run("progress", "--json").stdout)
    assert len(data["interviews"]) == 2
    (question,) = data["questions"]
    assert question["id"] == "l1_vs_l2" and question["attempts"] == 2 and question["trend"] == 0.0
    table = cli.run("progress")
    assert table.returncode == 0 and "By question" in table.stdout and "l1_vs_l2" in table.stdout
