"""Every number the offline rubric grader decides by, named and said once: how much of a phrasing makes a match, how
much evidence makes a point, how long a list is stuffing, how far apart words may stand. Changing one changes
grades: measure it with the golden test (``tests/test_grades_golden.py``) and the evals gate.
"""

from __future__ import annotations

from fractions import Fraction

# ------------------------------------------------------------------------------------ levels (every grader's rule)
EXPLAINED_TOKENS = 25
"""Content words below which an answer cannot have "clearly explained" every must-have point (level 4)."""
DEVELOPED_TOKENS = 60
"""Content words below which an answer cannot show the depth level 5 asks for (trade-offs, pitfalls)."""
DEVELOPED_BONUS = 2
"""Bonus points a technical answer makes for level 5 (or all of them, when it has fewer)."""
MOST_REQUIRED = Fraction(3, 5)
"""Share of the must-haves, at least mentioned, that is "most" of them (level 3), rounded up."""
THIN_MENTIONS = 2
"""Must-haves mentioned, none made, that still say something, if thinly (level 2)."""
STORY_PARTS = 2
"""STAR parts a behavioral answer needs beyond this many to be a story (at most this many: level 2)."""
MOSTLY_MADE = 0.6
"""A point the answer supports this much (0-1) is made, if thinly: it comes after every point that is not.
Measured on two label sets written apart (the project's 188 answers and a held-out 86): 0.6-0.7 is best on both."""

# --------------------------------------------------------------------------------------------- answer as a whole
MIN_CONTENT_WORDS = 3
"""Content words below which an answer is taken as empty (level 1, nothing credited)."""
COPY_SHARE = 0.7
"""Share of an answer's content words taken from the question at which it is a copy of the question."""
COPY_LENGTH_FACTOR = 2
"""A copy is at most this many times the question's content words long (plus ``COPY_LENGTH_SLACK``)."""
COPY_LENGTH_SLACK = 6
"""Content words a copy of the question may add to it."""
LIST_ONLY_MIN_WORDS = 3
"""Content words that must remain once bare lists are dropped; fewer, and the list alone is graded as the answer."""
TERM_LIST_MIN_WORDS = 8
"""Words an answer needs before it can be judged a list of terms without explanation."""
TERM_LIST_FUNCTION_SHARE = 0.16
"""Share of function words below which a whole answer is a list of terms without explanation."""
TERM_LIST_MAX_SCORE = 2
"""The highest score of an answer that is a list of terms without explanation."""

# ------------------------------------------------------------------------------------------- phrase matching
FUZZY_MIN_LETTERS = 5
"""Letters two different stems need before they may be taken as one word misspelt (or spelt another way)."""
FUZZY_PREFIX_LETTERS = 6
"""Letters the shorter of two stems needs when one begins the other ("regular" / "regularis")."""
FUZZY_RATIO = 86
"""Similarity (0-100, rapidfuzz ratio) at which two stems are a typo or a spelling variant of each other."""
SINGLE_WORD_FUZZY_LETTERS = 6
"""Letters a stem needs to be matched fuzzily as single-word evidence of a point."""
PHRASE_WINDOW_FACTOR = 2
"""A phrase's terms may spread over this many tokens per term..."""
PHRASE_WINDOW_SLACK = 6
"""...plus this many (the default window of a phrase match)."""
NEGATION_REACH = 3
"""Words before a match within which a negation negates it."""
FULL_COVERAGE = 0.999
"""Coverage at which a match has every term of its phrase (allowing for rounding)."""
PHRASE_GAP = 2
"""Other words allowed between two words of a rubric phrase found as said (``claims.find_phrase``, not exact)."""
PHRASE_PREFIX_LETTERS = 4
"""Letters a phrase's stem needs to match any word it begins ("spars" matches "sparsity")."""
CLAIM_NEGATION_REACH = 3
"""Words before a claimed phrase within which a negation denies it ("do not fit", "never on")."""
CLAUSE_WORD_STEP = 3
"""How much a clause word ("so", "but", "which") adds to the clause number of the words after it..."""
CLAUSE_PUNCTUATION_STEP = 1
"""...and how much a comma, semicolon or colon adds: numbers at most ``METHOD_CLAUSES`` apart are one clause or
clauses joined by punctuation alone."""

# -------------------------------------------------------------------------------- what is said of what (binding)
COMPARISON_SCOPE = 3
"""How many words after a comparison's object may still speak of it ("a forest of deep trees")."""
OPENING_NAME_WORDS = 3
"""The opening words of a sentence within which the name it opens with stands (a list item's topic)."""
NAME_CONTEXT_REACH = 2
"""Words before a name within which a comparison word or a lowering word ("than", "reduces") governs it."""
DENIAL_REACH = 6
"""Words before an attribute within which a verbal negation denies it ("does not", "never")."""
DENIAL_AFTER_REACH = 5
"""Words after a subject within which a verbal negation denies it ("more data won't help")."""
LIST_MARKER_CHARS = 6
"""Characters at a sentence's start read for a list marker ("2) ", "- ")."""

# ------------------------------------------------------------------------------------------------- key points
SHORT_PHRASING_TERMS = 3
"""Content terms up to which a phrasing must be matched completely to count as made."""
SHORT_PHRASING_COVERAGE = 1.0
"""Share of a short phrasing's terms a strong match needs (all of them)."""
LONG_PHRASING_COVERAGE = 0.75
"""Share of a longer phrasing's terms a strong match needs."""
UNORDERED_MAX_TERMS = 2
"""Phrasings of at most this many terms match in any order; longer ones must keep their order."""
WEAK_MIN_TERMS = 2
"""Content terms a phrasing needs before half of it counts as a weak mention."""
WEAK_COVERAGE = 0.5
"""Share of a phrasing's terms that makes a weak mention (with one of the point's own words)."""
STRONG_SUPPORT = 0.5
"""Support (0-1) each strong phrasing match adds to a point."""
WEAK_SUPPORT = 0.15
"""Support each weak mention adds to a point."""
EVIDENCE_FULL = 6
"""Distinct words of a point, found near each other, that amount to full support."""
SPECIFIC_TERMS = 3
"""Terms of a matched phrasing that make it specific enough for a hit on its own."""
SPECIFIC_PHRASINGS = 2
"""Strong phrasing matches that together make a hit."""
SPECIFIC_EVIDENCE = 3
"""Distinct words of a point that make one strong match specific (a hit)."""
EVIDENCE_HIT = 4
"""Distinct words of a point, found within ``EVIDENCE_SPAN`` sentences, that make it hit with no phrasing matched."""
EVIDENCE_PARTIAL = 2
"""Distinct words of a point that make it partial with no phrasing matched."""
WEAK_PARTIAL = 2
"""Weak mentions that make a point partial."""
EVIDENCE_SPAN = 2
"""Adjacent sentences over which a point's words are counted together."""
GENERIC_MIN_POINTS = 3
"""Key points a word must be shared by (or more than half of them) to say nothing about any one of them."""
UNCREDITED_SUPPORT = 0.5
"""The most support a point about a swapped concept keeps (it is missed)."""

# ------------------------------------------------------------------------------------------ reference answers
REFERENCE_FULL_RECALL = 0.45
"""Reference-answer grading: the recall of the reference's distinctive words at which an answer is complete.
Calibrated on the project's own labeled answers graded against the bank's reference answers (the median recall of
level-5 answers; level 4 is about 0.30, level 1 about 0.05). The SAF benchmark only measures it."""
REFERENCE_HIT_RECALL = 0.6
"""Share of a reference clause's words that makes it hit."""
REFERENCE_PARTIAL_RECALL = 0.3
"""Share of a reference clause's words that makes it partial."""
REFERENCE_CLAUSE_TERMS = 2
"""Content words a clause of a reference answer needs to be a key point of its own."""
REFERENCE_PROBE_CHARS = 60
"""Characters of a reference clause quoted in its follow-up question."""

# --------------------------------------------------------------------------------------------- misconceptions
MISCONCEPTION_MIN_TERMS = 2
"""Content terms a misconception phrasing needs: one word is never enough to say someone asserted it."""
MISCONCEPTION_WINDOW_SLACK = 3
"""Words a misconception phrasing's terms may spread over beyond their own number."""
MISCONCEPTION_SHORT_TERMS = 5
"""Terms up to which a misconception phrasing must be matched completely."""
MISCONCEPTION_LONG_COVERAGE = 0.8
"""Share of a longer misconception phrasing's terms that asserts it."""
METHOD_REACH = 16
"""How many words apart the operation and what makes it wrong may be, in one sentence (and in one clause or the
clause next to it: "I fill the gaps with the mean, computed on all the rows"; not across "so", "but", "which")."""
METHOD_CLAUSES = 2
"""Clauses apart the operation and what makes it wrong may be (a quantifier: the same clause)."""
EXCEPTION_CLAUSES = 1
"""Clauses apart an exception may stand from the operation it excepts."""
EXCEPTION_REACH = 4
"""How far (in ``clauses`` numbers) an exception in a relative clause may stand from the operation it excepts
("..., so training error is near zero, which is overfitting"); any other exception is said in the operation's clause
or the next one joined by punctuation."""

# ------------------------------------------------------------------------------------------------------ stories
STEM_PREFIX = 6
"""Letters of a stem compared with the story word lists (stems of one word differ in their ends)."""
LEAD_WORDS = 5
"""Words at the start of a sentence that say who acts in it."""
VERB_REACH = 3
"""Words after a subject ("I", "we") within which its past-tense verb stands."""
PAST_MIN_LETTERS = 4
"""Letters a word in -ed needs to be a past tense ("bed", "red" are not)."""
ADVERB_MIN_LETTERS = 5
"""Letters a word in -ly needs to be skipped as an adverb ("fly", "only" are not)."""
SEQUENCE_GAPS = 1
"""Extra words allowed in between the words of a STAR signal."""
SITUATION_SENTENCES = 4
"""The opening sentences in which a story's situation is looked for."""
TEAM_ACTION_SENTENCES = 2
"""Sentences of what "we" did that count as the action when the candidate never says "I did"."""
OWNERSHIP_MIN_SENTENCES = 2
"""Sentences of what the candidate did that show ownership..."""
OWNERSHIP_SHARE = 0.5
"""...when they are at least this share of the sentences of what the team did."""
HYPOTHETICAL_MIN = 2
"""Hypothetical phrases ("I would") that make an answer hypothetical, when at most half as many sentences say what
happened."""

# -------------------------------------------------------------------------------------------------- stuffed lists
LIST_MIN_ITEMS = 4
"""Items a comma-separated run needs to be a bare list of terms."""
LIST_FIRST_ITEM_WORDS = 5
"""Words of a list's first item at which it is a sentence, not a list."""
LIST_WORDY_SHARE = 0.6
"""Share of items that must be words (not notation) for a run to be a list of terms."""
LIST_DENIAL_SHARE = 0.25
"""Share of items saying no ("no flow control") at which a run is claims, not terms."""
LIST_ITEM_WORDS = 4
"""Words of a short item."""
LIST_SHORT_SHARE = 0.75
"""Share of items that must be short for a run to be a list of terms."""
LONG_LIST = 8
"""Items past which a list says nothing of each, whatever its lead-in ("the key components are: ..." and 25 names)."""
LIST_FUNCTION_SHARE = 0.3
"""Share of function words below which a comma-separated run is a list of terms."""
SHORT_LINE_WORDS = 6
"""Words of a short line (a run of them before or after an answer may be stuffing)."""
SHORT_LINE_FUNCTION_SHARE = 0.5
"""Share of function words below which a short line says nothing (a term, not a sentence)."""
SHORT_LINE_RUN = 3
"""Short lines in a row that are stuffing when the rest of the answer is prose."""

# ------------------------------------------------------------------------------------------------------ feedback
MAX_STRENGTHS = 3
"""Strengths a grade lists."""
MAX_GAPS = 5
"""Gaps a grade lists."""
