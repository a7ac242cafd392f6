"""The report as Markdown: the header with the overall scores, what to take away, then question by question."""

from __future__ import annotations

from interviewer.report.labels import MARKS, score_label, star_label, star_status
from interviewer.report.model import Report
from interviewer.report.view import QuestionOut, StarOut
from interviewer.textsafe import printable


def to_markdown(report: Report) -> str:
    """The report as Markdown."""
    lines = _header(report)
    for title, items in (
        ("Strongest points", report.strongest),
        ("Weakest points", report.weakest),
        ("Next steps", report.next_steps),
    ):
        lines += ["", f"## {title}", ""] + [f"{i}. {item}" for i, item in enumerate(items, 1)]
    for n, q in enumerate(report.questions, 1):
        lines += question_markdown(n, q)
    return printable("\n".join(lines).rstrip() + "\n")  # no control or bidirectional character


def _header(report: Report) -> list[str]:
    o = report.overall
    lines = [f"# Mock interview report `{report.interview_id}`", ""]
    lines.append(f"- Date: {report.created_at:%Y-%m-%d %H:%M} UTC  ")
    lines.append(f"- Model: {report.model} ({report.mode} mode){' (ended early)' if report.ended_early else ''}  ")
    lines.append(f"- **Overall: {o.score:.1f} / 5** ({o.answered} answered, {o.skipped} skipped)  ")
    if o.behavioral is not None:
        lines.append(f"- Behavioral: {o.behavioral:.1f} / 5  ")
    if o.technical is not None:
        lines.append(f"- Technical: {o.technical:.1f} / 5  ")
    if report.change_since_last is not None:
        lines.append(f"- Change since the last interview: {report.change_since_last:+.1f}  ")
    return lines


def question_markdown(n: int, q: QuestionOut) -> list[str]:
    """One question's section: its answers, then what was found in them."""
    lines = ["", f"## {n}. {q.text}", "", f"*{q.kind.value}, {q.topic}* — **{score_label(q, spaced=True)}**", ""]
    lines += _answers(q)
    if q.star:
        lines += _star(q.star)
    for kp in q.key_points:
        quote = f" — “{kp.quote}”" if kp.quote else ""
        lines.append(f"- {MARKS[kp.status].symbol} {kp.description}{quote}")
    for m in q.misconceptions:
        quote = f" (“{m.quote}”)" if m.quote else ""
        lines.append(f"- ⚠ {m.description}{quote} — {m.correction}")
    if q.tip:
        lines += ["", f"**Tip:** {q.tip}"]
    if q.strong_answer:
        lines += ["", "**A strong answer covers:**", *[f"- {s}" for s in q.strong_answer]]
    for label, text in q.extras():
        lines += ["", f"**{label}:** {text}"]
    return lines


def _answers(q: QuestionOut) -> list[str]:
    """Each answer as a quoted block under what it answered (the question, then each follow-up)."""
    lines: list[str] = []
    prompts = ["Answer", *[f"Follow-up: {p}" for p in q.probes]]
    for label, answer in zip(prompts, q.answers, strict=False):
        lines += [f"**{label}**", ""]
        lines += [f"> {line}" if line else ">" for line in answer.splitlines()]
        lines.append("")
    return lines


def _star(star: StarOut) -> list[str]:
    marks = ", ".join(f"{s.name} {MARKS[star_status(s.present)].symbol}" for s in star.items())
    lines = [f"STAR: {marks}", ""]
    evidence = star.evidence()
    lines += [f"- {', '.join(star_label(n) for n in names)}: “{quote}”" for quote, names in evidence.items()]
    return lines + ([""] if evidence else [])
