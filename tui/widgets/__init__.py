"""Widgets of the interviewer TUI, one per file."""
