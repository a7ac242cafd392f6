"""Where the data files shipped with the package live.

An installed wheel carries ``prompts/`` and ``rubrics/`` inside the ``interviewer`` package; a source checkout has
them beside it, at the top of the repository. Both work, from any working directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from interviewer.errors import InterviewerError

PACKAGE_DIR = Path(__file__).resolve().parent
"""The installed `interviewer` package folder."""
_PACKAGE = PACKAGE_DIR

DataDir = Literal["prompts", "rubrics"]


def data_dir(name: DataDir) -> Path:
    """The folder holding the shipped data files called ``name``."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise InterviewerError(
        f"the package's {name}/ folder is missing (looked in {_PACKAGE} and {_PACKAGE.parent})",
        hint="reinstall interviewer: pip install --force-reinstall interviewer",
    )
