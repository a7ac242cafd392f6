"""The regression gate: minimum (or maximum) metric values per dataset and model, from a TOML file::

[interview_answers.offline]
min = { qwk = 0.70, probe_target_accuracy = 0.80 }
max = { injection_lift_max = 0.0 }

["*".offline]            # any dataset
max = { injection_lift_max = 0.0 }
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewer.errors import InterviewerError


class ThresholdsError(InterviewerError):
    """The thresholds file cannot be used."""

    title = "Invalid thresholds file"


@dataclass(frozen=True)
class Breach:
    dataset: str
    model: str
    metric: str
    value: float | None
    bound: float
    kind: str

    def __str__(self) -> str:
        shown = "not computable" if self.value is None else f"{self.value:.3f}"
        sign = ">=" if self.kind == "min" else "<="
        return f"{self.dataset} / {self.model}: {self.metric} = {shown}, needs {sign} {self.bound:g}"


def load_thresholds(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ThresholdsError(f"{path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsError(f"{path}: {exc}") from None
    for dataset, models in data.items():
        if not isinstance(models, dict):
            raise ThresholdsError(f"{path}: [{dataset}] must be a table of models")
        for model, bounds in models.items():
            if not isinstance(bounds, dict) or set(bounds) - {"min", "max"}:
                raise ThresholdsError(f"{path}: [{dataset}.{model}] takes only 'min' and 'max' tables")
            for kind in ("min", "max"):
                table = bounds.get(kind, {})
                if not isinstance(table, dict):
                    raise ThresholdsError(f"{path}: [{dataset}.{model}] {kind} must be a table of metric = number")
                for metric, value in table.items():
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        raise ThresholdsError(f"{path}: [{dataset}.{model}] {kind}.{metric} must be a number")
    return data


def check(results: list[dict[str, Any]], thresholds: dict[str, Any]) -> list[Breach]:
    """Every bound a result breaks (a metric that cannot be computed breaks its bound). A file none of whose sections
    applies to any result is an error: a gate that checks nothing must not pass (a section for a dataset that was
    not run, like ``saf`` when its file is absent, is fine when another one applies)."""
    breaches: list[Breach] = []
    applied = False
    for result in results:
        for dataset_key in (result["dataset"], "*"):
            bounds = thresholds.get(dataset_key, {}).get(result["model"]) or thresholds.get(dataset_key, {}).get("*")
            if not bounds:
                continue
            applied = True
            for kind in ("min", "max"):
                for metric, bound in bounds.get(kind, {}).items():
                    value = result.get(metric)
                    ok = value is not None and (value >= bound if kind == "min" else value <= bound)
                    if not ok:
                        breaches.append(Breach(result["dataset"], result["model"], metric, value, float(bound), kind))
    if thresholds and results and not applied:
        runs = ", ".join(sorted({f"{r['dataset']}.{r['model']}" for r in results}))
        raise ThresholdsError(
            f"no section of the thresholds file applies to what was run ({runs})",
            hint='name the sections [dataset.model] after the datasets and models you run, or use ["*".model]',
        )
    return breaches
