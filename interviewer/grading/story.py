"""How a story is told, sentence by sentence: who acts (the candidate, the team, others), in what tense, and whether
a sentence says what followed (an outcome), what was only to be done, or what would be done. The STAR reading
(``star.py``) is built on these checks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from interviewer.grading.lexicon import Lexicon, lexicon
from interviewer.grading.text import PAST_IRREGULAR, Document, Sentence, Token
from interviewer.grading.thresholds import (
    ADVERB_MIN_LETTERS,
    HYPOTHETICAL_MIN,
    LEAD_WORDS,
    PAST_MIN_LETTERS,
    STEM_PREFIX,
    VERB_REACH,
)


def _prefix(token: Token) -> str:
    return token.stem[:STEM_PREFIX]


class StoryReader:
    """The sentence-level checks of a story, in one language."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    # ----------------------------------------------------------------------------------------- tense and subject
    def verb_past(self, word: str) -> bool:
        """A past-tense verb: a word in -ed (not "need", "indeed") or an irregular past ("built", "led")."""
        return (
            word.endswith("ed") and len(word) >= PAST_MIN_LETTERS and word not in self.lex.not_past
        ) or word in PAST_IRREGULAR

    def past_tense(self, tokens: Sequence[Token]) -> bool:
        """Whether the words say anything in the past tense."""
        return any(self.verb_past(t.word) or t.word in self.lex.past_auxiliaries for t in tokens)

    def first_person_past(self, tokens: Sequence[Token]) -> bool:
        """Whether the candidate says what they did ("I built", "I then rewrote"), not what they would do."""
        words = [t.word for t in tokens]
        for i, w in enumerate(words):
            if (
                w in self.lex.first_person
                and any(self.verb_past(x) for x in words[i + 1 : i + 1 + VERB_REACH])
                and not any(x in self.lex.modals for x in words[i + 1 : i + 2])
            ):
                return True
        return False

    def we_past(self, tokens: Sequence[Token]) -> bool:
        """Whether the team is said to have done something ("we shipped", "the team decided")."""
        words = [t.word for t in tokens]
        return any(
            w in self.lex.team and any(self.verb_past(x) for x in words[i + 1 : i + 1 + VERB_REACH])
            for i, w in enumerate(words)
        )

    def told_past(self, tokens: Sequence[Token]) -> bool:
        """What the candidate or the team did."""
        return self.first_person_past(tokens) or self.we_past(tokens)

    def before_adverbs(self, tokens: Sequence[Token], k: int) -> int:
        """The index of the word before token ``k``, adverbs skipped ("she then decided", "I deliberately kept")."""
        j = k - 1
        while j >= 0 and (
            tokens[j].word in self.lex.adverbs
            or (tokens[j].word.endswith("ly") and len(tokens[j].word) >= ADVERB_MIN_LETTERS)
        ):
            j -= 1
        return j

    def happened(self, tokens: Sequence[Token], k: int) -> bool:
        """Whether the word at ``k`` is said as something that happened: a past form ("adopted", "kept"), or after a
        word of state ("went live", "now use"), not a noun or a modifier ("promotions", "a rolling backtest", "his
        live approach")."""
        j = self.before_adverbs(tokens, k)
        if k and tokens[k - 1].word in self.lex.prior:
            return False  # "the rule the technicians already used" was there before
        if _prefix(tokens[k]) in self.lex.comparative:
            return j >= 0 and tokens[j].word in self.lex.became  # "got worse" is a change; "was worse than" compares
        return self.verb_past(tokens[k].word) or (j >= 0 and tokens[j].word in self.lex.state)

    def own_doing(self, tokens: Sequence[Token], k: int) -> bool:
        """Whether the verb at ``k`` is the candidate's own doing ("so I used", "I then picked"), or the team's own
        release ("we used it"): an action, not what followed."""
        j = self.before_adverbs(tokens, k)
        if j < 0:
            return False
        subject = tokens[j].word
        if subject in self.lex.conjunctions and j > 0:
            # "... and used it": the subject is left out, so it is the clause's before ("I built it and used it").
            return self.told_past(tokens[:LEAD_WORDS])
        return subject in self.lex.first_person or (
            subject in self.lex.we and _prefix(tokens[k]) in self.lex.own_release
        )

    def others_followed(self, tokens: Sequence[Token]) -> bool:
        """Whether someone other than the candidate did something that followed, said as having happened ("the
        pricing team used the estimates", "she decided to keep it")."""
        for k, t in enumerate(tokens):
            if (
                _prefix(t) in self.lex.followed6
                and _prefix(t) not in self.lex.outcome_words
                and self.happened(tokens, k)
            ):
                j = self.before_adverbs(tokens, k)
                if j >= 0 and tokens[j].word in self.lex.others:
                    return True
        return False

    def hypothetical(self, doc: Document) -> bool:
        """Whether the answer is told as what one would do, with little said of what happened."""
        hyp = len(self.lex.hypothetical.findall(doc.text))
        past = sum(1 for s in doc.sentences if self.told_past(s.tokens))
        return hyp >= HYPOTHETICAL_MIN and past <= hyp // 2

    def conditional(self, body: str) -> bool:
        """Whether a sentence says what one would do."""
        return bool(self.lex.conditional.search(body))

    # ------------------------------------------------------------------------------------- what did not happen
    def blanked(self, sentence: Sentence, text: str) -> list[tuple[int, int]]:
        """The spans of a sentence that say what did not happen: its condition clauses ("if the error went above
        10%") and the clauses of what was to be done ("..., and she asked me to add it to her report")."""
        body = text[sentence.start : sentence.end]
        spans = [(m.start(), m.end()) for m in self.lex.condition.finditer(body)]
        for m in self.lex.unknown.finditer(body):
            spans.append((m.start(), len(body)))  # "I don't know what they decided"
        edge = self.lex.clause_edge
        for m in self.lex.obligation.finditer(body):
            before = [b.end() for b in edge.finditer(body, 0, m.start())]
            after = edge.search(body, m.end())
            # What was to be done, up to a colon, goes on after it ("success meant: less waste, ...").
            end = len(body) if after is None or after.group(0) == ":" else after.start()
            spans.append((before[-1] if before else 0, end))
        return [(sentence.start + a, sentence.start + b) for a, b in spans]

    def said(self, sentence: Sentence, text: str) -> tuple[list[Token], str]:
        """The sentence outside what did not happen (see ``blanked``): its tokens, and its text with the rest
        blanked."""
        spans = self.blanked(sentence, text)
        body = list(text[sentence.start : sentence.end])
        for a, b in spans:
            body[a - sentence.start : b - sentence.start] = " " * (b - a)
        return [t for t in sentence.tokens if not any(a <= t.start < b for a, b in spans)], "".join(body)

    def own_lesson(self, body: str) -> bool:
        """The candidate's lesson ("since then I open with an example", "what I've learned is to test first"): a
        reflection, not what followed. A change said of the work after "since then" is still a result ("since then
        churn has stayed under 5%")."""
        return bool(self.lex.reflection.search(body)) and bool(self.lex.speaker.search(body))

    # ---------------------------------------------------------------------------------------------- measures
    def measured(self, body: str) -> bool:
        """An amount that measures a change ("from 11% to 8%", "by 30%", "22 vs 38 minutes", "700 a week where
        before there were 1,200", "dropped by a third"), outside a condition ("alert us if the error doubled")."""
        body = self.lex.condition.sub(" ", body)
        if not self.lex.amount.search(body):
            return False
        compared = [m.group(0).lower() for m in self.lex.compared.finditer(body)]
        if compared and all(c in self.lex.than for c in compared) and not self.lex.than_before.search(body):
            compared = []  # "far easier to run than 140 models" compares alternatives; nothing changed
        return bool(compared or "%" in body or self.lex.multiplied.search(body))

    def quantified(self, body: str) -> bool:
        """A number that measures something, outside a condition, or an amount that measures a change."""
        return bool(self.lex.number.search(self.lex.condition.sub(" ", body))) or self.measured(body)

    def measured_change(self, tokens: Sequence[Token], body: str) -> bool:
        """A change, with the amount that measures it ("cut latency by half")."""
        return bool({_prefix(t) for t in tokens} & self.lex.change6) and self.measured(body)

    # ---------------------------------------------------------------------------------------------- outcomes
    def may_be_outcome(self, sentence: Sentence, text: str) -> bool:
        """Whether a sentence can hold a result at all (for the rubric's result signals): not what was to be done,
        and not the candidate's own action unless it says, with its measure, what changed."""
        body = text[sentence.start : sentence.end]
        if self.own_lesson(body):
            return False
        said, said_text = self.said(sentence, text)
        if not said:
            return False  # all of it was to be done ("legal had to sign off")
        if self.first_person_past(said[:LEAD_WORDS]):
            # The candidate's own action: a result only with what it changed and its measure, or with what others
            # did after it ("I sent him the comparison, and she decided to keep LightGBM").
            return self.measured_change(said, said_text) or self.others_followed(said)
        return True

    def _followed(self, tokens: Sequence[Token], k: int) -> bool:
        """Whether the word at ``k`` says what followed, not by the candidate ("legal signed off", "the result
        was")."""
        t = tokens[k]
        return (
            _prefix(t) in self.lex.followed6
            and (_prefix(t) in self.lex.outcome_words or self.happened(tokens, k))
            and not self.own_doing(tokens, k)
        )

    def _released(self, tokens: Sequence[Token]) -> bool:
        """Whether the work is said to have been released ("it went live")."""
        return any(_prefix(t) in self.lex.released6 and self.happened(tokens, k) for k, t in enumerate(tokens))

    def outcome(self, sentence: Sentence, text: str) -> bool:
        """Whether a sentence says what followed: a change said of the work or the business, or by the candidate
        with its measure ("I cut latency by 40%"); what others or the team did ("he kept the model", "we settled on
        a hybrid"); a release said of the work, not done by the candidate ("it went live"); or a number that
        measures such a change. What was to be done ("legal had to sign off") is no outcome."""
        if not self.may_be_outcome(sentence, text):
            return False
        # What a condition says ("an alert if the error went above 10%") or what was to be done did not happen.
        tokens, body = self.said(sentence, text)
        lead = tokens[:LEAD_WORDS]
        if self.first_person_past(lead):
            return True  # the candidate's own action that says, with its measure, what it changed
        past = self.past_tense(tokens)
        if past and any(self._followed(tokens, k) for k in range(len(tokens))):
            return True
        if self.we_past(lead):
            # The team's own doing: a result only with the change it made, measured ("we now serve the same traffic
            # on half the GPUs").
            changed = bool({_prefix(t) for t in tokens} & self.lex.change6 or self.lex.state_now.search(body))
            return changed and self.measured(body)
        if past and self._released(tokens):
            return True
        if self.first_person_past(tokens):
            # The candidate's own action later in the sentence ("..., so I used the weather forecast: a 70% chance
            # of rain ..."): a result only with the change it made and its measure.
            return self.measured_change(tokens, body)
        return self.measured(body)


@cache
def story_reader(language: str) -> StoryReader:
    """The story checks for ``language`` (see ``lexicon.lexicon`` for a language without its own data)."""
    return StoryReader(lexicon(language))
