"""A follow-up must lead toward a point without stating it: a probe that contains one of the accepted phrasings of
the key point it asks for hands the candidate the answer (and the offline grader would then credit the candidate for
repeating the question). ``interviewer bank validate`` reports such probes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from interviewer.bank.schema import Question
from interviewer.grading.claims import find_phrase
from interviewer.grading.text import Analyzer


@dataclass(frozen=True)
class LeakingProbe:
    """A probe of ``point`` (a key point or a misconception) that says ``phrasing``."""

    question: str
    point: str
    phrasing: str

    def one_line(self, path: str) -> str:
        return (
            f"{path}: question '{self.question}': probe of '{self.point}' gives the point away: it says "
            f"'{self.phrasing}'"
        )


def leaking_probes(question: Question, analyzer: Analyzer) -> Iterator[LeakingProbe]:
    """The probes of ``question`` that say a phrasing of their own key point, words of the question aside: the whole
    phrasing, or two of its content words side by side ("noisy labels" of "robust to noisy labels"). A probe that
    describes a symptom and asks for its cause ("poor even on the data it was trained on") says no phrasing."""
    own = {s for t in (question.text, *question.alternatives) for s in analyzer.content_stems(t)}
    for kp in question.key_points:
        probe = analyzer.tokens(kp.probe)
        pairs = set(pairwise(t.stem for t in probe if not t.is_stop))
        for phrasing in kp.phrasings:
            words = analyzer.content_stems(phrasing)
            if len([s for s in words if s not in own]) < 2:
                continue
            shared_pair = any(
                (a, b) in pairs and not {a, b} <= own and not (a + b).isdigit() for a, b in pairwise(words)
            )
            if shared_pair or find_phrase(probe, analyzer.all_stems(phrasing)):
                yield LeakingProbe(question.id, kp.id, phrasing)
                break
