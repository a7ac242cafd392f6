"""The Textual TUI (installed as ``interviewer.tui``). It talks to the core only through its public API."""
