"""What the Progress screen's charts plot, as plain values (no plotext here: the widget that draws them is imported
only when the screen has its data, off the event loop).

A chart keeps the points graded like the series' latest apart from those graded by another grader or rubric version
(``other_grader`` in ``interviewer.progress``): they are drawn with another marker and colour, in the legend, and the
line joins only the comparable ones. Charts are bounded: the last ``CHART_POINTS`` points of a series are drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewer.progress import InterviewProgress, Point, SeriesProgress

CHART_POINTS = 60
"""At most this many points (the newest) on a chart, whatever the number of interviews."""
TICKS = 5
"""Date labels on the x axis, at most."""
OTHER_LABEL = "* other grader or rubric"


@dataclass(frozen=True)
class Chart:
    """A score series to draw: x is the attempt's number in the whole series (1 is the first ever)."""

    title: str
    comparable: tuple[tuple[int, float], ...]
    """Points graded like the latest one: joined by a line."""
    other: tuple[tuple[int, float], ...]
    """Points graded by another grader or rubric version: marked apart, never joined to the line."""
    label: str
    """Who graded the comparable points (the latest grader)."""
    ticks: tuple[tuple[int, str], ...]
    total: int
    shown: int

    @property
    def empty(self) -> bool:
        return not self.comparable and not self.other


def _ticks(numbered: Sequence[tuple[int, datetime]]) -> tuple[tuple[int, str], ...]:
    if not numbered:
        return ()
    step = max(1, -(-len(numbered) // TICKS))
    picked = list(numbered[::step])
    if picked[-1] != numbered[-1] and len(picked) >= TICKS:
        picked[-1] = numbered[-1]
    elif picked[-1] != numbered[-1]:
        picked.append(numbered[-1])
    return tuple((n, f"{at.astimezone():%m-%d}") for n, at in picked)


def _chart(title: str, rows: Sequence[tuple[float, datetime, bool]], label: str, limit: int) -> Chart:
    total = len(rows)
    first = max(0, total - limit)
    numbered = [(first + k + 1, row) for k, row in enumerate(rows[first:])]
    shown = len(numbered)
    heading = title if shown == total else f"{title} (last {shown} of {total})"
    return Chart(
        title=heading,
        comparable=tuple((n, score) for n, (score, _, other) in numbered if not other),
        other=tuple((n, score) for n, (score, _, other) in numbered if other),
        label=label,
        ticks=_ticks([(n, at) for n, (_, at, _) in numbered]),
        total=total,
        shown=shown,
    )


def interviews_chart(interviews: Sequence[InterviewProgress], limit: int = CHART_POINTS) -> Chart:
    """The overall score per interview (retries left out, as in ``interviewer progress``)."""
    rows = [(i.overall, i.at, i.other_grader) for i in interviews]
    label = f"graded {interviews[-1].grader}" if interviews else ""
    return _chart("Overall score per interview", rows, label, limit)


def series_chart(series: SeriesProgress, limit: int = CHART_POINTS) -> Chart:
    """A question's (or a topic's) scores over time."""
    points: Sequence[Point] = series.points
    rows = [(p.score, p.at, p.other_grader) for p in points]
    label = f"graded {points[-1].grader}" if points else ""
    return _chart(f"{series.id} · {series.title}", rows, label, limit)
