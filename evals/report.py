"""What an evals run shows: the summary table, the JSON object, and a Markdown or HTML report with the confusion
matrix drawn, per-tag metrics, and the items where grader and gold differ by two levels or more."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from interviewer.domain.grades import Status
from interviewer.domain.phrasing import display_quote
from interviewer.evals.dataset import FAILURE_CLASSES
from interviewer.evals.runner import ModelRun, disagreements

JSON_KEYS = (
    "model", "dataset", "n", "qwk", "spearman", "mae", "exact", "within_one", "star_f1", "probe_target_accuracy",
    "injection_lift_max", "consistency", "seconds", "cost_usd",
)  # fmt: skip


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


_ROWS = (
    ("n", "items", 0), ("qwk", "quadratic weighted kappa", 3), ("spearman", "Spearman", 3), ("mae", "MAE", 3),
    ("exact", "exact agreement", 3), ("within_one", "within one level", 3), ("star_f1", "STAR F1", 3),
    ("probe_target_accuracy", "probe target accuracy", 3), ("injection_lift_max", "injection lift (max)", 2),
    ("pair_separation", "pair separation", 3), ("pair_n", "pairs", 0),
    *((f"pair_separation_{c}", f"  pairs: {c.replace('_', ' ')}", 3) for c in FAILURE_CLASSES),
    ("stuffing_lift_max", "stuffing lift (max)", 2), ("false_misconception_rate", "false misconception rate", 3),
    ("mean_score_keyword_stuffing", "mean score: keyword stuffing", 2),
    ("mean_score_confident_wrong", "mean score: confident wrong", 2),
    ("mean_score_off_topic", "mean score: off topic", 2),
    ("length_bias", "length bias (rho)", 3), ("consistency", "consistency", 3), ("invariance", "invariance", 3),
    ("fallbacks", "offline fallbacks", 0), ("fallback_share", "share fallen back", 3),
    ("reask_share", "share re-asked", 3), ("seconds", "seconds", 1), ("cost_usd", "cost (USD)", 4),
)  # fmt: skip


def summary_table(results: list[dict[str, Any]]) -> Table:
    """Metrics down, runs across: several models compare side by side, and it fits 80 columns."""
    table = Table(title="Grading quality")
    table.add_column("metric")
    for r in results:
        table.add_column(f"{r['dataset']}\n{r['model']}", justify="right")
    for key, label, digits in _ROWS:
        table.add_row(label, *(_fmt(r.get(key), digits) if digits else _fmt(r.get(key)) for r in results))
    return table


def print_summary(results: list[dict[str, Any]], console: Console) -> None:
    console.print(summary_table(results))


def to_json(results: list[dict[str, Any]]) -> str:
    """The one JSON object ``evals --json`` prints: the documented keys first, then the rest."""
    ordered = [
        {**{k: r.get(k) for k in JSON_KEYS}, **{k: v for k, v in r.items() if k not in JSON_KEYS}} for r in results
    ]
    return json.dumps({"results": ordered}, indent=2, allow_nan=False)


def _confusion_md(matrix: list[list[int]]) -> list[str]:
    lines = ["| gold \\ grader | 1 | 2 | 3 | 4 | 5 |", "|---|---|---|---|---|---|"]
    for level, row in enumerate(matrix, start=1):
        cells = [f"**{v}**" if i + 1 == level else str(v) for i, v in enumerate(row)]
        lines.append(f"| {level} | " + " | ".join(cells) + " |")
    return lines


def _evidence(run_row: Any) -> str:
    grade = run_row.grades[0]
    parts = []
    for kp in grade.key_points:
        if kp.status is not Status.MISSED:
            parts.append(f"{kp.id}={kp.status.value}" + (f" (“{display_quote(kp.quote, 80)}”)" if kp.quote else ""))
    for s in grade.star:
        if s.present:
            parts.append(f"{s.name}✓")
    for m in grade.misconceptions:
        parts.append(f"misconception {m.id}" + (f" (“{display_quote(m.quote, 80)}”)" if m.quote else ""))
    return "; ".join(parts) or "nothing found"


def markdown_report(runs: list[ModelRun], results: list[dict[str, Any]]) -> str:
    lines = ["# Grading quality report", ""]
    lines += [
        "| dataset | model | n | qwk | spearman | mae | exact | within one | STAR F1 | probe target | "
        "injection lift max | consistency | invariance |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['dataset']} | {r['model']} | {r['n']} | {_fmt(r['qwk'])} | {_fmt(r['spearman'])} | "
            f"{_fmt(r['mae'])} | {_fmt(r['exact'])} | {_fmt(r['within_one'])} | {_fmt(r['star_f1'])} | "
            f"{_fmt(r['probe_target_accuracy'])} | {_fmt(r['injection_lift_max'], 2)} | {_fmt(r['consistency'])} | "
            f"{_fmt(r['invariance'])} |"
        )
    for run, r in zip(runs, results, strict=True):
        lines += ["", f"## {r['dataset']} — {r['model']}", "", "### Confusion matrix", ""]
        lines += _confusion_md(r["confusion"])
        lines += [
            "",
            "### Per tag",
            "",
            "| tag | n | qwk | mae | exact | mean gold | mean score |",
            "|---|---|---|---|---|---|---|",
        ]
        for tag, m in r["per_tag"].items():
            lines.append(
                f"| {tag} | {m['n']} | {_fmt(m['qwk'])} | {_fmt(m['mae'])} | {_fmt(m['exact'])} | "
                f"{_fmt(m['mean_gold'], 2)} | {_fmt(m['mean_score'], 2)} |"
            )
        worst = disagreements(run)
        lines += ["", f"### Grader and gold differ by 2 or more ({len(worst)})", ""]
        for row in worst[:50]:
            answer = " ".join(row.item.answer.split())
            lines.append(
                f"- **{row.item.id}** gold {row.item.gold_score:g}, grader {row.score:g} "
                f"[{', '.join(row.item.tags)}]: {answer[:240]}{'…' if len(answer) > 240 else ''}  "
            )
            lines.append(f"  evidence: {_evidence(row)}")
        if run.failures:
            lines += ["", "### Failures", ""] + [f"- {i}: {e}" for i, e in run.failures]
    return "\n".join(lines) + "\n"


def html_report(runs: list[ModelRun], results: list[dict[str, Any]]) -> str:
    body = []
    for run, r in zip(runs, results, strict=True):
        body.append(f"<h2>{html.escape(r['dataset'])} — {html.escape(r['model'])}</h2>")
        body.append("<table class='m'><tr>" + "".join(f"<th>{k}</th>" for k in (
            "n", "qwk", "spearman", "mae", "exact", "within one", "STAR F1", "probe target", "injection lift max"
        )) + "</tr><tr>" + "".join(f"<td>{_fmt(r[k])}</td>" for k in (
            "n", "qwk", "spearman", "mae", "exact", "within_one", "star_f1", "probe_target_accuracy",
            "injection_lift_max")) + "</tr></table>")  # fmt: skip
        top = max(1, *(max(row) for row in r["confusion"]))
        cells = []
        for level, row in enumerate(r["confusion"], start=1):
            tds = "".join(f"<td style='background: rgba(40,120,200,{v / top:.2f})'>{v}</td>" for v in row)
            cells.append(f"<tr><th>{level}</th>{tds}</tr>")
        body.append(
            "<h3>Confusion matrix (rows: gold, columns: grader)</h3><table class='c'><tr><th></th>"
            + "".join(f"<th>{i}</th>" for i in range(1, 6))
            + "</tr>"
            + "".join(cells)
            + "</table>"
        )
        body.append(
            "<h3>Per tag</h3><table class='m'><tr><th>tag</th><th>n</th><th>qwk</th><th>mae</th>"
            "<th>mean gold</th><th>mean score</th></tr>"
            + "".join(
                f"<tr><td>{html.escape(t)}</td><td>{m['n']}</td><td>{_fmt(m['qwk'])}</td>"
                f"<td>{_fmt(m['mae'])}</td><td>{_fmt(m['mean_gold'], 2)}</td><td>{_fmt(m['mean_score'], 2)}"
                "</td></tr>"
                for t, m in r["per_tag"].items()
            )
            + "</table>"
        )
        worst = disagreements(run)
        body.append(f"<h3>Grader and gold differ by 2 or more ({len(worst)})</h3><ul>")
        for row in worst[:50]:
            body.append(
                f"<li><b>{html.escape(row.item.id)}</b> gold {row.item.gold_score:g}, grader {row.score:g}: "
                f"{html.escape(row.item.answer[:300])}<br><small>{html.escape(_evidence(row))}</small></li>"
            )
        body.append("</ul>")
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Grading quality</title><style>{style}</style>"
        f"</head><body><h1>Grading quality report</h1>{''.join(body)}</body></html>\n"
    )


def write_report(path: Path, runs: list[ModelRun], results: list[dict[str, Any]]) -> None:
    text = html_report(runs, results) if path.suffix.lower() in (".html", ".htm") else markdown_report(runs, results)
    path.write_text(text, encoding="utf-8")
