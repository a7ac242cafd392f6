"""Progress as terminal tables with sparklines (``interviewer progress``; the TUI's Progress screen shows the same
tables beside its charts). Rich renders them; every string shown came through ``textsafe.printable``."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from interviewer.domain.phrasing import as_words, short_label
from interviewer.progress import Progress, SeriesProgress, sparkline, trend_text

OTHER_MARK = "*"
"""Marks a value graded by another grader or rubric version than its series' latest."""
SHOWN_INTERVIEWS = 10
SHOWN_RECURRING = 12


def _line(series: SeriesProgress) -> str:
    """The series' sparkline; points graded unlike the latest are left out (and the row is marked)."""
    return sparkline([p.score for p in series.points if not p.other_grader])


def series_table(title: str, rows: Sequence[SeriesProgress], *, ids: bool) -> Table:
    table = Table(title=title, title_justify="left")
    if ids:
        table.add_column("question")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("topic" if ids else "", "left"),
        ("attempts", "right"),
        ("latest", "right"),
        ("best", "right"),
        ("trend", "right"),
        ("scores", "left"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for s in rows:
        mark = f" {OTHER_MARK}" if s.mixed else ""
        cells: list[RenderableType] = [
            Text(s.title + mark),
            str(s.attempts),
            f"{s.latest:g}",
            f"{s.best:g}",
            trend_text(s.trend),
            _line(s),
        ]
        table.add_row(*([s.id] if ids else []), *cells)
    return table


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def progress_renderables(progress: Progress) -> list[RenderableType]:
    """Everything ``interviewer progress`` prints, in order."""
    if not progress.interviews and not progress.questions:
        return [Text("No graded interviews yet. Start one with `interviewer run`.")]
    out: list[RenderableType] = []
    overall = [i.overall for i in progress.interviews if not i.other_grader]
    head = Table(title="Overall score per interview", title_justify="left")
    for column in ("date", "interview", "questions", "score", "grader"):
        head.add_column(column)
    for i in progress.interviews[-SHOWN_INTERVIEWS:]:
        mark = f" {OTHER_MARK}" if i.other_grader else ""
        head.add_row(f"{i.at:%Y-%m-%d %H:%M}", i.interview_id, str(i.questions), f"{i.overall:.1f}", i.grader + mark)
    shown = min(SHOWN_INTERVIEWS, len(progress.interviews))
    out.append(head)
    if overall:
        count = _count(len(progress.interviews), "interview")
        out.append(Text(f"{count} (last {shown} listed)   {sparkline(overall, width=60)}"))
    out.append(series_table("By question", progress.questions, ids=True))
    out.append(series_table("By topic", progress.topics, ids=False))
    if progress.star:
        out.append(star_table(progress))
    if progress.recurring:
        out.append(recurring_table(progress))
    note = other_grader_note(progress)
    if note is not None:
        out.append(note)
    return out


def star_table(progress: Progress) -> Table:
    """How often each STAR component was present in the behavioral answers."""
    star = Table(title="STAR components present (behavioral answers)", title_justify="left")
    for column in ("component", "present", "share"):
        star.add_column(column)
    for rate in progress.star:
        star.add_row(as_words(rate.component), f"{rate.present}/{rate.of}", f"{rate.share:.0%}")
    return star


def recurring_table(progress: Progress, limit: int = SHOWN_RECURRING) -> Table:
    """The gaps that keep coming back, most frequent first."""
    gaps = Table(title="Keeps coming back", title_justify="left")
    for column in ("question", "kind", "item", "seen"):
        gaps.add_column(column)
    for r in progress.recurring[:limit]:
        gaps.add_row(r.question_id, as_words(r.kind), Text(short_label(r.description)), f"{r.count}/{r.of}")
    return gaps


def other_grader_note(progress: Progress) -> Text | None:
    """What ``*`` means, when some value is marked with it."""
    if any(s.mixed for s in (*progress.questions, *progress.topics)) or any(
        i.other_grader for i in progress.interviews
    ):
        return Text(
            f"{OTHER_MARK} graded by another grader (offline vs a model) or rubric version than the latest: "
            "left out of best, trend and the sparklines."
        )
    return None


def progress_group(progress: Progress) -> Group:
    return Group(*progress_renderables(progress))
