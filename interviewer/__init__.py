"""interviewer: a terminal-first, adaptive mock-interview coach for Machine Learning Engineer interviews.

The domain core lives here; it never imports Textual (the TUI is ``interviewer.tui``) and imports litellm only
inside ``interviewer.gateway.llm``, lazily.
"""

import os as _os

__version__ = "0.1.0"


def _source_checkout_dir() -> str | None:
    """The repository folder when this package is imported from a source checkout, else None.

    The repository keeps ``tui/``, ``evals/``, ``prompts/`` and ``rubrics/`` beside this package, and the wheel ships
    them inside it (``interviewer.tui``, ...; see pyproject's force-include). A checkout is recognised by what the wheel
    never has: no ``tui/`` in this folder, and ``tui/__init__.py`` and ``pyproject.toml`` beside it.
    """
    here = _os.path.dirname(_os.path.abspath(__file__))
    root = _os.path.dirname(here)
    if _os.path.isdir(_os.path.join(here, "tui")):
        return None  # an installed wheel
    if _os.path.isfile(_os.path.join(root, "tui", "__init__.py")) and _os.path.isfile(
        _os.path.join(root, "pyproject.toml")
    ):
        return root
    return None


# Imported from a source checkout (an editable install, or a regular one shadowed by the working folder being the
# repository), the subpackages that sit at the top of the repository are found there: ``interviewer.tui`` is
# ``<repo>/tui``, ``interviewer.evals`` is ``<repo>/evals``, live, with no reinstall. Modules of this folder still
# come first (the repository's other folders, tests/ and benchmarks/, become names nothing imports). The installed
# wheel has them inside the package and is left as it is. Static tools (mypy, import-linter) do not run this: they
# check a regular install (see README, Development).
_checkout = _source_checkout_dir()
if _checkout is not None:
    __path__.append(_checkout)
del _checkout
