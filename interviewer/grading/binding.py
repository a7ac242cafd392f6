"""Which concept each attribute is said of: the offline grader's reading of claims, driven by a question's
``contrasts`` (concepts an answer must keep apart, each with its names and defining attributes).

Every sentence is read left to right, one contrast at a time. A name ("L1", "Lasso") makes its concept the subject
of what follows; an attribute ("absolute values") is bound to the subject of its clause, to the name of a relative
clause ("..., which squares the weights") or of a comparison it sits in ("unlike Ridge's smooth shrinkage"), to a
name that follows it in the same clause ("absolute values are what Lasso adds"), or, in a sentence that opens with
"it"/"this", to the previous sentence's subject. A name said of another concept's name ("L2, the Lasso penalty,",
"L1 is Ridge") is a binding too. An attribute or name bound to a concept it does not belong to, asserted (not
negated, not named to be rejected, not someone else's words), is a *swap*: it earns nothing and it asserts the
contrast's misconception. Attributes that no name governs stay unbound and are graded as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache

from interviewer.bank.schema import Contrast
from interviewer.grading.claims import Frames, find_phrase
from interviewer.grading.lexicon import check_words, data_file, word_section
from interviewer.grading.text import Analyzer, Document, Token, expand_classes
from interviewer.grading.thresholds import (
    COMPARISON_SCOPE,
    DENIAL_AFTER_REACH,
    DENIAL_REACH,
    LIST_MARKER_CHARS,
    NAME_CONTEXT_REACH,
    OPENING_NAME_WORDS,
)


@dataclass(frozen=True)
class _Words:
    """The words binding reads a sentence by, in one language (``[binding]`` of ``grader_<language>.toml`` says
    what each list is)."""

    compare: frozenset[str]
    lowered: frozenset[str]
    link: frozenset[str]
    copula: frozenset[str]
    clause_words: frozenset[str]
    turning: frozenset[str]
    leading: frozenset[str]
    relative: frozenset[str]
    stop_negation: frozenset[str]
    denials: frozenset[str]
    auxiliaries: frozenset[str]
    object_tail: frozenset[str]
    label: frozenset[str]
    label_filler: frozenset[str]
    distributive: frozenset[str]
    of_them: frozenset[str]
    anaphora: frozenset[str]
    noun_phrase: frozenset[str]
    relative_that: frozenset[str]
    negator: frozenset[str]
    instead: frozenset[str]
    instead_of: frozenset[str]
    verbal_negations: frozenset[str]
    cleft: frozenset[str]
    label_verbs: frozenset[str]
    label_subjects: frozenset[str]
    id_est_first: frozenset[str]
    id_est_second: frozenset[str]
    label_so: frozenset[str]
    opening_links: frozenset[str]
    coordination: frozenset[str]


@cache
def _words(language: str) -> _Words:
    sets = word_section(language, "binding")
    wanted = [f.name for f in fields(_Words)]
    check_words(data_file("grader", language).name, "binding", sets, wanted)
    return _Words(**{name: sets[name] for name in wanted})


_PUNCTUATION = frozenset(",;:()[]—–")


OTHER = "*"
"""The concept id of a contrast's ``others``: what is said of them is said of neither concept."""


@dataclass(frozen=True, slots=True)
class Binding:
    """An attribute or a name of ``owner`` (a concept of ``contrast``), said of the concepts ``said_of``."""

    contrast: str
    owner: str
    said_of: frozenset[str]
    start: int
    end: int
    sentence: int
    is_name: bool
    negated: bool
    asserted: bool
    misconception: str
    """The misconception a swap of this attribute asserts."""
    distributive: bool = False
    """Said of each of several concepts ("both", "either one")."""
    denied: bool = False
    """Denied by a negation before it ("does not look at false alarms"): a denial of the concept's own attribute is a
    wrong claim; a negation after it ("averaging doesn't chase noisy labels") denies what follows, not the attribute."""

    @property
    def swapped(self) -> bool:
        """Said of another concept (not of something else the contrast names), or of each of them ("either one
        gives exact zeros"), or denied of its own ("precision does not look at false alarms"), and asserted by the
        candidate."""
        if not self.asserted or OTHER in self.said_of:
            return False
        if self.negated:
            return self.denied and self.said_of == frozenset({self.owner})
        if self.distributive and len(self.said_of) > 1:
            return True
        return self.owner not in self.said_of


@dataclass(frozen=True, slots=True)
class _Phrase:
    stems: tuple[str, ...]
    concept: str
    is_name: bool
    misconception: str


@dataclass(frozen=True, slots=True)
class _Occurrence:
    first: int
    last: int
    phrase: _Phrase


class _Compiled:
    def __init__(self, contrast: Contrast, analyzer: Analyzer) -> None:
        self.id = contrast.id
        phrases = [*_concept_phrases(contrast, analyzer), *_claim_phrases(contrast, analyzer)]
        phrases += [_Phrase(analyzer.all_stems(text), OTHER, True, contrast.misconception) for text in contrast.others]
        self.name_swaps = contrast.name_swaps
        self.phrases_all = [p for p in phrases if p.stems]
        self.phrases = sorted((p for p in phrases if p.stems), key=lambda p: (not p.is_name, -len(p.stems)))
        self.ignore = [analyzer.all_stems(text) for text in contrast.ignore]


def _concept_phrases(contrast: Contrast, analyzer: Analyzer) -> list[_Phrase]:
    """The names and attributes of each concept (attributes said every way their word class knows)."""
    return [
        _Phrase(analyzer.all_stems(text), concept.id, is_name, contrast.misconception)
        for concept in contrast.concepts
        for is_name, texts in ((True, concept.names), (False, concept.attributes))
        for phrase in texts
        for text in ([phrase] if is_name else expand_classes(phrase))
    ]


def _claim_phrases(contrast: Contrast, analyzer: Analyzer) -> list[_Phrase]:
    """The attributes of each concept's claim groups, with the claim's own misconception."""
    return [
        _Phrase(analyzer.all_stems(text), concept.id, False, claim.misconception)
        for concept in contrast.concepts
        for claim in concept.claims
        for phrase in claim.attributes
        for text in expand_classes(phrase)
    ]


_COMPILED: dict[tuple[int, int], tuple[Contrast, Analyzer, _Compiled]] = {}


def _compiled(contrast: Contrast, analyzer: Analyzer) -> _Compiled:
    """The contrast's phrases as stems, compiled once per contrast and analyzer (a bank lives for the process)."""
    key = (id(contrast), id(analyzer))
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not contrast or hit[1] is not analyzer:
        hit = _COMPILED[key] = (contrast, analyzer, _Compiled(contrast, analyzer))
    return hit[2]


def _occurrences(tokens: Sequence[Token], compiled: _Compiled) -> list[_Occurrence]:
    taken = [False] * len(tokens)
    for stems in compiled.ignore:
        for a, b in find_phrase(tokens, stems, exact=True):
            for k in range(a, b + 1):
                taken[k] = True
    out: list[_Occurrence] = []
    # A phrase said word for word is read before one found with words between its terms: "the relationship between
    # inputs and label changing" holds "the relationship", not a loose "the inputs change".
    for loose in (False, True):
        for phrase in compiled.phrases:
            if loose and phrase.is_name:
                continue
            for a, b in find_phrase(tokens, phrase.stems, exact=not loose):
                if any(taken[a : b + 1]):
                    continue
                for k in range(a, b + 1):
                    taken[k] = True
                out.append(_Occurrence(a, b, phrase))
    return sorted(out, key=lambda o: o.first)


def bindings(doc: Document, contrasts: Sequence[Contrast], frames: Frames) -> list[Binding]:
    """Every attribute and name of ``contrasts`` in ``doc`` that is said of some concept."""
    out: list[Binding] = []
    items = _list_items(doc)
    for contrast in contrasts:
        compiled = _compiled(contrast, doc.analyzer)
        previous: frozenset[str] | None = None
        topics: dict[int, frozenset[str] | None] = {}
        for index, sentence in enumerate(doc.sentences):
            item = items[index]
            topic = topics.get(item) if item is not None else None
            reader = _SentenceReader(doc, index, sentence.tokens, compiled, frames, previous, topic)
            out.extend(reader.read())
            previous = reader.subject
            if item is not None and item not in topics:
                topics[item] = reader.opening_subject()
    return out


_BULLET = re.compile(r"[ \t]*(?:[-*•–]|\(?\d{1,2}[.)])[ \t]+")


_NUMBERED = re.compile(r"\(?\d{1,2}\)[ \t]+")


def _list_items(doc: Document) -> list[int | None]:
    """For each sentence, the index of the sentence that opens its list item ("- Random Forest is bagging. Each tree
    ...", "2) Variance: ..."), or None outside a list: the sentences of one item share its topic."""
    out: list[int | None] = []
    item: int | None = None
    end = 0
    for index, sentence in enumerate(doc.sentences):
        gap = doc.text[end : sentence.start]
        head = doc.text[sentence.start : sentence.start + LIST_MARKER_CHARS]
        line_start = "\n" in gap or end == 0
        if (line_start and _BULLET.match(gap.rsplit("\n", 1)[-1] + head)) or _NUMBERED.match(head):
            item = index  # a marker opens a new item: a bullet at a line's start, or a number ("2) Variance: ...")
        elif "\n" in gap:
            item = None  # a new line without one ends the list
        out.append(item)
        end = sentence.end
    return out


class _SentenceReader:
    """One left-to-right reading of one sentence for one contrast."""

    def __init__(
        self,
        doc: Document,
        index: int,
        tokens: Sequence[Token],
        compiled: _Compiled,
        frames: Frames,
        previous: frozenset[str] | None,
        topic: frozenset[str] | None = None,
    ) -> None:
        self.doc, self.index, self.tokens, self.compiled, self.frames = doc, index, tokens, compiled, frames
        self.w = _words(doc.analyzer.language)
        self.occurrences = _occurrences(tokens, compiled)
        self.segment = self._segments()
        self.epoch = self._epochs()
        self.subject_epoch = 0
        self.all_concepts = frozenset(p.concept for p in compiled.phrases_all if p.concept != OTHER)
        self.distributive = {i for i, t in enumerate(tokens) if t.word in self.w.distributive}
        self.inherited = self._inherited(previous)
        self.subject: frozenset[str] | None = None
        self.subject_last = -1
        self.last_named: frozenset[str] | None = None
        self.compared: tuple[str, int] | None = None  # the concept compared with, and its name's last token
        self.name_tokens = {k for o in self.occurrences if o.phrase.is_name for k in range(o.first, o.last + 1)}
        self.from_topic = self.inherited is None and topic is not None and not self.name_tokens
        if self.from_topic:
            self.inherited = topic  # a later sentence of a list item that names nothing: the item's topic

    def opening_subject(self) -> frozenset[str] | None:
        """The one concept the sentence opens with ("Random Forest is bagging."): a list item's topic."""
        names = [o for o in self.occurrences if o.phrase.is_name]
        if not names or names[0].first >= OPENING_NAME_WORDS or self.subject is None or len(self.subject) != 1:
            return None
        return self.subject if names[0].phrase.concept in self.subject else None

    def _segments(self) -> list[int]:
        seg, out = 0, []
        for i, tok in enumerate(self.tokens):
            if i and (self._punctuated(i) or tok.word in self.w.clause_words):
                seg += 1
            out.append(seg)
        return out

    def _epochs(self) -> list[int]:
        epoch, out = 0, []
        for tok in self.tokens:
            if tok.word in self.w.turning:
                epoch += 1
            out.append(epoch)
        return out

    def _punctuated(self, i: int) -> bool:
        between = self.doc.text[self.tokens[i - 1].end : self.tokens[i].start]
        return any(ch in _PUNCTUATION for ch in between) or " - " in between

    def _continues(self, last: int, i: int) -> bool:
        """Whether token ``i`` continues the noun phrase that ends at token ``last`` ("Ridge's smooth ...")."""
        return 0 < i - last <= COMPARISON_SCOPE and all(t.word in self.w.noun_phrase for t in self.tokens[last + 1 : i])

    def _apposition(self, i: int) -> bool:
        """Whether token ``i``'s clause directly follows the subject's name ("precision, of all ...")."""
        first = self.segment.index(self.segment[i])
        return first > 0 and self.subject_last == first - 1

    def _clause_between(self, i: int) -> bool:
        """Whether a clause word ("while", "but") stands between the subject's name and token ``i``."""
        return any(t.word in self.w.clause_words for t in self.tokens[self.subject_last + 1 : i])

    def _opens_segment(self, i: int) -> bool:
        """Whether token ``i`` starts its clause (after conjunctions and articles): it is then the clause's own
        subject ("..., averaging dampens them"), not something said of an earlier subject."""
        k = i - 1
        while k >= 0 and self.segment[k] == self.segment[i] and self.tokens[k].word in self.w.leading:
            k -= 1
        return k < 0 or self.segment[k] != self.segment[i]

    def _relative(self, i: int) -> bool:
        first = self.segment.index(self.segment[i])
        word = self.tokens[first].word
        return word in self.w.relative or (word in self.w.relative_that and first > 0 and self._punctuated(first))

    def _before(self, i: int, words: frozenset[str], reach: int = NAME_CONTEXT_REACH) -> bool:
        return any(self.tokens[k].word in words for k in range(max(0, i - reach), i))

    def _negated(self, i: int, last: int | None = None) -> bool:
        """Whether the claim at token ``i`` is denied: a verbal negation ("does not", "never", "isn't") in the words
        before it, with no name or clause word between ("weights of not useful features" is no denial), or right
        after it when it is the subject ("more data won't help", "more data will not rescue it")."""
        if last is not None and self._denied_after(last):
            return True
        for k in range(i - 1, max(-1, i - 1 - DENIAL_REACH), -1):
            word = self.tokens[k].word
            if k in self.name_tokens or word in self.w.stop_negation:
                return False
            if word in self.w.instead and (
                k + 1 >= len(self.tokens) or self.tokens[k + 1].word not in self.w.instead_of
            ):
                continue  # "boosting instead builds them one after the other" denies nothing
            if word.endswith("n't") or word in self.w.denials:
                return True
            if word in self.w.negator and k > 0 and self.tokens[k - 1].word in self.w.auxiliaries:
                return True
        return False

    def _denied_after(self, last: int) -> bool:
        """Whether a verbal negation follows the phrase ending at token ``last`` ("more data won't help")."""
        after = self.tokens[last + 1 : last + 1 + DENIAL_AFTER_REACH]
        for k, tok in enumerate(after):
            if k and self._punctuated(last + 1 + k):
                return False
            if tok.word.endswith("n't") or tok.word in self.w.verbal_negations:
                return True
            if tok.word in self.w.negator and k > 0 and after[k - 1].word in self.w.auxiliaries:
                return True
            if tok.word not in self.w.auxiliaries and tok.word not in self.w.object_tail:
                return False
        return False

    def read(self) -> list[Binding]:
        out: list[Binding] = []
        pending: list[_Occurrence] = []  # attributes no name governs yet
        for n, occ in enumerate(self.occurrences):
            if occ.phrase.is_name and self._labels(occ.first):
                # "..., that's MNAR", "if both are high, it's a bias problem": the name labels what came before it.
                concept = frozenset({occ.phrase.concept})
                if (
                    self.compiled.name_swaps
                    and self.subject is None
                    and not pending
                    and self.inherited is not None
                    and self._opens_with_link(occ)
                ):
                    out.append(self._binding(occ, self.inherited))  # "[Variance: ...] That is underfitting."
                out.extend(
                    self._binding(p, concept) for p in pending if self.segment[p.first] < self.segment[occ.first]
                )
                pending = []
            binding = self._name(occ) if occ.phrase.is_name else self._attribute(occ, n)
            if binding is not None:
                out.append(binding)
            elif not occ.phrase.is_name:
                pending.append(occ)
        if self.subject is None:
            self.subject = self.inherited
        return out

    def _labels(self, i: int) -> bool:
        """Whether the name at token ``i`` labels what was said before it: "that's X", "that is X", "it's a X
        problem", "which means X", "so a X thing", "i.e. X" (not a cleft: "it is X that ...")."""
        k = i - 1
        while k >= 0 and self.tokens[k].word in self.w.label_filler:
            k -= 1
        if k < 0:
            return False
        word = self.tokens[k].word
        before = self.tokens[k - 1].word if k else ""
        after = self.tokens[i + 1].word if i + 1 < len(self.tokens) else ""
        if after in self.w.cleft or any(self._punctuated(j) for j in range(k + 1, i + 1)):
            return False  # a cleft ("it is L1 that ..."), or "that is, L1 ..."
        return (
            word in self.w.label
            or (word in self.w.label_verbs and before in self.w.label_subjects)
            or (word in self.w.id_est_second and before in self.w.id_est_first)
            or (word in self.w.label_so and k < i - 1)
        )

    def _opens_with_link(self, occ: _Occurrence) -> bool:
        """Whether the sentence opens with "that is", "this was", "it's" right before the name ("That is
        underfitting."): the name is then said of the previous sentence's subject."""
        words = [t.word for t in self.tokens[: occ.first] if t.word not in self.w.label_filler]
        opening = self.w.anaphora | self.w.opening_links
        return bool(words) and words[0] in opening and all(w in self.w.link or w in opening for w in words)

    def _name(self, occ: _Occurrence) -> Binding | None:
        concept = occ.phrase.concept
        if self._before(occ.first, self.w.compare | self.w.lowered):
            self.compared = (concept, occ.last)
            self.last_named = frozenset({concept})
            return None
        self.last_named = frozenset({concept})
        if self.subject is not None and concept not in self.subject:
            between = [t.word for t in self.tokens[self.subject_last + 1 : occ.first]]
            gap = self.doc.text[self.tokens[self.subject_last].end : self.tokens[occ.first].start]
            if (
                self.compiled.name_swaps
                and all(w in self.w.link for w in between)
                and (set(between) & self.w.copula or gap.strip().startswith("("))
            ):
                # "L2, the Lasso penalty," / "L1 is Ridge" / "L2 (Lasso)": the name is said of the subject, and so
                # is what a relative clause after it says ("L2 is Lasso, which adds absolute values").
                self.last_named = self.subject
                return self._binding(occ, self.subject)
            if set(between) <= self.w.coordination and not self._clause_between(occ.first):
                # "L1 and L2 ...", "MCAR, MAR, MNAR": said of them all.
                self.subject = self.subject | {concept}
                self.subject_last = occ.last
                self.subject_epoch = self.epoch[occ.first]
                return None
        self.subject = frozenset({concept})
        self.subject_last = occ.last
        self.subject_epoch = self.epoch[occ.first]
        return None

    def _inherited(self, previous: frozenset[str] | None) -> frozenset[str] | None:
        """What a sentence that opens with an anaphor ("It ...", "This ...") is about: the previous sentence's
        subject; "Both of them ...", "Either one ..." are about every concept."""
        tokens = self.tokens
        if len(tokens) > 1 and tokens[0].word in self.w.distributive and tokens[1].word in self.w.of_them:
            return self.all_concepts
        return previous if tokens and tokens[0].word in self.w.anaphora else None

    def _attribute(self, occ: _Occurrence, n: int) -> Binding | None:
        said_of = self._said_of(occ.first, n)
        return None if said_of is None else self._binding(occ, said_of)

    def _said_of(self, i: int, n: int) -> frozenset[str] | None:
        """What the attribute at token ``i`` (occurrence ``n``) is said of: the name a relative clause follows, the
        concept compared with, else what its clause says (see ``_said_of_in_clause``)."""
        if self._relative(i) and self.last_named is not None:
            return self.last_named
        if self.compared is not None and self._continues(self.compared[1], i):
            return frozenset({self.compared[0]})  # "unlike Ridge's smooth shrinkage", "than a forest of deep trees"
        return self._said_of_in_clause(i, n)

    def _said_of_in_clause(self, i: int, n: int) -> frozenset[str] | None:
        """A concept named later in the clause, the sentence's subject, or what the sentence inherits."""
        later = self._named_later(n)
        named_here = any(o.phrase.is_name and self.segment[o.first] == self.segment[i] for o in self.occurrences[:n])
        if later is not None and not named_here and (self.subject is None or self._opens_segment(i)):
            return later  # "..., and a Laplace prior gives L1"
        if self.subject is not None and self.subject_epoch == self.epoch[i]:
            # An attribute that opens its clause is that clause's own subject ("..., averaging dampens them"), unless
            # the clause is an apposition to the name just before it ("precision, of the flagged cases, ...").
            opens = not named_here and self._opens_segment(i)
            return None if opens and not self._apposition(i) else self.subject
        return self.inherited

    def _named_later(self, n: int) -> frozenset[str] | None:
        """The concept named after the attribute in the same clause ("absolute values are what Lasso adds")."""
        here = self.segment[self.occurrences[n].first]
        for occ in self.occurrences[n + 1 :]:
            if self.segment[occ.first] != here:
                return None
            if occ.phrase.is_name and not self._before(occ.first, self.w.compare | self.w.lowered):
                return frozenset({occ.phrase.concept})
        return None

    def _binding(self, occ: _Occurrence, said_of: frozenset[str]) -> Binding:
        start, end = self.tokens[occ.first].start, self.tokens[occ.last].end
        return Binding(
            contrast=self.compiled.id,
            owner=occ.phrase.concept,
            said_of=said_of,
            start=start,
            end=end,
            sentence=self.index,
            is_name=occ.phrase.is_name,
            negated=not occ.phrase.is_name and self._negated(occ.first, occ.last),
            # A denial read against a list item's topic is too far from its subject to be a claim about it.
            denied=not occ.phrase.is_name and not self.from_topic and self._negated(occ.first),
            asserted=self.frames.asserted(start),
            misconception=occ.phrase.misconception,
            distributive=len(said_of) > 1 and any(k < occ.first for k in self.distributive),
        )
