"""interviewer: a terminal-first, adaptive mock-interview coach for Machine Learning Engineer interviews.

The domain core lives here; it never imports Textual (the TUI is ``interviewer.tui``) and imports litellm only
inside ``interviewer.gateway.llm``, lazily.
"""

__version__ = "0.1.0"
