"""The combined grader, used whenever a model is configured: the LLM judge's verified verdicts, checked against the
offline rubric grader's analysis of the same answer.

A disagreement lowers confidence (``Grade.disagreement``), but the model can never credit what the offline analysis
shows to be wrong:

- every misconception the offline grader found counts (with its quote and cap), as do the judge's verified ones;
- a STAR element the judge credits with a quote that cannot show it by what it says (the candidate's own action
  as a result, what one would do as an action) is not credited;
- a key point or STAR element the judge credits with a quote that lies in a sentence quoted by an offline-found
  misconception, or in any sentence that says an attribute of one concept of a rubric contrast of another (a swap),
  is not credited (unless the same words also occur outside such sentences);
- each key point and STAR element takes the better supported of the two verdicts (a model adds the paraphrases the
  lexical analysis misses; a model that credits nothing takes nothing away);
- the score is the rubric's level rule over the combined statuses, capped by every misconception found: the model's
  own number is no evidence (a poor judge cannot drag a sound answer down), and ``disagreement`` records how far it
  was from the offline score.

A model failure (``ModelError``) propagates, so the ``FallbackGrader`` around this one lets the offline grader stand
in as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.bank.schema import Question
from interviewer.domain.grades import Grade, KeyPointResult, MisconceptionFound, StarResult, Status
from interviewer.grading.judge import AnswerProfile, LLMJudge, answer_profile
from interviewer.grading.levels import level_bound
from interviewer.grading.rubric_grader import RubricGrader, star_function_allows, strip_grader_directives
from interviewer.grading.text import Analyzer, Document, quote_spans, short_label
from interviewer.grading.thresholds import MAX_GAPS

Span = tuple[int, int]


class CombinedGrader:
    """A Grader: the judge's grade, combined with the offline grader's (see the module docstring)."""

    def __init__(self, judge: LLMJudge, offline: RubricGrader | None = None) -> None:
        self.judge = judge
        self.offline = offline if offline is not None else judge.offline
        self.name = judge.name

    def with_sample(self, sample: int) -> CombinedGrader:
        """The same grader with the judge drawing sample ``sample`` (distinct cache keys for repeated grades)."""
        return CombinedGrader(self.judge.with_sample(sample), self.offline)

    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        """Grade with both graders and combine (ModelError when the model fails)."""
        offline = self.offline.grade_sync(question, answers)
        model = await self.judge.grade(question, answers)
        text = strip_grader_directives("\n\n".join(a for a in answers if a.strip()), self.offline.bank.language)
        doc = Document(text, self.offline.analyzer)
        swapped = [
            (doc.sentences[b.sentence].start, doc.sentences[b.sentence].end)
            for b in self.offline.read(question, doc).swaps
        ]
        profile = answer_profile(self.offline, text)
        return combine(question, model, offline, text, profile, self.offline.analyzer, swapped=swapped)


def combine(
    question: Question,
    model: Grade,
    offline: Grade,
    answer: str,
    profile: AnswerProfile,
    analyzer: Analyzer,
    *,
    swapped: Sequence[Span] = (),
) -> Grade:
    """The model's grade of ``answer``, with what the offline grade shows to be wrong taken into account
    (``swapped``: the sentences of ``answer`` that swap a rubric contrast's concepts)."""
    check = _QuoteCheck(answer, [*_flagged_sentences(answer, offline.misconceptions, analyzer), *swapped], analyzer)
    key_points = _checked_key_points(model, offline, check)
    star = _checked_star(model, offline, check)
    known = {m.id for m in model.misconceptions}
    added = [m for m in offline.misconceptions if m.id not in known]
    misconceptions = [*model.misconceptions, *added]
    bound = level_bound(
        question, key_points, star, content_tokens=profile.content_tokens, hypothetical=profile.hypothetical
    )
    # The score follows the evidence both graders verified, under the rubric's level rule: a model adds what the
    # lexical analysis missed (paraphrases, with quotes that check out) and the misconceptions it finds, but its own
    # number is no evidence; where it disagrees, ``disagreement`` says so.
    score = min([bound, *(m.max_score for m in misconceptions)])
    update: dict[str, object] = {
        "score": score,
        "key_points": key_points,
        "star": star,
        "misconceptions": misconceptions,
        "disagreement": abs(model.score - offline.score),
    }
    if added:
        # The model's feedback does not name what is wrong: the offline finding leads the gaps and sets the tip.
        gaps = [f"Misconception: {short_label(m.description)}" for m in added]
        update["gaps"] = [*gaps, *model.gaps][:MAX_GAPS]
        update["tip"] = added[0].correction or f"Revisit: {short_label(added[0].description)}"
    return model.model_copy(update=update)


class _QuoteCheck:
    """What a model's quote can show, given the answer and the sentences the offline analysis flags as wrong."""

    def __init__(self, answer: str, flagged: Sequence[Span], analyzer: Analyzer) -> None:
        self.answer = answer
        self.flagged = flagged
        self.analyzer = analyzer
        self.sentences = analyzer.sentences(answer)

    def tainted(self, quote: str | None) -> bool:
        """Whether the quote lies only in flagged sentences."""
        return bool(self.flagged) and quote is not None and _only_inside(self.answer, quote, self.flagged)

    def context(self, quote: str) -> str:
        """The whole sentences of the answer that hold ``quote`` (a quote may be a fragment of one)."""
        spans = quote_spans(self.answer, quote)
        held = [x for x in self.sentences if any(x.start < e and b < x.end for b, e in spans)]
        return " ".join(self.answer[x.start : x.end] for x in held) or quote

    def unfounded(self, s: StarResult) -> bool:
        """Credited from a quote the offline analysis shows to be something else (an action as a result)."""
        if not s.present:
            return False
        return self.tainted(s.quote) or not star_function_allows(s.name, self.context(s.quote or ""), self.analyzer)


def _checked_key_points(model: Grade, offline: Grade, check: _QuoteCheck) -> list[KeyPointResult]:
    """The model's key points, none credited from a tainted quote, each the better supported of the two verdicts."""
    by_id = {k.id: k for k in offline.key_points}
    return [
        k.model_copy(update={"status": Status.MISSED, "quote": None})
        if k.status is not Status.MISSED and check.tainted(k.quote)
        else _stronger(k, by_id.get(k.id))
        for k in model.key_points
    ]


def _checked_star(model: Grade, offline: Grade, check: _QuoteCheck) -> list[StarResult]:
    """The model's STAR elements, none credited from an unfounded quote, and those the offline grader found."""
    seen = {s.name: s for s in offline.star}
    star = [s.model_copy(update={"present": False, "quote": None}) if check.unfounded(s) else s for s in model.star]
    return [seen[s.name] if not s.present and s.name in seen and seen[s.name].present else s for s in star]


_RANK = {Status.MISSED: 0, Status.PARTIAL: 1, Status.HIT: 2}


def _stronger(model: KeyPointResult, offline: KeyPointResult | None) -> KeyPointResult:
    """The better supported of two verdicts on one key point (the model's on a tie)."""
    if offline is None or _RANK[offline.status] <= _RANK[model.status]:
        return model
    return model.model_copy(update={"status": offline.status, "quote": offline.quote, "support": offline.support})


def _flagged_sentences(answer: str, found: Sequence[MisconceptionFound], analyzer: Analyzer) -> list[Span]:
    """The spans of the sentences that hold the quote of a misconception (whole sentences: a quote may be a window)."""
    spans: list[Span] = []
    sentences = analyzer.sentences(answer)
    for m in found:
        for start, end in quote_spans(answer, m.quote or ""):
            spans.extend((s.start, s.end) for s in sentences if s.start < end and start < s.end)
            spans.append((start, end))
    return spans


def _only_inside(answer: str, quote: str, flagged: Sequence[Span]) -> bool:
    """Whether every occurrence of ``quote`` in ``answer`` overlaps a flagged span (and there is one)."""
    places = quote_spans(answer, quote)
    return bool(places) and all(any(s < fe and fs < e for fs, fe in flagged) for s, e in places)
