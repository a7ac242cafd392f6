"""The read model: the one view of a question (``question_view``) and the report of an interview that every
surface renders (the TUI's feedback and scorecard, plain mode, Markdown and JSON), with the symbols, labels and
serialisation they share. Services build reports (``interviewer.services.interview_report``); surfaces only render
them."""

from __future__ import annotations

from interviewer.report.build import build_report
from interviewer.report.labels import (
    MARKS,
    Mark,
    score_label,
    star_label,
    star_status,
    star_title,
    status_label,
    unscored_label,
)
from interviewer.report.markdown import to_markdown
from interviewer.report.model import REPORT_SCHEMA_VERSION, OverallOut, PreviousOut, Report, UsageOut
from interviewer.report.serialise import REPORT_FORMATS, render_report, report_json, report_schema, write_json
from interviewer.report.view import (
    KeyPointOut,
    MisconceptionOut,
    QuestionOut,
    StarItem,
    StarOut,
    feedback_view,
    question_view,
)

__all__ = [
    "MARKS",
    "REPORT_FORMATS",
    "REPORT_SCHEMA_VERSION",
    "KeyPointOut",
    "Mark",
    "MisconceptionOut",
    "OverallOut",
    "PreviousOut",
    "QuestionOut",
    "Report",
    "StarItem",
    "StarOut",
    "UsageOut",
    "build_report",
    "feedback_view",
    "question_view",
    "render_report",
    "report_json",
    "report_schema",
    "score_label",
    "star_label",
    "star_status",
    "star_title",
    "status_label",
    "to_markdown",
    "unscored_label",
    "write_json",
]
