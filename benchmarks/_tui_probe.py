"""Child processes for the TUI benchmarks in ``run.py`` (run as a script; not a test, not part of the package).

    python _tui_probe.py headless interviewer QUESTION_ID NEEDLE   # the app, run_test, until NEEDLE is on screen
    python _tui_probe.py headless bare NEEDLE                      # a bare Textual app with one Static line
    python _tui_probe.py tty-bare NEEDLE                           # the bare app in a real terminal (for tmux)
    python _tui_probe.py interview                                 # a whole offline interview, driven by Pilot
    python _tui_probe.py idle-bare                                 # the bare app under run_test, then exit
    python _tui_probe.py screen progress|history DB_URL             # open a screen from the start screen

``headless`` prints ``READY <seconds> litellm=<imported>``: from ``BENCH_T0`` (``time.time()`` taken by the parent
just before it started this process) to the moment a laid-out Static widget shows NEEDLE, and whether litellm had
been imported by then. ``interview`` prints ``DONE <turns>``. ``screen`` prints ``READY <seconds>``: from the start
screen settled to the Progress screen's tables (or the History screen's rows) laid out on screen.
Every loop is bounded by a deadline or a step count.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import Any

DEADLINE_S = 60.0
ANSWERS = [
    "L1 adds the sum of absolute values of the weights to the loss, which drives many weights exactly to zero.",
    "Lambda scales the penalty; it is tuned by cross-validation.",
    "Bias is error from a model too simple for the data; variance is sensitivity to the particular sample.",
    "Learning curves: if both errors are high it is bias, a large gap means variance.",
    "Random forests bag deep trees in parallel; gradient boosting adds shallow trees sequentially.",
    "Use a random forest as a robust baseline with little tuning; GBM for the best accuracy on tabular data.",
]


def _on_screen(app: Any, needle: str) -> bool:
    """True when a Static widget of the active screen, laid out with a non-empty region, shows ``needle``."""
    from textual.widgets import Static

    for widget in app.screen.walk_children(with_self=False):
        if isinstance(widget, Static) and widget.region.area and needle in str(widget.visual):
            return True
    return False


def _bare_app(line: str) -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(line)

    return Bare()


async def _until_visible(app: Any, needle: str) -> float:
    t0 = float(os.environ.get("BENCH_T0", "nan"))
    async with app.run_test() as pilot:
        deadline = time.monotonic() + DEADLINE_S
        while not _on_screen(app, needle):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{needle!r} not on screen after {DEADLINE_S:g} s")
            await asyncio.sleep(0.002)
        elapsed = time.time() - t0
        await pilot.pause()
    return elapsed


async def _interview() -> int:
    """A whole offline interview in the TUI: type an answer, ctrl+s, until the scorecard (feedback screens are
    dismissed with enter, as a user would)."""
    from interviewer.settings import Settings
    from interviewer.tui.app import make_app
    from interviewer.tui.screens.feedback import FeedbackScreen
    from interviewer.tui.screens.interview import InterviewScreen
    from interviewer.tui.screens.scorecard import ScorecardScreen

    async def no_models() -> list[str]:
        return []

    app = make_app(Settings(seed=1), detect_models=no_models)
    turns = 0
    async with app.run_test() as pilot:

        async def settle() -> None:
            for _ in range(2):
                await pilot.pause()
                await app.workers.wait_for_complete()
            await pilot.pause()

        await settle()
        for _ in range(200):  # bounded: ten questions with two follow-ups each is 30 answers
            screen = app.screen
            if isinstance(screen, ScorecardScreen):
                return turns
            if isinstance(screen, FeedbackScreen):
                await pilot.press("enter")
            elif isinstance(screen, InterviewScreen) and screen.prompt is not None and screen.busy is None:
                answer = ANSWERS[turns % len(ANSWERS)]
                await pilot.press(*answer[:4])  # typed with the keyboard (a key press costs ~80 ms in run_test)...
                screen.editor.insert(answer[4:])  # ...and the rest pasted, to keep the run short
                await pilot.press("ctrl+s")
                turns += 1
            await settle()
    raise RuntimeError(f"no scorecard after {turns} answers (screen: {type(app.screen).__name__})")


async def _screen(name: str, db: str) -> float:
    """Seconds from asking for a screen (start screen settled, database open) to its content on screen."""
    from textual.widgets import DataTable

    from interviewer.settings import Settings
    from interviewer.tui.app import make_app

    async def no_models() -> list[str]:
        return []

    app = make_app(Settings(db=db), start=True, detect_models=no_models)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(2):
            await pilot.pause()
            await app.workers.wait_for_complete()
        start = app.screen

        def ready() -> bool:
            screen = app.screen
            if screen is start:
                return False
            if name == "history":
                tables = screen.query(DataTable)
                return bool(tables) and tables.first().row_count > 0 and tables.first().region.area > 0
            status = screen.query("#progress-status")
            if status and "No graded interviews" in str(status.first().visual):
                return True
            tables = screen.query("#question-table")
            return bool(tables) and tables.first().region.area > 0

        t0 = time.perf_counter()
        app.show_progress() if name == "progress" else app.show_history()
        deadline = time.monotonic() + DEADLINE_S
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the {name} screen did not show its content in {DEADLINE_S:g} s")
            await asyncio.sleep(0.002)
        elapsed = time.perf_counter() - t0
        await pilot.pause()
    return elapsed


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "headless":
        if argv[1] == "interviewer":
            from interviewer.settings import Settings
            from interviewer.tui.app import make_app

            app = make_app(Settings(), question_ids=[argv[2]])
            needle = argv[3]
        else:
            needle = argv[2]
            app = _bare_app(needle)
        elapsed = asyncio.run(_until_visible(app, needle))
        loaded = any(m == "litellm" or m.startswith("litellm.") for m in sys.modules)
        print(f"READY {elapsed:.6f} litellm={loaded}", flush=True)
    elif mode == "tty-bare":
        _bare_app(argv[1]).run()
    elif mode == "interview":
        print(f"DONE {asyncio.run(_interview())}", flush=True)
    elif mode == "idle-bare":

        async def idle() -> None:
            app = _bare_app("bare")
            async with app.run_test() as pilot:
                await pilot.pause()

        asyncio.run(idle())
        print("DONE 0", flush=True)
    elif mode == "screen":
        print(f"READY {asyncio.run(_screen(argv[1], argv[2])):.6f}", flush=True)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
