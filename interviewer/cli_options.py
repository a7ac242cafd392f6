"""Command-line options shared by ``interviewer`` and ``evals`` (typer annotations, defined once)."""

from __future__ import annotations

from typing import Annotated

import typer

ApiBaseOption = Annotated[
    str | None,
    typer.Option("--api-base", help="Base URL of an OpenAI-compatible or Ollama server.", show_default=False),
]
ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        envvar="INTERVIEWER_API_KEY",
        help="API key for an --api-base server that wants one (never stored or logged).",
        show_default=False,
        show_envvar=True,
    ),
]
