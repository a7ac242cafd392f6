"""A provider option is defined once (a field of ``ProviderSettings``): it is then a flag of every command that may
call a model, with the field's description as help, and it reaches the gateway's model as given."""

from __future__ import annotations

import typer

from interviewer.cli import app
from interviewer.evals.cli import app as evals_app
from interviewer.gateway.factory import make_model
from interviewer.gateway.llm import LiteLLMModel
from interviewer.settings import ProviderSettings, Settings

MODEL_COMMANDS = ("run", "resume", "retry", "review", "models")


def _options(typer_app: typer.Typer, name: str | None = None) -> dict[str, str | None]:
    command = typer.main.get_command(typer_app)
    if name is not None:
        assert isinstance(command, typer.core.TyperGroup)
        command = command.commands[name]
    return {opt: getattr(p, "help", None) for p in command.params for opt in p.opts}


def test_every_provider_field_is_a_flag_of_every_command_that_may_call_a_model() -> None:
    for field_name, info in ProviderSettings.model_fields.items():
        flag = "--" + field_name.replace("_", "-")
        for name in MODEL_COMMANDS:
            options = _options(app, name)
            assert flag in options, (name, flag)
            assert options[flag] == info.description
        assert flag in _options(evals_app)
    assert "--model" in _options(app, "models") and "-m" in _options(app, "run")


def test_provider_options_reach_the_model() -> None:
    settings = Settings(model="openai/smol", api_base="http://127.0.0.1:8080/v1/", api_key="sk-local")
    assert settings.provider_options() == {"api_base": "http://127.0.0.1:8080/v1/", "api_key": "sk-local"}
    model = make_model(settings)
    assert isinstance(model, LiteLLMModel)
    assert model.api_base == "http://127.0.0.1:8080/v1" and model.api_key == "sk-local"


def test_settings_keep_their_order_and_names() -> None:
    """The model and how to reach it come first (``interviewer config show`` prints them in this order)."""
    assert list(Settings.model_fields)[:4] == ["model", "api_base", "api_key", "db"]
