"""Screens of the interviewer TUI, one per file."""
