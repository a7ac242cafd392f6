"""Settings: command-line flags, then ``INTERVIEWER_*`` environment variables, then the TOML settings file, then
the defaults below (first wins).

The settings file is ``config.toml`` in the user config folder (``interviewer config path`` prints it), e.g.::

    model = "ollama_chat/llama3.2"
    max_probes = 1
    mode = "exam"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from interviewer import paths
from interviewer.errors import ConfigError

OFFLINE_MODEL = "offline"


class ModelChoice(BaseModel):
    """Which model grades and words the follow-ups (``--model``/``-m`` on every command that may call one)."""

    model: str = Field(default=OFFLINE_MODEL, description="Any litellm model string, or 'offline'.")
    """The model: any litellm model string (``gpt-4o-mini``, ``anthropic/...``, ``ollama_chat/llama3.2``,
    ``openai/<name>`` with ``api_base``), or ``offline`` for the built-in engine that needs no model."""

    @field_validator("model")
    @classmethod
    def _model_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("the model name is empty (use 'offline' for the built-in engine)")
        return value


class ProviderSettings(BaseModel):
    """How to reach the model's provider. Each field is defined once, here: it is a setting (flag, ``INTERVIEWER_*``
    variable, settings file), a flag of every command that may call a model (``api_base`` is ``--api-base``; its help
    is the field's ``description``: ``interviewer.cli_options``), and a keyword argument of the gateway's
    ``LiteLLMModel`` (``Settings.provider_options``). Adding a provider option is a field here plus its use in
    ``interviewer/gateway/llm.py``."""

    api_base: str | None = Field(default=None, description="Base URL of an OpenAI-compatible or Ollama server.")
    """Base URL of an OpenAI-compatible or Ollama server (``http://127.0.0.1:8080/v1``)."""

    api_key: str | None = Field(
        default=None,
        repr=False,
        description="API key for an --api-base server that wants one (never stored or logged).",
    )
    """An API key for ``api_base`` servers that need one (hosted providers read their usual variables)."""


class Settings(BaseSettings, ProviderSettings, ModelChoice):
    """Everything a user can configure. Each field can be set by flag, environment variable or settings file. The
    model and how to reach it come first (``ModelChoice``, ``ProviderSettings``)."""

    model_config = SettingsConfigDict(env_prefix="INTERVIEWER_", extra="forbid", validate_default=True)

    db: str | None = None
    """SQLAlchemy URL of the interview database; SQLite in the user data folder when unset."""

    bank: Path | None = None
    """A question bank of your own: a YAML file or a folder of them (the shipped bank when unset)."""

    questions: int | None = Field(default=None, ge=1)
    """How many questions an interview asks (all of the plan when unset)."""

    focus: Literal["behavioral", "technical"] | None = None
    """Ask only behavioral or only technical questions."""

    max_probes: int = Field(default=2, ge=0, le=5)
    """Follow-up probes at most per question."""

    mode: Literal["coach", "exam"] = "coach"
    """``coach``: feedback after each answer; ``exam``: feedback only at the end."""

    seed: int | None = None
    """Seed for the question order (the same seed and history give the same interview)."""

    max_cost: float | None = Field(default=None, ge=0)
    """Budget in USD for one interview; past it the interview goes on with the offline engine."""

    timeout: float | None = Field(default=None, gt=0, le=1800)
    """Seconds one model call may take before it is retried or given up (default: 60 for a hosted model, 300 for a
    local server, whose timed-out calls are not sent again)."""

    time_limit: float | None = Field(default=None, gt=0)
    """Soft time limit per answer in minutes (a countdown that warns, never cuts the answer)."""

    cache: bool = False
    """Cache model responses on disk (evals and replays; a cached call costs nothing)."""

    verbose: bool = False
    """Write request/response logs (keys removed) to the user log folder."""

    theme: str = "textual-dark"
    """The TUI's Textual theme."""

    @property
    def is_offline(self) -> bool:
        """True when no model is configured."""
        return self.model == OFFLINE_MODEL

    def provider_options(self) -> dict[str, Any]:
        """The provider options (``ProviderSettings``' fields) as the gateway's keyword arguments."""
        return {name: getattr(self, name) for name in ProviderSettings.model_fields}

    def db_url(self) -> str:
        """The database URL to use."""
        return self.db or paths.default_db_url()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=paths.config_file()))


def load_settings(**flags: Any) -> Settings:
    """Settings from flags (None means "not given"), the environment and the settings file, or a ConfigError."""
    given = {k: v for k, v in flags.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(
            problems,
            hint=f"check the flags, the INTERVIEWER_* variables and {paths.config_file()}",
        ) from None
    except (OSError, ValueError) as exc:  # a TOML file that cannot be read or parsed
        raise ConfigError(f"cannot read the settings file: {exc}", hint=str(paths.config_file())) from None
