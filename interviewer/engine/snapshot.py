"""The machine's state as JSON, stored after every transition so an interview can resume after a crash.

Only the engine reads this JSON: others ask ``stored_progress`` (or a loaded ``State``) for what they need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from interviewer.engine.machine import Ask, Phase, Progress, QuestionInfo, State

SNAPSHOT_VERSION = 1
"""Unchanged by fields that were dropped: a stored key the state no longer has (``prompt``) is ignored on load."""


def dump_state(state: State) -> dict[str, Any]:
    """A JSON-ready dict of ``state``."""
    data = asdict(state)
    data["phase"] = state.phase.value
    data["_v"] = SNAPSHOT_VERSION
    return data


def load_state(data: dict[str, Any]) -> State:
    """The state stored by ``dump_state`` (by this version or an earlier one)."""
    last = data.get("last_ask")
    return State(
        phase=Phase(data["phase"]),
        questions=tuple(QuestionInfo(**q) for q in data["questions"]),
        total=int(data["total"]),
        max_probes=int(data["max_probes"]),
        adaptive=bool(data["adaptive"]),
        seed=int(data["seed"]),
        history=tuple((str(k), float(v)) for k, v in data["history"]),
        asked=tuple(data["asked"]),
        scores=tuple((str(k), None if v is None else int(v)) for k, v in data["scores"]),
        current=data["current"],
        answers=tuple(data["answers"]),
        probes=tuple(data["probes"]),
        targets=tuple(data["targets"]),
        pending_target=data["pending_target"],
        last_score=data["last_score"],
        last_missing=data["last_missing"],
        end_requested=bool(data["end_requested"]),
        ended_early=bool(data["ended_early"]),
        last_ask=Ask(**last) if last else None,
    )


def stored_progress(data: Mapping[str, Any]) -> Progress:
    """How far a stored interview is, read from its stored state (an empty or partial one reads as nothing asked)."""
    asked = data.get("asked")
    total = data.get("total")
    current = data.get("current")
    return Progress(
        asked=tuple(str(q) for q in asked) if isinstance(asked, list | tuple) else (),
        total=total if isinstance(total, int) else 0,
        current=current if isinstance(current, str) else None,
    )
