"""What changed between two attempts at one question: the score, the key points and STAR components gained and lost,
the misconceptions dropped or new, and the two answers side by side with the difference marked.

Two grades compare only as far as the same rubric graded them: a grade by another grader or rubric version is still
compared, and the comparison says so (``comparable``), as the progress view does."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict
from rich.console import RenderableType

from interviewer.domain.grades import GapKind, Grade, Status
from interviewer.domain.phrasing import as_words, short_label
from interviewer.progress import grader_label
from interviewer.textsafe import printable

if TYPE_CHECKING:
    from interviewer.storage.repo import Repository

_RANK = {Status.MISSED: 0, Status.PARTIAL: 1, Status.HIT: 2}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Change(_Out):
    """A rubric item whose status moved: ``before`` and ``after`` are ``missed``/``partial``/``hit`` (key points),
    ``absent``/``present`` (STAR), ``asserted``/``not asserted`` (misconceptions)."""

    kind: GapKind
    id: str
    description: str
    before: str
    after: str


class Segment(_Out):
    """A run of words of the two answers: ``same``, ``removed`` (only before), ``added`` (only now)."""

    op: str
    text: str


class Comparison(_Out):
    question_id: str
    previous_interview: str
    previous_at: datetime
    score_before: int
    score_after: int
    comparable: bool
    """Both grades come from the same kind of grader and rubric version."""
    gained: list[Change]
    lost: list[Change]
    answer_diff: list[Segment]

    @property
    def delta(self) -> int:
        return self.score_after - self.score_before


def compare(
    question_id: str,
    previous_interview: str,
    previous_at: datetime,
    before: Grade,
    before_answers: Sequence[str],
    after: Grade,
    after_answers: Sequence[str],
) -> Comparison:
    """How ``after`` differs from ``before`` (both grades of ``question_id``)."""
    gained: list[Change] = []
    lost: list[Change] = []
    for changes in (
        _key_point_changes(before, after),
        _star_changes(before, after),
        _misconception_changes(before, after),
    ):
        gained.extend(changes[0])
        lost.extend(changes[1])
    return Comparison(
        question_id=question_id,
        previous_interview=previous_interview,
        previous_at=previous_at,
        score_before=before.score,
        score_after=after.score,
        comparable=(grader_label(before), before.rubric_version) == (grader_label(after), after.rubric_version),
        gained=gained,
        lost=lost,
        answer_diff=answer_diff("\n\n".join(before_answers), "\n\n".join(after_answers)),
    )


_Changes = tuple[list[Change], list[Change]]
"""What was gained and what was lost."""


def _key_point_changes(before: Grade, after: Grade) -> _Changes:
    """Key points whose status moved up (gained) or down (lost)."""
    gained: list[Change] = []
    lost: list[Change] = []
    old_points = {k.id: k for k in before.key_points}
    for point in after.key_points:
        old = old_points.get(point.id)
        if old is None or old.status == point.status:
            continue
        change = Change(
            kind="key_point",
            id=point.id,
            description=printable(point.description),
            before=old.status.value,
            after=point.status.value,
        )
        (gained if _RANK[point.status] > _RANK[old.status] else lost).append(change)
    return gained, lost


def _star_changes(before: Grade, after: Grade) -> _Changes:
    """STAR components now present (gained) or now absent (lost)."""
    gained: list[Change] = []
    lost: list[Change] = []
    old_star = before.star_map()
    for name, present in after.star_map().items():
        if name in old_star and old_star[name] != present:
            change = Change(
                kind="star",
                id=name,
                description=as_words(name),
                before="present" if old_star[name] else "absent",
                after="present" if present else "absent",
            )
            (gained if present else lost).append(change)
    return gained, lost


def _misconception_changes(before: Grade, after: Grade) -> _Changes:
    """Misconceptions no longer asserted (gained) or newly asserted (lost)."""
    old_mis = {m.id: m for m in before.misconceptions}
    new_mis = {m.id: m for m in after.misconceptions}
    gained = [
        _misconception(mid, old_mis[mid].description, "asserted", "not asserted")
        for mid in old_mis.keys() - new_mis.keys()
    ]
    lost = [
        _misconception(mid, new_mis[mid].description, "not asserted", "asserted")
        for mid in new_mis.keys() - old_mis.keys()
    ]
    return gained, lost


@dataclass(frozen=True)
class Retried:
    """A retried question, graded: what changed against the last attempt before it (None: there was none)."""

    comparison: Comparison | None


def compare_retry(repo: Repository, interview_id: str, question_id: str) -> Retried | None:
    """How the answer to ``question_id`` in interview ``interview_id`` (a retry) compares with the newest graded
    attempt before it; None when this interview has no grade for it (skipped)."""
    now = repo.last_attempt(question_id)
    if now is None or now.interview_id != interview_id:
        return None
    before = repo.last_attempt(question_id, exclude=interview_id)
    if before is None:
        return Retried(None)
    return Retried(
        compare(
            question_id, before.interview_id, before.created_at, before.grade, before.answers, now.grade, now.answers
        )
    )


def _misconception(mid: str, description: str, before: str, after: str) -> Change:
    return Change(kind="misconception", id=mid, description=printable(description), before=before, after=after)


def answer_diff(before: str, after: str) -> list[Segment]:
    """The two answers word by word: runs kept, removed and added (whitespace normalised)."""
    old, new = printable(before).split(), printable(after).split()
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment(op="same", text=" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment(op="removed", text=" ".join(old[i1:i2])))
        if j2 > j1:
            out.append(Segment(op="added", text=" ".join(new[j1:j2])))
    return out


def comparison_renderables(comparison: Comparison) -> list[RenderableType]:
    """The comparison for the terminal: the score, what was gained and lost, and the two answers side by side (removed
    words ``[-struck-]`` on the left, added ones ``{+bold+}`` on the right, so the marks survive without colour)."""
    from rich.table import Table
    from rich.text import Text

    sign = f"{comparison.delta:+d}" if comparison.delta else "±0"
    head = (
        f"Compared with your last attempt ({comparison.previous_at:%Y-%m-%d}, interview "
        f"{comparison.previous_interview}): score {comparison.score_before} → {comparison.score_after} ({sign})"
    )
    out: list[RenderableType] = [Text(head, style="bold")]
    if not comparison.comparable:
        out.append(Text("(graded by another grader or rubric version then: compare with care)"))
    for title, changes in (("Gained", comparison.gained), ("Lost", comparison.lost)):
        for change in changes:
            what = f"{change.kind.replace('_', ' ')} {short_label(change.description)}"
            out.append(Text(f"{title}: {what} ({change.before} → {change.after})"))
    if not comparison.gained and not comparison.lost:
        out.append(Text("No rubric item changed."))
    table = Table("before", "now", expand=True)
    before, now = Text(), Text()
    for segment in comparison.answer_diff:
        if segment.op == "same":
            before.append(segment.text + " ")
            now.append(segment.text + " ")
        elif segment.op == "removed":
            before.append(f"[-{segment.text}-] ", style="strike red")
        else:
            now.append(f"{{+{segment.text}+}} ", style="bold green")
    table.add_row(before, now)
    out.append(table)
    return out
