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

from interviewer.grading.text import NEGATIONS, Document, Sentence, Token

_REJECT = re.compile(
    r"\b(?:(?:(?:common |classic |typical |frequent |big |rookie )?(?:mistakes?|misconceptions?|myths?|pitfalls?|"
    r"traps?|fallac(?:y|ies))|(?:common|classic|typical|frequent|big|rookie) errors?) (?:is|are|was|people make|i see|"
    r"would be|here)|mistake(?:n|nly)?|misconceptions?|myths?|"
    r"wrong(?:ly)?|incorrect(?:ly)?|not true|isn'?t true|"
    r"false(?:ly)?(?!\s+(?:positives?|negatives?|alarms?|discover(?:y|ies)|starts?|rate))|"
    r"fallac(?:y|ies)|naive(?:ly)?|pitfalls?|traps?|"
    r"contrary to|(?:people|some|many|folks|juniors|beginners|others|teams|you) (?:often |sometimes |usually |might |"
    r"may |tend to |still )?(?:think|believe|assume|say|claim|confuse|expect)|(?:don'?t|do not|never|avoid|not to) "
    r"(?:confuse|conflate|mix up|make the mistake)|tempting to|bad idea|anti-?pattern|(?:should|must) (?:never|not)|"
    r"shouldn'?t|(?:are|is|get|gets|feel|be) tempted to)\b",
    re.IGNORECASE,
)
_REJECT_PREVIOUS = re.compile(
    r"^\W*(?:that|this|which|doing that|doing this)(?:'s| is| was| would be)\s+(?:exactly |just |also )?"
    r"(?:a |an |the )?"
    r"(?:(?:common|classic|typical|big|rookie|usual|real|main) )?(?:mistake|myth|misconception|trap|pitfall|wrong|"
    r"incorrect|not true|bad idea|fallacy|anti-?pattern|leakage|a leak)\b"
    r"|^\W*(?:don'?t|do not|never) do (?:that|this)\b",
    re.IGNORECASE,
)
"""A sentence that opens by rejecting the one before it ("That's the trap: ...", "This is a classic mistake.")."""
_REJECT_LOCAL = re.compile(r"\b(?:instead of|rather than|as opposed to)\b", re.IGNORECASE)
"""A rejection of the phrase that follows, up to the next clause boundary ("the median instead of the mean, ...")."""
_REJECT_AFTER = re.compile(
    r"\b(?:(?:is|are|was|were|would be|'s)\s+(?:a |an |the )?(?:\w+ )?(?:mistake|myth|misconception|wrong|incorrect|"
    r"not true|bad idea|trap|pitfall|cheating|leakage|fallacy)|leaks?|leaking|(?:introduces?|causes?|creates?) "
    r"(?:data |target |test )?leakage|(?:is|are) (?:a )?(?:common|classic) (?:mistake|error)|"
    r",\s*(?:which is |that's |that is )?(?:a |an )?(?:common |classic |typical |rookie )?"
    r"(?:mistake|myth|trap|pitfall))\b",
    re.IGNORECASE,
)
"""A rejection of what came before it in the sentence ("fitting the scaler on all rows is a common mistake")."""
"""Where a rejection frame opens: what follows is a claim the candidate names in order to reject it."""
_TURN = re.compile(
    r"\b(?:but|however|in fact|actually|in reality|instead|the truth|really|correct(?:ly)?|whereas|so i|so we|"
    r"so you|so it|which is why|the right way|what (?:i|we) do|i always|i only|i fit|i split|we only)\b|[;:]",
    re.IGNORECASE,
)
"""Where a rejection frame closes: the candidate turns to what is right."""
_REPORTER = (
    r"(?:(?i:he|she|they|them|someone|everyone|people|stakeholders?|managers?|executives?|teammates?|colleagues?|"
    r"users?|customers?|clients?|(?:the|our|my|his|her|their) [\w-]+(?: [\w-]+)?)|[A-Z][a-z]+)"
)
_REPORTED = re.compile(
    _REPORTER + r" (?:had |has |kept |initially |originally |first |still |just )?(?:said|says|saying|thought|thinks|"
    r"believed|believes|called|calls|calling|claimed|claims|argued|argues|insisted|insists|complained|complains|felt|"
    r"feels|worried|assumed|assumes|described|describes|viewed|views|saw|sees|considered|considers|dismissed|"
    r"told (?:me|us|everyone)|asked (?:me|us|why)|wanted to know|wondered|suspected|feared|was convinced|"
    r"were convinced|was sure|were sure)\b"
    r"|\b(?:according to|in (?:his|her|their) (?:words|view|eyes|opinion)|(?:his|her|their) (?:words|view|complaint|"
    r"concern|objection|argument) was)\b",
)
"""Someone else's words: what follows is theirs, not the candidate's."""


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
    for index, sentence in enumerate(doc.sentences):
        text = doc.text[sentence.start : sentence.end]
        rejected.extend(_rejection_frames(text, sentence))
        if index and _REJECT_PREVIOUS.search(text):
            before = doc.sentences[index - 1]
            rejected.append((before.start, before.end))
        for m in _REPORTED.finditer(text):
            reported.append((sentence.start + m.start(), sentence.end))
            break
    return Frames(tuple(rejected), tuple(reported))


def _rejection_frames(text: str, sentence: Sentence) -> list[tuple[int, int]]:
    spans = []
    after = _REJECT_AFTER.search(text)
    if after is not None:
        spans.append((sentence.start, sentence.start + after.start()))
    for local in _REJECT_LOCAL.finditer(text):
        boundary = re.compile(r"[,;:.]").search(text, local.end())
        spans.append((sentence.start + local.start(), sentence.start + (boundary.start() if boundary else len(text))))
    pos = 0
    while True:
        opened = _REJECT.search(text, pos)
        if opened is None:
            return spans
        turn = _TURN.search(text, opened.end())
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
    gap = 0 if exact else 2

    def same(token: Token, term: str) -> bool:
        return token.stem == term or (not exact and len(term) >= 4 and token.stem.startswith(term))

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


def negated_before(tokens: Sequence[Token], first: int, reach: int = 3, clause: Sequence[int] = ()) -> bool:
    """Whether a negation stands in the ``reach`` words before token ``first`` ("do not fit", "never on"), or a
    verbal negation opens its clause ("Don't fill every gap with the column mean")."""
    if any(
        (t.word in NEGATIONS or t.word.endswith("n't")) and t.word != "unlike"
        for t in tokens[max(0, first - reach) : first]
    ):
        return True
    if not clause:
        return False
    start = first
    while start > 0 and clause[start - 1] == clause[first]:
        start -= 1
    return any(t.word.endswith("n't") or t.word in ("never", "cannot") for t in tokens[start:first])


_CLAUSE_BREAK = frozenset(["so", "but", "while", "whereas", "which", "although", "though", "however", "unless"])
"""Words that start a clause saying something else ("..., so we pick ...")."""


def clauses(text: str, tokens: Sequence[Token]) -> list[int]:
    """A clause number for each token: +1 at a comma, semicolon or colon, +3 at a clause word, so that two tokens
    whose numbers differ by at most 2 are in one clause or in clauses joined by punctuation alone ("if the endpoint is
    up, fast and error-free, the model is fine")."""
    out: list[int] = []
    number = 0
    for i, tok in enumerate(tokens):
        if i:
            between = text[tokens[i - 1].end : tok.start]
            if tok.word in _CLAUSE_BREAK:
                number += 3
            elif any(ch in between for ch in ",;:()"):
                number += 1
        out.append(number)
    return out
