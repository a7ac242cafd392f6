"""The ``interviewer`` command line.

Every command is thin: it parses options, calls the core, prints. Heavy modules (the TUI, the engine, litellm) are
imported inside the commands that need them, so ``interviewer questions`` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from interviewer import __version__
from interviewer.errors import BankError, InterviewerError

app = typer.Typer(
    name="interviewer",
    help="An adaptive mock-interview coach for Machine Learning Engineer interviews. Runs offline by default.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
bank_app = typer.Typer(help="Check question banks.", add_completion=False, no_args_is_help=True)
config_app = typer.Typer(help="Show the settings and where they come from.", add_completion=False, no_args_is_help=True)
app.add_typer(bank_app, name="bank")
app.add_typer(config_app, name="config")

BankOption = Annotated[
    Path | None,
    typer.Option("--bank", help="A question bank of your own: a YAML file or a folder of them.", show_default=False),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"interviewer {__version__}")
        raise typer.Exit


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Start the interview app when no command is given."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


@app.command()
def questions(
    bank: BankOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole bank as one JSON object.")] = False,
) -> None:
    """List the questions of the bank: id, kind, topic and text."""
    from interviewer.bank import load_bank

    loaded = load_bank(bank)
    if as_json:
        typer.echo(json.dumps(loaded.to_json(), indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Question bank {loaded.version} ({loaded.hash[:12]})", expand=False)
    for column in ("id", "kind", "topic", "question"):
        table.add_column(column, overflow="fold")
    for q in loaded.questions:
        table.add_row(q.id, q.kind.value, q.topic, q.text)
    Console().print(table)


@bank_app.command("validate")
def bank_validate(
    path: Annotated[Path, typer.Argument(help="A bank file or a folder of them.", show_default=False)],
) -> None:
    """Check a bank: exit 0 when valid; otherwise print one line per problem (file, question, field) and exit 1."""
    from interviewer.bank.loader import bank_files, validate_files

    try:
        files = bank_files(path)
    except BankError as exc:
        typer.echo(exc.one_line(), err=True)
        raise typer.Exit(1) from None
    loaded, problems = validate_files(files)
    for problem in problems:
        typer.echo(problem.one_line(), err=True)
    if problems:
        raise typer.Exit(1)
    count = sum(len(lf.content.questions) for lf in loaded)
    typer.echo(f"OK: {len(loaded)} file(s), {count} question(s)")


@config_app.command("path")
def config_path() -> None:
    """Print where the settings file is (it need not exist)."""
    from interviewer import paths

    typer.echo(str(paths.config_file()))


@config_app.command("show")
def config_show() -> None:
    """Print the settings in effect (secrets hidden)."""
    from interviewer.settings import load_settings

    settings = load_settings()
    data = settings.model_dump(mode="json")
    if data.get("api_key"):
        data["api_key"] = "***"
    data["db"] = settings.db_url()
    typer.echo(json.dumps(data, indent=2))


def main() -> None:
    """Entry point of the ``interviewer`` script: user-facing errors become a message and exit status 1."""
    try:
        app()
    except InterviewerError as exc:
        typer.echo(exc.user_message(), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
