"""Command-line options shared by ``interviewer`` and ``evals``, defined once.

A settings flag sets the field of the same name (``--max-probes`` sets ``max_probes``). A command lists the flags it
takes with ``@settings_flags(...)`` and receives them as one ``SettingsFlags`` (its ``flags`` parameter, where the
options appear in ``--help``); ``flags.load()`` is ``load_settings`` with what was given. The model and provider flags
are generated from the settings models (``ModelChoice``, ``ProviderSettings``): a provider option added there is a flag
of every command that may call a model, with the field's description as its help.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import BaseModel

from interviewer.settings import ModelChoice, ProviderSettings

if TYPE_CHECKING:
    from interviewer.settings import Settings

R = TypeVar("R")


def _as_given(value: object) -> object:
    return value


def _true_or_unset(value: object) -> object:
    """A boolean switch only ever turns a setting on: off means "not given" (the settings decide)."""
    return True if value else None


@dataclass(frozen=True)
class Flag:
    """One settings flag: the field it sets and its typer option (``Annotated[type, typer.Option(...)]``)."""

    name: str
    annotation: Any
    default: Any = None
    given: Callable[[Any], object] = _as_given
    """What the parsed value means for ``load_settings`` (None: not given)."""


def _option(name: str, help: str, *decls: str, **extra: Any) -> Any:
    return typer.Option(f"--{name.replace('_', '-')}", *decls, help=help, show_default=False, **extra)


def _field_flag(model: type[BaseModel], name: str, *decls: str, **extra: Any) -> Flag:
    """The flag of a settings field: its type (optional: an absent flag is "not given"), its description as help."""
    info = model.model_fields[name]
    kind: Any = info.annotation
    return Flag(name, Annotated[kind | None, _option(name, info.description or "", *decls, **extra)])


def _flag(name: str, kind: Any, help: str, *decls: str, **extra: Any) -> Flag:
    return Flag(name, Annotated[kind | None, _option(name, help, *decls, **extra)])


_PROVIDER_EXTRAS: Mapping[str, Mapping[str, Any]] = {
    "api_key": {"envvar": "INTERVIEWER_API_KEY", "show_envvar": True},
}
"""Typer extras of some provider flags (a secret is also read from its variable, and says so)."""

PROVIDER_FLAGS: tuple[Flag, ...] = tuple(
    _field_flag(ProviderSettings, name, **_PROVIDER_EXTRAS.get(name, {})) for name in ProviderSettings.model_fields
)
"""How to reach the model's provider: every field of ``ProviderSettings`` (``--api-base``, ``--api-key``)."""

MODEL_FLAGS: tuple[Flag, ...] = (_field_flag(ModelChoice, "model", "-m"), *PROVIDER_FLAGS)
"""The model and how to reach it: every command that may call a model takes these."""

BankOption = Annotated[
    Path | None,
    typer.Option("--bank", help="A question bank of your own: a YAML file or a folder of them.", show_default=False),
]
"""``--bank`` (also of ``interviewer questions``, which reads the bank without the settings)."""
BANK = Flag("bank", BankOption)
DB = _flag("db", str, "SQLAlchemy URL of the interview database.")
QUESTIONS = _flag("questions", int, "How many questions to ask.", "-n", min=1)
FOCUS = _flag("focus", str, "behavioral or technical.")
MAX_PROBES = _flag("max_probes", int, "Follow-ups per question (default 2).", min=0, max=5)
MODE = _flag("mode", str, "coach (feedback after each answer) or exam (feedback at the end).")
SEED = _flag("seed", int, "Seed for the question order.")
MAX_COST = _flag("max_cost", float, "Budget in USD; past it the interview goes on offline.")
TIME_LIMIT = _flag("time_limit", float, "Soft time limit per answer, minutes (TUI).")
VERBOSE = Flag(
    "verbose",
    Annotated[bool, typer.Option("--verbose", help="Log model requests (keys removed) to the log folder.")],
    default=False,
    given=_true_or_unset,
)

INTERVIEW_FLAGS: tuple[Flag, ...] = (*MODEL_FLAGS, BANK, DB, MAX_PROBES, MAX_COST, TIME_LIMIT, VERBOSE)
"""What every command that runs an interview takes (``run`` adds the plan's flags; ``resume`` keeps fewer)."""


@dataclass(frozen=True)
class SettingsFlags:
    """The settings flags a command was given (None: not given)."""

    values: Mapping[str, object] = field(default_factory=dict)

    def load(self, **fixed: object) -> Settings:
        """The settings: ``fixed`` (what the command decides), these flags, the environment, the settings file."""
        from interviewer.settings import load_settings

        return load_settings(**{**self.values, **fixed})


NO_FLAGS = SettingsFlags()
"""The default of a command's ``flags`` parameter (``settings_flags`` always passes the real ones)."""


def settings_flags(*flags: Flag) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Give a command these settings flags: they take the place of its ``flags`` parameter in the options (and in
    ``--help``), and reach it as one ``SettingsFlags``."""

    def decorate(command: Callable[..., R]) -> Callable[..., R]:
        signature = inspect.signature(command, eval_str=True)
        params: list[inspect.Parameter] = []
        for param in signature.parameters.values():
            if param.name != "flags":
                params.append(param)
                continue
            kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
            params += [inspect.Parameter(f.name, kind, annotation=f.annotation, default=f.default) for f in flags]

        @functools.wraps(command)
        def run(*args: Any, **kwargs: Any) -> R:
            given = {f.name: f.given(kwargs.pop(f.name, f.default)) for f in flags}
            return command(*args, flags=SettingsFlags(given), **kwargs)

        run.__dict__["__signature__"] = signature.replace(parameters=params)  # what typer reads
        run.__annotations__ = {p.name: p.annotation for p in params}
        return run

    return decorate
