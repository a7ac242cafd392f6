"""Where interviewer keeps its files: the user's config, data, cache and log folders (platformdirs).

``INTERVIEWER_HOME`` moves all four under one folder (portable installs, tests, CI);
``INTERVIEWER_CONFIG_FILE`` names the settings file directly.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "interviewer"
HOME_ENV = "INTERVIEWER_HOME"
CONFIG_FILE_ENV = "INTERVIEWER_CONFIG_FILE"


def _home() -> Path | None:
    home = os.environ.get(HOME_ENV)
    return Path(home).expanduser() if home else None


def config_dir() -> Path:
    """The folder of the settings file."""
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP))


def config_file() -> Path:
    """The settings file (``config.toml``); it need not exist."""
    explicit = os.environ.get(CONFIG_FILE_ENV)
    return Path(explicit).expanduser() if explicit else config_dir() / "config.toml"


def data_dir() -> Path:
    """The folder of the interview database."""
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    """The folder of the model response cache."""
    home = _home()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP))


def log_dir() -> Path:
    """The folder of ``--verbose`` request logs."""
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP))


def default_db_url() -> str:
    """SQLite in the user data folder."""
    return f"sqlite:///{data_dir() / 'interviewer.db'}"
