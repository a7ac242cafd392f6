"""Text analysis for the offline grader: sentences, stemmed tokens, and fuzzy, order- and negation-aware phrase
matching that returns a quote taken verbatim from the answer.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import snowballstemmer
from rapidfuzz import fuzz

from interviewer.domain.phrasing import sentence_spans
from interviewer.domain.phrasing import short_label as short_label  # noqa: PLC0414 - moved; re-exported for callers
from interviewer.grading.thresholds import (
    FULL_COVERAGE,
    FUZZY_MIN_LETTERS,
    FUZZY_PREFIX_LETTERS,
    FUZZY_RATIO,
    NEGATION_REACH,
    PHRASE_WINDOW_FACTOR,
    PHRASE_WINDOW_SLACK,
    SINGLE_WORD_FUZZY_LETTERS,
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=:)\s+(?=[-•*]|\d+[.)])|\s+(?=[-•*]\s)")

_LANGUAGES = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "sv": "swedish",
    "no": "norwegian",
    "da": "danish",
    "fi": "finnish",
    "ru": "russian",
}


def _lexicon() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    with (Path(__file__).with_name("lexicon_en.toml")).open("rb") as fh:
        data = tomllib.load(fh)
    classes = {key: tuple(str(t) for t in templates) for key, templates in data.pop("classes", {}).items()}
    return {key: frozenset(str(value).split()) for key, value in data.items()}, classes


_LEXICON, _CLASSES = _lexicon()
_CLASS = re.compile(r"^\{(\w+)\}\s*(.*)$")


def expand_classes(phrase: str) -> list[str]:
    """A rubric phrase with its word class said every way the lexicon knows: "{reduce} variance" is "reduce
    variance", "bring variance down", "variance goes down"... A phrase without one, or with a class the lexicon does
    not have, is itself (the braces dropped)."""
    match = _CLASS.match(phrase.strip())
    if match is None:
        return [phrase]
    templates = _CLASSES.get(match.group(1).lower())
    if templates is None:
        return [f"{match.group(1)} {match.group(2)}".strip()]
    return list(dict.fromkeys(t.replace("{}", match.group(2)).strip() for t in templates))


STOPWORDS = _LEXICON["stopwords"]
NEGATIONS = _LEXICON["negations"]
CONTRAST = _LEXICON["contrast"]
"""Words that mark a claim as one the speaker rejects ("the mistake people make is thinking X")."""
PAST_IRREGULAR = _LEXICON["past_irregular"]


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text: its lower-case form, its stem, and where it is in the original string."""

    word: str
    stem: str
    start: int
    end: int

    @property
    def is_stop(self) -> bool:
        return self.word in STOPWORDS or self.word in NEGATIONS

    @property
    def is_negation(self) -> bool:
        return self.word in NEGATIONS or self.word.endswith("n't")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence-like unit of the text (bullet items count as sentences)."""

    start: int
    end: int
    tokens: tuple[Token, ...]

    @property
    def content(self) -> list[Token]:
        return [t for t in self.tokens if not t.is_stop]

    @property
    def function_ratio(self) -> float:
        """Share of function words: near 0 for a bare list of terms, about 0.4-0.5 for explanatory prose."""
        if not self.tokens:
            return 0.0
        return sum(1 for t in self.tokens if t.is_stop) / len(self.tokens)


@dataclass(frozen=True, slots=True)
class Match:
    """Where a phrase was found: the share of its content terms present, in order or not, negated or not."""

    coverage: float
    ordered: bool
    negated: bool
    sentence: int
    start: int
    end: int
    terms: int

    @property
    def full(self) -> bool:
        return self.coverage >= FULL_COVERAGE


class Analyzer:
    """Tokenizes and stems text in one language (Snowball), with fuzzy term equality for typos and spellings."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._stemmer = snowballstemmer.stemmer(_LANGUAGES.get(language, "english"))

    @cache  # noqa: B019 - one Analyzer per language lives for the whole process
    def stem(self, word: str) -> str:
        stem: str = self._stemmer.stemWord(word)
        return stem

    def tokens(self, text: str, offset: int = 0) -> tuple[Token, ...]:
        normalized = unicodedata.normalize("NFKC", text)
        if len(normalized) != len(text):  # keep offsets into the original text
            normalized = text
        out = []
        for m in _WORD.finditer(normalized):
            word = m.group(0).lower().replace("’", "'")
            out.append(Token(word, self.stem(word.replace("'", "")), m.start() + offset, m.end() + offset))
        return tuple(out)

    def sentences(self, text: str) -> list[Sentence]:
        out: list[Sentence] = []
        pos = 0
        for piece in [*_SENTENCE_END.split(text)]:
            if piece is None:
                continue
            start = text.find(piece, pos)
            if start < 0:
                start = pos
            end = start + len(piece)
            pos = end
            toks = self.tokens(piece, offset=start)
            if toks:
                out.append(Sentence(start, end, toks))
        return out

    @cache  # noqa: B019 - rubric phrases repeat for every answer graded
    def content_stems(self, text: str) -> tuple[str, ...]:
        """The stems of a phrase's content words, in order (function words dropped)."""
        return tuple(t.stem for t in self.tokens(text) if not t.is_stop)

    @cache  # noqa: B019
    def all_stems(self, text: str) -> tuple[str, ...]:
        """The stems of every word of a phrase, in order."""
        return tuple(t.stem for t in self.tokens(text))

    @cache  # noqa: B019
    def has_negation(self, text: str) -> bool:
        return any(t.is_negation for t in self.tokens(text))


@cache
def _fuzzy_equal(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < FUZZY_MIN_LETTERS or a[0] != b[0]:
        return False
    if a.startswith(b) or b.startswith(a):
        return min(len(a), len(b)) >= FUZZY_PREFIX_LETTERS
    return fuzz.ratio(a, b) >= FUZZY_RATIO


def term_equal(a: str, b: str) -> bool:
    """Stems equal, or close enough to be a typo or a spelling variant (regularisation / regularization)."""
    if a == b:
        return True
    if len(a) < FUZZY_MIN_LETTERS or len(b) < FUZZY_MIN_LETTERS or a[0] != b[0]:
        return False
    return _fuzzy_equal(a, b) if a <= b else _fuzzy_equal(b, a)


class Document:
    """An answer prepared for matching: sentences, tokens, and an index of which sentences hold which stems, so that
    matching a phrase costs a look-up per term rather than a scan of every word."""

    def __init__(self, text: str, analyzer: Analyzer, *, drop: Sequence[tuple[int, int]] = ()) -> None:
        self.text = text
        self.analyzer = analyzer
        self.sentences = analyzer.sentences(text)
        if drop:
            # Words that earn nothing (a swapped claim, a bare list of terms) are left out of matching; the sentences
            # keep their place in the text, so quotes are still verbatim.
            kept = [
                Sentence(s.start, s.end, tuple(t for t in s.tokens if not any(a <= t.start < b for a, b in drop)))
                for s in self.sentences
            ]
            self.sentences = [s for s in kept if s.tokens]
        self._where: dict[str, set[int]] = {}
        for index, sentence in enumerate(self.sentences):
            for tok in sentence.tokens:
                if not tok.is_stop:
                    self._where.setdefault(tok.stem, set()).add(index)
        self.stems = frozenset(self._where)
        self._loose: dict[str, frozenset[str]] = {}
        self._strict: dict[str, frozenset[str]] = {}
        self._spans: list[tuple[int, int]] | None = None

    def _matching(self, term: str) -> frozenset[str]:
        """The answer's stems equal to ``term`` or a typo/spelling variant of it (5+ letters)."""
        found = self._loose.get(term)
        if found is None:
            found = frozenset(s for s in self.stems if term_equal(s, term))
            self._loose[term] = found
        return found

    def _matching_long(self, term: str) -> frozenset[str]:
        """Like ``_matching`` but fuzzy only between stems of 6+ letters (for single-word evidence)."""
        found = self._strict.get(term)
        if found is None:
            exact = {term} & self.stems
            long = SINGLE_WORD_FUZZY_LETTERS
            fuzzy = {s for s in self.stems if len(s) >= long and term_equal(s, term)} if len(term) >= long else set()
            found = frozenset(exact | fuzzy)
            self._strict[term] = found
        return found

    def _sentences_with(self, stems: frozenset[str]) -> set[int]:
        out: set[int] = set()
        for stem in stems:
            out |= self._where[stem]
        return out

    def has_stem(self, stem: str) -> bool:
        """Whether the answer uses this stem (or a close spelling of it)."""
        return bool(self._matching_long(stem))

    def evidence(self, stems: frozenset[str], span: int = 2) -> tuple[int, int]:
        """The most distinct ``stems`` found in ``span`` adjacent sentences, and the sentence of that window that
        holds most of them (the one to quote)."""
        located = [self._sentences_with(self._matching_long(st)) for st in stems]
        located = [s for s in located if s]
        best, where = 0, -1
        for i in range(len(self.sentences)):
            window = range(i, min(i + span, len(self.sentences)))
            found = sum(1 for s in located if not s.isdisjoint(window))
            if found > best:
                best, where = found, max(window, key=lambda k: sum(1 for s in located if k in s))
        return best, where

    @property
    def content_tokens(self) -> list[Token]:
        return [t for s in self.sentences for t in s.content]

    def find(self, terms: Sequence[str], *, expect_negation: bool = False, window: int | None = None) -> Match | None:
        """The best match of a phrase's content stems in one sentence, or None if no term occurs at all.

        ``window`` bounds how many tokens the matched terms may spread over (default: loose, for paraphrases)."""
        if not terms:
            return None
        matching = [self._matching(term) for term in terms]
        candidates = sorted(self._sentences_with(frozenset().union(*matching)))
        best: Match | None = None
        window = window if window is not None else PHRASE_WINDOW_FACTOR * len(terms) + PHRASE_WINDOW_SLACK
        for index in candidates:
            for candidate in self._matches_in(index, matching, window, expect_negation=expect_negation):
                if best is None or _better(candidate, best):
                    best = candidate
        return best

    def _matches_in(
        self, index: int, matching: Sequence[frozenset[str]], window: int, *, expect_negation: bool
    ) -> Iterator[Match]:
        """Every match in sentence ``index`` that starts at a matched term and spans at most ``window`` tokens."""
        toks = self.sentences[index].tokens
        positions = [
            (pos, ti)
            for pos, tok in enumerate(toks)
            if not tok.is_stop
            for ti, stems in enumerate(matching)
            if tok.stem in stems
        ]
        for i, (p0, _) in enumerate(positions):
            inside = [(p, ti) for p, ti in positions[i:] if p - p0 <= window]
            match = _match(toks, inside, index, len(matching))
            yield replace(match, negated=not match.negated) if expect_negation else match

    def sentence_text(self, index: int) -> str | None:
        """The whole sentence (as a reader sees it, see ``whole_sentence``) that holds sentence ``index``; None for
        -1."""
        if index < 0:
            return None
        sentence = self.sentences[index]
        return self.whole_sentence(sentence.start, sentence.end)

    def whole_sentence(self, start: int, end: int) -> str:
        """The verbatim text of the sentence(s) that hold ``text[start:end]``, as a reader sees them: the grader
        splits at semicolons and after "e.g." to match phrases; a quote extends to the real sentence end."""
        if self._spans is None:
            self._spans = sentence_spans(self.text)
        lo = next((s for s, e in self._spans if s <= start < e), start)
        hi = next((e for s, e in self._spans if s < end <= e), end)
        return self.text[min(lo, start) : max(hi, end)].strip()

    def quote(self, match: Match) -> str:
        """The evidence for a match: the whole sentence of the answer it is in, verbatim (shown shortened, at a clause
        boundary, by ``phrasing.display_quote``)."""
        return self.sentence_text(match.sentence) or ""


def _match(toks: Sequence[Token], inside: Sequence[tuple[int, int]], index: int, terms: int) -> Match:
    """The match of the terms found at ``inside`` (token position, term index; the first one starts it)."""
    p0 = inside[0][0]
    coverage = len({ti for _, ti in inside}) / terms
    first: dict[int, int] = {}
    for p, ti in inside:
        first.setdefault(ti, p)
    order = [first[ti] for ti in sorted(first)]
    p_end = max(p for p, _ in inside)
    negated = _negated(toks, max(0, p0 - NEGATION_REACH), p_end)
    return Match(coverage, order == sorted(order), negated, index, toks[p0].start, toks[p_end].end, terms)


def _negated(toks: Sequence[Token], lo: int, end: int) -> bool:
    """A negation among the matched words (or just before them), or a word before them that rejects the claim."""
    return any(toks[k].is_negation for k in range(lo, end + 1)) or any(t.word in CONTRAST for t in toks[: end + 1])


def _better(a: Match, b: Match) -> bool:
    key_a = (round(a.coverage, 3), not a.negated, a.ordered, -(a.end - a.start))
    key_b = (round(b.coverage, 3), not b.negated, b.ordered, -(b.end - b.start))
    return key_a > key_b


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where ``quote`` occurs in ``text``, ignoring differences in white space (none for an empty quote)."""
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [m.span() for m in pattern.finditer(text)]


def contains_quote(text: str, quote: str) -> bool:
    """Whether ``quote`` really occurs in ``text`` (ignoring differences in white space)."""
    return bool(quote_spans(text, quote))
