"""The machine's state as JSON, stored after every transition so an interview can resume after a crash."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from interviewer.engine.machine import Ask, Phase, QuestionInfo, State

SNAPSHOT_VERSION = 1


def dump_state(state: State) -> dict[str, Any]:
    """A JSON-ready dict of ``state``."""
    data = asdict(state)
    data["phase"] = state.phase.value
    data["_v"] = SNAPSHOT_VERSION
    return data


def load_state(data: dict[str, Any]) -> State:
    """The state stored by ``dump_state``."""
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
        prompt=data.get("prompt"),
    )
