"""The offline rubric grader: deterministic, no model, about a millisecond an answer.

Technical answers: each key point is matched through its accepted phrasings (stemmed, fuzzy, order- and
negation-aware); a point is *hit* when the answer makes it with substance (two accepted phrasings, or one specific
one, in real sentences), *partial* when it is only mentioned. Misconceptions are matched the same way, must be
asserted (not negated) and cap the score. Behavioral answers: STAR components and qualities are found from the
rubric's signals plus the shape of the story (first-person past-tense actions, outcomes, numbers, reflection),
and the question's own criteria as key points. The overall 1-5 level follows the rubric's level descriptors.

Text that addresses the grader (instructions, fake scores, JSON) is removed before grading, so it never earns
anything; lists of terms without explanation earn at most partial credit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from interviewer.bank.loader import Bank
from interviewer.bank.schema import KeyPoint, Kind, Method, Misconception, Question, StarComponent
from interviewer.domain.grades import (
    Grade,
    KeyPointResult,
    MisconceptionFound,
    StarResult,
    Status,
)
from interviewer.domain.phrasing import rubric_sentence
from interviewer.grading.binding import Binding, bindings
from interviewer.grading.claims import Frames, clauses, find_phrase, frames, negated_before
from interviewer.grading.gaps import Gap, importance, ranked_gaps
from interviewer.grading.levels import behavioral_level as _behavioral_level
from interviewer.grading.levels import technical_level as _technical_level
from interviewer.grading.text import PAST_IRREGULAR, Analyzer, Document, Match, Sentence, Token, expand_classes

GRADER_NAME = "rubric"
OFFLINE_MODEL = "offline"

_ADDRESSEE = r"(?:grader|grading (?:model|system)|evaluator|assessor|examiner|judge|reviewer|ai|llm|language model)"
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|rules|prompts?|rubric|guidelines)"
    r"|\b(?:note|message|instructions?|memo)s? (?:to|for) (?:the |any )?" + _ADDRESSEE + r"\b"
    r"|\b(?:dear|attention|hey|hi) " + _ADDRESSEE + r"\b|\b" + _ADDRESSEE + r"\s*[:,]"
    r"|\b(?:system|assistant|developer)\s*(?:prompt|message|note)?\s*:"
    r"|\b(?:score|grade|rating|mark)s?\s*(?:=|:)\s*\d"
    r"|\b\d(?:\.\d)?\s*(?:/|out of)\s*(?:5|10|100)\b(?!\s*(?:ms|%|percent))"
    r"|\b(?:give|award|assign|rate|mark)\s+(?:this|the|my|me|it)\b[^.\n]{0,40}\b(?:score|grade|marks?|rating|stars?)\b"
    r"|\b(?:maximum|max|full|perfect|top|highest) (?:score|marks?|grade|rating|points)\b"
    r"|\brubric\b|\bcovers every (?:key )?point\b|\bmodel answer\b"
    r"|\"\s*(?:score|grade|overall|key_points|star|rating)\"\s*:",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\([^()]{0,600}\)|\[[^\[\]]{0,600}\]")
_META = frozenset(
    {
        "state",
        "correct",
        "explain",
        "describ",
        "mention",
        "note",
        "give",
        "name",
        "recogn",
        "identifi",
        "candid",
        "answer",
        "discuss",
        "cover",
        "show",
        "e.g",
        "eg",
        "i.e",
        "ie",
        "least",
        "one",
        "two",
        "exampl",
    }
)
"""Rubric meta-words in key point descriptions ("Correctly states that...") that answers do not use."""
_JSON_BLOB = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", re.DOTALL)

_WOULD = r"i would|you would|you should|one should|if i were|i might"
"""What someone would do, rather than what they did."""
_HYPOTHETICAL = re.compile(
    rf"\b(?:{_WOULD}|i'd|i will|i'll|i usually|i always|i typically|i generally|i normally|i tend to|i try to|"
    r"i'd probably|i would probably)\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(
    rf"\b(?:{_WOULD}|i['’]d(?! (?:already|just|never|been|had))|we['’]d(?! (?:already|just|never|been|had))|we would|"
    r"if i had to|if we (?:can't|cannot)|let['’]s say|say (?:i|we)|suppose|imagine|hypothetically)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?:\$\s?\d[\d,.]*\s?[kmb]?\b|\b\d[\d,.]*\s?(?:%|percent|x\b|times\b|ms\b|milliseconds|seconds|minutes|hours|"
    r"days|weeks|months|k\b|m\b|million|billion|thousand|users|customers|points|pp\b|percentage points|"
    r"tickets|requests|dollars|usd|eur|fte|engineers|people)|\bfrom \d[\d,.]*\s?%?\s*to \d)",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"\$\s?\d|\b\d[\d,.]*\b|\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|"
    r"seven|eight|nine)\b|\b(?:one|two|three|four)-(?:thirds?|quarters?|fifths?)\b|"
    r"(?<!-)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|thousand|dozen|half)\b(?!-)|"
    r"\b(?:by|to) (?:a |one )?(?:half|third|quarter|fifth|tenth)\b|"
    r"\bhalved\b|\bdoubled\b|\btripled\b|\btwice as\b|\b(?:two|three|four|five|ten) times\b",
    re.IGNORECASE,
)
"""Any amount, in digits or words ("by a third", "halved", "two-thirds"): a measure when it says how much something
changed. A number word inside a compound is none ("one-to-one", "one-off", "two-way")."""
_REFLECTION = re.compile(
    r"\b(?:i(?:['’]ve| have)? learn(?:ed|t)|learn(?:ed|t) (?:that|a lot|how)|lesson|in hindsight|looking back|"
    r"next time|would do (?:it )?differently|taught me|i realized|i realised|takeaway|since then|now i always|"
    r"i now (?:always|make sure|start|check|ask|try|insist|begin|write|plan|involve|bring)|"
    r"if i did it again|i'd do differently|(?:i|we) would have|i['’]d have)\b",
    re.IGNORECASE,
)
_LESSON = re.compile(
    r"\b(?:i(?: would|['’]d)(?! (?:say|argue|think|guess|call|imagine|estimate|rate|describe))|"
    r"(?:i|we) should(?: have|['’]ve)|i wish|next time|if i (?:did|had|were to do|could do) it (?:again|over)|"
    r"(?:i|we) would have|i['’]d have|(?:i|we) (?:could|might) have)\b",
    re.IGNORECASE,
)
"""What one would do differently: a reflection's natural, conditional form (after a story that happened)."""
_FUTURE_IN_PAST = re.compile(
    r"\b(?:agreed|decided|said|promised|told \w+|planned|offered|settled|suggested|proposed|met in the middle|"
    r"(?:compromise|deal|plan|idea|agreement) was)\b[^.!?]*?\b(?:i|we|she|he|they)(?:['’]d| would)\b(?! have)",
    re.IGNORECASE,
)
"""What was agreed or said would happen, in a story ("we met in the middle: I'd do a quick check first"): what was
to come then, not what the candidate would do differently."""
_CHANGE = frozenset(
    [
        "reduc",
        "increas",
        "improv",
        "decreas",
        "drop",
        "fell",
        "fall",
        "rose",
        "rise",
        "grew",
        "grow",
        "cut",
        "save",
        "saved",
        "doubl",
        "halv",
        "tripl",
        "lift",
        "prevent",
        "avoid",
        "won",
        "achiev",
        "shrank",
        "lower",
        "rais",
    ]
)
"""Stems of a change: what followed, even in a sentence whose subject is the candidate ("I cut latency by half",
with the measure that says so)."""
_FOLLOWED = _CHANGE | frozenset(
    [
        "adopt",
        "approv",
        "agre",
        "sign",
        "kept",
        "keep",
        "chose",
        "pick",
        "select",
        "settl",
        "resolv",
        "decid",
        "renew",
        "stop",
        "caught",
        "succeed",
        "success",
        "fail",
        "lost",
        "becam",
        "start",
        "accept",
        "convinc",
        "promot",
        "expand",
        "use",
        "meant",
        "end",
        "eventu",
        "final",
        "thank",
        "prais",
        "chang",
        "wors",
        "green",
        "result",
        "outcom",
        "impact",
        "gain",
    ]
)
"""Stems of what followed when someone else, or the team, is the subject ("legal signed off", "we settled on")."""
_RELEASED = frozenset(["ship", "launch", "deploy", "roll", "complet", "finish", "live"])
"""Stems of a release: a result when it is said of the work ("the model went live"), an action when the candidate
does it ("I deployed it")."""
_OBLIGATION = re.compile(
    r"\b(?:had to|has to|have to|needed to|need to|must|wanted (?:to|me|us)|was supposed to|were supposed to|"
    r"would have to|asked (?:me|us|him|her|them) to|(?:was|were) going to|(?:was|were|is|are) about to|"
    r"planned to|could|might|"
    r"(?:my|our|the) (?:task|goal|aim|job|mandate|objective|target) (?:is|was)|would(?! have)|maybe|perhaps|"
    r"success (?:meant|means|would mean|was defined|looked like)|"
    r"agreed (?:up ?front|at the start|beforehand|on the metric)|"
    r"(?:was|were) (?:launching|building|"
    r"trying|planning|working)|(?:i|we) (?:was|were) (?:still )?\w+ing)\b",
    re.IGNORECASE,
)
"""What was to be done, was about to happen, or was still going on when the story stops, not what followed ("legal had
to sign off", "the pilot was about to start", "I was still writing it up")."""
_CHANGE6 = frozenset(w[:6] for w in _CHANGE)
_FOLLOWED6 = frozenset(w[:6] for w in _FOLLOWED)
_RELEASED6 = frozenset(w[:6] for w in _RELEASED)
_COMPARED = re.compile(
    r"\b(?:vs\.?|versus|compared (?:to|with)|than|from (?:\S+ ){1,4}to|down to|up to|down from|up from|before|"
    r"previously|instead of|used to|by (?:about |around |roughly |almost |nearly |over |more than |some )?"
    r"(?:\$?\d|a (?:half|third|quarter|fifth|tenth|factor)|one|two|three|four|five|six|seven|eight|nine|ten|half|"
    r"twenty|thirty|forty|fifty))",
    re.IGNORECASE,
)


_ORG = (
    r"(?:company|startup|start-up|bank|fintech|retailer|store|shop|site|platform|studio|supplier|brokerage|clinic|"
    r"clinics|hospital|agency|firm|lab|team|consultancy|insurer|manufacturer|marketplace|app|telecom|"
    r"university|client|employer|organi[sz]ation|business|department|factory|plant|e-commerce|group)"
)
_TIME_PLACE = re.compile(
    r"\b(?:at|in|for|with) (?:a|an|the|my|our|one) (?:[\w'-]+ ){0,4}" + _ORG + r"\b"
    r"|\b(?:at my (?:previous|last|current|old|first)|in my (?:previous|last|current|old|first|job|role)"
    r"|when i (?:was|worked)|i worked (?:for|at|on|with|in)|i was working|we had|i joined|back when|one time"
    r"|last (?:year|quarter|month|spring|summer|autumn|fall|winter)|(?:years?|months?|weeks?) ago"
    r"|(?:19|20)\d\d|context|situation|background|the problem was|problem was|the issue was|we were"
    r"|i(?:'m| am)? work(?:ing)? (?:on|in|at|as|for)|as an? (?:[\w-]+ ){0,3}(?:engineer|scientist|developer|researcher|"
    r"lead|analyst|manager)|my (?:role|job|team|work) (?:is|was|involves|involved))\b",
    re.IGNORECASE,
)
_TASK = re.compile(
    r"\b(?:my (?:task|goal|role|job|responsibility|mandate|assignment|part)|i was (?:asked|tasked|responsible|"
    r"in charge|assigned|expected|supposed|leading|the)|i (?:needed|had|wanted|aimed|decided|set out|volunteered) to"
    r"|(?:the|our) (?:goal|task|aim|objective|target|mandate) was|asked me to|wanted me to|needed me to|"
    r"i (?:owned|led|lead|own)\b|to own|task:|goal:|had to (?:decide|approve|choose|get|deliver|ship|cut|reduce)"
    r"|must (?:approve|decide|choose|deliver)|so that we could|the deadline)",
    re.IGNORECASE,
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


@dataclass(frozen=True)
class _Found:
    status: Status
    quote: str | None
    support: float = 0.0


def strip_grader_directives(text: str) -> str:
    """Remove what addresses the grader (instructions, claimed scores, fake JSON grades, in brackets or as whole
    sentences): it is not part of an answer's substance, so it can never earn anything."""
    text = _JSON_BLOB.sub(lambda m: " " if _INJECTION.search(m.group(0)) else m.group(0), text)
    text = _BRACKETED.sub(lambda m: " " if _INJECTION.search(m.group(0)) else m.group(0), text)
    lines = []
    for line in text.split("\n"):
        pieces = re.split(r"(?<=[.!?])\s+", line)
        lines.append(" ".join(p for p in pieces if not _INJECTION.search(p)))
    return re.sub(r"[ \t]{2,}", " ", "\n".join(lines)).strip()


def _threshold(terms: int) -> float:
    return 1.0 if terms <= 3 else 0.75


class RubricGrader:
    """Grades answers against a bank's rubrics with no model."""

    name = GRADER_NAME

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.analyzer = Analyzer(bank.language)
        self._generic_cache: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}

    # ----------------------------------------------------------------------------------------------- public API
    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        """The Grader interface (grading offline never waits, so this runs inline)."""
        return self.grade_sync(question, answers)

    def grade_sync(self, question: Question, answers: Sequence[str]) -> Grade:
        """Grade the answer to ``question`` together with any follow-up answers."""
        text = strip_grader_directives("\n\n".join(a for a in answers if a.strip()))
        doc = Document(text, self.analyzer)
        if self._is_copy_or_empty(question, doc):
            # Level 1, and nothing in it is credited: what it shares with the question is the question's wording,
            # not evidence of a story or a point. Graded as the empty answer it amounts to.
            doc = Document("", self.analyzer)
        reading = self.read(question, doc)
        if question.kind is Kind.BEHAVIORAL and not question.reference_only:
            return self._grade_behavioral(question, reading, answers)
        return self._grade_technical(question, reading, answers)

    def read(self, question: Question, doc: Document) -> Reading:
        """What the answer claims: swapped concepts, wrong methods, and the words left to credit."""
        claim_frames = frames(doc)
        swaps = [b for b in bindings(doc, question.contrasts, claim_frames) if b.swapped]
        lists = stuffed_lists(doc)
        drop = [(b.start, b.end) for b in swaps] + lists
        graded = Document(doc.text, self.analyzer, drop=drop) if drop else doc
        if lists and len(graded.content_tokens) < 3:
            graded = Document(doc.text, self.analyzer, drop=[(b.start, b.end) for b in swaps])
        # A misconception that a contrast declares is read from what the answer binds, not from its wording alone.
        bound = {c.misconception for c in question.contrasts} | {
            claim.misconception for c in question.contrasts for k in c.concepts for claim in k.claims
        }
        worded = [m for m in question.misconceptions if m.id not in bound]
        misconceptions = self._misconceptions(worded, doc, claim_frames)
        misconceptions += _swap_misconceptions(question, doc, swaps, misconceptions)
        uncredited = _about_swapped(question, swaps, self.analyzer)
        misconceptions += _method_misconceptions(question, doc, claim_frames, misconceptions)
        return Reading(doc=doc, graded=graded, misconceptions=misconceptions, swaps=swaps, uncredited=uncredited)

    # ------------------------------------------------------------------------------------------------ technical
    def _grade_technical(self, question: Question, reading: Reading, answers: Sequence[str]) -> Grade:
        doc = reading.graded
        derived = question.reference_only or not question.key_points
        key_points = derive_key_points(question, self.analyzer) if derived else question.key_points
        if derived:
            own = {s for s in self.analyzer.content_stems(question.text)}
            results = [self._reference_point(kp, doc, frozenset(own)) for kp in key_points]
        else:
            generic = self._generic_stems(question, key_points)
            results = [self._key_point(kp, doc, generic) for kp in key_points]
            results = [
                r.model_copy(update={"status": Status.MISSED, "quote": None, "support": min(r.support, 0.5)})
                if r.id in reading.uncredited
                else r
                for r in results
            ]
        misconceptions = reading.misconceptions
        stuffed = self._is_term_list(reading.doc)
        if stuffed:
            results = [
                r.model_copy(update={"status": Status.PARTIAL}) if r.status is Status.HIT else r for r in results
            ]
        if derived:
            score = _level_from_recall(self._reference_recall(question, doc))
        else:
            score = _technical_level(results, len(doc.content_tokens))
        if misconceptions:
            score = min(score, *(m.max_score for m in misconceptions), _wrong_floor(results))
        if stuffed:
            score = min(score, 2)
        return self._finish(question, score, results=results, misconceptions=misconceptions, star=[], answers=answers)

    def _reference_recall(self, question: Question, doc: Document) -> float:
        """The share of the reference answer's distinctive words (not the question's) that the answer uses."""
        own = set(self.analyzer.content_stems(question.text))
        stems = [s for s in dict.fromkeys(self.analyzer.content_stems(question.reference_answer or "")) if s not in own]
        return sum(1 for s in stems if doc.has_stem(s)) / len(stems) if stems else 0.0

    def _reference_point(self, kp: KeyPoint, doc: Document, generic: frozenset[str]) -> KeyPointResult:
        """A clause of a reference answer: the share of its content words the answer uses (paraphrase-tolerant)."""
        stems = [s for s in dict.fromkeys(self.analyzer.content_stems(kp.description)) if s not in generic]
        if not stems:
            status = Status.MISSED
        else:
            found = sum(1 for s in stems if doc.has_stem(s))
            recall = found / len(stems)
            status = Status.HIT if recall >= 0.6 else Status.PARTIAL if recall >= 0.3 else Status.MISSED
        return KeyPointResult(
            id=kp.id, description=kp.description, status=status, quote=None, required=True, weight=kp.weight
        )

    def _key_point(self, kp: KeyPoint, doc: Document, generic: frozenset[str] = frozenset()) -> KeyPointResult:
        stems = (
            frozenset(s for text in (*kp.phrasings, kp.description) for s in self.analyzer.content_stems(text))
            - generic
            - _META
        )
        found = self._find_point(kp.phrasings, doc, stems)
        return KeyPointResult(
            id=kp.id,
            description=kp.description,
            status=found.status,
            quote=found.quote,
            required=kp.required,
            weight=kp.weight,
            support=found.support,
        )

    def _generic_stems(self, question: Question, key_points: Sequence[KeyPoint]) -> frozenset[str]:
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
        shared = {st for st, n in counts.items() if n >= max(3, len(key_points) // 2 + 1)}
        own = {s for t in (question.text, *question.alternatives) for s in self.analyzer.content_stems(t)}
        return frozenset(shared | own)

    def _find_point(self, phrasings: Sequence[str], doc: Document, stems: frozenset[str] = frozenset()) -> _Found:
        strong: list[tuple[Match, int]] = []
        weak = 0
        for phrasing in phrasings:
            terms = self.analyzer.content_stems(phrasing)
            if not terms:
                continue
            match = doc.find(terms, expect_negation=self.analyzer.has_negation(phrasing))
            if match is None or match.negated:
                continue
            if match.coverage >= _threshold(len(terms)) and (match.ordered or len(terms) <= 2):
                strong.append((match, len(terms)))
            elif len(terms) >= 2 and match.coverage >= 0.5 and any(doc.has_stem(t) for t in terms if t in stems):
                weak += 1  # half a phrasing, and not only the question's own words
        evidence, where = doc.evidence(stems) if stems else (0, -1)
        support = min(1.0, 0.5 * len(strong) + 0.15 * weak + evidence / 6)
        if strong:
            best = max(strong, key=lambda mt: (mt[1], mt[0].coverage))
            specific = best[1] >= 3 or len(strong) >= 2 or evidence >= 3
            status = Status.HIT if specific else Status.PARTIAL
            return _Found(status, doc.quote(best[0]), 1.0 if specific else support)
        if evidence >= 4:
            return _Found(Status.HIT, doc.sentence_text(where), 1.0)
        if weak >= 2 or evidence >= 2:
            return _Found(Status.PARTIAL, doc.sentence_text(where) if evidence >= 2 else None, support)
        return _Found(Status.MISSED, None, support)

    def _misconceptions(
        self, items: Sequence[Misconception], doc: Document, claim_frames: Frames
    ) -> list[MisconceptionFound]:
        found = []
        for m in items:
            for phrasing in m.phrasings:
                terms = self.analyzer.content_stems(phrasing)
                if len(terms) < 2:
                    continue  # one word is never enough to say someone asserted a misconception
                match = doc.find(terms, expect_negation=self.analyzer.has_negation(phrasing), window=len(terms) + 3)
                if match is None or match.negated or not match.ordered or not claim_frames.asserted(match.start):
                    continue
                if not self._quantified_as(phrasing, doc, match):
                    continue
                if match.coverage >= (1.0 if len(terms) <= 5 else 0.8):
                    found.append(
                        MisconceptionFound(
                            id=m.id,
                            description=m.description,
                            quote=doc.quote(match),
                            correction=m.correction,
                            max_score=m.max_score,
                        )
                    )
                    break
        return found

    def _quantified_as(self, phrasing: str, doc: Document, match: Match) -> bool:
        """A phrasing's quantifier ("evaluate with accuracy *only*", "*always* drop") is what makes it wrong: the
        sentence must say it too (in any of its words: "all", "every", "each")."""
        wanted = {t.word for t in self.analyzer.tokens(phrasing)}
        said = {t.word for t in doc.sentences[match.sentence].tokens}
        return all(not (wanted & group) or said & group for group in _QUANTIFIERS)

    # ----------------------------------------------------------------------------------------------- behavioral
    def _grade_behavioral(self, question: Question, reading: Reading, answers: Sequence[str]) -> Grade:
        doc = reading.graded
        star = self._star(question, doc)
        present = {s.name for s in star if s.present}
        generic = self._generic_stems(question, question.key_points)
        results = [self._key_point(kp, doc, generic) for kp in question.key_points]
        misconceptions = reading.misconceptions
        hypothetical = self._hypothetical(doc)
        score = _behavioral_level(present, results, hypothetical=hypothetical)
        if misconceptions:
            score = min(score, *(m.max_score for m in misconceptions))
        if self._is_term_list(reading.doc):
            score = min(score, 2)
        return self._finish(question, score, results=results, misconceptions=misconceptions, star=star, answers=answers)

    def _star(self, question: Question, doc: Document) -> list[StarResult]:
        text = doc.text
        # What someone would do is no evidence that something happened.
        sentences = [s for s in doc.sentences if not _CONDITIONAL.search(text[s.start : s.end])]
        star_rubric = self.bank.star
        i_past = [s for s in sentences if _first_person_past(s.tokens)]
        we_past = [s for s in sentences if _we_past(s.tokens)]
        own_i = len(i_past)

        def quote_of(start: int, end: int) -> str:
            return doc.whole_sentence(start, end)

        def signal_sentence(
            name: str,
            extra: Sequence[str] = (),
            among: Sequence[Sentence] | None = None,
            said: Callable[[Sentence], Sequence[Token]] = lambda s: s.tokens,
        ) -> str | None:
            signals = [*star_rubric.criterion(name).signals, *extra]
            for signal in signals:
                stems = self.analyzer.all_stems(signal)
                for s in sentences if among is None else among:
                    if _contains_sequence(said(s), stems):
                        return quote_of(s.start, s.end)
            return None

        focus = question.star or {}

        def focus_signals(name: str) -> list[str]:
            item = question.star_focus(name)
            return list(item.signals) if item is not None else []

        results: dict[str, str | None] = {}
        # Situation: a particular, past episode.
        situation = next(
            (quote_of(s.start, s.end) for s in sentences[:4] if _TIME_PLACE.search(text[s.start : s.end])), None
        )
        results["situation"] = situation or signal_sentence("situation", focus_signals("situation"))
        task = next((quote_of(s.start, s.end) for s in sentences if _TASK.search(text[s.start : s.end])), None)
        results["task"] = task or signal_sentence("task", focus_signals("task"))
        results["action"] = quote_of(i_past[0].start, i_past[0].end) if i_past else None
        if results["action"] is None and len(we_past) >= 2:
            results["action"] = quote_of(we_past[0].start, we_past[0].end)
        if results["action"] is None and focus_signals("action"):
            # What counts as action is question-specific (e.g. habits, in the present tense, for keeping up).
            results["action"] = signal_sentence("action", focus_signals("action"))
        first_action = i_past[0].start if i_past else (we_past[0].start if we_past else 0)
        # A result is what followed the actions (a metric that moved, a decision others took, what changed), not the
        # candidate's own action verbs; a quantified result is a number that measures it, not any number in the story.
        result_focus = focus.get(StarComponent.RESULT)
        not_result = [self.analyzer.all_stems(p) for p in (result_focus.not_evidence if result_focus else [])]
        outcomes = [
            s
            for s in sentences
            if (i_past or we_past)  # what followed from the candidate's actions: none, no result
            and s.start > first_action
            and _outcome(s, text)
            and not any(find_phrase(s.tokens, stems) for stems in not_result)
        ]
        result_sentence = quote_of(outcomes[-1].start, outcomes[-1].end) if outcomes else None
        results["result"] = result_sentence or signal_sentence(
            "result",
            focus_signals("result"),
            among=[s for s in sentences if _may_be_outcome(s, text)],
            said=lambda s: _said(s, text)[0],  # not in what was to be done ("legal had to sign off")
        )
        results["ownership"] = (
            quote_of(i_past[0].start, i_past[0].end) if own_i >= 2 and own_i >= 0.5 * len(we_past) else None
        )
        number = next(
            (
                quote_of(s.start, s.end)
                for s in outcomes
                if _NUMBER.search(_CONDITION.sub(" ", text[s.start : s.end])) or _measured(text[s.start : s.end])
            ),
            None,
        )
        results["quantified_result"] = number if results["result"] else None
        reflection = next(
            (quote_of(s.start, s.end) for s in doc.sentences if _REFLECTION.search(text[s.start : s.end])), None
        )
        if reflection is None and i_past and not self._hypothetical(doc):
            # What one would do differently, after a real story: conditional wording is a reflection's natural form.
            reflection = next(
                (
                    quote_of(s.start, s.end)
                    for s in doc.sentences
                    if s.start > i_past[0].start
                    and _LESSON.search(text[s.start : s.end])
                    and not _FUTURE_IN_PAST.search(text[s.start : s.end])
                ),
                None,
            )
        results["reflection"] = reflection or signal_sentence("reflection")
        return [StarResult(name=name, present=quote is not None, quote=quote) for name, quote in results.items()]

    def _hypothetical(self, doc: Document) -> bool:
        hyp = len(_HYPOTHETICAL.findall(doc.text))
        past = sum(1 for s in doc.sentences if _first_person_past(s.tokens) or _we_past(s.tokens))
        return hyp >= 2 and past <= hyp // 2

    # ------------------------------------------------------------------------------------------------- shared
    def _is_term_list(self, doc: Document) -> bool:
        """A list of terms without explanation: few function words across a non-trivial answer."""
        tokens = [t for s in doc.sentences for t in s.tokens]
        if len(tokens) < 8:
            return False
        ratio = sum(1 for t in tokens if t.is_stop) / len(tokens)
        return ratio < 0.16

    def _is_copy_or_empty(self, question: Question, doc: Document) -> bool:
        content = doc.content_tokens
        if len(content) < 3:
            return True
        q_stems = {s for t in (question.text, *question.alternatives) for s in self.analyzer.content_stems(t)}
        inside = sum(1 for t in content if t.stem in q_stems) / len(content)
        return inside >= 0.7 and len(content) <= 2 * len(self.analyzer.content_stems(question.text)) + 6

    def _finish(
        self,
        question: Question,
        score: int,
        *,
        results: list[KeyPointResult],
        misconceptions: list[MisconceptionFound],
        star: list[StarResult],
        answers: Sequence[str],
    ) -> Grade:
        strengths = [rubric_sentence(r.description) for r in results if r.status is Status.HIT][:3]
        strengths += (
            [f"{s.name.replace('_', ' ')}: {s.quote}" for s in star if s.present and s.quote][: 3 - len(strengths)]
            if len(strengths) < 3
            else []
        )
        gaps = [f"Misconception: {rubric_sentence(m.description)}" for m in misconceptions]
        gaps += [rubric_sentence(r.description) for r in results if r.status is not Status.HIT and r.required]
        gaps += [
            f"No clear {s.name.replace('_', ' ')}: {rubric_sentence(self.bank.star.criterion(s.name).description)}"
            for s in star
            if not s.present
        ]
        tip = _tip(question, score, misconceptions, results, star, self.bank)
        return Grade(
            question_id=question.id,
            kind=question.kind,
            score=score,
            star=star,
            key_points=results,
            misconceptions=misconceptions,
            strengths=strengths,
            gaps=gaps[:5],
            tip=tip,
            grader=GRADER_NAME,
            model=OFFLINE_MODEL,
            rubric_version=self._rubric_version(question),
            prompt_hash=None,
        )

    def _rubric_version(self, question: Question) -> str:
        if question.id in self.bank.ids:
            return self.bank.rubric_version(question)
        from interviewer.bank.loader import content_hash

        return f"inline+{content_hash(question)[:12]}"


def _wrong_floor(results: Sequence[KeyPointResult]) -> int:
    """An answer that asserts a misconception and states none of the must-haves correctly is level 1 (the lower of
    the two descriptors it meets: "none of the must-haves correctly stated" and "asserts a misconception")."""
    return 2 if any(r.required and r.status is Status.HIT for r in results) else 1


def _tip(
    question: Question,
    score: int,
    misconceptions: Sequence[MisconceptionFound],
    results: Sequence[KeyPointResult],
    star: Sequence[StarResult],
    bank: Bank,
) -> str:
    """One concrete tip: about the gap a follow-up would aim at first."""
    present = {s.name: s.present for s in star}
    gaps = ranked_gaps(question, score, star=present, key_points=results, misconceptions=misconceptions)
    # Past the gaps a follow-up would target, the point made most thinly is still worth a tip.
    thin = sorted((r for r in results if r.status is not Status.HIT), key=importance)
    first = gaps[0] if gaps else Gap(thin[0].id, "key_point") if thin else None
    if first is None:
        return question.strong_answer[0] if question.strong_answer else "Keep answers this complete."
    if first.kind == "misconception":
        found = next(m for m in misconceptions if m.id == first.id)
        return found.correction or f"Revisit: {found.description}"
    if first.kind == "star":
        return f"Add the {first.id.replace('_', ' ')}: {rubric_sentence(bank.star.criterion(first.id).description)}"
    point = next(r for r in results if r.id == first.id)
    return f"Also cover: {rubric_sentence(point.description)}"


REFERENCE_FULL_RECALL = 0.45
"""Reference-answer grading: the recall of the reference's distinctive words at which an answer is complete.
Calibrated on the project's own labeled answers graded against the bank's reference answers (the median recall of
level-5 answers; level 4 is about 0.30, level 1 about 0.05). The SAF benchmark only measures it."""


def _level_from_recall(recall: float) -> int:
    """Reference-answer grading: 1 + 4 * recall / REFERENCE_FULL_RECALL, capped at 5, rounded half up."""
    return max(1, min(5, math.floor(1 + 4 * min(1.0, recall / REFERENCE_FULL_RECALL) + 0.5)))


def derive_key_points(question: Question, analyzer: Analyzer) -> list[KeyPoint]:
    """Key points for a question given only a reference answer: one per clause of the reference."""
    reference = question.reference_answer or question.text
    clauses = [c.strip() for c in re.split(r"(?<=[.!?;:])\s+|\n+|\s+-\s+|,\s+(?=[A-Za-z]+\s)", reference)]
    points: list[KeyPoint] = []
    for clause in clauses:
        if len(analyzer.content_stems(clause)) < 2:
            continue
        points.append(
            KeyPoint(
                id=f"ref_{len(points) + 1}",
                description=clause,
                weight=1,
                required=True,
                phrasings=[clause],
                probe=f"Can you say more about {clause[:60].rstrip('.')}?",
            )
        )
    if not points:
        points.append(
            KeyPoint(
                id="ref_1",
                description=reference,
                weight=1,
                required=True,
                phrasings=[reference],
                probe="Can you say more?",
            )
        )
    return points


def _outcome(sentence: Sentence, text: str) -> bool:
    """Whether a sentence says what followed: a change said of the work or the business, or by the candidate with
    its measure ("I cut latency by 40%"); what others or the team did ("he kept the model", "we settled on a
    hybrid"); a release said of the work, not done by the candidate ("it went live"); or a number that measures
    such a change. What was to be done ("legal had to sign off") is no outcome."""
    if not _may_be_outcome(sentence, text):
        return False
    # What a condition says ("an alert if the error went above 10%") or what was to be done did not happen.
    tokens, body = _said(sentence, text)
    lead = tokens[:5]
    if _first_person_past(lead):
        return True  # the candidate's own action that says, with its measure, what it changed
    if _past_tense(tokens) and any(
        t.stem[:6] in _FOLLOWED6
        and (t.stem[:6] in _OUTCOME_WORDS or _happened(tokens, k))
        and not _own_doing(tokens, k)
        for k, t in enumerate(tokens)
    ):
        return True
    stems = {t.stem[:6] for t in tokens}
    if _we_past(lead):
        # The team's own doing: a result only with the change it made, measured ("we now serve the same traffic on
        # half the GPUs").
        return bool(stems & _CHANGE6 or re.search(r"\bnow\b", body, re.IGNORECASE)) and _measured(body)
    if _past_tense(tokens) and any(t.stem[:6] in _RELEASED6 and _happened(tokens, k) for k, t in enumerate(tokens)):
        return True
    if _first_person_past(tokens):
        # The candidate's own action later in the sentence ("..., so I used the weather forecast: a 70% chance of
        # rain ..."): a result only with the change it made and its measure.
        return bool(stems & _CHANGE6) and _measured(body)
    return _measured(body)


_OWN_RELEASE = frozenset(["use", "used", "using", "start", "starte", "starti"])
"""Stems (first six letters) of putting one's own work to use: the team's own release when "we" do it ("we used it
on one line"), what followed when others do ("the planners started using it")."""
_ADVERBS = frozenset(["also", "then", "finally", "just", "eventually", "actually", "quickly", "soon", "later"])


_OUTCOME_WORDS = frozenset(["result", "outcom", "impact", "succes", "eventu", "final", "gain"])
"""Stems that say what followed as a noun or an adverb ("the result was", "eventually"), with a past tense."""
_STATE = frozenset(["now", "still", "has", "have", "had", "was", "were", "been", "got", "went", "became", "is", "are"])
"""Words before a verb or adjective that say it came to be ("went live", "is now used", "had dropped")."""


_PRIOR = frozenset(["already", "previously", "originally", "formerly", "once"])
_COMPARATIVE6 = frozenset(["wors"])
_BECAME = frozenset(["got", "gotten", "became", "grew", "turned", "went"])


def _happened(tokens: Sequence[Token], k: int) -> bool:
    """Whether the word at ``k`` is said as something that happened: a past form ("adopted", "kept"), or after a word
    of state ("went live", "now use"), not a noun or a modifier ("promotions", "a rolling backtest", "his live
    approach")."""
    j = _before_adverbs(tokens, k)
    if k and tokens[k - 1].word in _PRIOR:
        return False  # "the rule the technicians already used" was there before
    if tokens[k].stem[:6] in _COMPARATIVE6:
        return j >= 0 and tokens[j].word in _BECAME  # "got worse" is a change; "was worse than Prophet" compares
    return _verb_past(tokens[k].word) or (j >= 0 and tokens[j].word in _STATE)


def _own_doing(tokens: Sequence[Token], k: int) -> bool:
    """Whether the verb at ``k`` is the candidate's own doing ("so I used", "I then picked"), or the team's own
    release ("we used it"): an action, not what followed."""
    j = _before_adverbs(tokens, k)
    if j < 0:
        return False
    subject = tokens[j].word
    if subject in ("and", "then", "but", "so") and j > 0:
        # "... and used it": the subject is left out, so it is the clause's before ("I built it and used it").
        return _first_person_past(tokens[:5]) or _we_past(tokens[:5])
    return subject == "i" or (subject == "we" and tokens[k].stem[:6] in _OWN_RELEASE)


def star_function_allows(name: str, quote: str, analyzer: Analyzer) -> bool:
    """Whether a quote can be evidence of a STAR element by what it says (for a model's verdicts): what one would do
    is no action or result; the candidate's own action, or what was to be done, is no result."""
    doc = Document(quote, analyzer)
    if not doc.sentences:
        return False
    if name in ("action", "result", "quantified_result") and all(
        _CONDITIONAL.search(quote[s.start : s.end]) for s in doc.sentences
    ):
        return False
    if name in ("result", "quantified_result"):
        return any(_may_be_outcome(s, quote) for s in doc.sentences)
    return True


def _may_be_outcome(sentence: Sentence, text: str) -> bool:
    """Whether a sentence can hold a result at all (for the rubric's result signals): not what was to be done, and
    not the candidate's own action unless it says, with its measure, what changed."""
    body = text[sentence.start : sentence.end]
    if _own_lesson(body):
        return False
    said, said_text = _said(sentence, text)
    if not said:
        return False  # all of it was to be done ("legal had to sign off")
    if _first_person_past(said[:5]):
        # The candidate's own action: a result only with what it changed and its measure, or with what others did
        # after it ("I sent him the comparison, and she decided to keep LightGBM").
        return (bool({t.stem[:6] for t in said} & _CHANGE6) and _measured(said_text)) or _others_followed(said)
    return True


def _others_followed(tokens: Sequence[Token]) -> bool:
    """Whether someone other than the candidate did something that followed, said as having happened ("the pricing
    team used the estimates", "she decided to keep it")."""
    for k, t in enumerate(tokens):
        if t.stem[:6] in _FOLLOWED6 and t.stem[:6] not in _OUTCOME_WORDS and _happened(tokens, k):
            j = _before_adverbs(tokens, k)
            if j >= 0 and tokens[j].word in _OTHERS:
                return True
    return False


_OTHERS = frozenset(
    [
        "he",
        "she",
        "they",
        "team",
        "teams",
        "lead",
        "manager",
        "managers",
        "director",
        "head",
        "ceo",
        "cfo",
        "cto",
        "vp",
        "pm",
        "owner",
        "planners",
        "users",
        "customers",
        "clients",
        "client",
        "stakeholders",
        "business",
        "company",
        "everyone",
        "management",
        "leadership",
        "ops",
        "finance",
        "legal",
        "board",
        "committee",
        "officer",
    ]
)
"""Who else may take what followed: a person or group named as the subject right before the verb."""


def _before_adverbs(tokens: Sequence[Token], k: int) -> int:
    """The index of the word before token ``k``, adverbs skipped ("she then decided", "I deliberately kept")."""
    j = k - 1
    while j >= 0 and (tokens[j].word in _ADVERBS or (tokens[j].word.endswith("ly") and len(tokens[j].word) > 4)):
        j -= 1
    return j


def _blanked(sentence: Sentence, text: str) -> list[tuple[int, int]]:
    """The spans of a sentence that say what did not happen: its condition clauses ("if the error went above 10%")
    and the clauses of what was to be done ("..., and she asked me to add it to her report")."""
    body = text[sentence.start : sentence.end]
    spans = [(m.start(), m.end()) for m in _CONDITION.finditer(body)]
    for m in _UNKNOWN.finditer(body):
        spans.append((m.start(), len(body)))  # "I don't know what they decided"
    for m in _OBLIGATION.finditer(body):
        before = [b.end() for b in _CLAUSE_EDGE.finditer(body, 0, m.start())]
        after = _CLAUSE_EDGE.search(body, m.end())
        # What was to be done, up to a colon, goes on after it ("success meant: less waste, ...").
        end = len(body) if after is None or after.group(0) == ":" else after.start()
        spans.append((before[-1] if before else 0, end))
    return [(sentence.start + a, sentence.start + b) for a, b in spans]


_UNKNOWN = re.compile(
    r"\b(?:(?:don['’]t|do not|didn['’]t|did not|never) (?:know|find out|hear|learn|see)|not sure|no idea|unclear|"
    r"never (?:heard|found out|learned|learnt|saw))\b",
    re.IGNORECASE,
)
"""What the candidate does not know happened ("so I don't know what they decided"): no result."""
_CLAUSE_EDGE = re.compile(r"[,;:]|\b(?:and|but|so|because|while|whereas|until|before|after)\b", re.IGNORECASE)
"""Where a clause ends: what was to be done is blanked up to here, not the clauses around it."""


def _said(sentence: Sentence, text: str) -> tuple[list[Token], str]:
    """The sentence outside what did not happen (see ``_blanked``): its tokens, and its text with the rest blanked."""
    spans = _blanked(sentence, text)
    body = list(text[sentence.start : sentence.end])
    for a, b in spans:
        body[a - sentence.start : b - sentence.start] = " " * (b - a)
    return [t for t in sentence.tokens if not any(a <= t.start < b for a, b in spans)], "".join(body)


_I = re.compile(r"\bI(?:['’](?:ve|d|m|ll))?\b")
"""The candidate as the subject ("I", "I've")."""


def _own_lesson(body: str) -> bool:
    """The candidate's lesson ("since then I open with an example", "what I've learned is to test first"): a
    reflection, not what followed. A change said of the work after "since then" is still a result ("since then churn
    has stayed under 5%")."""
    return bool(_REFLECTION.search(body)) and bool(_I.search(body))


_CONDITION = re.compile(r"\b(?:if|whenever|in case|unless)\b[^,;:.]*", re.IGNORECASE)
"""A condition clause, up to its comma: an amount there is a threshold ("an alert if the error doubled"), no measure."""


def _measured(body: str) -> bool:
    """An amount that measures a change ("from 11% to 8%", "by 30%", "22 vs 38 minutes", "700 a week where before
    there were 1,200", "dropped by a third"), outside a condition ("alert us if the error doubled")."""
    body = _CONDITION.sub(" ", body)
    if not _AMOUNT.search(body):
        return False
    compared = [m.group(0).lower() for m in _COMPARED.finditer(body)]
    if compared and all(c == "than" for c in compared) and not _THAN_BEFORE.search(body):
        compared = []  # "far easier to run than 140 models" compares alternatives; nothing changed
    return bool(compared or "%" in body or re.search(r"\b(?:halved|doubled|tripled|twice as)\b", body))


_THAN_BEFORE = re.compile(
    r"\bthan (?:before|previously|last|the (?:old|previous|prior|manual|existing|current|same|year|month|quarter|week)|"
    r"it (?:was|used)|they (?:were|used)|we (?:had|used)|under|in \d{4}|a year ago|our old|the rules?)\b",
    re.IGNORECASE,
)
"""A comparison with what was there before ("than last quarter", "than the old rules"): a change, when measured."""


def _past_tense(tokens: Sequence[Token]) -> bool:
    return any(_verb_past(t.word) or t.word in {"was", "were", "had", "been"} for t in tokens)


_NOT_PAST = frozenset(["need", "feed", "seed", "speed", "proceed", "exceed", "succeed", "indeed", "embed", "breed"])
"""Words that end in -ed and are no past tense."""


def _verb_past(word: str) -> bool:
    return (word.endswith("ed") and len(word) > 3 and word not in _NOT_PAST) or word in PAST_IRREGULAR


def _first_person_past(tokens: Sequence[Token]) -> bool:
    words = [t.word for t in tokens]
    for i, w in enumerate(words):
        if (
            w == "i"
            and any(_verb_past(x) for x in words[i + 1 : i + 4])
            and not any(x in {"would", "will", "'d", "might", "could", "should"} for x in words[i + 1 : i + 2])
        ):
            return True
    return False


def _we_past(tokens: Sequence[Token]) -> bool:
    words = [t.word for t in tokens]
    return any(w in {"we", "team"} and any(_verb_past(x) for x in words[i + 1 : i + 4]) for i, w in enumerate(words))


def _contains_sequence(tokens: Sequence[Token], stems: Sequence[str]) -> bool:
    """Whether ``stems`` occur in order in ``tokens``, allowing one extra word in between."""
    if not stems:
        return False
    seq = [t.stem for t in tokens]
    if stems[0] not in seq or stems[-1] not in seq:
        return False
    n = len(stems)
    for i, stem in enumerate(seq):
        if stem != stems[0]:
            continue
        j, k, gaps = i + 1, 1, 0
        while j < len(seq) and k < n:
            if seq[j] == stems[k]:
                k += 1
            else:
                gaps += 1
                if gaps > 1:
                    break
            j += 1
        if k == n:
            return True
    return False


def _found(m: Misconception, quote: str | None) -> MisconceptionFound:
    return MisconceptionFound(
        id=m.id, description=m.description, quote=quote, correction=m.correction, max_score=m.max_score
    )


def _swap_misconceptions(
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


def _about_swapped(question: Question, swaps: Sequence[Binding], analyzer: Analyzer) -> set[str]:
    """The key points about a concept that the answer says something wrong of: they are not credited. A swap of a
    claim group (Lasso said to be the stable one with correlated features) withholds only the key points that speak
    of that claim, not every point about the concepts."""
    own = {c.id: c.misconception for c in question.contrasts}
    involved = {(b.contrast, c) for b in swaps if b.misconception == own.get(b.contrast) for c in (b.owner, *b.said_of)}
    claimed = {b.misconception for b in swaps if b.misconception != own.get(b.contrast)}
    out: set[str] = set()
    claim_phrases = [
        analyzer.all_stems(text)
        for contrast in question.contrasts
        for concept in contrast.concepts
        for claim in concept.claims
        if claim.misconception in claimed
        for phrase in claim.attributes
        for text in expand_classes(phrase)
    ]
    for kp in question.key_points:
        for text in (kp.description, *kp.phrasings):
            tokens = analyzer.tokens(text)
            if any(find_phrase(tokens, stems) for stems in claim_phrases):
                out.add(kp.id)
                break
    for contrast in question.contrasts:
        for concept in contrast.concepts:
            if (contrast.id, concept.id) not in involved:
                continue
            names = [analyzer.all_stems(n) for n in concept.names]
            for kp in question.key_points:
                for text in (kp.description, *kp.phrasings):
                    tokens = analyzer.tokens(text)
                    if any(find_phrase(tokens, n, exact=True) for n in names):
                        out.add(kp.id)
                        break
    return out


def _method_misconceptions(
    question: Question, doc: Document, claim_frames: Frames, already: Sequence[MisconceptionFound]
) -> list[MisconceptionFound]:
    """Misconceptions recognised by what the answer does (an operation on the wrong data), however it is phrased."""
    seen = {m.id for m in already}
    out = []
    for m in question.misconceptions:
        if m.id in seen or not m.methods:
            continue
        for index in range(len(doc.sentences)):
            if any(_method_in(method, doc, index, claim_frames) for method in m.methods):
                out.append(_found(m, doc.sentence_text(index)))
                break
    return out


_QUANTIFIERS = (
    frozenset(["all", "every", "everything", "each", "any", "whole", "entire"]),
    frozenset(["only", "just", "solely", "alone"]),
    frozenset(["always"]),
    frozenset(["never"]),
)
"""Function words that carry a misconception's meaning ("accuracy *only*"), in groups of words that say the same."""
_METHOD_REACH = 16
"""How many words apart the operation and what makes it wrong may be, in one sentence (and in one clause or the
clause next to it: "I fill the gaps with the mean, computed on all the rows"; not across "so", "but", "which")."""
_EXCEPTION_REACH = 4
"""How far (in ``clauses`` numbers) an exception in a relative clause may stand from the operation it excepts
("..., so training error is near zero, which is overfitting"); any other exception is said in the operation's clause
or the next one joined by punctuation."""
_THEN = frozenset(["then", "after", "afterwards", "next", "finally", "later", "only"])
_GOES_ON = frozenset(["that", "this", "it", "which"])
"""A next sentence that goes on about the same thing ("...with the column mean; that works for any column")."""


def _method_in(method: Method, doc: Document, index: int, claim_frames: Frames) -> bool:
    """Whether sentence ``index`` asserts ``method``: the operation and what makes it wrong within a few words of
    each other, or in the next sentence when that one goes on in time ("Then I split.") or about the same thing
    ("That works for any column.")."""
    analyzer = doc.analyzer

    def asserted(sentence: Sentence, said: Sequence[str]) -> list[int]:
        phrases = [text for phrase in said for text in expand_classes(phrase)]
        where = []
        parts = clauses(doc.text, sentence.tokens)
        for phrase in phrases:
            for first, _ in find_phrase(sentence.tokens, analyzer.all_stems(phrase)):
                if not negated_before(sentence.tokens, first, clause=parts) and claim_frames.asserted(
                    sentence.tokens[first].start
                ):
                    where.append(first)
        return where

    def exceptions(sentence: Sentence) -> list[int]:
        """Where ``unless`` is said, outside the words that name the later step ("the train/test split" is no
        "training split")."""
        step = {k for p in method.later for a, b in find_phrase(sentence.tokens, analyzer.all_stems(p)) for k in (a, b)}
        return [
            first
            for phrase in method.unless
            for p in expand_classes(phrase)
            for first, last in find_phrase(sentence.tokens, analyzer.all_stems(p))
            if not any(first <= k <= last for k in step)
        ]

    here = doc.sentences[index]
    does = asserted(here, method.does)
    if not does:
        return False
    scope = [here]
    clause = clauses(doc.text, here.tokens)
    # A quantifier ("always") qualifies the operation only in its own clause ("one thing I always do: I run SMOTE"
    # says how often the candidate does it, not that it always helps).
    quantifiers = {b for p in method.wrongly if _is_quantifier(p) for b in asserted(here, [p])}
    paired = {
        a
        for a in does
        for b in asserted(here, method.wrongly)
        if abs(a - b) <= _METHOD_REACH and abs(clause[a] - clause[b]) <= (0 if b in quantifiers else 2)
    }
    wrong = bool(paired)
    if not wrong and index + 1 < len(doc.sentences):
        after = doc.sentences[index + 1]
        opens = after.tokens[0].word
        if (opens in _THEN and asserted(after, method.later)) or (
            opens in _GOES_ON and asserted(after, method.wrongly)
        ):
            wrong, scope = True, [here, after]
    if not wrong:
        return False
    if len(scope) == 2:
        return not any(exceptions(s) for s in scope)
    # The exception must be said of the operation that was said wrongly, in its clause or the next.
    near = {clause[a] for a in paired}

    def relative(first: int) -> bool:
        """Whether the exception opens a relative clause after the operation ("..., which is overfitting")."""
        start = first
        while start > 0 and clause[start - 1] == clause[first]:
            start -= 1
        return here.tokens[start].word == "which" and start > min(paired)

    return not any(
        abs(clause[first] - c) <= 1 or (relative(first) and abs(clause[first] - c) <= _EXCEPTION_REACH)
        for first in exceptions(here)
        for c in near
    )


def _is_quantifier(phrase: str) -> bool:
    """A one-word ``wrongly`` phrase that is a quantifier ("always", "never", "only")."""
    words = phrase.lower().split()
    return len(words) == 1 and any(words[0] in group for group in _QUANTIFIERS)


_LIST_META = frozenset(
    [
        "keyword",
        "term",
        "tag",
        "topic",
        "concept",
        "buzzword",
        "ps",
        "p",
        "s",
        "also",
        "note",
        "relev",
        "relat",
        "more",
        "misc",
        "extra",
        "bonus",
        "other",
        "stuff",
        "key",
        "import",
        "word",
        "answer",
        "point",
        "summari",
        "recap",
        "checklist",
        "cover",
        "list",
        "item",
        "highlight",
        "takeaway",
        "main",
        "relevant",
    ]
)
"""Lead-ins that introduce a list without saying anything about its items ("Keywords:", "P.S.")."""


def stuffed_lists(doc: Document) -> list[tuple[int, int]]:
    """The spans of bare lists of terms put before or after an answer: comma-separated runs of short items, or runs
    of short lines, that no lead-in says anything about ("P.S. sparse model, elastic net, ..."). Their phrases earn
    nothing (a list alone is still graded as the list of terms it is). A list inside an explanation, or after a
    lead-in that names what it lists ("Monitoring: ..."), is part of the answer."""
    flags = [_bare_list(doc, n) for n in range(len(doc.sentences))]
    short = [len(s.tokens) <= 6 and not _first_person_past(s.tokens) and s.function_ratio < 0.5 for s in doc.sentences]
    markers = [len(_BULLET.findall(doc.text[s.start : s.end])) for s in doc.sentences]
    spans: list[tuple[int, int]] = []
    for edge in (range(len(flags)), range(len(flags) - 1, -1, -1)):
        run = []
        for n in edge:
            if not (flags[n] or short[n]):
                break
            run.append(n)
        rest_bulleted = sum(markers[n] for n in range(len(flags)) if n not in run) >= 1
        if sum(flags[n] for n in run) >= 1 or (len(run) >= 3 and not rest_bulleted):
            # A run of short lines is stuffing when the rest is prose; in an answer given as bullet points it is
            # the answer's own form.
            spans.extend((doc.sentences[n].start, doc.sentences[n].end) for n in run)
    return sorted(set(spans))


_BULLET = re.compile(r"(?:^|\s)(?:[-•*]|\d+[.)])(?:\s|$)")
"""A list marker: the answer is given as bullet points or numbered items."""
_DENIAL_WORD = re.compile(r"\b(?:no|not|never|without|cannot|n't)\b", re.IGNORECASE)
_LONG_LIST = 8
"""Items past which a list says nothing of each, whatever its lead-in ("the key components are: ..." and 25 names)."""


def _bare_list(doc: Document, n: int) -> bool:
    """Whether sentence ``n`` is a comma-separated list of short terms with no lead-in that says what it lists."""
    s = doc.sentences[n]
    lead, rest = _lead_in(doc.text[s.start : s.end])
    items = [i for i in re.split(r"[,;]|\band\b|\bplus\b", rest) if i.strip()]
    if len(items) < 4 or len(items[0].split()) >= 5:
        return False
    if sum(1 for i in items if re.search(r"[^\W\d_]{3,}", i)) < 0.6 * len(items):
        return False  # notation ("(A, B, drop), (B, E, forward)"), not a list of terms
    if sum(1 for i in items if _DENIAL_WORD.search(i)) >= 0.25 * len(items):
        return False  # claims ("no flow control, no connect"), not terms
    if sum(1 for i in items if len(i.split()) <= 4) < 0.75 * len(items):
        return False
    if not lead and n:
        before = doc.sentences[n - 1]
        previous = doc.text[before.start : before.end].rstrip()
        lead = previous if previous.endswith(":") else ""
    if lead and _substantive(lead, doc.analyzer) and len(items) < _LONG_LIST:
        return False
    return sum(1 for t in s.tokens if t.is_stop) / len(s.tokens) < 0.3


def _lead_in(body: str) -> tuple[str, str]:
    """A list's lead-in ("Monitoring:", "Variance ->") and the list after it."""
    m = re.search(r":|->|=>|→", body)
    return (body[: m.start()], body[m.end() :]) if m else ("", body)


def _substantive(lead: str, analyzer: Analyzer) -> bool:
    """Whether a lead-in says what its list is about ("Monitoring:", "To reduce variance:"), unlike "Keywords:"."""
    return any(stem not in _LIST_META for stem in analyzer.content_stems(lead))
