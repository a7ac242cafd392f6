"""What was found in one answer: score, STAR components or key points (with the quoted evidence), misconceptions,
a tip, and what a strong answer covers. Used after each question (coach mode) and on the scorecard; it renders the
question's view (``interviewer.report.QuestionOut``), built from a live grade or a stored report alike."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from interviewer.domain.grades import Status
from interviewer.domain.phrasing import display_quote
from interviewer.report import MARKS, QuestionOut, star_status, star_title
from interviewer.textsafe import printable
from interviewer.tui.widgets.bullet import Bullet
from interviewer.tui.widgets.score_bar import bar_content


@dataclass(frozen=True)
class _Point:
    """A key point or STAR component as a line of the view."""

    status: Status
    description: str
    quote: str | None = None
    required: bool = True


def _quoted(body: Content, quote: str | None) -> Content:
    if not quote:
        return body
    return body + Content.from_markup("\n[i $text-muted]“$quote”[/]", quote=display_quote(printable(quote)))


def _point_bullets(points: list[_Point]) -> list[Bullet]:
    bullets = []
    for point in points:
        mark, variable = MARKS[point.status].symbol, f"$text-{MARKS[point.status].tone}"
        bonus = "" if point.required else " [$text-muted](bonus)[/]"
        body = Content.from_markup(f"$description{bonus}", description=printable(point.description))
        bullets.append(Bullet(Content.from_markup(f"[b {variable}]$mark[/]", mark=mark), _quoted(body, point.quote)))
    return bullets


def _simple(mark: str, items: list[str]) -> list[Bullet]:
    return [Bullet(Content.from_markup(mark), Content(printable(item))) for item in items]


def _misconception_bullets(data: QuestionOut) -> list[Bullet]:
    bullets = []
    for m in data.misconceptions:
        body = _quoted(Content(printable(m.description)), m.quote)
        if m.correction:
            body += Content.from_markup("\n[$text-success]→[/] $correction", correction=printable(m.correction))
        bullets.append(Bullet(Content.from_markup("[b $text-error]![/]"), body))
    return bullets


def feedback_sections(data: QuestionOut) -> dict[str, list[Bullet]]:
    """The sections of the view (a section with nothing in it is not shown)."""
    sections: dict[str, list[Bullet]] = {}
    if data.tip:
        sections["Tip"] = _simple("[$text-accent]»[/]", [data.tip])
    if data.star:
        star = [_Point(star_status(s.present), star_title(s.name), s.quote) for s in data.star.items()]
        sections["STAR"] = _point_bullets(star)
    if data.key_points:
        sections["Key points"] = _point_bullets(
            [_Point(k.status, k.description, k.quote, k.required) for k in data.key_points]
        )
    if data.misconceptions:
        sections["Misconceptions"] = _misconception_bullets(data)
    if data.strengths:
        sections["Strengths"] = _simple("[$text-success]+[/]", data.strengths)
    if data.gaps:
        sections["Gaps"] = _simple("[$text-warning]-[/]", data.gaps)
    if data.strong_answer:
        sections["A strong answer covers"] = _simple("[$text-accent]•[/]", data.strong_answer)
    for label, text in data.extras():
        sections[label] = _simple("[$text-accent]•[/]", [text])
    return sections


class FeedbackView(Vertical):
    """One question's feedback: a heading with the score bar, then the sections."""

    DEFAULT_CSS = """
    FeedbackView { height: auto; }
    FeedbackView .fb-heading { text-style: bold; }
    FeedbackView .fb-section { color: $text-accent; text-style: bold; margin-top: 1; }
    FeedbackView Bullet { padding-left: 1; }
    """

    def __init__(self, data: QuestionOut, *, number: int | None = None, show_question: bool = True) -> None:
        super().__init__(classes="feedback-view")
        self.data = data
        self.number = number
        self.show_question = show_question

    def compose(self) -> ComposeResult:
        data = self.data
        prefix = f"{self.number}. " if self.number is not None else ""
        yield Static(
            Content.from_markup(
                "$prefix$topic [$text-muted]· $kind[/]",
                prefix=prefix,
                topic=printable(data.topic),
                kind=data.kind.value,
            ),
            classes="fb-heading",
        )
        if self.show_question:
            yield Static(Content.from_markup("[$text-muted]$text[/]", text=printable(data.text)), classes="fb-question")
        yield Static(bar_content(data.score, 20), classes="fb-score")
        if data.fallback:
            yield Static(
                Content.from_markup("[$text-warning]The model could not grade this answer; the offline grader did.[/]")
            )
        for title, bullets in feedback_sections(data).items():
            yield Static(title, classes="fb-section")
            yield from bullets
