"""Lists of terms in place of an explanation: bare lists put before or after an answer (their phrases earn nothing),
and answers that are nothing but a list of terms (at most partial credit)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from interviewer.grading.lexicon import Lexicon, lexicon
from interviewer.grading.story import story_reader
from interviewer.grading.text import Analyzer, Document, Sentence
from interviewer.grading.thresholds import (
    LIST_DENIAL_SHARE,
    LIST_FIRST_ITEM_WORDS,
    LIST_FUNCTION_SHARE,
    LIST_ITEM_WORDS,
    LIST_MIN_ITEMS,
    LIST_SHORT_SHARE,
    LIST_WORDY_SHARE,
    LONG_LIST,
    SHORT_LINE_FUNCTION_SHARE,
    SHORT_LINE_RUN,
    SHORT_LINE_WORDS,
    TERM_LIST_FUNCTION_SHARE,
    TERM_LIST_MIN_WORDS,
)

_BULLET = re.compile(r"(?:^|\s)(?:[-•*]|\d+[.)])(?:\s|$)")
"""A list marker: the answer is given as bullet points or numbered items."""
_LEAD_IN = re.compile(r":|->|=>|→")
"""What ends a list's lead-in ("Monitoring:", "Variance ->")."""
_WORDY = re.compile(r"[^\W\d_]{3,}")
"""A word of three letters or more (an item of notation has none)."""


def is_term_list(doc: Document) -> bool:
    """A list of terms without explanation: few function words across a non-trivial answer."""
    tokens = [t for s in doc.sentences for t in s.tokens]
    if len(tokens) < TERM_LIST_MIN_WORDS:
        return False
    ratio = sum(1 for t in tokens if t.is_stop) / len(tokens)
    return ratio < TERM_LIST_FUNCTION_SHARE


def stuffed_lists(doc: Document) -> list[tuple[int, int]]:
    """The spans of bare lists of terms put before or after an answer: comma-separated runs of short items, or runs
    of short lines, that no lead-in says anything about ("P.S. sparse model, elastic net, ..."). Their phrases earn
    nothing (a list alone is still graded as the list of terms it is). A list inside an explanation, or after a
    lead-in that names what it lists ("Monitoring: ..."), is part of the answer."""
    flags = [_bare_list(doc, n) for n in range(len(doc.sentences))]
    story = story_reader(doc.analyzer.language)
    short = [_short_line(s, story.first_person_past(s.tokens)) for s in doc.sentences]
    markers = [len(_BULLET.findall(doc.text[s.start : s.end])) for s in doc.sentences]
    spans: list[tuple[int, int]] = []
    for edge in (range(len(flags)), range(len(flags) - 1, -1, -1)):
        run = _run(edge, flags, short)
        rest_bulleted = sum(markers[n] for n in range(len(flags)) if n not in run) >= 1
        if sum(flags[n] for n in run) >= 1 or (len(run) >= SHORT_LINE_RUN and not rest_bulleted):
            # A run of short lines is stuffing when the rest is prose; in an answer given as bullet points it is
            # the answer's own form.
            spans.extend((doc.sentences[n].start, doc.sentences[n].end) for n in run)
    return sorted(set(spans))


def _short_line(sentence: Sentence, told: bool) -> bool:
    """A line of a few words that says nothing of what happened (``told``: it does) and is mostly terms."""
    return len(sentence.tokens) <= SHORT_LINE_WORDS and not told and sentence.function_ratio < SHORT_LINE_FUNCTION_SHARE


def _run(edge: range, flags: Sequence[bool], short: Sequence[bool]) -> list[int]:
    """The sentences from one end of the answer (in ``edge`` order) that are lists or short lines, up to the first
    that is neither."""
    run = []
    for n in edge:
        if not (flags[n] or short[n]):
            break
        run.append(n)
    return run


def _items(rest: str, lex: Lexicon) -> list[str]:
    """The items of a list: what commas, semicolons and joining words ("and", "plus") separate."""
    return [i for i in lex.list_split.split(rest) if i.strip()]


def _terms(items: Sequence[str], lex: Lexicon) -> bool:
    """Whether comma-separated items are short terms: words (not notation), not claims ("no flow control"), and
    mostly of a few words."""
    if len(items) < LIST_MIN_ITEMS or len(items[0].split()) >= LIST_FIRST_ITEM_WORDS:
        return False
    if sum(1 for i in items if _WORDY.search(i)) < LIST_WORDY_SHARE * len(items):
        return False  # notation ("(A, B, drop), (B, E, forward)"), not a list of terms
    if sum(1 for i in items if lex.denial.search(i)) >= LIST_DENIAL_SHARE * len(items):
        return False  # claims ("no flow control, no connect"), not terms
    return sum(1 for i in items if len(i.split()) <= LIST_ITEM_WORDS) >= LIST_SHORT_SHARE * len(items)


def _bare_list(doc: Document, n: int) -> bool:
    """Whether sentence ``n`` is a comma-separated list of short terms with no lead-in that says what it lists."""
    lex = lexicon(doc.analyzer.language)
    s = doc.sentences[n]
    lead, rest = _lead_in(doc.text[s.start : s.end])
    items = _items(rest, lex)
    if not _terms(items, lex):
        return False
    if not lead and n:
        before = doc.sentences[n - 1]
        previous = doc.text[before.start : before.end].rstrip()
        lead = previous if previous.endswith(":") else ""
    if lead and _substantive(lead, doc.analyzer, lex) and len(items) < LONG_LIST:
        return False
    return sum(1 for t in s.tokens if t.is_stop) / len(s.tokens) < LIST_FUNCTION_SHARE


def _lead_in(body: str) -> tuple[str, str]:
    """A list's lead-in ("Monitoring:", "Variance ->") and the list after it."""
    m = _LEAD_IN.search(body)
    return (body[: m.start()], body[m.end() :]) if m else ("", body)


def _substantive(lead: str, analyzer: Analyzer, lex: Lexicon) -> bool:
    """Whether a lead-in says what its list is about ("Monitoring:", "To reduce variance:"), unlike "Keywords:"."""
    return any(stem not in lex.list_meta for stem in analyzer.content_stems(lead))
