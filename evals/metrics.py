"""Grading-quality metrics. Agreement statistics come from scikit-learn and SciPy; what is computed here is only
which numbers go in. A metric that cannot be computed is None, never NaN."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

import numpy as np
from rapidfuzz import fuzz
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix, mean_absolute_error, precision_recall_fscore_support

LEVELS = [1, 2, 3, 4, 5]
STAR_NAMES = ("situation", "task", "action", "result")


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) or math.isinf(value) else float(value)


def to_level(score: float) -> int:
    """A 1-5 score rounded half up to a level."""
    return max(1, min(5, math.floor(score + 0.5)))


def qwk(gold: Sequence[float], pred: Sequence[float]) -> float | None:
    """Quadratic weighted kappa on levels (scores rounded half up)."""
    if len(gold) < 2:
        return None
    g, p = [to_level(x) for x in gold], [to_level(x) for x in pred]
    if len(set(g)) == 1 and len(set(p)) == 1:
        return 1.0 if g == p else 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _finite(cohen_kappa_score(g, p, weights="quadratic", labels=LEVELS))


def spearman(gold: Sequence[float], pred: Sequence[float]) -> float | None:
    """Spearman's rank correlation on the unrounded scores."""
    if len(gold) < 2 or len(set(gold)) < 2 or len(set(pred)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _finite(spearmanr(gold, pred).statistic)


def mae(gold: Sequence[float], pred: Sequence[float]) -> float | None:
    return _finite(mean_absolute_error(gold, pred)) if gold else None


def exact(gold: Sequence[float], pred: Sequence[float]) -> float | None:
    if not gold:
        return None
    return sum(to_level(g) == to_level(p) for g, p in zip(gold, pred, strict=True)) / len(gold)


def within_one(gold: Sequence[float], pred: Sequence[float]) -> float | None:
    if not gold:
        return None
    return sum(abs(to_level(g) - to_level(p)) <= 1 for g, p in zip(gold, pred, strict=True)) / len(gold)


def confusion(gold: Sequence[float], pred: Sequence[float]) -> list[list[int]]:
    """Rows: gold level 1-5; columns: predicted level 1-5."""
    if not gold:
        return [[0] * 5 for _ in range(5)]
    matrix = confusion_matrix([to_level(x) for x in gold], [to_level(x) for x in pred], labels=LEVELS)
    return [[int(v) for v in row] for row in matrix]


@dataclass(frozen=True)
class StarScores:
    precision: float | None
    recall: float | None
    f1: float | None


def star_scores(gold: Sequence[dict[str, bool]], pred: Sequence[dict[str, bool]]) -> dict[str, StarScores]:
    """Precision, recall and F1 of each STAR component, and ``micro`` over all four."""
    out: dict[str, StarScores] = {}
    if not gold:
        return out
    pairs = {name: ([g[name] for g in gold], [bool(p.get(name)) for p in pred]) for name in STAR_NAMES}
    pairs["micro"] = ([x for n in STAR_NAMES for x in pairs[n][0]], [x for n in STAR_NAMES for x in pairs[n][1]])
    for name, (g, p) in pairs.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            prec, rec, f1, _ = precision_recall_fscore_support(g, p, average="binary", zero_division=np.nan)
        out[name] = StarScores(_finite(prec), _finite(rec), _finite(f1))
    return out


def target_matches(target_id: str, target_phrases: Sequence[str], gold_missing: Sequence[str]) -> bool:
    """Whether a chosen probe target is among the gold gaps: same name, or a fuzzy match of the key point's id,
    description or accepted phrasings with a gold phrase such as "sparsity / feature selection"."""
    names = {target_id, target_id.replace("_", " ")}
    for gold in gold_missing:
        g = gold.strip().lower()
        if g in names or g.replace(" ", "_") == target_id:
            return True
        for part in [g, *[p.strip() for p in g.split("/")]]:
            if not part:
                continue
            for phrase in (target_id.replace("_", " "), *target_phrases):
                if fuzz.token_set_ratio(part, phrase.lower()) >= 85:
                    return True
    return False


def injection_lift(pairs: Sequence[tuple[float, float]]) -> tuple[float | None, float | None]:
    """Mean and max of (injected twin's score - clean twin's score)."""
    if not pairs:
        return None, None
    lifts = [injected - clean for clean, injected in pairs]
    return fmean(lifts), max(lifts)


def length_bias(gold: Sequence[float], pred: Sequence[float], lengths: Sequence[int]) -> float | None:
    """Spearman correlation of the signed error (pred - gold) with answer length in words."""
    errors = [p - g for g, p in zip(gold, pred, strict=True)]
    return spearman([float(x) for x in lengths], errors)


def mean_or_none(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None
