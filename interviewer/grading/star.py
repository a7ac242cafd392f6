"""The STAR reading of a behavioral answer: which of situation, task, action, result, ownership, a quantified result
and reflection the story shows, each with the sentence that shows it. Found from the shape of the story (see
``story.py``: first-person past actions, outcomes, numbers, reflection) and from the rubric's and the question's own
signals."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from interviewer.bank.schema import Question, StarComponent, StarRubric
from interviewer.domain.grades import StarResult
from interviewer.grading.claims import find_phrase
from interviewer.grading.story import StoryReader, story_reader
from interviewer.grading.text import Analyzer, Document, Sentence, Token
from interviewer.grading.thresholds import (
    OWNERSHIP_MIN_SENTENCES,
    OWNERSHIP_SHARE,
    SEQUENCE_GAPS,
    SITUATION_SENTENCES,
    TEAM_ACTION_SENTENCES,
)


def contains_sequence(tokens: Sequence[Token], stems: Sequence[str]) -> bool:
    """Whether ``stems`` occur in order in ``tokens``, allowing one extra word in between."""
    if not stems:
        return False
    seq = [t.stem for t in tokens]
    if stems[0] not in seq or stems[-1] not in seq:
        return False
    return any(_sequence_at(seq, i, stems) for i, stem in enumerate(seq) if stem == stems[0])


def _sequence_at(seq: Sequence[str], i: int, stems: Sequence[str]) -> bool:
    """Whether ``stems`` follow in order from ``seq[i]`` (its first), with at most ``SEQUENCE_GAPS`` words between."""
    n = len(stems)
    j, k, gaps = i + 1, 1, 0
    while j < len(seq) and k < n:
        if seq[j] == stems[k]:
            k += 1
        else:
            gaps += 1
            if gaps > SEQUENCE_GAPS:
                break
        j += 1
    return k == n


def _tokens(sentence: Sentence) -> Sequence[Token]:
    return sentence.tokens


class StarReader:
    """Reads one answer's STAR components and qualities."""

    def __init__(self, question: Question, doc: Document, rubric: StarRubric) -> None:
        self.question = question
        self.doc = doc
        self.rubric = rubric
        self.analyzer: Analyzer = doc.analyzer
        self.story: StoryReader = story_reader(doc.analyzer.language)
        text = doc.text
        # What someone would do is no evidence that something happened.
        self.sentences = [s for s in doc.sentences if not self.story.conditional(text[s.start : s.end])]
        self.i_past = [s for s in self.sentences if self.story.first_person_past(s.tokens)]
        self.we_past = [s for s in self.sentences if self.story.we_past(s.tokens)]

    def read(self) -> list[StarResult]:
        """Every STAR component and quality, present or not, with the sentence that shows it."""
        outcomes = self._outcomes()
        results: dict[str, str | None] = {}
        results["situation"] = self._situation()
        results["task"] = self._task()
        results["action"] = self._action()
        results["result"] = self._result(outcomes)
        results["ownership"] = self._ownership()
        results["quantified_result"] = self._quantified(outcomes) if results["result"] else None
        results["reflection"] = self._reflection()
        return [StarResult(name=name, present=quote is not None, quote=quote) for name, quote in results.items()]

    # --------------------------------------------------------------------------------------------------- helpers
    def _quote(self, sentence: Sentence) -> str:
        return self.doc.whole_sentence(sentence.start, sentence.end)

    def _body(self, sentence: Sentence) -> str:
        return self.doc.text[sentence.start : sentence.end]

    def _first(self, sentences: Iterable[Sentence], keep: Callable[[Sentence], bool]) -> str | None:
        """The quote of the first sentence that ``keep`` accepts."""
        return next((self._quote(s) for s in sentences if keep(s)), None)

    def _focus_signals(self, name: StarComponent) -> list[str]:
        """The question's own signals of a component (what counts as action is question-specific)."""
        item = (self.question.star or {}).get(name)
        return list(item.signals) if item is not None else []

    def _signal_sentence(
        self,
        name: str,
        extra: Sequence[str] = (),
        among: Sequence[Sentence] | None = None,
        said: Callable[[Sentence], Sequence[Token]] = _tokens,
    ) -> str | None:
        """The first sentence that says one of the rubric's (and the question's) signals of ``name``."""
        for signal in [*self.rubric.criterion(name).signals, *extra]:
            stems = self.analyzer.all_stems(signal)
            for s in self.sentences if among is None else among:
                if contains_sequence(said(s), stems):
                    return self._quote(s)
        return None

    # ------------------------------------------------------------------------------------------------ components
    def _situation(self) -> str | None:
        """A particular, past episode, set early in the story."""
        pattern = self.story.lex.situation
        found = self._first(self.sentences[:SITUATION_SENTENCES], lambda s: bool(pattern.search(self._body(s))))
        return found or self._signal_sentence("situation", self._focus_signals(StarComponent.SITUATION))

    def _task(self) -> str | None:
        pattern = self.story.lex.task
        found = self._first(self.sentences, lambda s: bool(pattern.search(self._body(s))))
        return found or self._signal_sentence("task", self._focus_signals(StarComponent.TASK))

    def _action(self) -> str | None:
        """What the candidate did; else what the team did, said more than once; else the question's own signals."""
        if self.i_past:
            return self._quote(self.i_past[0])
        if len(self.we_past) >= TEAM_ACTION_SENTENCES:
            return self._quote(self.we_past[0])
        signals = self._focus_signals(StarComponent.ACTION)
        # What counts as action is question-specific (e.g. habits, in the present tense, for keeping up).
        return self._signal_sentence("action", signals) if signals else None

    def _outcomes(self) -> list[Sentence]:
        """The sentences that say what followed the actions (a metric that moved, a decision others took, what
        changed), not the candidate's own action verbs. No actions, no result."""
        if not (self.i_past or self.we_past):
            return []
        first_action = self.i_past[0].start if self.i_past else self.we_past[0].start
        focus = (self.question.star or {}).get(StarComponent.RESULT)
        not_result = [self.analyzer.all_stems(p) for p in (focus.not_evidence if focus else [])]
        text = self.doc.text
        return [
            s
            for s in self.sentences
            if s.start > first_action
            and self.story.outcome(s, text)
            and not any(find_phrase(s.tokens, stems) for stems in not_result)
        ]

    def _result(self, outcomes: Sequence[Sentence]) -> str | None:
        """The last outcome; else a rubric signal of a result, outside what was to be done ("legal had to sign
        off")."""
        if outcomes:
            return self._quote(outcomes[-1])
        text = self.doc.text
        return self._signal_sentence(
            "result",
            self._focus_signals(StarComponent.RESULT),
            among=[s for s in self.sentences if self.story.may_be_outcome(s, text)],
            said=lambda s: self.story.said(s, text)[0],
        )

    def _ownership(self) -> str | None:
        """The candidate's own actions, said as often as (half) the team's."""
        own = len(self.i_past)
        if own >= OWNERSHIP_MIN_SENTENCES and own >= OWNERSHIP_SHARE * len(self.we_past):
            return self._quote(self.i_past[0])
        return None

    def _quantified(self, outcomes: Sequence[Sentence]) -> str | None:
        """An outcome with a number that measures it (not any number in the story). The quote is the first outcome
        that measures a change ("churn dropped to 2.4%") when there is one, before one that only holds a number
        ("churn was 3% monthly", a baseline told after the first action): whether the result is quantified does not
        depend on which."""
        changed = self._first(outcomes, lambda s: self.story.measured_change(s.tokens, self._body(s)))
        return changed or self._first(outcomes, lambda s: self.story.quantified(self._body(s)))

    def _reflection(self) -> str | None:
        """What the candidate learned; after a real story, what they would do differently; else a rubric signal."""
        lex = self.story.lex
        reflection = self._first(self.doc.sentences, lambda s: bool(lex.reflection.search(self._body(s))))
        if reflection is None and self.i_past and not self.story.hypothetical(self.doc):
            # What one would do differently, after a real story: conditional wording is a reflection's natural form.
            start = self.i_past[0].start
            reflection = self._first(
                self.doc.sentences,
                lambda s: (
                    s.start > start
                    and bool(lex.lesson.search(self._body(s)))
                    and not lex.future_in_past.search(self._body(s))
                ),
            )
        return reflection or self._signal_sentence("reflection")


def read_star(question: Question, doc: Document, rubric: StarRubric) -> list[StarResult]:
    """The STAR components and qualities of a behavioral answer."""
    return StarReader(question, doc, rubric).read()


def star_function_allows(name: str, quote: str, analyzer: Analyzer) -> bool:
    """Whether a quote can be evidence of a STAR element by what it says (for a model's verdicts): what one would do
    is no action or result; the candidate's own action, or what was to be done, is no result."""
    doc = Document(quote, analyzer)
    if not doc.sentences:
        return False
    story = story_reader(analyzer.language)
    if name in ("action", "result", "quantified_result") and all(
        story.conditional(quote[s.start : s.end]) for s in doc.sentences
    ):
        return False
    if name in ("result", "quantified_result"):
        return any(story.may_be_outcome(s, quote) for s in doc.sentences)
    return True
