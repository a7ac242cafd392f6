"""Text that is safe to show: what an answer, a model or a bank says is printed to a terminal or written to a file,
and must not be able to drive the terminal (escape sequences, C1 controls) or reorder what the user reads
(bidirectional controls such as U+202E, which make "txt.exe" read as "exe.txt")."""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"  # embeddings, isolates, marks
)
"""Bidirectional formatting characters: shown text never carries them."""


def printable(text: str) -> str:
    """``text`` without control characters (C0, DEL, C1; newline and tab kept) and bidirectional controls.

    An escape sequence loses its ESC byte, so what is left ("[2J", "]0;title") is shown as the inert text it is."""
    if text.isprintable():
        return text
    return "".join(
        ch for ch in text if ch in "\n\t" or (ch not in BIDI_CONTROLS and unicodedata.category(ch) not in ("Cc", "Cs"))
    )
