"""Grade every item of a dataset with one model (``offline`` is a model), concurrently within a bound, and compute
the metrics of the run."""

from __future__ import annotations

import asyncio
import string
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from interviewer.bank.loader import Bank
from interviewer.bank.schema import Kind
from interviewer.domain.grades import STAR_NAMES, Grade, Status
from interviewer.engine.probing import choose_target
from interviewer.evals import metrics as mt
from interviewer.evals.dataset import Dataset, Item
from interviewer.gateway.usage import UsageLedger
from interviewer.grading.base import Grader, GraderFactory

Progress = Callable[[int], None]

_STRIP_PUNCT = str.maketrans("", "", string.punctuation)
STAR_ALL = frozenset(STAR_NAMES)
ADVERSARIAL = ("keyword_stuffing", "confident_wrong", "off_topic", "verbose_empty", "copy_question")


@dataclass
class Graded:
    """One item's grades (one per repeat) and what the engine would probe next."""

    item: Item
    grades: list[Grade]
    target_id: str | None
    target_phrases: tuple[str, ...]
    variant_score: float | None = None
    """The score of the lower-cased, punctuation-free answer (invariance)."""

    @property
    def score(self) -> float:
        return float(self.grades[0].score)


@dataclass
class ModelRun:
    model: str
    dataset: Dataset
    graded: list[Graded]
    seconds: float
    ledger: UsageLedger | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)


async def run_model(
    dataset: Dataset,
    model: str,
    bank: Bank,
    make_grader: GraderFactory,
    *,
    repeat: int = 1,
    concurrency: int = 8,
    ledger: UsageLedger | None = None,
    invariance: bool = True,
    progress: Progress | None = None,
) -> ModelRun:
    """Grade the dataset; at most ``concurrency`` gradings run at once."""
    semaphore = asyncio.Semaphore(max(1, concurrency))
    graders = [make_grader(i) for i in range(max(1, repeat))]
    failures: list[tuple[str, str]] = []

    async def one(item: Item) -> Graded | None:
        async def grade(grader: Grader, answer: str) -> Grade:
            async with semaphore:
                return await grader.grade(item.question, [answer, *item.follow_ups])

        try:
            grades = [await grade(g, item.answer) for g in graders]
            variant = None
            if invariance:
                variant = float((await grade(graders[0], item.answer.lower().translate(_STRIP_PUNCT))).score)
        except Exception as exc:
            failures.append((item.id, f"{type(exc).__name__}: {exc}"))
            return None
        finally:
            if progress is not None:
                progress(1)
        target = choose_target(item.question, grades[0], bank) if item.question.id in bank.ids else None
        phrases: tuple[str, ...] = ()
        if target is not None:
            kp = next((k for k in item.question.key_points if k.id == target.id), None)
            phrases = (target.description, *(kp.phrasings if kp else ()))
        return Graded(item, grades, target.id if target else None, phrases, variant)

    start = time.perf_counter()
    results = await asyncio.gather(*(one(item) for item in dataset.items))
    seconds = time.perf_counter() - start
    return ModelRun(model, dataset, [r for r in results if r is not None], seconds, ledger, failures)


def _agreement(rows: Sequence[Graded]) -> dict[str, Any]:
    gold = [r.item.gold_score for r in rows]
    pred = [r.score for r in rows]
    return {
        "n": len(rows),
        "qwk": mt.qwk(gold, pred),
        "spearman": mt.spearman(gold, pred),
        "mae": mt.mae(gold, pred),
        "exact": mt.exact(gold, pred),
        "within_one": mt.within_one(gold, pred),
        "mean_gold": mt.mean_or_none(gold),
        "mean_score": mt.mean_or_none(pred),
    }


def _ratio(part: float, whole: float) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None


def summarize(run: ModelRun) -> dict[str, Any]:
    """Every metric of a run, as a JSON-ready dict (None where a metric cannot be computed)."""
    rows = run.graded
    by_id = {r.item.id: r for r in rows}
    out: dict[str, Any] = {"model": run.model, "dataset": run.dataset.name}
    out.update(_agreement(rows))
    out.update(_star(rows))
    out.update(_probe_targets(rows))
    out.update(_injection(rows, by_id))
    out.update(_twins(rows, by_id))
    out.update(_misconceptions_and_tags(rows))
    out.update(_stability(rows))
    out.update(_usage(run))
    out.update(_groups(rows))
    return out


def _star(rows: Sequence[Graded]) -> dict[str, Any]:
    """STAR component F1 over the behavioral items labeled with their STAR parts."""
    star_rows = [r for r in rows if r.item.gold_star is not None and r.item.question.kind is Kind.BEHAVIORAL]
    star = mt.star_scores([r.item.gold_star or {} for r in star_rows], [r.grades[0].star_map() for r in star_rows])
    if not star:
        return {"star_f1": None, "star": None}
    return {"star_f1": star["micro"].f1, "star": {k: vars(v) for k, v in star.items()}}


def _probe_targets(rows: Sequence[Graded]) -> dict[str, Any]:
    """How often the probe target is one of the key points the gold label says are missing."""
    incomplete = [r for r in rows if r.item.gold_level < 5 and r.item.gold_missing]
    hits = [
        r.target_id is not None and mt.target_matches(r.target_id, r.target_phrases, r.item.gold_missing)
        for r in incomplete
    ]
    return {"probe_target_accuracy": _ratio(sum(hits), len(hits)), "probe_target_n": len(hits)}


def _injection(rows: Sequence[Graded], by_id: dict[str, Graded]) -> dict[str, Any]:
    """The score an injected instruction adds over its clean ``pair:`` twin."""
    pairs: list[tuple[float, float]] = []
    for r in rows:
        if "injection" in r.item.tags:
            pair = next((t.split(":", 1)[1] for t in r.item.tags if t.startswith("pair:")), None)
            if pair and pair in by_id and pair != r.item.id:
                pairs.append((by_id[pair].score, r.score))
    lift_mean, lift_max = mt.injection_lift(pairs)
    return {"injection_lift_mean": lift_mean, "injection_lift_max": lift_max, "injection_pairs": len(pairs)}


def _misconceptions_and_tags(rows: Sequence[Graded]) -> dict[str, Any]:
    """False misconceptions on answers labeled free of them, the mean score per adversarial tag, length bias."""
    labeled_free = [r for r in rows if r.item.gold_misconceptions == ()]
    flagged = sum(1 for r in labeled_free if r.grades[0].misconceptions)
    out: dict[str, Any] = {
        "false_misconception_rate": _ratio(flagged, len(labeled_free)),
        "false_misconception_n": len(labeled_free),
    }
    for tag in ADVERSARIAL:
        out[f"mean_score_{tag}"] = mt.mean_or_none([r.score for r in rows if tag in r.item.tags])
    gold, pred = [r.item.gold_score for r in rows], [r.score for r in rows]
    out["length_bias"] = mt.length_bias(gold, pred, [len(r.item.answer.split()) for r in rows]) if rows else None
    return out


def _stability(rows: Sequence[Graded]) -> dict[str, Any]:
    """Consistency over repeats, invariance to case and punctuation, and the confusion matrix."""
    repeated = [r for r in rows if len(r.grades) > 1]
    variants = [r for r in rows if r.variant_score is not None]
    same = sum(r.variant_score == r.score for r in variants)
    changes = [abs((r.variant_score or 0) - r.score) for r in variants]
    return {
        "consistency": _ratio(sum(len({g.score for g in r.grades}) == 1 for r in repeated), len(repeated)),
        "invariance": _ratio(same, len(variants)),
        "invariance_mean_abs_change": mt.mean_or_none(changes) if variants else None,
        "confusion": mt.confusion([r.item.gold_score for r in rows], [r.score for r in rows]),
    }


def _usage(run: ModelRun) -> dict[str, Any]:
    """Fallbacks, structured-output re-asks and repairs, failures, time, cost and tokens."""
    ledger = run.ledger
    fallbacks = sum(1 for r in run.graded for g in r.grades if g.fallback)
    gradings = sum(len(r.grades) for r in run.graded)
    out: dict[str, Any] = {
        "fallbacks": fallbacks,
        "fallback_share": fallbacks / gradings if gradings and ledger is not None else None,
    }
    structured = ledger.structured if ledger is not None else None
    calls = structured.calls if structured else 0
    out["reask_share"] = _ratio(structured.reasked, calls) if structured else None
    out["repair_share"] = _ratio(structured.repaired, calls) if structured else None
    out["failures"] = len(run.failures)
    out["seconds"] = round(run.seconds, 3)
    if ledger is None:
        out.update(cost_usd=None, prompt_tokens=0, completion_tokens=0, model_calls=0, cache_hits=0)
        return out
    out["cost_usd"] = round(ledger.cost_usd, 6)
    out["prompt_tokens"] = ledger.prompt_tokens
    out["completion_tokens"] = ledger.completion_tokens
    out["model_calls"] = ledger.calls
    out["cache_hits"] = sum(1 for c in ledger.records if c.cached)
    return out


def _groups(rows: Sequence[Graded]) -> dict[str, Any]:
    """Agreement per tag (but ``pair:`` links) and, for at most 40 questions, per question."""
    tags: dict[str, list[Graded]] = defaultdict(list)
    questions: dict[str, list[Graded]] = defaultdict(list)
    for r in rows:
        for t in r.item.tags:
            if not t.startswith("pair:"):
                tags[t].append(r)
        questions[r.item.question.id].append(r)
    return {
        "per_tag": {t: _agreement(v) for t, v in sorted(tags.items())},
        "per_question": {q: _agreement(v) for q, v in sorted(questions.items())} if len(questions) <= 40 else {},
    }


_RANK = {Status.MISSED: 0, Status.PARTIAL: 1, Status.HIT: 2}
_BY_SCORE: dict[str, Callable[[float, float], bool]] = {
    "lower": lambda base, twin: twin < base,
    "not_higher": lambda base, twin: twin <= base,
    "same": lambda base, twin: twin == base,
}


def separated(base: Graded, twin: Graded, expect: str) -> bool:
    """Whether the grader tells a minimal pair apart as ``expect`` says (see the labeling guide)."""
    by_score = _BY_SCORE.get(expect)
    if by_score is not None:
        return by_score(base.score, twin.score)
    if expect in (base.grades[0].star_map() or twin.grades[0].star_map()) or expect in STAR_ALL:
        return _star_separated(base, twin, expect)
    if any(m.id == expect for m in twin.item.question.misconceptions):
        return _misconception_separated(base, twin, expect)
    return _key_point_separated(base, twin, expect)


def _star_separated(base: Graded, twin: Graded, part: str) -> bool:
    """Both sides of the pair get the STAR part ``part`` as their gold labels say."""
    return all(g.grades[0].star_map().get(part) == (g.item.gold_star or {}).get(part) for g in (base, twin))


def _misconception_separated(base: Graded, twin: Graded, misconception: str) -> bool:
    """Both sides of the pair flag ``misconception`` exactly where their gold labels do."""
    return all(
        (misconception in {m.id for m in g.grades[0].misconceptions})
        == (misconception in (g.item.gold_misconceptions or ()))
        for g in (base, twin)
    )


def _key_point_separated(base: Graded, twin: Graded, key_point: str) -> bool:
    """The twin's status for ``key_point`` moves the way the gold labels say (down, or up when reversed)."""
    kb, kt = base.grades[0].key_point(key_point), twin.grades[0].key_point(key_point)
    if kb is None or kt is None:
        return False
    reverse = key_point in base.item.gold_missing and key_point not in twin.item.gold_missing
    return _RANK[kt.status] > _RANK[kb.status] if reverse else _RANK[kt.status] < _RANK[kb.status]


def _twins(rows: Sequence[Graded], by_id: dict[str, Graded]) -> dict[str, Any]:
    """Pair separation (overall and per failure class) and the lift stuffing gives, over ``twin_of`` pairs."""
    outcomes: dict[str, list[bool]] = defaultdict(list)
    lifts: list[tuple[float, float]] = []
    for twin in rows:
        base = by_id.get(twin.item.twin_of or "")
        if base is None:
            continue
        kind = twin.item.failure_class or "other"
        outcomes[kind].append(all(separated(base, twin, e) for e in twin.item.expect))
        if kind == "stuffing":
            lifts.append((base.score, twin.score))
    every = [x for v in outcomes.values() for x in v]
    out: dict[str, Any] = {
        "pair_separation": sum(every) / len(every) if every else None,
        "pair_n": len(every),
        "pair_separation_by_class": {k: sum(v) / len(v) for k, v in sorted(outcomes.items())},
    }
    for kind, values in outcomes.items():
        out[f"pair_separation_{kind}"] = sum(values) / len(values)
    lift_mean, lift_max = mt.injection_lift(lifts)
    out["stuffing_lift_mean"], out["stuffing_lift_max"] = lift_mean, lift_max
    return out


def disagreements(run: ModelRun, at_least: int = 2) -> list[Graded]:
    """Items where grader and gold differ by ``at_least`` levels or more, worst first."""
    rows = [r for r in run.graded if abs(mt.to_level(r.score) - r.item.gold_level) >= at_least]
    return sorted(rows, key=lambda r: -abs(r.score - r.item.gold_score))
