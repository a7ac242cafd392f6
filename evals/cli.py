"""The ``evals`` command: measure how well the graders grade, offline, before a prompt, rubric or model changes."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from interviewer.cli_options import ApiBaseOption, ApiKeyOption

if TYPE_CHECKING:
    from interviewer.bank.loader import Bank
    from interviewer.evals.dataset import Dataset
    from interviewer.evals.runner import ModelRun
    from interviewer.settings import Settings

app = typer.Typer(
    name="evals",
    help="Measure grading quality against labeled answers (offline by default; several --model values compare "
    "side by side).",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command()
def main_command(
    dataset: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset",
            "-d",
            help="A JSONL dataset, or saf:PATH for the SAF benchmark (repeatable; "
            "default: the project's own labeled sets, interview_answers and holdout_answers).",
            show_default=False,
        ),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="A model to grade with; 'offline' is the rubric grader (repeatable).",
            show_default=False,
        ),
    ] = None,
    bank: Annotated[
        Path | None, typer.Option("--bank", help="Question bank (default: the shipped one).", show_default=False)
    ] = None,
    repeat: Annotated[int, typer.Option("--repeat", min=1, max=20, help="Grade each item N times (consistency).")] = 1,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=64, help="Gradings at once.")] = 8,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse cached model responses.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout, nothing else.")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a Markdown (.md) or HTML (.html) report.", show_default=False)
    ] = None,
    thresholds: Annotated[
        Path | None,
        typer.Option(
            "--thresholds", help="TOML of minimum/maximum metrics; exit 1 when one is breached.", show_default=False
        ),
    ] = None,
    api_base: ApiBaseOption = None,
    api_key: ApiKeyOption = None,
) -> None:
    """Grade labeled answers with each model and print agreement with the gold labels."""
    from interviewer.bank.loader import load_bank
    from interviewer.evals.dataset import BUILTIN_DATASETS, builtin_dataset_path, open_dataset
    from interviewer.evals.thresholds import load_thresholds
    from interviewer.settings import load_settings

    console = Console(stderr=True) if as_json else Console()
    settings = load_settings(bank=bank, api_base=api_base, api_key=api_key)
    gate = load_thresholds(thresholds) if thresholds else None
    the_bank = load_bank(settings.bank)
    specs = dataset or [str(builtin_dataset_path(name)) for name in BUILTIN_DATASETS]
    datasets = [open_dataset(spec, the_bank) for spec in specs]
    runs = _run_all(
        datasets,
        model or ["offline"],
        the_bank,
        settings,
        repeat=repeat,
        concurrency=concurrency,
        cache=cache,
        transient=as_json,
    )
    _show(runs, console, as_json=as_json, report=report, gate=gate)


def _run_all(
    datasets: list[Dataset],
    models: list[str],
    bank: Bank,
    settings: Settings,
    *,
    repeat: int,
    concurrency: int,
    cache: bool,
    transient: bool,
) -> list[ModelRun]:
    """Run every model over every dataset, with one progress bar per run on stderr."""
    from interviewer.evals.models import grader_factory
    from interviewer.evals.runner import run_model

    runs: list[ModelRun] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=transient,
    ) as progress:
        for ds in datasets:
            for name in models:
                factory, ledger = grader_factory(name, bank, settings, cache=cache)
                per_item = repeat + 1  # the repeats plus the invariance variant
                task = progress.add_task(f"{ds.name} · {name}", total=len(ds.items) * per_item)

                def advance(n: int, task: TaskID = task, weight: int = per_item) -> None:
                    progress.advance(task, n * weight)

                run = asyncio.run(
                    run_model(
                        ds,
                        name,
                        bank,
                        factory,
                        repeat=repeat,
                        concurrency=concurrency,
                        ledger=ledger,
                        progress=advance,
                    )
                )
                runs.append(run)
    return runs


def _show(
    runs: list[ModelRun], console: Console, *, as_json: bool, report: Path | None, gate: dict[str, Any] | None
) -> None:
    """Print the results (JSON on stdout with ``as_json``), the failures, write the report and apply the gate."""
    from interviewer.evals.report import print_summary, to_json, write_report
    from interviewer.evals.runner import summarize
    from interviewer.evals.thresholds import check

    results: list[dict[str, Any]] = [summarize(run) for run in runs]
    if as_json:
        sys.stdout.write(to_json(results) + "\n")
    print_summary(results, console)
    for run in runs:
        for item_id, error in run.failures[:10]:
            console.print(f"[yellow]{run.dataset.name} · {run.model}: {item_id} failed: {error}[/]")
    if report is not None:
        write_report(report, runs, results)
        console.print(f"Report written to {report}")
    if gate is not None:
        breaches = check(results, gate)
        for breach in breaches:
            console.print(f"[red]Below threshold:[/] {breach}")
        if breaches:
            raise typer.Exit(1)
        console.print("All thresholds met.")


def main() -> None:
    """Entry point of the ``evals`` script."""
    from interviewer.cli import run_app

    run_app(app)
