"""What was found in one answer: score, STAR components or key points (with the quoted evidence), misconceptions,
a tip, and what a strong answer covers. Used after each question (coach mode) and on the scorecard."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from interviewer.domain.grades import STAR_NAMES, StarResult
from interviewer.domain.phrasing import display_quote
from interviewer.engine.session import Feedback
from interviewer.report import QuestionOut
from interviewer.textsafe import printable
from interviewer.tui.widgets.bullet import Bullet
from interviewer.tui.widgets.score_bar import bar_content

MARKS = {"hit": ("✓", "$text-success"), "partial": ("~", "$text-warning"), "missed": ("✗", "$text-error")}


@dataclass(frozen=True)
class Point:
    status: str
    """``hit``, ``partial`` or ``missed``."""
    description: str
    quote: str | None = None
    required: bool = True


@dataclass(frozen=True)
class Misread:
    description: str
    correction: str
    quote: str | None = None


@dataclass(frozen=True)
class FeedbackData:
    """Everything the view shows about one question, from a live grade or from a stored report."""

    topic: str
    kind: str
    text: str
    score: float | None
    star: list[Point] = field(default_factory=list)
    key_points: list[Point] = field(default_factory=list)
    misconceptions: list[Misread] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    tip: str = ""
    strong_answer: list[str] = field(default_factory=list)
    fallback: bool = False

    @classmethod
    def from_feedback(cls, item: Feedback) -> FeedbackData:
        grade, question = item.grade, item.question
        return cls(
            topic=question.topic,
            kind=question.kind.value,
            text=question.text,
            score=float(grade.score),
            star=[
                Point("hit" if s.present else "missed", _star_name(s.name), s.quote) for s in _star_order(grade.star)
            ],
            key_points=[Point(k.status.value, k.description, k.quote, k.required) for k in grade.key_points],
            misconceptions=[Misread(m.description, m.correction, m.quote) for m in grade.misconceptions],
            strengths=list(grade.strengths),
            gaps=list(grade.gaps),
            tip=grade.tip,
            strong_answer=list(question.strong_answer),
            fallback=grade.fallback,
        )

    @classmethod
    def from_report(cls, q: QuestionOut) -> FeedbackData:
        star: list[Point] = []
        if q.star is not None:
            for name in STAR_NAMES:
                present = bool(getattr(q.star, name))
                star.append(Point("hit" if present else "missed", _star_name(name), q.star.quotes.get(name)))
        return cls(
            topic=q.topic,
            kind=q.kind.value,
            text=q.text,
            score=q.score,
            star=star,
            key_points=[Point(k.status.value, k.description, k.quote, k.required) for k in q.key_points],
            misconceptions=[Misread(m.description, m.correction, m.quote) for m in q.misconceptions],
            strengths=list(q.strengths),
            gaps=list(q.gaps),
            tip=q.tip,
            strong_answer=list(q.strong_answer),
            fallback=q.fallback,
        )


def _star_order(items: list[StarResult]) -> list[StarResult]:
    order: dict[str, int] = {name: i for i, name in enumerate(STAR_NAMES)}
    return sorted(items, key=lambda s: order.get(s.name, len(order)))


def _star_name(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _quoted(body: Content, quote: str | None) -> Content:
    if not quote:
        return body
    return body + Content.from_markup("\n[i $text-muted]“$quote”[/]", quote=display_quote(printable(quote)))


def _point_bullets(points: list[Point]) -> list[Bullet]:
    bullets = []
    for point in points:
        mark, variable = MARKS.get(point.status, ("?", "$text-muted"))
        bonus = "" if point.required else " [$text-muted](bonus)[/]"
        body = Content.from_markup(f"$description{bonus}", description=printable(point.description))
        bullets.append(Bullet(Content.from_markup(f"[b {variable}]$mark[/]", mark=mark), _quoted(body, point.quote)))
    return bullets


def _simple(mark: str, items: list[str]) -> list[Bullet]:
    return [Bullet(Content.from_markup(mark), Content(printable(item))) for item in items]


def feedback_sections(data: FeedbackData) -> dict[str, list[Bullet]]:
    """The sections of the view (a section with nothing in it is not shown)."""
    sections: dict[str, list[Bullet]] = {}
    if data.tip:
        sections["Tip"] = _simple("[$text-accent]»[/]", [data.tip])
    if data.star:
        sections["STAR"] = _point_bullets(data.star)
    if data.key_points:
        sections["Key points"] = _point_bullets(data.key_points)
    if data.misconceptions:
        bullets = []
        for m in data.misconceptions:
            body = _quoted(Content(printable(m.description)), m.quote)
            if m.correction:
                body += Content.from_markup("\n[$text-success]→[/] $correction", correction=printable(m.correction))
            bullets.append(Bullet(Content.from_markup("[b $text-error]![/]"), body))
        sections["Misconceptions"] = bullets
    if data.strengths:
        sections["Strengths"] = _simple("[$text-success]+[/]", data.strengths)
    if data.gaps:
        sections["Gaps"] = _simple("[$text-warning]-[/]", data.gaps)
    if data.strong_answer:
        sections["A strong answer covers"] = _simple("[$text-accent]•[/]", data.strong_answer)
    return sections


class FeedbackView(Vertical):
    """One question's feedback: a heading with the score bar, then the sections."""

    DEFAULT_CSS = """
    FeedbackView { height: auto; }
    FeedbackView .fb-heading { text-style: bold; }
    FeedbackView .fb-section { color: $text-accent; text-style: bold; margin-top: 1; }
    FeedbackView Bullet { padding-left: 1; }
    """

    def __init__(self, data: FeedbackData, *, number: int | None = None, show_question: bool = True) -> None:
        super().__init__(classes="feedback-view")
        self.data = data
        self.number = number
        self.show_question = show_question

    def compose(self) -> ComposeResult:
        data = self.data
        prefix = f"{self.number}. " if self.number is not None else ""
        yield Static(
            Content.from_markup(
                "$prefix$topic [$text-muted]· $kind[/]", prefix=prefix, topic=printable(data.topic), kind=data.kind
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
