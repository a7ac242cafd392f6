"""Whole sentences in feedback: quotes are whole sentences (an abbreviation does not end one), a long quote is
shortened for display only, at a clause boundary and visibly, by one helper; Markdown and JSON keep the full text;
tips, strengths and gaps are whole sentences of at most 300 characters; labels are complete phrases."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult

from interviewer.bank import load_bank
from interviewer.bank.schema import Kind, Question
from interviewer.domain.grades import (
    STAR_COMPONENTS,
    STAR_QUALITIES,
    Grade,
    KeyPointResult,
    MisconceptionFound,
    StarResult,
    Status,
)
from interviewer.domain.phrasing import (
    ELLIPSIS,
    FEEDBACK_LIMIT,
    QUOTE_DISPLAY_LIMIT,
    display_quote,
    feedback_text,
    short_label,
    split_sentences,
)
from interviewer.engine.session import Feedback
from interviewer.gateway.fake import FakeModel
from interviewer.grading.judge import LLMJudge
from interviewer.grading.rubric_grader import RubricGrader
from interviewer.report import feedback_view
from interviewer.tui.widgets.bullet import Bullet
from interviewer.tui.widgets.feedback_view import FeedbackView

if TYPE_CHECKING:
    from conftest import Cli

BANK = load_bank()
GRADER = RubricGrader(BANK)
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
CONJUNCTIONS = ("and", "but", "which", "while", "whereas", "because", "although", "though", "so", "yet")

LONG_SENTENCE = (
    "L1 regularization adds the sum of the absolute values of the weights to the loss, which pushes many of the "
    "weights exactly to zero and so gives a sparse model that performs feature selection, for example when most of "
    "the hundreds of candidate features in our click-through model turned out to be irrelevant, while L2 adds the "
    "sum of squared weights and shrinks them all smoothly."
)
LONG_ANSWER = (
    "Both add a penalty on the size of the weights to the loss, scaled by lambda, to reduce overfitting. "
    + LONG_SENTENCE
    + " Elastic net combines both penalties."
)


def ends_at_sentence_end(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def assert_clause_cut(shown: str, full: str) -> None:
    """``shown`` is ``full`` cut at a clause boundary and marked with an ellipsis."""
    assert shown.endswith(ELLIPSIS), shown
    head = shown.removesuffix(ELLIPSIS)
    assert full.startswith(head) and len(head) < len(full), shown
    rest = full[len(head) :]
    assert rest[:1] in {",", ";", ":"} or rest.lstrip().startswith(("—", "–", "- ", *CONJUNCTIONS)), rest[:20]


# ------------------------------------------------------------------------------------------------ sentences
def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    text = (
        "We used trees, e.g. XGBoost, i.e. boosting. Dr. Lee compared it vs. a baseline; accuracy rose to 0.95. "
        "We tuned depth, rate, etc. and shipped it. Then we monitored drift!"
    )
    assert split_sentences(text) == [
        "We used trees, e.g. XGBoost, i.e. boosting.",
        "Dr. Lee compared it vs. a baseline; accuracy rose to 0.95.",
        "We tuned depth, rate, etc. and shipped it.",
        "Then we monitored drift!",
    ]
    assert split_sentences("We tried X, Y, etc. Then it worked.\n- a bullet") == [
        "We tried X, Y, etc.",
        "Then it worked.",
        "- a bullet",
    ]


def test_a_key_point_quote_with_e_g_stays_whole() -> None:
    sentence = (
        "L1 adds the sum of absolute values of the weights, e.g. in lasso, which drives many weights exactly to zero "
        "and gives a sparse model."
    )
    answer = f"Both add a penalty on the weights to the loss to reduce overfitting. {sentence} Ridge shrinks them."
    grade = GRADER.grade_sync(BANK.get("l1_vs_l2"), [answer])
    quote = grade.key_point("l1_abs_sparsity").quote  # type: ignore[union-attr]
    assert quote == sentence


def test_a_quote_runs_to_the_sentence_end_past_a_semicolon() -> None:
    sentence = "L2, or ridge, adds the sum of squared weights; it shrinks all weights smoothly but rarely to zero."
    answer = f"Both add a penalty on the weights to the loss. L1 adds the sum of absolute values. {sentence}"
    grade = GRADER.grade_sync(BANK.get("l1_vs_l2"), [answer])
    quotes = [k.quote for k in grade.key_points if k.quote]
    assert sentence in quotes
    assert all(ends_at_sentence_end(q) for q in quotes), quotes


def test_a_star_quote_with_e_g_stays_whole() -> None:
    sentence = (
        "As a result late deliveries fell by 20%, e.g. in the two busiest cities, and the team adopted the new schema."
    )
    story = (
        "At my last company in 2022 a data engineer and I disagreed about the feature schema. My task was to ship "
        "the model by the end of the quarter. I listened to his concerns and I proposed a benchmark of both designs. "
        f"I built a prototype of each and we agreed on a hybrid. {sentence} I learned that data settles arguments."
    )
    grade = GRADER.grade_sync(BANK.get("teammate_conflict"), [story])
    star = {s.name: s.quote for s in grade.star}
    assert star["result"] == sentence


# --------------------------------------------------------------------------------------------- display
def test_display_quote_cuts_at_a_clause_boundary_with_an_ellipsis() -> None:
    assert display_quote("Short and whole.") == "Short and whole."
    shown = display_quote(LONG_SENTENCE)
    assert len(LONG_SENTENCE) > QUOTE_DISPLAY_LIMIT and len(shown) <= QUOTE_DISPLAY_LIMIT
    assert_clause_cut(shown, LONG_SENTENCE)
    run_on = "word " * 80  # no clause boundary: shown whole rather than cut mid-phrase
    assert display_quote(run_on) == run_on.strip()


def _long_quote_grade() -> tuple[Question, Grade]:
    question = BANK.get("l1_vs_l2")
    grade = GRADER.grade_sync(question, [LONG_ANSWER])
    assert LONG_SENTENCE in [k.quote for k in grade.key_points], "the grader should quote the long sentence"
    return question, grade


def test_plain_output_shortens_a_long_quote_at_a_clause_boundary() -> None:
    import io

    from interviewer.plain import PlainUI

    question, grade = _long_quote_grade()
    out = io.StringIO()
    PlainUI(out).feedback(Feedback(question=question, grade=grade))
    quoted = [line.strip().removeprefix("“").removesuffix("”") for line in out.getvalue().splitlines() if "“" in line]
    long_lines = [q for q in quoted if LONG_SENTENCE.startswith(q.removesuffix(ELLIPSIS)[:40])]
    assert long_lines, out.getvalue()
    for shown in long_lines:
        assert_clause_cut(shown, LONG_SENTENCE)


async def test_tui_feedback_view_shortens_a_long_quote_at_a_clause_boundary() -> None:
    question, grade = _long_quote_grade()
    data = feedback_view(Feedback(question=question, grade=grade))

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield FeedbackView(data)

    async with Host().run_test(size=(120, 60)) as pilot:
        bodies = [b.body.plain for b in pilot.app.query(Bullet)]
    quoted = [line for body in bodies for line in body.splitlines() if line.startswith("“L1 regularization")]
    assert quoted, bodies
    for line in quoted:
        assert_clause_cut(line.removeprefix("“").removesuffix("”"), LONG_SENTENCE)


def test_markdown_and_json_reports_carry_the_full_quote(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text(LONG_ANSWER + "\n", encoding="utf-8")
    run = cli.run("run", "--plain", "--answers", str(answers), "--question", "l1_vs_l2", "--max-probes", "0")
    assert run.returncode == 0, run.stderr
    shown = [line.strip() for line in run.stdout.splitlines() if line.strip().startswith("“L1 regularization")]
    assert shown and all(s.endswith(ELLIPSIS + "”") for s in shown), run.stdout
    md = cli.run("report", "--format", "md")
    assert md.returncode == 0, md.stderr
    assert f"“{LONG_SENTENCE}”" in md.stdout
    report = json.loads(cli.run("report", "--format", "json").stdout)
    quotes = [k["quote"] for q in report["questions"] for k in q["key_points"]]
    assert LONG_SENTENCE in quotes


# ------------------------------------------------------------------------------------ tips, strengths, gaps
def _finish(
    question: Question,
    *,
    hit: Sequence[str] = (),
    misconceptions: Sequence[str] = (),
    absent: Sequence[str] = (),
    score: int = 3,
) -> Grade:
    """The offline grader's feedback for a chosen outcome: these key points hit (the rest missed), these
    misconceptions, these STAR parts absent."""
    results = [
        KeyPointResult(
            id=kp.id,
            description=kp.description,
            status=Status.HIT if kp.id in hit else Status.MISSED,
            quote="A quote." if kp.id in hit else None,
            required=kp.required,
            weight=kp.weight,
            support=1.0 if kp.id in hit else 0.0,
        )
        for kp in question.key_points
    ]
    found = [
        MisconceptionFound(id=m.id, description=m.description, quote=None, correction=m.correction)
        for m in question.misconceptions
        if m.id in misconceptions
    ]
    star = (
        [
            StarResult(name=n, present=n not in absent, quote=None if n in absent else LONG_SENTENCE * 2)
            for n in (*STAR_COMPONENTS, *STAR_QUALITIES)
        ]
        if question.kind is Kind.BEHAVIORAL
        else []
    )
    return GRADER._finish(question, score, results=results, misconceptions=found, star=star, answers=[])


def _feedback_items(grade: Grade) -> list[str]:
    return [grade.tip, *grade.strengths, *grade.gaps]


def _every_rubric_outcome() -> list[tuple[str, Grade]]:
    out: list[tuple[str, Grade]] = []
    for question in BANK.questions:
        ids = [kp.id for kp in question.key_points]
        for kp in ids:
            out.append((f"{question.id}: only {kp} missed", _finish(question, hit=[i for i in ids if i != kp])))
            out.append((f"{question.id}: only {kp} hit", _finish(question, hit=[kp])))
        for m in question.misconceptions:
            out.append((f"{question.id}: {m.id}", _finish(question, misconceptions=[m.id])))
        if question.kind is Kind.BEHAVIORAL:
            for name in (*STAR_COMPONENTS, *STAR_QUALITIES):
                out.append((f"{question.id}: no {name}", _finish(question, hit=ids, absent=[name])))
    return out


def test_tips_strengths_and_gaps_from_every_rubric_item_end_at_a_sentence_end() -> None:
    outcomes = _every_rubric_outcome()
    tips = {grade.tip for _, grade in outcomes}
    for where, grade in outcomes:
        for item in _feedback_items(grade):
            assert len(item) <= FEEDBACK_LIMIT, (where, item)
            assert ends_at_sentence_end(item), (where, item)
            assert ELLIPSIS not in item, (where, item)
    # every misconception's correction and every key point and STAR criterion was the tip somewhere
    for question in BANK.questions:
        for m in question.misconceptions:
            assert feedback_text(m.correction) in tips, m.id
    assert any(t.startswith("Add the reflection:") for t in tips)
    assert sum(t.startswith("Also cover:") for t in tips) >= sum(len(q.key_points) for q in BANK.questions) - 5


def test_graded_answers_give_whole_sentence_feedback() -> None:
    from interviewer.evals.dataset import builtin_dataset_path, load_dataset

    for item in load_dataset(builtin_dataset_path(), BANK).items:
        grade = GRADER.grade_sync(BANK.get(item.question.id), [item.answer])
        for text in _feedback_items(grade):
            if text:
                assert len(text) <= FEEDBACK_LIMIT and ends_at_sentence_end(text), (item.id, text)


def test_feedback_text_keeps_whole_sentences() -> None:
    first = "A first sentence, e.g. with an abbreviation, of moderate length."
    second = "A second sentence " + "that goes on " * 25 + "until it ends."
    assert feedback_text(f"{first} {second}") == first  # the second would pass the limit: dropped whole
    run_on = "It starts here, " + "then goes on and on " * 20 + "and never stops"
    cut = feedback_text(run_on)
    assert len(cut) <= FEEDBACK_LIMIT and cut.endswith(".") and run_on.startswith(cut[:-1])
    assert run_on[len(cut) - 1 :].startswith((",", " and", " then"))
    for text in (first, second, run_on, f"{first} {second}", "No stop at the end"):
        assert feedback_text(feedback_text(text)) == feedback_text(text)


async def test_a_judge_tip_is_kept_to_whole_sentences() -> None:
    sentences = [f"Sentence number {i} says something useful about regularization and its strength." for i in range(6)]
    answer = "Both add a penalty term in the loss that discourages large weights."
    verdict = {
        "reasoning": "ok",
        "key_points": [{"id": "penalty_added_to_loss", "quote": "add a penalty term in the loss", "status": "hit"}],
        "misconceptions": [],
        "strengths": [" ".join(sentences)],
        "gaps": [],
        "tip": " ".join(sentences),
        "score": 2,
    }
    grade = await LLMJudge(FakeModel([verdict]), BANK).grade(BANK.get("l1_vs_l2"), [answer])
    for text in (grade.tip, grade.strengths[0]):
        assert len(text) <= FEEDBACK_LIMIT and text.endswith("strength.")
        assert " ".join(sentences).startswith(text)


# ------------------------------------------------------------------------------------------------ labels
def _rubric_texts() -> list[tuple[str, int]]:
    texts = [(BANK.star.criterion(n).description, 110) for n in (*STAR_COMPONENTS, *STAR_QUALITIES)]
    for q in BANK.questions:
        texts += [(kp.description, 110) for kp in q.key_points]
        texts += [(m.description, 110) for m in q.misconceptions]
        texts += [(s, 160) for s in q.strong_answer]
    return texts


def test_short_label_drops_an_aside_rather_than_cutting_into_it() -> None:
    text = "Explains X (e.g. a long aside about many things, more, and more) and Y. A second sentence."
    assert short_label(text, 40) == "X and Y"
    assert short_label("Covers this, that and the other (e.g. more, most) at length, in full.", 30) == (
        "This, that and the other at length"  # the clause boundary just past the limit beats a word cut
    )


def assert_complete_phrase(label: str, text: str) -> None:
    assert label and not label.endswith(ELLIPSIS), (text, label)
    assert not label.rstrip().endswith(("(", "[", "{", ",", ";", ":")), label
    assert not re.search(r"\b(?:e\.g|i\.e|eg|ie|such as)\.?$", label, re.IGNORECASE), label
    assert label.count("(") == label.count(")") and label.count("[") == label.count("]"), label
    assert set(re.findall(r"\w+", label.lower())) <= set(re.findall(r"\w+", text.lower())), (text, label)


def test_short_labels_of_the_bank_are_complete_phrases() -> None:
    for text, limit in _rubric_texts():
        assert_complete_phrase(short_label(text, limit), text)


def test_plain_feedback_labels_are_complete_phrases() -> None:
    import io

    from interviewer.plain import PlainUI

    for question in BANK.questions:
        grade = _finish(question, misconceptions=[m.id for m in question.misconceptions])
        out = io.StringIO()
        PlainUI(out).feedback(Feedback(question=question, grade=grade))
        lines = out.getvalue().splitlines()
        labels = [line[4:] for line in lines if line.startswith(("  - ", "  ~ ", "  + "))]
        flagged = [line[4:] for line in lines if line.startswith("  ! ")]
        labels += [f.removesuffix(f": {m.correction}") for f, m in zip(flagged, question.misconceptions, strict=True)]
        labels += [line.strip()[2:] for line in lines if line.startswith("    - ")]
        descriptions = [kp.description for kp in question.key_points] + [m.description for m in question.misconceptions]
        assert len(labels) == len(descriptions) + len(question.strong_answer), lines
        for label, text in zip(labels, descriptions + list(question.strong_answer), strict=True):
            assert_complete_phrase(label, text)
