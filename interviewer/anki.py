"""The review items as an Anki deck (``.apkg``, written with genanki): one note per gap, the question and the gap on
the front, what the rubric says and the candidate's own best words on the back.

Anki fields are HTML: every string is escaped (``html.escape``) and only the markup added here is left as is. A note's
GUID comes from the question, the kind of gap and its id, and the deck and note type have fixed ids, so exporting
again and importing updates the notes already in Anki instead of adding copies."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer.deck import KIND_LABELS, DeckNote

if TYPE_CHECKING:
    import genanki

DECK_ID = 1_734_205_119
MODEL_ID = 1_609_332_047
DECK_NAME = "Interviewer: review"
MODEL_NAME = "Interviewer review item"
FIELDS = ("Question", "Gap", "Rubric", "Quote", "Why")

FRONT = '<div class="question">{{Question}}</div>\n<div class="gap">{{Gap}}</div>'
BACK = (
    '{{FrontSide}}\n<hr id="answer">\n<div class="rubric">{{Rubric}}</div>\n'
    '{{#Quote}}<div class="quote">Your best words: {{Quote}}</div>{{/Quote}}\n<div class="why">{{Why}}</div>'
)
CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.gap { margin-top: 1em; font-weight: bold; }
.quote { margin-top: 1em; font-style: italic; }
.why { margin-top: 1em; font-size: 14px; color: #777; }"""


def _model() -> genanki.Model:
    import genanki

    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Review", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )


def note_fields(item: DeckNote) -> list[str]:
    """The note's fields as HTML: the item's text escaped, with the little markup added here."""
    kind = escape(KIND_LABELS.get(item.kind, item.kind))
    return [
        escape(item.question),
        f"<b>{kind}</b>: {escape(item.label)}",
        escape(item.answer),
        f"“{escape(item.quote)}”" if item.quote else "",
        escape(item.why),
    ]


def _tag(text: str) -> str:
    return re.sub(r"[^\w.:-]+", "_", text) or "_"


def note_guid(item: DeckNote) -> str:
    import genanki

    return str(genanki.guid_for(item.question_id, item.kind, item.item_id))


def write_deck(items: Sequence[DeckNote], path: Path) -> int:
    """Write the items as an ``.apkg`` at ``path``; returns the number of notes. Nothing is written without items."""
    if not items:
        return 0
    import genanki

    model = _model()
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for item in items:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=note_fields(item),
                guid=note_guid(item),
                tags=["interviewer", _tag(item.question_id), _tag(item.kind)],
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    genanki.Package(deck).write_to_file(str(path))
    return len(items)
