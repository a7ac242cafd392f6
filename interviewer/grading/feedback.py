"""The words of a grade: its strengths, its gaps and one concrete tip, from what the grader found."""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.bank.schema import Question, StarRubric
from interviewer.domain.grades import KeyPointResult, MisconceptionFound, StarResult, Status
from interviewer.domain.phrasing import rubric_sentence
from interviewer.grading.gaps import Gap, importance, ranked_gaps
from interviewer.grading.thresholds import MAX_GAPS, MAX_STRENGTHS


def _label(name: str) -> str:
    """A STAR element's name as words ("quantified result")."""
    return name.replace("_", " ")


def strengths(results: Sequence[KeyPointResult], star: Sequence[StarResult]) -> list[str]:
    """The key points made, then the STAR elements shown (with their evidence), at most ``MAX_STRENGTHS``."""
    found = [rubric_sentence(r.description) for r in results if r.status is Status.HIT][:MAX_STRENGTHS]
    if len(found) < MAX_STRENGTHS:
        shown = [f"{_label(s.name)}: {s.quote}" for s in star if s.present and s.quote]
        found += shown[: MAX_STRENGTHS - len(found)]
    return found


def gaps(
    misconceptions: Sequence[MisconceptionFound],
    results: Sequence[KeyPointResult],
    star: Sequence[StarResult],
    rubric: StarRubric,
) -> list[str]:
    """The misconceptions asserted, the must-haves not made, the STAR elements missing, at most ``MAX_GAPS``."""
    out = [f"Misconception: {rubric_sentence(m.description)}" for m in misconceptions]
    out += [rubric_sentence(r.description) for r in results if r.status is not Status.HIT and r.required]
    out += [
        f"No clear {_label(s.name)}: {rubric_sentence(rubric.criterion(s.name).description)}"
        for s in star
        if not s.present
    ]
    return out[:MAX_GAPS]


def tip(
    question: Question,
    score: int,
    misconceptions: Sequence[MisconceptionFound],
    results: Sequence[KeyPointResult],
    star: Sequence[StarResult],
    rubric: StarRubric,
) -> str:
    """One concrete tip: about the gap a follow-up would aim at first."""
    present = {s.name: s.present for s in star}
    ranked = ranked_gaps(question, score, star=present, key_points=results, misconceptions=misconceptions)
    # Past the gaps a follow-up would target, the point made most thinly is still worth a tip.
    thin = sorted((r for r in results if r.status is not Status.HIT), key=importance)
    first = ranked[0] if ranked else Gap(thin[0].id, "key_point") if thin else None
    if first is None:
        return question.strong_answer[0] if question.strong_answer else "Keep answers this complete."
    if first.kind == "misconception":
        found = next(m for m in misconceptions if m.id == first.id)
        return found.correction or f"Revisit: {found.description}"
    if first.kind == "star":
        return f"Add the {_label(first.id)}: {rubric_sentence(rubric.criterion(first.id).description)}"
    point = next(r for r in results if r.id == first.id)
    return f"Also cover: {rubric_sentence(point.description)}"
