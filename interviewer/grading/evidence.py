"""Evidence for the key points of a rubric: which sentences of an answer make a point, through its accepted
phrasings (stemmed, fuzzy, order- and negation-aware) and the point's own distinctive words. A point is *hit* when
the answer makes it with substance (two accepted phrasings, or one specific one, in real sentences), *partial* when
it is only mentioned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interviewer.bank.schema import KeyPoint, Question
from interviewer.domain.grades import KeyPointResult, Status
from interviewer.grading.lexicon import lexicon
from interviewer.grading.text import Analyzer, Document, Match
from interviewer.grading.thresholds import (
    EVIDENCE_FULL,
    EVIDENCE_HIT,
    EVIDENCE_PARTIAL,
    EVIDENCE_SPAN,
    GENERIC_MIN_POINTS,
    LONG_PHRASING_COVERAGE,
    SHORT_PHRASING_COVERAGE,
    SHORT_PHRASING_TERMS,
    SPECIFIC_EVIDENCE,
    SPECIFIC_PHRASINGS,
    SPECIFIC_TERMS,
    STRONG_SUPPORT,
    UNCREDITED_SUPPORT,
    UNORDERED_MAX_TERMS,
    WEAK_COVERAGE,
    WEAK_MIN_TERMS,
    WEAK_PARTIAL,
    WEAK_SUPPORT,
)


@dataclass(frozen=True)
class Found:
    """What the answer says of one key point: its status, the sentence to quote, and the support (0-1)."""

    status: Status
    quote: str | None
    support: float = 0.0


@dataclass
class _Phrasings:
    """How the accepted phrasings of a point matched: strong matches (with their term counts) and weak mentions."""

    strong: list[tuple[Match, int]]
    weak: int


def required_coverage(terms: int) -> float:
    """The share of a phrasing's terms that makes a strong match: all of a short one, most of a longer one."""
    return SHORT_PHRASING_COVERAGE if terms <= SHORT_PHRASING_TERMS else LONG_PHRASING_COVERAGE


class KeyPointFinder:
    """Matches key points in answers, in one language (the generic words of each question are kept)."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self._meta = lexicon(analyzer.language).meta
        self._generic_cache: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}

    def results(self, question: Question, key_points: Sequence[KeyPoint], doc: Document) -> list[KeyPointResult]:
        """Every key point's result in ``doc``."""
        generic = self.generic_stems(question, key_points)
        return [self.key_point(kp, doc, generic) for kp in key_points]

    def key_point(self, kp: KeyPoint, doc: Document, generic: frozenset[str] = frozenset()) -> KeyPointResult:
        """One key point's result: its phrasings and its own words (not the question's, not rubric meta-words)."""
        stems = (
            frozenset(s for text in (*kp.phrasings, kp.description) for s in self.analyzer.content_stems(text))
            - generic
            - self._meta
        )
        found = self.find_point(kp.phrasings, doc, stems)
        return KeyPointResult(
            id=kp.id,
            description=kp.description,
            status=found.status,
            quote=found.quote,
            required=kp.required,
            weight=kp.weight,
            support=found.support,
        )

    def generic_stems(self, question: Question, key_points: Sequence[KeyPoint]) -> frozenset[str]:
        """Stems that say nothing about one key point: the question's own words and words most key points share."""
        key = (question.id, tuple(kp.id for kp in key_points))
        cached = self._generic_cache.get(key)
        if cached is None:
            cached = self._generic_cache[key] = self._compute_generic_stems(question, key_points)
        return cached

    def _compute_generic_stems(self, question: Question, key_points: Sequence[KeyPoint]) -> frozenset[str]:
        counts: dict[str, int] = {}
        for kp in key_points:
            for st in {s for p in (*kp.phrasings, kp.description) for s in self.analyzer.content_stems(p)}:
                counts[st] = counts.get(st, 0) + 1
        shared = {st for st, n in counts.items() if n >= max(GENERIC_MIN_POINTS, len(key_points) // 2 + 1)}
        own = {s for t in (question.text, *question.alternatives) for s in self.analyzer.content_stems(t)}
        return frozenset(shared | own)

    def _phrasings(self, phrasings: Sequence[str], doc: Document, stems: frozenset[str]) -> _Phrasings:
        """Match each accepted phrasing: strong when (nearly) all of it is said, in order; weak when half of it is,
        with one of the point's own words."""
        found = _Phrasings([], 0)
        for phrasing in phrasings:
            terms = self.analyzer.content_stems(phrasing)
            if not terms:
                continue
            match = doc.find(terms, expect_negation=self.analyzer.has_negation(phrasing))
            if match is None or match.negated:
                continue
            if match.coverage >= required_coverage(len(terms)) and (match.ordered or len(terms) <= UNORDERED_MAX_TERMS):
                found.strong.append((match, len(terms)))
            elif (
                len(terms) >= WEAK_MIN_TERMS
                and match.coverage >= WEAK_COVERAGE
                and any(doc.has_stem(t) for t in terms if t in stems)
            ):
                found.weak += 1  # half a phrasing, and not only the question's own words
        return found

    def find_point(self, phrasings: Sequence[str], doc: Document, stems: frozenset[str] = frozenset()) -> Found:
        """The status of a point from its phrasings and from its own words (``stems``) said near each other."""
        matched = self._phrasings(phrasings, doc, stems)
        strong, weak = matched.strong, matched.weak
        evidence, where = doc.evidence(stems, EVIDENCE_SPAN) if stems else (0, -1)
        support = min(1.0, STRONG_SUPPORT * len(strong) + WEAK_SUPPORT * weak + evidence / EVIDENCE_FULL)
        if strong:
            best = max(strong, key=lambda mt: (mt[1], mt[0].coverage))
            specific = best[1] >= SPECIFIC_TERMS or len(strong) >= SPECIFIC_PHRASINGS or evidence >= SPECIFIC_EVIDENCE
            status = Status.HIT if specific else Status.PARTIAL
            return Found(status, doc.quote(best[0]), 1.0 if specific else support)
        if evidence >= EVIDENCE_HIT:
            return Found(Status.HIT, doc.sentence_text(where), 1.0)
        if weak >= WEAK_PARTIAL or evidence >= EVIDENCE_PARTIAL:
            return Found(Status.PARTIAL, doc.sentence_text(where) if evidence >= EVIDENCE_PARTIAL else None, support)
        return Found(Status.MISSED, None, support)


def withhold(results: Sequence[KeyPointResult], uncredited: set[str]) -> list[KeyPointResult]:
    """The key points in ``uncredited`` (about a concept the answer says something wrong of) missed."""
    return [
        r.model_copy(update={"status": Status.MISSED, "quote": None, "support": min(r.support, UNCREDITED_SUPPORT)})
        if r.id in uncredited
        else r
        for r in results
    ]


def at_most_partial(results: Sequence[KeyPointResult]) -> list[KeyPointResult]:
    """Hits made partial (a list of terms names points, it does not make them)."""
    return [r.model_copy(update={"status": Status.PARTIAL}) if r.status is Status.HIT else r for r in results]
