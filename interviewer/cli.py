"""The ``interviewer`` command line.

Every command is thin: it parses options, calls the core, prints. Heavy modules (the TUI, the engine, litellm) are
imported inside the commands that need them, so ``interviewer questions`` starts fast.
"""

from __future__ import annotations

import gc
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interviewer import __version__
from interviewer.cli_options import (
    BANK,
    DB,
    FOCUS,
    INTERVIEW_FLAGS,
    MAX_COST,
    MAX_PROBES,
    MODE,
    MODEL_FLAGS,
    NO_FLAGS,
    QUESTIONS,
    SEED,
    TIME_LIMIT,
    VERBOSE,
    BankOption,
    SettingsFlags,
    settings_flags,
)
from interviewer.errors import BankError, InterviewerError

if TYPE_CHECKING:
    from typing import IO

    from interviewer.engine.review import ReviewPlan
    from interviewer.services import FailurePolicy, Repository
    from interviewer.settings import Settings

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
export_app = typer.Typer(help="Take your practice data with you.", add_completion=False, no_args_is_help=True)
app.add_typer(bank_app, name="bank")
app.add_typer(config_app, name="config")
app.add_typer(export_app, name="export")


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
    """Open the start screen when no command is given (a plain-text interview without a terminal)."""
    if ctx.invoked_subcommand is None:
        from interviewer.settings import load_settings

        _interview(load_settings(), Interview(start=True))


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
    from interviewer.grading.probe_lint import leaking_probes
    from interviewer.grading.text import Analyzer

    try:
        files = bank_files(path)
    except BankError as exc:
        typer.echo(exc.one_line(), err=True)
        raise typer.Exit(1) from None
    loaded, problems = validate_files(files)
    for problem in problems:
        typer.echo(problem.one_line(), err=True)
    leaks = [
        leak.one_line(str(lf.path))
        for lf in loaded
        for question in lf.content.questions
        for leak in leaking_probes(question, Analyzer(lf.content.language))
    ]
    for line in leaks:
        typer.echo(line, err=True)
    if problems or leaks:
        raise typer.Exit(1)
    count = sum(len(lf.content.questions) for lf in loaded)
    typer.echo(f"OK: {len(loaded)} file(s), {count} question(s)")


# ------------------------------------------------------------------------------------------------ interviews
PlainOption = Annotated[bool, typer.Option("--plain", help="Plain text instead of the TUI (scripts, screen readers).")]
AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Answers from a file ('-': standard input): chunks separated by '---' lines, or .jsonl strings "
        "(implies --plain).",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print only the final report, as JSON, on stdout (implies --plain).")
]


@dataclass(frozen=True)
class Interview:
    """Which interview to run: new (``question_ids``, ``retry``, ``review_targets``), resumed, or chosen on the
    start screen (``start``)."""

    question_ids: list[str] = field(default_factory=list)
    resume: bool = False
    resume_id: str | None = None
    start: bool = False
    retry: bool = False
    """One question asked again; plain mode then prints what changed against the last attempt."""
    review_targets: dict[str, str] | None = None


@dataclass(frozen=True)
class Output:
    """How an interview is run: ``--plain``, ``--answers FILE`` and ``--json`` (both imply plain mode)."""

    plain: bool = False
    answers: Path | None = None
    as_json: bool = False


@app.command()
@settings_flags(*MODEL_FLAGS, QUESTIONS, FOCUS, BANK, DB, MAX_PROBES, MODE, SEED, MAX_COST, TIME_LIMIT, VERBOSE)
def run(
    flags: SettingsFlags = NO_FLAGS,
    question: Annotated[
        list[str] | None,
        typer.Option(
            "--question",
            "-q",
            help="Ask exactly this question id (repeatable; asked in the order given).",
            show_default=False,
        ),
    ] = None,
    plain: PlainOption = False,
    answers: AnswersOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a mock interview (offline unless a model is configured)."""
    _interview(flags.load(), Interview(question_ids=question or []), Output(plain, answers, as_json))


@app.command()
@settings_flags(*MODEL_FLAGS, DB, MAX_COST, VERBOSE)
def resume(
    interview_id: Annotated[
        str | None,
        typer.Argument(
            help="Interview id (or a unique prefix); the newest unfinished one by default.", show_default=False
        ),
    ] = None,
    flags: SettingsFlags = NO_FLAGS,
    plain: PlainOption = False,
    answers: AnswersOption = None,
    as_json: JsonOption = False,
) -> None:
    """Continue an interview that was interrupted, exactly where it stopped."""
    _interview(flags.load(), Interview(resume=True, resume_id=interview_id), Output(plain, answers, as_json))


def _interview(settings: Settings, interview: Interview, output: Output = Output()) -> None:
    """Run an interview: the TUI in a terminal (``start``: on the start screen), plain text otherwise."""
    import asyncio

    from interviewer.engine.answers_file import read_answers

    scripted = read_answers(output.answers) if output.answers is not None else None
    if _use_plain(output, scripted):
        _started()
        asyncio.run(_plain(settings, interview, scripted, output.as_json))
        return
    from interviewer.tui.app import make_app

    tui = make_app(
        settings,
        question_ids=interview.question_ids,
        resume_id=interview.resume_id,
        resume=interview.resume,
        start=interview.start,
        retry=interview.retry,
        review_targets=interview.review_targets,
    )
    _started()
    tui.run()
    if tui.return_code:
        raise typer.Exit(tui.return_code)  # the fatal screen says the program exits with code 1, and it does


def _use_plain(output: Output, scripted: list[str] | None) -> bool:
    """Plain text when asked for, with answers from a file or JSON out, without a terminal, or without the TUI."""
    if output.plain or scripted is not None or output.as_json:
        return True
    return not sys.stdin.isatty() or not sys.stdout.isatty() or not _tui_available()


def _started() -> None:
    """Start-up is over: collect garbage again (see ``main``), but never again through what start-up built (frozen:
    still in use, and each full collection would walk all of it, a few ms each, during the first frames too)."""
    gc.freeze()
    gc.enable()


def _tui_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("interviewer.tui.app") is not None


def _say_on_stderr(text: str) -> None:
    from interviewer.textsafe import printable

    sys.stderr.write(printable(text) + "\n")
    sys.stderr.flush()


def _checked_model(settings: Settings) -> Settings:
    """The settings, with the offline engine instead of a model that cannot be used (said in one line on stderr:
    with --json, stdout stays one JSON object)."""
    from interviewer.services import check_model

    problem = check_model(settings)
    if problem is None:
        return settings
    sys.stderr.write(f"[note] {problem.message}: going on with the offline engine. Hint: {problem.hint}\n")
    return settings.model_copy(update={"model": "offline"})


def _failure_policy(ui_out: IO[str], scripted: list[str] | None) -> FailurePolicy:
    """What a failed model call does in plain mode: on a terminal, the candidate chooses (retry or continue offline);
    otherwise (answers from a file, stdin not a terminal) the offline engine stands in, with a note."""
    from interviewer.services import AskOnFailure, ContinueOffline

    if scripted is not None or not sys.stdin.isatty():
        return ContinueOffline()
    from interviewer.plain import AskOnTerminal

    return AskOnFailure(AskOnTerminal(ui_out))


async def _plain(settings: Settings, interview: Interview, scripted: list[str] | None, as_json: bool) -> None:
    from interviewer.plain import ListAnswers, PlainUI, StdinAnswers, drive
    from interviewer.report import write_json
    from interviewer.services import InterviewSession, make_engines, open_repository

    settings = _checked_model(settings)
    ui = PlainUI(sys.stderr if as_json else sys.stdout, echo_answers=scripted is not None)
    repo = open_repository(settings)
    try:
        engines = make_engines(settings, policy=_failure_policy(ui.out, scripted))
        if engines.ledger is not None:  # a retry is said at once, on stderr (stdout may be --json)
            engines.ledger.listeners.append(lambda text: _say_on_stderr(f"[model] {text}"))
        if interview.resume:
            session, step = await InterviewSession.resume(settings, repo, interview.resume_id, engines=engines)
        else:
            session, step = await InterviewSession.start(
                settings,
                repo,
                question_ids=interview.question_ids,
                engines=engines,
                retry=interview.retry,
                review_targets=interview.review_targets,
            )
        try:
            source = ListAnswers(scripted) if scripted is not None else StdinAnswers(out=ui.out)
            report = await drive(session, step, source, ui)
            if interview.retry:
                _print_comparison(repo, session.id, interview.question_ids[0], ui.out)
        finally:
            session.close()
        if as_json:
            write_json(report, sys.stdout)
    finally:
        repo.close()


def _print_comparison(repo: Repository, interview_id: str, question_id: str, out: IO[str]) -> None:
    """What changed in this retry against the last attempt before it (nothing when it was skipped)."""
    from rich.console import Console, Group

    from interviewer.compare import compare_retry, comparison_renderables

    retried = compare_retry(repo, interview_id, question_id)
    if retried is None:
        return  # skipped: nothing was graded
    if retried.comparison is None:
        out.write("This is your first graded attempt at this question: the next retry will show what changed.\n")
        return
    Console(file=out, soft_wrap=False).print(Group(*comparison_renderables(retried.comparison)))


@app.command()
@settings_flags(*INTERVIEW_FLAGS)
def retry(
    question_id: Annotated[str, typer.Argument(help="The question to answer again (see `interviewer questions`).")],
    flags: SettingsFlags = NO_FLAGS,
    plain: PlainOption = False,
    answers: AnswersOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer one question again; it counts in that question's history (not the overall trend), and plain mode shows
    what changed against your last attempt."""
    from interviewer.bank.loader import load_bank

    settings = flags.load(questions=1, mode="coach")
    load_bank(settings.bank).get(question_id)  # an unknown id is one line with the known ones, before anything starts
    _interview(settings, Interview(question_ids=[question_id], retry=True), Output(plain, answers, as_json))


@app.command()
@settings_flags(*INTERVIEW_FLAGS)
def review(
    flags: SettingsFlags = NO_FLAGS,
    questions: Annotated[
        int, typer.Option("--questions", "-n", min=1, max=10, help="How many questions with due items to ask.")
    ] = 3,
    list_only: Annotated[bool, typer.Option("--list", help="List the review items and when they are due.")] = False,
    plain: PlainOption = False,
    answers: AnswersOption = None,
    as_json: JsonOption = False,
) -> None:
    """Review what you missed before: a short interview of the questions with due review items, the first
    follow-up aimed at the most overdue one (items are scheduled with FSRS from your grades)."""
    settings = flags.load(mode="coach")
    plan = _review_plan(settings, questions)
    if list_only:
        _print_review_list(plan, as_json=as_json)
        return
    if not plan.due:
        typer.echo(plan.nothing_due())
        return
    _interview(
        settings.model_copy(update={"questions": len(plan.question_ids)}),
        Interview(question_ids=plan.question_ids, review_targets=plan.targets),
        Output(plain, answers, as_json),
    )


def _review_plan(settings: Settings, limit: int) -> ReviewPlan:
    from interviewer.bank.loader import load_bank
    from interviewer.engine.review import current_plan
    from interviewer.services import open_repository

    bank = load_bank(settings.bank)
    repo = open_repository(settings)
    try:
        return current_plan(repo, bank, limit, retire=True)  # items whose rubric items left the bank go
    finally:
        repo.close()


def _print_review_list(plan: ReviewPlan, *, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(plan.to_json(), indent=2, ensure_ascii=False))
        return
    if not plan.items:
        typer.echo(plan.nothing_due())
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Review items: {len(plan.due)} due of {len(plan.items)}", title_justify="left")
    for column in ("question", "kind", "item", "due", "reviews", "last"):
        table.add_column(column)
    for row in plan.rows():
        table.add_row(*(Text(cell) for cell in row))
    Console().print(table)


@app.command()
@settings_flags(DB)
def history(
    flags: SettingsFlags = NO_FLAGS,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many interviews to list.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List past interviews: date, model, questions, score."""
    from interviewer.report import status_label
    from interviewer.services import open_repository

    repo = open_repository(flags.load())
    try:
        rows = repo.list_interviews(limit)
    finally:
        repo.close()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "created_at": r.created_at.isoformat(),
                        "status": status_label(r.status),
                        "model": r.model,
                        "questions": r.questions,
                        "overall_score": r.overall_score,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    if not rows:
        typer.echo("No interviews yet. Start one with `interviewer run`.")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Interviews")
    for column in ("id", "date", "status", "model", "questions", "score"):
        table.add_column(column)
    for r in rows:
        score = "-" if r.overall_score is None else f"{r.overall_score:.1f}"
        table.add_row(r.id, f"{r.created_at:%Y-%m-%d %H:%M}", status_label(r.status), r.model, str(r.questions), score)
    Console().print(table)


@app.command()
@settings_flags(DB)
def progress(
    flags: SettingsFlags = NO_FLAGS,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="text (default), md, html or json.", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (for scripts): --format json.")] = False,
) -> None:
    """Your progress over time: overall score per interview, per question and topic the latest, best and trend,
    STAR components, and the gaps that keep coming back. As text tables, Markdown, a self-contained HTML page with
    charts, or JSON."""
    from interviewer.export_progress import FORMATS

    if as_json and fmt not in (None, "json"):
        raise typer.BadParameter("--json is --format json: give one of them", param_hint="--json")
    fmt = "json" if as_json else (fmt or "text")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use {', '.join(FORMATS)}", param_hint="--format")
    from interviewer.services import load_progress

    result = load_progress(flags.load())
    if fmt == "text" and output is None:
        from rich.console import Console

        from interviewer.progress_text import progress_group

        Console().print(progress_group(result))
        return
    from interviewer.export_progress import render_progress

    empty = not result.interviews and not result.questions
    _emit(render_progress(result, fmt), output, note="No graded interviews yet: the export says so." if empty else None)


@app.command()
@settings_flags(DB)
def report(
    interview_id: Annotated[
        str | None, typer.Argument(help="Interview id (or a unique prefix); the newest by default.", show_default=False)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False)
    ] = None,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of the JSON report and exit.")
    ] = False,
    flags: SettingsFlags = NO_FLAGS,
) -> None:
    """Print the report of an interview (Markdown or JSON)."""
    from interviewer.report import REPORT_FORMATS, render_report, report_schema

    if schema:
        typer.echo(json.dumps(report_schema(), indent=2))
        return
    if fmt not in REPORT_FORMATS:
        raise typer.BadParameter("use md or json", param_hint="--format")
    from interviewer.services import load_report

    _emit(render_report(load_report(flags.load(), interview_id), fmt), output)


def _emit(text: str, output: Path | None, *, note: str | None = None) -> None:
    """``text`` to ``output`` (saying so on stderr, after ``note``), or to stdout."""
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    if note:
        typer.echo(note, err=True)
    typer.echo(f"Wrote {output}", err=True)


@app.command()
@settings_flags(DB)
def delete(
    interview_id: Annotated[str, typer.Argument(help="Interview id (or a unique prefix).", show_default=False)],
    flags: SettingsFlags = NO_FLAGS,
) -> None:
    """Delete an interview and all its data (turns, grades, usage)."""
    from interviewer.services import open_repository

    repo = open_repository(flags.load())
    try:
        full = repo.resolve_id(interview_id) or interview_id
        if not repo.delete(full):
            typer.echo(f"No interview '{interview_id}'.", err=True)
            raise typer.Exit(1)
    finally:
        repo.close()
    typer.echo(f"Deleted interview {full}.")


@export_app.command("anki")
@settings_flags(DB)
def export_anki(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The deck file (.apkg); interviewer-review.apkg in the exports folder of your data folder by default.",
            show_default=False,
        ),
    ] = None,
    flags: SettingsFlags = NO_FLAGS,
) -> None:
    """An Anki deck of what to review: the gaps that keep coming back and those of your latest answer to each
    question (importing it again updates the same notes)."""
    from interviewer.services import load_deck_notes

    items = load_deck_notes(flags.load())
    if not items:
        typer.echo("Nothing to review yet (no graded answer with a gap): no deck written.")
        return
    from interviewer.anki import write_deck

    if output is None:
        from interviewer import paths

        output = paths.data_dir() / "exports" / "interviewer-review.apkg"
    count = write_deck(items, output)
    typer.echo(f"Wrote {count} note{'s' if count != 1 else ''} to {output.resolve()}")


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


@app.command("models")
@settings_flags(*MODEL_FLAGS)
def models_command(
    flags: SettingsFlags = NO_FLAGS,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Show the model in use, which provider keys are set (names only) and what a local Ollama server has."""
    from interviewer.gateway.discovery import describe, render_text

    found = describe(flags.load())
    if as_json:
        typer.echo(json.dumps(found.to_json(), indent=2))
        return
    for line in render_text(found):
        typer.echo(line)


def run_app(typer_app: typer.Typer) -> None:
    """Run a command-line app: user-facing errors become a message and exit status 1, never a traceback."""
    try:
        typer_app()
    except InterviewerError as exc:
        typer.echo(exc.user_message(), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)


def main() -> None:
    """Entry point of the ``interviewer`` script.

    Start-up (typer, pydantic, the settings, Textual: hundreds of modules, whose objects are all kept) runs without
    the cyclic garbage collector: its passes over them find next to nothing and cost about a tenth of the time to the
    first question. An interview turns it back on before it starts (``_started``); other commands are short."""
    gc.disable()
    try:
        run_app(app)
    finally:
        gc.enable()


if __name__ == "__main__":
    main()
