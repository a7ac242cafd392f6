"""Exports of the practice data: progress as Markdown and HTML, and the review items as an Anki deck; values checked,
other-grader points marked, hostile text escaped for each format, and the commands run as a user."""

from __future__ import annotations

import re
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from functools import partial
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer import deck
from interviewer.anki import DECK_ID, MODEL_ID, write_deck
from interviewer.bank import load_bank
from interviewer.deck import DeckNote
from interviewer.domain.grades import Grade
from interviewer.domain.phrasing import short_label
from interviewer.export_progress import md_cell, to_html, to_markdown
from interviewer.progress import build_progress
from interviewer.storage.repo import GradedInterview, Repository
from interviewer.testing import grades
from interviewer.testing.seed import seed_interview

if TYPE_CHECKING:
    from conftest import Cli

BANK = load_bank()
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> a|b `code` \x1b]0;PWNED\x07 \x1b[2J \u202etxt.exe"


technical = partial(
    grades.technical, BANK, quote="L1 sets some weights exactly to zero.", misconception_quote="L2 makes weights zero."
)
behavioral = partial(grades.behavioral, BANK, quote="We shipped it and latency fell by a third.")


def interview(n: int, *grades: Grade) -> GradedInterview:
    scores = [g.score for g in grades]
    return GradedInterview(
        id=f"iv{n}",
        created_at=T0 + timedelta(days=n),
        status="completed",
        overall_score=sum(scores) / len(scores),
        grades={g.question_id: g for g in grades},
    )


HISTORY = [
    interview(1, technical(2, missed=("why_geometry", "correlated_features")), behavioral(4, result=True)),
    interview(2, technical(5, model="ollama_chat/llama3.2")),
    interview(
        3,
        technical(3, missed=("why_geometry",), misconceptions=("l2_produces_sparsity",)),
        behavioral(2, result=False),
    ),
]


def cells(line: str) -> list[str]:
    """A Markdown table row's cells (split on unescaped pipes)."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def table_rows(markdown: str, title: str) -> list[list[str]]:
    section = markdown.split(f"## {title}\n", 1)[1].strip().split("\n\n", 1)[0]
    return [cells(line) for line in section.splitlines()[2:]]


# ------------------------------------------------------------------------------------------------ Markdown


def test_markdown_tables_hold_the_values() -> None:
    md = to_markdown(build_progress(HISTORY, BANK), now=NOW)
    assert "Exported 2026-11-30 12:00 UTC." in md
    interviews = table_rows(md, "Overall score per interview")
    assert [r[1:4] for r in interviews] == [["iv1", "2", "3.0"], ["iv2", "1", "5.0"], ["iv3", "2", "2.5"]]
    assert [r[4] for r in interviews] == ["offline", r"model:ollama\_chat/llama3.2 \*", "offline"]
    questions = {r[0]: r for r in table_rows(md, "By question")}
    l1 = questions[r"l1\_vs\_l2"]
    # attempts, latest, best (the model's 5 is not comparable), trend (across graders: none), every score
    assert l1[1] == r"Regularization \*" and l1[3:8] == ["3", "3", "3", "-", r"2 → 5\* → 3"]
    conflict = questions[r"teammate\_conflict"]
    assert conflict[3:8] == ["2", "2", "4", "↓ -2", "4 → 2"]
    star = {r[0]: r[1:] for r in table_rows(md, "STAR components present (behavioral answers)")}
    assert star["result"] == ["1/2", "50%"] and star["situation"] == ["2/2", "100%"]
    recurring = {(r[0], r[1]): r for r in table_rows(md, "Keeps coming back")}
    assert recurring[(r"l1\_vs\_l2", "key point")][3] == "2/3"
    assert recurring[(r"teammate\_conflict", "star")][3] == "2/2"  # reflection, absent in both stories
    assert r"\* graded by another grader" in md


def test_markdown_without_other_graders_has_no_legend() -> None:
    md = to_markdown(build_progress([interview(1, technical(3))], BANK), now=NOW)
    assert "another grader" not in md and r"\*" not in md


def test_markdown_cells_are_escaped() -> None:
    cell = md_cell(HOSTILE + "\nsecond line")
    assert "<" not in cell and ">" not in cell and "\n" not in cell
    assert "\x1b" not in cell and "\u202e" not in cell and "\x07" not in cell
    assert re.search(r"(?<!\\)[|`]", cell) is None  # every pipe and backtick escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cell and "second line" in cell


def hostile_history() -> list[GradedInterview]:
    grade = technical(2, missed=("why_geometry",), model=HOSTILE, quote=HOSTILE)
    evil = grade.model_copy(
        update={
            "key_points": [
                k.model_copy(update={"description": f"{k.description} {HOSTILE}"}) if k.id == "why_geometry" else k
                for k in grade.key_points
            ]
        }
    )
    return [interview(1, evil), interview(2, evil)]


def test_hostile_text_in_markdown_cannot_break_a_table() -> None:
    md = to_markdown(build_progress(hostile_history(), BANK), now=NOW)
    assert "<script>" not in md and "\x1b" not in md and "\u202e" not in md and "\x07" not in md
    for line in md.splitlines():
        if line.startswith("|"):
            assert re.search(r"(?<!\\)`", line) is None
    interviews = table_rows(md, "Overall score per interview")
    assert all(len(r) == 5 for r in interviews)  # the model's name holds a pipe: still five cells
    assert "&lt;script&gt;" in interviews[0][4]


# ------------------------------------------------------------------------------------------------ HTML


def test_html_is_a_self_contained_page_with_charts() -> None:
    page = to_html(build_progress(HISTORY, BANK), now=NOW)
    assert page.startswith("<!DOCTYPE html>") and "Exported 2026-11-30 12:00 UTC." in page
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page) is None
    assert re.search(r"url\(\s*['\"]?(https?:)?//", page) is None
    assert page.count("<svg") == 1 + 2  # the overall chart and one per question
    # The tables hold the values; the model's point is marked and drawn as its own, labelled series.
    assert "<td>iv2</td>" in page and "model:ollama_chat/llama3.2 *" in page and "2 → 5* → 3" in page
    assert "another grader: model:ollama_chat/llama3.2" in page
    assert "graded by another grader" in page


def test_hostile_text_in_html_is_escaped() -> None:
    page = to_html(build_progress(hostile_history(), BANK), now=NOW)
    assert "<script" not in page.lower()
    assert "\x1b" not in page and "\u202e" not in page and "\x07" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_no_interviews_exports_say_so() -> None:
    empty = build_progress([], BANK)
    assert "No graded interviews yet" in to_markdown(empty)
    page = to_html(empty)
    assert "No graded interviews yet" in page and "<svg" not in page


# ------------------------------------------------------------------------------------------------ Anki


def deck_notes(path: Path) -> list[tuple[str, list[str], str, int]]:
    """The notes of an .apkg (a zip holding an SQLite collection): GUID, fields, tags, note type id."""
    with zipfile.ZipFile(path) as z:
        assert "collection.anki2" in z.namelist()
        db = path.with_suffix(".anki2")
        db.write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(db)
    try:
        rows = con.execute("select guid, flds, tags, mid from notes order by id").fetchall()
        decks = con.execute("select decks from col").fetchone()[0]
    finally:
        con.close()
    assert str(DECK_ID) in decks
    return [(guid, flds.split("\x1f"), tags, mid) for guid, flds, tags, mid in rows]


def seeded_items(tmp_path: Path, history: list[list[Grade]]) -> list[DeckNote]:
    repo = Repository.open(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        for grades in history:
            seed_interview(repo, BANK, grades)
        graded = repo.graded_history()
    finally:
        repo.close()
    return deck.deck_notes(graded, BANK, build_progress(graded, BANK))


def test_the_deck_has_one_note_per_gap(tmp_path: Path) -> None:
    items = seeded_items(
        tmp_path,
        [
            [technical(2, missed=("why_geometry", "correlated_features")), behavioral(4, result=True)],
            [technical(4, missed=("why_geometry",))],
            [
                technical(3, missed=("elastic_net_and_tuning",), misconceptions=("l2_produces_sparsity",)),
                behavioral(2, result=False),
            ],
        ],
    )
    assert write_deck(items, tmp_path / "deck.apkg") == len(items)
    notes = deck_notes(tmp_path / "deck.apkg")
    by_gap = {(n[1][1]): n for n in notes}
    # Recurring: why_geometry (2 of 3). Latest l1 answer: elastic net missed, the misconception asserted. Latest story:
    # result, quantified result and reflection absent. correlated_features was missed once, long ago: not a note.
    assert len(notes) == 6 and all(mid == MODEL_ID for *_, mid in notes)
    question = BANK.get("l1_vs_l2")
    geometry = next(k for k in question.key_points if k.id == "why_geometry")
    note = by_gap[f"<b>Key point</b>: {short_label(geometry.description)}"]
    assert note[1][0] == escape(question.text)
    assert note[1][2] == escape(geometry.description)
    assert "keeps coming back (2 of 3 answers)" in note[1][4] and "l1_vs_l2" in note[2]
    misconception = next(m for m in question.misconceptions if m.id == "l2_produces_sparsity")
    wrong = next(n for n in notes if n[1][1].startswith("<b>Misconception</b>"))
    assert wrong[1][2] == escape(misconception.correction)
    # The missing result: the rubric's description, and the candidate's words from their best story (the first).
    result = next(n for n in notes if n[1][1].startswith("<b>STAR</b>: result"))
    assert result[1][2] == escape(BANK.star.criterion("result").description)
    assert result[1][3] == "“We shipped it and latency fell by a third.”"
    correlated = next(k for k in question.key_points if k.id == "correlated_features")
    assert not any(n[1][2] == escape(correlated.description) for n in notes)


def test_note_guids_are_stable_across_exports(tmp_path: Path) -> None:
    items = deck.deck_notes(HISTORY, BANK, build_progress(HISTORY, BANK))
    write_deck(items, tmp_path / "one.apkg")
    again = deck.deck_notes(HISTORY, BANK, build_progress(HISTORY, BANK))
    write_deck(again, tmp_path / "two.apkg")
    one, two = deck_notes(tmp_path / "one.apkg"), deck_notes(tmp_path / "two.apkg")
    assert [n[0] for n in one] == [n[0] for n in two] and len({n[0] for n in one}) == len(one) > 0


def test_hostile_text_in_the_deck_is_escaped(tmp_path: Path) -> None:
    history = [
        interview(1, behavioral(4, result=True, quote=HOSTILE)),
        interview(2, behavioral(2, result=False)),
        *hostile_history(),
    ]
    items = deck.deck_notes(history, BANK, build_progress(history, BANK))
    write_deck(items, tmp_path / "deck.apkg")
    notes = deck_notes(tmp_path / "deck.apkg")
    text = "\n".join("\x1f".join(fields) for _, fields, _, _ in notes)
    assert "<script" not in text.lower() and "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    tags = {tag for _, _, tags, _ in notes for tag in tags.split()}
    assert all(re.fullmatch(r"[\w.:-]+", tag) for tag in tags)


def test_no_gaps_no_deck(tmp_path: Path) -> None:
    assert write_deck([], tmp_path / "deck.apkg") == 0
    assert not (tmp_path / "deck.apkg").exists()
    assert deck.deck_notes([], BANK, build_progress([], BANK)) == []


# ------------------------------------------------------------------------------------------------ as a user


def test_export_commands_as_a_user(cli: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "review.apkg"
    empty = cli.run("export", "anki", "--output", str(deck))
    assert empty.returncode == 0 and "no deck written" in empty.stdout and not deck.exists()
    md = cli.run("progress", "--format", "md")
    assert md.returncode == 0 and "No graded interviews yet" in md.stdout
    page = tmp_path / "empty.html"
    assert cli.run("progress", "--format", "html", "--output", str(page)).returncode == 0
    assert "No graded interviews yet" in page.read_text(encoding="utf-8")

    answers = tmp_path / "a.txt"
    answers.write_text("Lasso zeroes weights out, ridge shrinks them.\n", encoding="utf-8")
    for _ in range(2):
        assert cli.run("run", "--answers", str(answers), "--question", "l1_vs_l2").returncode == 0
    md = cli.run("progress", "--format", "md")
    assert md.returncode == 0 and "## By question" in md.stdout and r"| l1\_vs\_l2 |" in md.stdout
    out = tmp_path / "progress.html"
    written = cli.run("progress", "-f", "html", "-o", str(out))
    assert written.returncode == 0 and str(out) in written.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and "<script" not in html
    text = cli.run("progress", "--format", "text")
    assert text.returncode == 0 and "By question" in text.stdout
    assert cli.run("progress", "--json").stdout.lstrip().startswith("{")
    clash = cli.run("progress", "--json", "--format", "md")
    assert clash.returncode != 0 and "--json" in clash.stderr
    bad = cli.run("progress", "--format", "pdf")
    assert bad.returncode != 0 and "--format" in bad.stderr

    made = cli.run("export", "anki", "--output", str(deck))
    assert made.returncode == 0 and "Wrote" in made.stdout and deck.exists()
    first = deck_notes(deck)
    assert first and all(n[1][0] == escape(BANK.get("l1_vs_l2").text) for n in first)
    assert cli.run("export", "anki", "--output", str(deck)).returncode == 0
    assert [n[0] for n in deck_notes(deck)] == [n[0] for n in first]
    default = cli.run("export", "anki")
    assert default.returncode == 0 and "interviewer-review.apkg" in default.stdout
