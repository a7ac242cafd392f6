"""Progress charts as inline SVG (pygal), for the HTML export: the overall score per interview and each question's
scores over time. Points graded by another grader or rubric version are their own, labelled series: never joined to
the latest grader's line. Every label went through ``textsafe.printable``; pygal writes the SVG with an XML
serializer, which escapes text and attributes. The SVG carries no script and no external reference."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from interviewer.progress import Point, Progress, SeriesProgress
from interviewer.textsafe import printable

if TYPE_CHECKING:
    import pygal

CHART_WIDTH = 720
CHART_HEIGHT = 300
MAX_LABELS = 12
"""At most this many x labels are written (a long history keeps every point, with fewer dates under it)."""


def _chart(title: str, labels: Sequence[str]) -> pygal.Line:
    import pygal
    from pygal.style import CleanStyle

    chart = pygal.Line(
        title=printable(title),
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        range=(1, 5),
        include_x_axis=False,
        js=[],  # no script from a CDN: the page is self-contained
        style=CleanStyle,
        x_label_rotation=30,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, -(-len(labels) // MAX_LABELS)),
        legend_at_bottom=True,
        truncate_legend=60,
        no_data_text="no data",
    )
    chart.x_labels = [printable(label) for label in labels]
    return chart


def _svg(chart: pygal.Line) -> str:
    """The chart's SVG, without the configuration script pygal always adds (nothing here runs)."""
    import xml.etree.ElementTree as ET

    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ET.tostring(tree, encoding="unicode")


def _split(points: Sequence[Point]) -> list[tuple[str, list[float | None]]]:
    """One series per (grader, rubric version), the latest's first; each has a value only where it graded."""
    keys: list[tuple[str, str]] = []
    for p in reversed(points):
        if (p.grader, p.rubric_version) not in keys:
            keys.append((p.grader, p.rubric_version))
    out = []
    for n, (grader, version) in enumerate(keys):
        name = printable(grader) if n == 0 else f"another grader: {printable(grader)}, rubric {printable(version)}"
        values: list[float | None] = [
            p.score if (p.grader, p.rubric_version) == (grader, version) else None for p in points
        ]
        out.append((name, values))
    return out


def overall_chart(progress: Progress) -> str | None:
    """The overall score per interview (None without interviews)."""
    if not progress.interviews:
        return None
    chart = _chart("Overall score per interview", [f"{i.at:%Y-%m-%d}" for i in progress.interviews])
    latest = progress.interviews[-1].grader
    graders = [latest] + [g for g in dict.fromkeys(i.grader for i in progress.interviews) if g != latest]
    for n, grader in enumerate(graders):
        name = printable(grader) if n == 0 else f"another grader: {printable(grader)}"
        chart.add(name, [i.overall if i.grader == grader else None for i in progress.interviews])
    return _svg(chart)


def series_chart(series: SeriesProgress) -> str:
    """A question's (or topic's) scores over time."""
    chart = _chart(f"{series.id}: {series.title}", [f"{p.at:%Y-%m-%d}" for p in series.points])
    for name, values in _split(series.points):
        chart.add(name, values)
    return _svg(chart)
