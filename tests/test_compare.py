"""What changed between two attempts at one question, on a hand-built pair."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, Group

from interviewer.bank import load_bank
from interviewer.bank.schema import Kind
from interviewer.compare import Comparison, answer_diff, compare, comparison_renderables
from interviewer.domain.grades import Grade, KeyPointResult, MisconceptionFound, StarResult, Status
from interviewer.storage.repo import NewTurn, Repository
from interviewer.testing.seed import seed_interview

if TYPE_CHECKING:
    from conftest import Cli

AT = datetime(2026, 11, 20, tzinfo=UTC)


def grade(
    score: int, points: dict[str, Status], star: dict[str, bool], misconceptions: tuple[str, ...], version: str = "1"
) -> Grade:
    return Grade(
        question_id="end_to_end_project",
        kind=Kind.BEHAVIORAL,
        score=score,
        key_points=[KeyPointResult(id=k, description=f"point {k}", status=s) for k, s in points.items()],
        star=[StarResult(name=n, present=p) for n, p in star.items()],
        misconceptions=[MisconceptionFound(id=m, description=f"mistake {m}") for m in misconceptions],
        grader="rubric",
        model="offline",
        rubric_version=version,
    )


BEFORE = grade(
    2,
    {"a": Status.MISSED, "b": Status.HIT, "c": Status.PARTIAL},
    {"action": True, "result": False, "reflection": True},
    ("m",),
)
AFTER = grade(
    4,
    {"a": Status.HIT, "b": Status.PARTIAL, "c": Status.PARTIAL},
    {"action": True, "result": True, "reflection": False},
    ("n",),
)


def test_gains_and_losses_of_a_hand_built_pair() -> None:
    c = compare("end_to_end_project", "iv1", AT, BEFORE, ["I built it."], AFTER, ["I built it and churn fell 3%."])
    assert (c.score_before, c.score_after, c.delta, c.comparable) == (2, 4, 2, True)
    assert [(g.kind, g.id, g.before, g.after) for g in c.gained] == [
        ("key_point", "a", "missed", "hit"),
        ("star", "result", "absent", "present"),
        ("misconception", "m", "asserted", "not asserted"),
    ]
    assert [(g.kind, g.id, g.before, g.after) for g in c.lost] == [
        ("key_point", "b", "hit", "partial"),
        ("star", "reflection", "present", "absent"),
        ("misconception", "n", "not asserted", "asserted"),
    ]


def test_the_answers_are_diffed_word_by_word() -> None:
    segments = [(s.op, s.text) for s in answer_diff("I built the model.", "I built and shipped the model fast.")]
    assert segments == [
        ("same", "I built"),
        ("added", "and shipped"),
        ("same", "the"),
        ("removed", "model."),
        ("added", "model fast."),
    ]


def test_another_grader_is_said() -> None:
    other = AFTER.model_copy(update={"rubric_version": "2"})
    c = compare("end_to_end_project", "iv1", AT, BEFORE, ["x"], other, ["y"])
    assert not c.comparable
    assert "another grader" in rendered(c)


def rendered(c: Comparison) -> str:
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(Group(*comparison_renderables(c)))
    return out.getvalue()


def test_the_comparison_reads_in_a_terminal_with_marks_that_need_no_colour() -> None:
    c = compare(
        "end_to_end_project", "iv1", AT, BEFORE, ["I built the model."], AFTER, ["I built and shipped the model."]
    )
    text = rendered(c)
    assert "score 2 → 4 (+2)" in text and "Gained: key point Point a (missed → hit)" in text
    assert "{+and shipped+}" in text
    hostile = compare("end_to_end_project", "iv1", AT, BEFORE, ["ok"], AFTER, ["ok \x1b]0;PWNED\x07 \u202eevil"])
    assert "\x1b" not in rendered(hostile) and "\u202e" not in rendered(hostile)


def test_the_last_attempt_is_the_newest_graded_answer_with_its_words(tmp_path: Path) -> None:
    bank = load_bank()
    repo = Repository.open(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        assert repo.last_attempt("end_to_end_project") is None
        first = seed_interview(repo, bank, [BEFORE])
        second = seed_interview(repo, bank, [AFTER])
        repo.commit_step(
            second,
            state={},
            status="completed",
            turns=[
                NewTurn("end_to_end_project", "interviewer", "question", "Tell me about a project."),
                NewTurn("end_to_end_project", "candidate", "answer", "I built it."),
                NewTurn("end_to_end_project", "interviewer", "probe", "What came of it?", 1),
                NewTurn("end_to_end_project", "candidate", "answer", "Churn fell 3%.", 1),
            ],
        )
        latest = repo.last_attempt("end_to_end_project")
        earlier = repo.last_attempt("end_to_end_project", exclude=second)
    finally:
        repo.close()
    assert latest is not None and earlier is not None
    assert (latest.interview_id, latest.grade.score, latest.answers) == (second, 4, ["I built it.", "Churn fell 3%."])
    assert (earlier.interview_id, earlier.grade.score, earlier.answers) == (first, 2, [])


def test_retry_as_a_user_shows_what_changed_and_stays_out_of_the_overall_trend(cli: Cli, tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text("Lasso zeroes weights out, ridge shrinks them.\n", encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text(
        "L1 adds the sum of absolute values of the weights to the loss and drives many exactly to zero, a sparse "
        "model; L2 adds the sum of squared weights and shrinks them all smoothly without zeroing them. Both are "
        "scaled by lambda, tuned by cross-validation.\n",
        encoding="utf-8",
    )
    lonely = cli.run("retry", "l1_vs_l2", "--answers", str(first), "--max-probes", "0")
    assert lonely.returncode == 0 and "first graded attempt" in lonely.stdout
    again = cli.run("retry", "l1_vs_l2", "--answers", str(second), "--max-probes", "0")
    assert again.returncode == 0, again.stderr
    assert "Compared with your last attempt" in again.stdout and "{+" in again.stdout
    progress = json.loads(cli.run("progress", "--json").stdout)
    assert progress["interviews"] == []  # retries count for their question only
    (question,) = progress["questions"]
    assert question["attempts"] == 2
    unknown = cli.run("retry", "nope")
    assert unknown.returncode == 1 and "no question with id 'nope'" in unknown.stderr
