"""The offline rubric grader: deterministic, no model, about a millisecond an answer.

Technical answers: each key point is matched through its accepted phrasings (``evidence.py``); misconceptions are
matched the same way, must be asserted (not negated) and cap the score (``misconceptions.py``). Behavioral answers:
STAR components and qualities are found from the rubric's signals plus the shape of the story (``star.py`` on
``story.py``), and the question's own criteria as key points. The overall 1-5 level follows the rubric's level
descriptors (``scoring.py`` on ``levels.py``); the words of the grade come from ``feedback.py``.

Text that addresses the grader (instructions, fake scores, JSON) is removed before grading (``directives.py``), so it
never earns anything; lists of terms without explanation earn at most partial credit (``lists.py``). Every number it
decides by is in ``thresholds.py``; the words it reads English by are in ``grader_en.toml`` (``lexicon.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.bank.loader import Bank, content_hash
from interviewer.bank.schema import Kind, Question
from interviewer.domain.grades import Grade, KeyPointResult, MisconceptionFound, StarResult
from interviewer.grading.directives import strip_grader_directives
from interviewer.grading.evidence import KeyPointFinder, at_most_partial, withhold
from interviewer.grading.feedback import gaps, strengths, tip
from interviewer.grading.lists import is_term_list, stuffed_lists
from interviewer.grading.misconceptions import Reading, read
from interviewer.grading.reference import derive_key_points, reference_points, reference_recall
from interviewer.grading.scoring import behavioral_score, technical_score
from interviewer.grading.star import read_star, star_function_allows
from interviewer.grading.story import story_reader
from interviewer.grading.text import Analyzer, Document
from interviewer.grading.thresholds import COPY_LENGTH_FACTOR, COPY_LENGTH_SLACK, COPY_SHARE, MIN_CONTENT_WORDS

__all__ = [
    "GRADER_NAME",
    "OFFLINE_MODEL",
    "Reading",
    "RubricGrader",
    "derive_key_points",
    "star_function_allows",
    "strip_grader_directives",
    "stuffed_lists",
]

GRADER_NAME = "rubric"
OFFLINE_MODEL = "offline"


class RubricGrader:
    """Grades answers against a bank's rubrics with no model."""

    name = GRADER_NAME

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.analyzer = Analyzer(bank.language)
        self.key_points = KeyPointFinder(self.analyzer)

    # ----------------------------------------------------------------------------------------------- public API
    async def grade(self, question: Question, answers: Sequence[str]) -> Grade:
        """The Grader interface (grading offline never waits, so this runs inline)."""
        return self.grade_sync(question, answers)

    def grade_sync(self, question: Question, answers: Sequence[str]) -> Grade:
        """Grade the answer to ``question`` together with any follow-up answers."""
        text = strip_grader_directives("\n\n".join(a for a in answers if a.strip()), self.bank.language)
        doc = Document(text, self.analyzer)
        if self._is_copy_or_empty(question, doc):
            # Level 1, and nothing in it is credited: what it shares with the question is the question's wording,
            # not evidence of a story or a point. Graded as the empty answer it amounts to.
            doc = Document("", self.analyzer)
        reading = self.read(question, doc)
        if question.kind is Kind.BEHAVIORAL and not question.reference_only:
            return self._grade_behavioral(question, reading)
        return self._grade_technical(question, reading)

    def read(self, question: Question, doc: Document) -> Reading:
        """What the answer claims: swapped concepts, wrong methods, and the words left to credit."""
        return read(question, doc)

    def hypothetical(self, doc: Document) -> bool:
        """Whether the answer is told as what one would do, with little said of what happened."""
        return story_reader(self.analyzer.language).hypothetical(doc)

    # ------------------------------------------------------------------------------------------------ technical
    def _grade_technical(self, question: Question, reading: Reading) -> Grade:
        doc = reading.graded
        recall: float | None = None
        if question.reference_only or not question.key_points:
            results = reference_points(question, doc, self.analyzer)
            recall = reference_recall(question, doc, self.analyzer)
        else:
            results = withhold(self.key_points.results(question, question.key_points, doc), reading.uncredited)
        stuffed = is_term_list(reading.doc)
        if stuffed:
            results = at_most_partial(results)
        score = technical_score(
            results,
            reading.misconceptions,
            content_tokens=len(doc.content_tokens),
            recall=recall,
            term_list=stuffed,
        )
        return self._finish(question, score, results=results, misconceptions=reading.misconceptions, star=[])

    # ----------------------------------------------------------------------------------------------- behavioral
    def _grade_behavioral(self, question: Question, reading: Reading) -> Grade:
        doc = reading.graded
        star = read_star(question, doc, self.bank.star)
        results = self.key_points.results(question, question.key_points, doc)
        score = behavioral_score(
            {s.name for s in star if s.present},
            results,
            reading.misconceptions,
            hypothetical=self.hypothetical(doc),
            term_list=is_term_list(reading.doc),
        )
        return self._finish(question, score, results=results, misconceptions=reading.misconceptions, star=star)

    # ------------------------------------------------------------------------------------------------- shared
    def _is_copy_or_empty(self, question: Question, doc: Document) -> bool:
        """An answer with next to no words, or that mostly repeats the question."""
        content = doc.content_tokens
        if len(content) < MIN_CONTENT_WORDS:
            return True
        q_stems = {s for t in (question.text, *question.alternatives) for s in self.analyzer.content_stems(t)}
        inside = sum(1 for t in content if t.stem in q_stems) / len(content)
        longest = COPY_LENGTH_FACTOR * len(self.analyzer.content_stems(question.text)) + COPY_LENGTH_SLACK
        return inside >= COPY_SHARE and len(content) <= longest

    def _finish(
        self,
        question: Question,
        score: int,
        *,
        results: list[KeyPointResult],
        misconceptions: list[MisconceptionFound],
        star: list[StarResult],
        answers: Sequence[str] = (),
    ) -> Grade:
        """The grade from what was found, with its words (``answers`` is not used: the words come from what was
        found)."""
        del answers
        return Grade(
            question_id=question.id,
            kind=question.kind,
            score=score,
            star=star,
            key_points=results,
            misconceptions=misconceptions,
            strengths=strengths(results, star),
            gaps=gaps(misconceptions, results, star, self.bank.star),
            tip=tip(question, score, misconceptions, results, star, self.bank.star),
            grader=GRADER_NAME,
            model=OFFLINE_MODEL,
            rubric_version=self._rubric_version(question),
            prompt_hash=None,
        )

    def _rubric_version(self, question: Question) -> str:
        if question.id in self.bank.ids:
            return self.bank.rubric_version(question)
        return f"inline+{content_hash(question)[:12]}"
