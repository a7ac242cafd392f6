"""Who asserts what: the parts of a sentence the candidate does not claim.

A claim counts against (or for) a candidate only when the candidate makes it. Two frames take the rest of a
sentence out of the candidate's mouth:

- a *rejection* frame: the candidate names a claim in order to reject it ("a common mistake is to fit the scaler on
  everything, ...", "people often think that ..."); it ends where the candidate turns to what is right ("but",
  "in fact", "instead", "so I ...");
- a *reported* frame: someone else's words ("the CFO said the forecast was a black box", "she thought ...").

Both are read from the candidate's own wording, with small word lists; nothing here knows any question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from interviewer.grading.lexicon import Lexicon, lexicon
from interviewer.grading.text import NEGATIONS, Document, Sentence, Token
from interviewer.grading.thresholds import (
    CLAIM_NEGATION_REACH,
    CLAUSE_PUNCTUATION_STEP,
    CLAUSE_WORD_STEP,
    PHRASE_GAP,
    PHRASE_PREFIX_LETTERS,
)


@dataclass(frozen=True, slots=True)
class Frames:
    """The character spans of a document that the candidate does not assert."""

    rejected: tuple[tuple[int, int], ...]
    reported: tuple[tuple[int, int], ...]

    def asserted(self, position: int) -> bool:
        """Whether the candidate asserts what is said at ``position`` (neither rejected nor someone else's)."""
        return not any(a <= position < b for a, b in (*self.rejected, *self.reported))

    def rejected_at(self, position: int) -> bool:
        return any(a <= position < b for a, b in self.rejected)


def frames(doc: Document) -> Frames:
    """Rejection and reported-speech frames of every sentence of ``doc``."""
    rejected: list[tuple[int, int]] = []
    reported: list[tuple[int, int]] = []
    lex = lexicon(doc.analyzer.language)
    for index, sentence in enumerate(doc.sentences):
        text = doc.text[sentence.start : sentence.end]
        rejected.extend(_rejection_frames(text, sentence, lex))
        if index and lex.reject_previous.search(text):
            before = doc.sentences[index - 1]
            rejected.append((before.start, before.end))
        for m in lex.reported.finditer(text):
            reported.append((sentence.start + m.start(), sentence.end))
            break
    return Frames(tuple(rejected), tuple(reported))


_BOUNDARY = re.compile(r"[,;:.]")
"""Where a local rejection ("instead of ...") ends."""


def _rejection_frames(text: str, sentence: Sentence, lex: Lexicon) -> list[tuple[int, int]]:
    spans = []
    after = lex.reject_after.search(text)
    if after is not None:
        spans.append((sentence.start, sentence.start + after.start()))
    for local in lex.reject_local.finditer(text):
        boundary = _BOUNDARY.search(text, local.end())
        spans.append((sentence.start + local.start(), sentence.start + (boundary.start() if boundary else len(text))))
    pos = 0
    while True:
        opened = lex.reject.search(text, pos)
        if opened is None:
            return spans
        turn = lex.turn.search(text, opened.end())
        end = turn.start() if turn else len(text)
        spans.append((sentence.start + opened.start(), sentence.start + end))
        if turn is None:
            return spans
        pos = turn.end()


def find_phrase(tokens: Sequence[Token], stems: Sequence[str], *, exact: bool = False) -> list[tuple[int, int]]:
    """Where ``stems`` (a phrase's stems, function words included) occur in ``tokens``, as (first, last) token
    indices: consecutively when ``exact``, else with at most two other words between terms and a term matching any
    word it begins (4+ letters: "spars" matches "sparsity")."""
    if not stems:
        return []
    gap = 0 if exact else PHRASE_GAP

    def same(token: Token, term: str) -> bool:
        return token.stem == term or (not exact and len(term) >= PHRASE_PREFIX_LETTERS and token.stem.startswith(term))

    found = []
    for i, tok in enumerate(tokens):
        if not same(tok, stems[0]):
            continue
        pos: int | None = i
        for term in stems[1:]:
            assert pos is not None
            pos = next((k for k in range(pos + 1, min(len(tokens), pos + 2 + gap)) if same(tokens[k], term)), None)
            if pos is None:
                break
        if pos is not None and not _negation_between(tokens, i, pos, stems):
            found.append((i, pos))
    return found


def _negation_between(tokens: Sequence[Token], first: int, last: int, stems: Sequence[str]) -> bool:
    """Whether a negation the phrase does not hold stands among its words ("L1 is not stable" does not say "is
    stable"; "accuracy is not fine" does not say "is fine")."""
    return any(
        (t.word in NEGATIONS or t.word.endswith("n't")) and t.stem not in stems for t in tokens[first + 1 : last]
    )


def negated_before(
    tokens: Sequence[Token], first: int, lex: Lexicon, reach: int = CLAIM_NEGATION_REACH, clause: Sequence[int] = ()
) -> bool:
    """Whether a negation stands in the ``reach`` words before token ``first`` ("do not fit", "never on"), or a
    verbal negation opens its clause ("Don't fill every gap with the column mean")."""
    if any(
        (t.word in NEGATIONS or t.word.endswith("n't")) and t.word not in lex.not_negating
        for t in tokens[max(0, first - reach) : first]
    ):
        return True
    if not clause:
        return False
    start = first
    while start > 0 and clause[start - 1] == clause[first]:
        start -= 1
    return any(t.word.endswith("n't") or t.word in lex.clause_negations for t in tokens[start:first])


def clauses(text: str, tokens: Sequence[Token], lex: Lexicon) -> list[int]:
    """A clause number for each token: +1 at a comma, semicolon or colon, +3 at a clause word, so that two tokens
    whose numbers differ by at most 2 are in one clause or in clauses joined by punctuation alone ("if the endpoint is
    up, fast and error-free, the model is fine")."""
    out: list[int] = []
    number = 0
    for i, tok in enumerate(tokens):
        if i:
            between = text[tokens[i - 1].end : tok.start]
            if tok.word in lex.clause_break:
                number += CLAUSE_WORD_STEP
            elif any(ch in between for ch in ",;:()"):
                number += CLAUSE_PUNCTUATION_STEP
        out.append(number)
    return out
