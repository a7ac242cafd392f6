"""What an answer claims wrongly, read before any credit is given: misconceptions asserted in their own words (not
negated, with the quantifier that makes them wrong), swapped concepts (what the answer binds to the wrong one), and
wrong methods (an operation on the wrong data, however it is phrased). The words of a swap, and bare lists of terms,
are left out of what is credited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interviewer.bank.schema import Method, Misconception, Question
from interviewer.domain.grades import MisconceptionFound
from interviewer.grading.binding import Binding, bindings
from interviewer.grading.claims import Frames, clauses, find_phrase, frames, negated_before
from interviewer.grading.lexicon import Lexicon, lexicon
from interviewer.grading.lists import stuffed_lists
from interviewer.grading.text import Analyzer, Document, Match, Sentence, expand_classes
from interviewer.grading.thresholds import (
    EXCEPTION_CLAUSES,
    EXCEPTION_REACH,
    LIST_ONLY_MIN_WORDS,
    METHOD_CLAUSES,
    METHOD_REACH,
    MISCONCEPTION_LONG_COVERAGE,
    MISCONCEPTION_MIN_TERMS,
    MISCONCEPTION_SHORT_TERMS,
    MISCONCEPTION_WINDOW_SLACK,
)


@dataclass(frozen=True)
class Reading:
    """What an answer claims, read before any credit is given."""

    doc: Document
    """The answer as given."""
    graded: Document
    """The words left to credit: without swapped attributes and bare lists of terms."""
    misconceptions: list[MisconceptionFound]
    swaps: list[Binding]
    uncredited: set[str]
    """Key points about a concept the answer says something wrong of (a swap): not credited."""


def read(question: Question, doc: Document) -> Reading:
    """What the answer claims: swapped concepts, wrong methods, and the words left to credit."""
    analyzer = doc.analyzer
    claim_frames = frames(doc)
    swaps = [b for b in bindings(doc, question.contrasts, claim_frames) if b.swapped]
    lists = stuffed_lists(doc)
    drop = [(b.start, b.end) for b in swaps] + lists
    graded = Document(doc.text, analyzer, drop=drop) if drop else doc
    if lists and len(graded.content_tokens) < LIST_ONLY_MIN_WORDS:
        graded = Document(doc.text, analyzer, drop=[(b.start, b.end) for b in swaps])
    # A misconception that a contrast declares is read from what the answer binds, not from its wording alone.
    bound = {c.misconception for c in question.contrasts} | {
        claim.misconception for c in question.contrasts for k in c.concepts for claim in k.claims
    }
    worded = [m for m in question.misconceptions if m.id not in bound]
    misconceptions = worded_misconceptions(worded, doc, claim_frames)
    misconceptions += swap_misconceptions(question, doc, swaps, misconceptions)
    uncredited = about_swapped(question, swaps, analyzer)
    misconceptions += method_misconceptions(question, doc, claim_frames, misconceptions)
    return Reading(doc=doc, graded=graded, misconceptions=misconceptions, swaps=swaps, uncredited=uncredited)


def _found(m: Misconception, quote: str | None) -> MisconceptionFound:
    return MisconceptionFound(
        id=m.id, description=m.description, quote=quote, correction=m.correction, max_score=m.max_score
    )


# ------------------------------------------------------------------------------------------------- in its words
def worded_misconceptions(
    items: Sequence[Misconception], doc: Document, claim_frames: Frames
) -> list[MisconceptionFound]:
    """The misconceptions asserted in one of their phrasings: matched in order, in few words, not negated, asserted
    (not said of what others think), with the quantifier that makes them wrong."""
    found = []
    for m in items:
        quote = next((q for p in m.phrasings if (q := _asserted_phrasing(p, doc, claim_frames)) is not None), None)
        if quote is not None:
            found.append(_found(m, quote))
    return found


def _asserted_phrasing(phrasing: str, doc: Document, claim_frames: Frames) -> str | None:
    """The quote of the sentence that asserts ``phrasing``, if one does."""
    analyzer = doc.analyzer
    terms = analyzer.content_stems(phrasing)
    if len(terms) < MISCONCEPTION_MIN_TERMS:
        return None  # one word is never enough to say someone asserted a misconception
    match = doc.find(
        terms, expect_negation=analyzer.has_negation(phrasing), window=len(terms) + MISCONCEPTION_WINDOW_SLACK
    )
    if match is None or match.negated or not match.ordered or not claim_frames.asserted(match.start):
        return None
    if not _quantified_as(phrasing, doc, match):
        return None
    needed = 1.0 if len(terms) <= MISCONCEPTION_SHORT_TERMS else MISCONCEPTION_LONG_COVERAGE
    return doc.quote(match) if match.coverage >= needed else None


def _quantified_as(phrasing: str, doc: Document, match: Match) -> bool:
    """A phrasing's quantifier ("evaluate with accuracy *only*", "*always* drop") is what makes it wrong: the
    sentence must say it too (in any of its words: "all", "every", "each")."""
    wanted = {t.word for t in doc.analyzer.tokens(phrasing)}
    said = {t.word for t in doc.sentences[match.sentence].tokens}
    return all(not (wanted & group) or said & group for group in lexicon(doc.analyzer.language).quantifiers)


# ------------------------------------------------------------------------------------------------------ swaps
def swap_misconceptions(
    question: Question, doc: Document, swaps: Sequence[Binding], already: Sequence[MisconceptionFound]
) -> list[MisconceptionFound]:
    """The misconception each swap asserts (its attribute group's, else its contrast's), once, quoting the first
    sentence that asserts it."""
    by_id = {m.id: m for m in question.misconceptions}
    seen = {m.id for m in already}
    out = []
    for swap in swaps:
        if swap.misconception in seen or swap.misconception not in by_id:
            continue
        seen.add(swap.misconception)
        out.append(_found(by_id[swap.misconception], doc.sentence_text(swap.sentence)))
    return out


def about_swapped(question: Question, swaps: Sequence[Binding], analyzer: Analyzer) -> set[str]:
    """The key points about a concept that the answer says something wrong of: they are not credited. A swap of a
    claim group (Lasso said to be the stable one with correlated features) withholds only the key points that speak
    of that claim, not every point about the concepts."""
    own = {c.id: c.misconception for c in question.contrasts}
    involved = {(b.contrast, c) for b in swaps if b.misconception == own.get(b.contrast) for c in (b.owner, *b.said_of)}
    claimed = {b.misconception for b in swaps if b.misconception != own.get(b.contrast)}
    out = _points_saying(question, analyzer, _claim_phrases(question, claimed, analyzer), exact=False)
    return out | _points_saying(question, analyzer, _concept_names(question, involved, analyzer), exact=True)


def _claim_phrases(question: Question, claimed: set[str], analyzer: Analyzer) -> list[tuple[str, ...]]:
    """The stems of every attribute of the claim groups whose misconception a swap asserts."""
    return [
        analyzer.all_stems(text)
        for contrast in question.contrasts
        for concept in contrast.concepts
        for claim in concept.claims
        if claim.misconception in claimed
        for phrase in claim.attributes
        for text in expand_classes(phrase)
    ]


def _concept_names(question: Question, involved: set[tuple[str, str]], analyzer: Analyzer) -> list[tuple[str, ...]]:
    """The stems of every name of the concepts a swap of a whole contrast involves."""
    return [
        analyzer.all_stems(n)
        for contrast in question.contrasts
        for concept in contrast.concepts
        if (contrast.id, concept.id) in involved
        for n in concept.names
    ]


def _points_saying(
    question: Question, analyzer: Analyzer, phrases: Sequence[tuple[str, ...]], *, exact: bool
) -> set[str]:
    """The key points whose description or a phrasing says one of ``phrases``."""
    if not phrases:
        return set()
    return {
        kp.id
        for kp in question.key_points
        if any(
            find_phrase(analyzer.tokens(text), stems, exact=exact)
            for text in (kp.description, *kp.phrasings)
            for stems in phrases
        )
    }


# ---------------------------------------------------------------------------------------------------- methods
def method_misconceptions(
    question: Question, doc: Document, claim_frames: Frames, already: Sequence[MisconceptionFound]
) -> list[MisconceptionFound]:
    """Misconceptions recognised by what the answer does (an operation on the wrong data), however it is phrased."""
    seen = {m.id for m in already}
    out = []
    for m in question.misconceptions:
        if m.id in seen or not m.methods:
            continue
        for index in range(len(doc.sentences)):
            if any(MethodCheck(method, doc, claim_frames).asserted_in(index) for method in m.methods):
                out.append(_found(m, doc.sentence_text(index)))
                break
    return out


def is_quantifier(phrase: str, lex: Lexicon) -> bool:
    """A one-word ``wrongly`` phrase that is a quantifier ("always", "never", "only")."""
    words = phrase.lower().split()
    return len(words) == 1 and any(words[0] in group for group in lex.quantifiers)


class MethodCheck:
    """Whether a sentence asserts a method: the operation and what makes it wrong within a few words of each other,
    or in the next sentence when that one goes on in time ("Then I split.") or about the same thing ("That works for
    any column."), and no exception said of it."""

    def __init__(self, method: Method, doc: Document, claim_frames: Frames) -> None:
        self.method = method
        self.doc = doc
        self.analyzer = doc.analyzer
        self.frames = claim_frames
        self.lex = lexicon(doc.analyzer.language)

    def asserted(self, sentence: Sentence, said: Sequence[str]) -> list[int]:
        """Where in ``sentence`` one of the phrases ``said`` is asserted (not negated, not said of others)."""
        phrases = [text for phrase in said for text in expand_classes(phrase)]
        where = []
        parts = clauses(self.doc.text, sentence.tokens, self.lex)
        for phrase in phrases:
            for first, _ in find_phrase(sentence.tokens, self.analyzer.all_stems(phrase)):
                if not negated_before(sentence.tokens, first, self.lex, clause=parts) and self.frames.asserted(
                    sentence.tokens[first].start
                ):
                    where.append(first)
        return where

    def exceptions(self, sentence: Sentence) -> list[int]:
        """Where ``unless`` is said, outside the words that name the later step ("the train/test split" is no
        "training split")."""
        stems = self.analyzer.all_stems
        step = {k for p in self.method.later for a, b in find_phrase(sentence.tokens, stems(p)) for k in (a, b)}
        return [
            first
            for phrase in self.method.unless
            for p in expand_classes(phrase)
            for first, last in find_phrase(sentence.tokens, stems(p))
            if not any(first <= k <= last for k in step)
        ]

    def _paired(self, here: Sentence, does: Sequence[int], clause: Sequence[int]) -> set[int]:
        """The operations said with what makes them wrong, near enough (a quantifier ("always") only in its own
        clause: "one thing I always do: I run SMOTE" says how often, not that it always helps)."""
        quantifiers = {b for p in self.method.wrongly if is_quantifier(p, self.lex) for b in self.asserted(here, [p])}
        return {
            a
            for a in does
            for b in self.asserted(here, self.method.wrongly)
            if abs(a - b) <= METHOD_REACH and abs(clause[a] - clause[b]) <= (0 if b in quantifiers else METHOD_CLAUSES)
        }

    def _goes_on(self, index: int) -> bool:
        """Whether the next sentence goes on in time with the later step, or about the same thing, saying it wrong."""
        if index + 1 >= len(self.doc.sentences):
            return False
        after = self.doc.sentences[index + 1]
        opens = after.tokens[0].word
        return (opens in self.lex.then and bool(self.asserted(after, self.method.later))) or (
            opens in self.lex.goes_on and bool(self.asserted(after, self.method.wrongly))
        )

    def asserted_in(self, index: int) -> bool:
        """Whether sentence ``index`` asserts the method."""
        here = self.doc.sentences[index]
        does = self.asserted(here, self.method.does)
        if not does:
            return False
        clause = clauses(self.doc.text, here.tokens, self.lex)
        paired = self._paired(here, does, clause)
        if not paired:
            if not self._goes_on(index):
                return False
            return not any(self.exceptions(s) for s in (here, self.doc.sentences[index + 1]))
        # The exception must be said of the operation that was said wrongly, in its clause or the next.
        near = {clause[a] for a in paired}
        return not any(
            abs(clause[first] - c) <= EXCEPTION_CLAUSES
            or (self._relative(here, clause, first, paired) and abs(clause[first] - c) <= EXCEPTION_REACH)
            for first in self.exceptions(here)
            for c in near
        )

    def _relative(self, here: Sentence, clause: Sequence[int], first: int, paired: set[int]) -> bool:
        """Whether the exception opens a relative clause after the operation ("..., which is overfitting")."""
        start = first
        while start > 0 and clause[start - 1] == clause[first]:
            start -= 1
        return here.tokens[start].word in self.lex.relative and start > min(paired)
