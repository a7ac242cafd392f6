"""The report as text for a file or a pipe: JSON (one way, for the CLI, plain mode and the TUI's export) or
Markdown, and the JSON Schema of the JSON."""

from __future__ import annotations

import json
from typing import IO, Any

from interviewer.report.markdown import to_markdown
from interviewer.report.model import Report

REPORT_FORMATS = ("md", "json")
"""What `render_report` writes: Markdown or JSON."""


def report_json(report: Report) -> str:
    """The report as JSON (indented, not ASCII-escaped, ending with a newline). A richer view of a question (a
    subclass with more fields) is written whole."""
    return json.dumps(report.model_dump(mode="json", serialize_as_any=True), indent=2, ensure_ascii=False) + "\n"


def render_report(report: Report, fmt: str) -> str:
    """The report as Markdown (``md``) or JSON (``json``)."""
    return report_json(report) if fmt == "json" else to_markdown(report)


def write_json(report: Report, out: IO[str]) -> None:
    """Write the report as JSON to ``out`` (``--json``)."""
    out.write(report_json(report))
    out.flush()


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report."""
    return Report.model_json_schema()
