"""Progress exported as a document to keep: Markdown (tables) or a self-contained HTML page (the same tables and
inline SVG charts). Every string from the database goes through ``textsafe.printable`` and is then escaped for the
format: Markdown table cells by ``md_cell``, HTML by Jinja2's autoescape."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from interviewer.domain.phrasing import as_words, short_label
from interviewer.progress import Point, Progress, SeriesProgress, trend_text
from interviewer.textsafe import printable

OTHER_MARK = "*"
LEGEND = (
    "graded by another grader (offline vs a model) or another rubric version than the latest: "
    "kept out of best and trend, and drawn as a separate series."
)
EMPTY = "No graded interviews yet. Start one with `interviewer run`."
FORMATS = ("text", "md", "html", "json")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!~])")


def md_cell(value: object) -> str:
    """``value`` as the text of one Markdown table cell: printable, on one line, with Markdown punctuation
    backslash-escaped (a pipe cannot end the cell, a backtick cannot open code) and ``<``, ``>``, ``&`` as entities
    (no HTML tag or entity survives)."""
    text = printable(str(value))
    text = " ".join(text.split())  # newlines and tabs end table rows: one line
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], *, right: Sequence[int] = ()) -> list[str]:
    align = ["---:" if n in right else "---" for n in range(len(header))]
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def _mark(flag: bool) -> str:
    return f" {OTHER_MARK}" if flag else ""


def scores_text(points: Sequence[Point]) -> str:
    """Every score of a series, oldest first; one graded unlike the latest carries the mark."""
    return " → ".join(f"{p.score:g}{OTHER_MARK if p.other_grader else ''}" for p in points)


def _any_other(progress: Progress) -> bool:
    return any(i.other_grader for i in progress.interviews) or any(
        s.mixed for s in (*progress.questions, *progress.topics)
    )


def _series_rows(rows: Sequence[SeriesProgress], *, ids: bool) -> list[list[object]]:
    return [
        [
            *([s.id] if ids else []),
            s.title + _mark(s.mixed),
            s.kind,
            s.attempts,
            f"{s.latest:g}",
            f"{s.best:g}",
            trend_text(s.trend),
            scores_text(s.points),
        ]
        for s in rows
    ]


def _row_sets(progress: Progress) -> dict[str, Any]:
    """The tables both formats show, as rows of plain values (escaped by the format)."""
    series_head = ["attempts", "latest", "best", "trend", "scores"]
    return {
        "interviews": (
            ["date", "interview", "questions", "score", "grader"],
            [
                [f"{i.at:%Y-%m-%d %H:%M}", i.interview_id, i.questions, f"{i.overall:.1f}", i.grader + _mark(other)]
                for i in progress.interviews
                for other in (i.other_grader,)
            ],
        ),
        "questions": (["question", "topic", "kind", *series_head], _series_rows(progress.questions, ids=True)),
        "topics": (["topic", "kind", *series_head], _series_rows(progress.topics, ids=False)),
        "star": (
            ["component", "present", "share"],
            [[as_words(r.component), f"{r.present}/{r.of}", f"{r.share:.0%}"] for r in progress.star],
        ),
        "recurring": (
            ["question", "kind", "item", "seen"],
            [
                [r.question_id, as_words(r.kind), short_label(r.description), f"{r.count}/{r.of}"]
                for r in progress.recurring
            ],
        ),
    }


def to_markdown(progress: Progress, *, now: datetime | None = None) -> str:
    """Progress as a Markdown document of tables."""
    stamp = f"{(now or datetime.now(UTC)):%Y-%m-%d %H:%M} UTC"
    lines = ["# Interview practice progress", "", f"Exported {stamp}.", ""]
    if not progress.interviews and not progress.questions:
        return "\n".join([*lines, EMPTY, ""])
    tables = _row_sets(progress)
    sections = (
        ("Overall score per interview", "interviews", (2, 3)),
        ("By question", "questions", (3, 4, 5, 6)),
        ("By topic", "topics", (2, 3, 4, 5)),
        ("STAR components present (behavioral answers)", "star", (1, 2)),
        ("Keeps coming back", "recurring", (3,)),
    )
    for title, key, right in sections:
        header, rows = tables[key]
        if not rows:
            continue
        lines += [f"## {title}", "", *_table(header, rows, right=right), ""]
    if _any_other(progress):
        lines += [f"\\{OTHER_MARK} {LEGEND}", ""]
    return "\n".join(lines)


def to_html(progress: Progress, *, now: datetime | None = None) -> str:
    """Progress as one self-contained HTML page: the same tables, and the charts as inline SVG."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    from interviewer.progress_charts import overall_chart, series_chart
    from interviewer.resources import PACKAGE_DIR

    def finalize(value: object) -> object:
        # Everything printed passes through printable first; the SVG charts are markup already (escaped by pygal).
        return printable(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    env = Environment(
        loader=FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    overall = overall_chart(progress)
    return env.get_template("progress.html.j2").render(
        stamp=f"{(now or datetime.now(UTC)):%Y-%m-%d %H:%M} UTC",
        empty=not progress.interviews and not progress.questions,
        empty_text=EMPTY,
        tables=_row_sets(progress),
        overall_chart=Markup(overall) if overall else None,
        question_charts=[(s, Markup(series_chart(s))) for s in progress.questions],
        other=_any_other(progress),
        mark=OTHER_MARK,
        legend=LEGEND,
    )


def render_progress(progress: Progress, fmt: str, *, width: int = 120) -> str:
    """Progress in one of ``FORMATS``: ``text`` (the terminal tables, without colour), ``md``, ``html``, ``json``."""
    if fmt == "md":
        return to_markdown(progress)
    if fmt == "html":
        return to_html(progress)
    if fmt == "json":
        import json

        return json.dumps(progress.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        import io

        from rich.console import Console

        from interviewer.progress_text import progress_group

        out = io.StringIO()
        Console(file=out, width=width, color_system=None, soft_wrap=False).print(progress_group(progress))
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
