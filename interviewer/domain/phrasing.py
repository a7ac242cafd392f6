"""Whole sentences in feedback: where a sentence of an answer or a rubric ends, and how feedback text is cut.

The grader's own sentence splitting (``text.Analyzer.sentences``) is tuned for matching and is left alone; this
module decides what is *shown*:

- ``sentence_spans`` / ``split_sentences``: sentences as a reader sees them. An abbreviation ("e.g.", "i.e.",
  "vs.", "Dr.", "U.S."; "etc." unless a capital follows) or a decimal ("0.5") does not end one; a semicolon does
  not either.
- ``feedback_text``: a tip, strength or gap as whole sentences, at most ``FEEDBACK_LIMIT`` characters.
- ``rubric_sentence``: the first sentence of a rubric description, worded as feedback.
- ``short_label``: a rubric description as a short, complete phrase (no "(e.g.", no dangling bracket, no "…").
- ``display_quote``: the one helper every surface uses to show a long quote: shortened at a clause boundary, with
  an ellipsis. Stored quotes (grades, Markdown and JSON reports) keep the whole sentence.
"""

from __future__ import annotations

import re

FEEDBACK_LIMIT = 300
"""The longest tip, strength or gap, in characters."""
QUOTE_DISPLAY_LIMIT = 240
"""Past this many characters a quote is shortened for display (at a clause boundary, so it may end a bit earlier)."""
ELLIPSIS = "…"

_END = re.compile(
    r"(?P<stop>[.!?])[\"'”’)\]]*\s+"  # a full stop, question or exclamation mark (and closing quotes) before a space
    r"|\s*\n\s*"  # a line break
    r"|(?<=:)[ \t]+(?=[-•*][ \t]|\d+[.)][ \t])"  # a list that starts after a colon
)
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # e.g, i.e, a.k.a, U.S
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "eg", "ie", "vs", "cf", "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "approx", "esp", "incl"}
    | {"viz", "resp", "fig", "eq", "al"}
)
"""Words that a full stop follows without ending the sentence (lower case, without their final full stop)."""
_CLOSED = re.compile(r"[.!?][\"'”’)\]]*$")
_CLAUSE = re.compile(
    r"(?<=[,;:])(?=\s)"  # after a comma, semicolon or colon
    r"|(?=\s[—–-]\s)"  # before a dash
    r"|(?P<weak>(?=\s(?:and|but|which|while|whereas|because|although|though|so|yet)\s))",  # before a conjunction
    re.IGNORECASE,
)
_DANGLING = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|such as|like|including|for example|for instance|namely|than|the|an?|of|to|with|for|"
    r"and|or|but)|[(\[{])$",
    re.IGNORECASE,
)
_ASIDE = re.compile(r"\s*\([^()]*\)|\s*\[[^\[\]]*\]")
_META_LEAD = re.compile(
    r"^(?:correctly |clearly |explicitly )?(?:states|explains|describes|gives|names|mentions|covers|recognizes|"
    r"recognises|notes|shows|identifies|says)(?: that)?\s+",
    re.IGNORECASE,
)


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    """Whether the full stop at ``stop`` ends a sentence (``after``: where the next sentence would start)."""
    i = stop
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "._"):
        i -= 1
    before = text[i:stop].lower()
    if before in _ABBREVIATIONS or _DOTTED.fullmatch(before):
        return False
    if before == "etc":  # "x, y, etc. and z" goes on; "x, y, etc. Then ..." starts a new sentence
        return after >= len(text) or text[after].isupper()
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of ``text`` starts and ends (ends include the stop and any closing quote or bracket).

    Line breaks and list items after a colon end a sentence too; surrounding white space is left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if m.group("stop") == "." and not _ends_sentence(text, m.start("stop"), m.end()):
            continue
        end = m.start() + len(m.group(0).rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each verbatim (see ``sentence_spans``)."""
    return [text[s:e] for s, e in sentence_spans(text)]


def _depths(text: str) -> list[int]:
    """The bracket depth before each character of ``text``."""
    depth, out = 0, []
    for ch in text:
        out.append(depth)
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
    return out


def clause_cuts(text: str) -> list[tuple[int, bool]]:
    """Where ``text`` may be cut so that what comes before is a whole clause, and whether the boundary is strong:
    after a comma, semicolon or colon or before a dash (strong), before a conjunction such as "and", "but" or
    "which" (weak: it often joins two nouns). Never inside brackets, and never so that the part kept ends in "e.g.",
    "such as", an article or an open bracket."""
    depths = _depths(text)
    cuts = []
    for m in _CLAUSE.finditer(text):
        cut = m.start()
        head = text[:cut].rstrip(" ,;:")
        if cut > 0 and depths[cut - 1] == 0 and head and not _DANGLING.search(head):
            cuts.append((cut, m.group("weak") is None))
    return cuts


def _best_cut(text: str, limit: int, minimum: int = 1, *, strict: bool = False) -> int | None:
    """The clause boundary of ``text`` to cut at for about ``limit`` characters, best first: the last strong one in
    [``minimum``, ``limit``]; the first strong one up to a quarter past the limit; the last weak one in the range;
    the first strong one, then the first weak one, past the limit. ``strict``: none past the limit. None when there
    is no such boundary."""
    cuts = [(c, is_strong) for c, is_strong in clause_cuts(text) if not strict or c <= limit]
    strong = [c for c, is_strong in cuts if is_strong]
    weak = [c for c, is_strong in cuts if not is_strong]
    preferred = (
        _between(strong, minimum, limit)[-1:],
        _between(strong, limit + 1, limit * 5 // 4)[:1],
        _between(weak, minimum, limit)[-1:],
        _between([*strong, *weak], limit + 1, len(text))[:1],
    )
    return next((found[0] for found in preferred if found), None)


def _between(cuts: list[int], low: int, high: int) -> list[int]:
    """The cuts in [``low``, ``high``], in order."""
    return [c for c in cuts if low <= c <= high]


def _clause_head(text: str, cut: int) -> str:
    """``text`` up to the clause boundary ``cut``, without the punctuation that joined it to the next clause."""
    return text[:cut].rstrip(" ,;:—–-")


def _close(text: str) -> str:
    """``text`` ending with a full stop (or the question or exclamation mark it already ends with)."""
    text = text.rstrip()
    if _CLOSED.search(text):
        return text
    return text.rstrip(" ,;:—–-" + ELLIPSIS) + "."


def feedback_text(text: str, limit: int = FEEDBACK_LIMIT) -> str:
    """A tip, strength or gap as whole sentences: as many as fit in ``limit`` characters, cut only at a sentence
    end, and ending with one. A first sentence longer than ``limit`` is cut at its last clause boundary before the
    limit (at the last word boundary when it has none) and closed with a full stop. Idempotent."""
    text = " ".join(text.split())
    if not text:
        return ""
    sentences = split_sentences(text)
    kept = ""
    for sentence in sentences:
        longer = f"{kept} {sentence}" if kept else sentence
        if len(_close(longer)) > limit:
            break
        kept = longer
    if not kept:
        first = sentences[0]
        cut = _best_cut(first, limit - 1, strict=True)
        kept = _clause_head(first, cut) if cut is not None else first[: limit - 1].rsplit(" ", 1)[0]
    return _close(kept)


def _without_lead(description: str) -> str:
    """A rubric description without "Correctly states that" and the like, starting with a capital."""
    text = _META_LEAD.sub("", " ".join(description.split()))
    return text[:1].upper() + text[1:]


def rubric_sentence(description: str) -> str:
    """The first sentence of a rubric description worded as feedback (no "Correctly states that"), at most
    ``FEEDBACK_LIMIT`` characters and ending at a sentence end (see ``feedback_text``)."""
    text = _without_lead(description)
    sentences = split_sentences(text)
    return feedback_text(sentences[0] if sentences else text)


def short_label(description: str, limit: int = 110) -> str:
    """A rubric description as a short label that is a complete phrase: no "Correctly states that", the first
    sentence up to its first semicolon; if that is longer than ``limit``, without its bracketed asides; if still
    longer, cut at the last clause boundary (see ``_best_cut``). Never ends in "(e.g.", an
    open bracket or "…"."""
    text = _without_lead(description)
    sentences = split_sentences(text)
    first = sentences[0] if sentences else text
    depths = _depths(first)
    semicolon = next((m.start() for m in re.finditer(r";\s", first) if depths[m.start()] == 0), None)
    if semicolon is not None and not _DANGLING.search(first[:semicolon]):
        first = first[:semicolon]
    if first.endswith(".") and _ends_sentence(first + " ", len(first) - 1, len(first) + 1):
        first = first[:-1]
    if len(first) <= limit:
        return first
    bare = re.sub(r"\s+([,;:.])", r"\1", _ASIDE.sub("", first))
    if len(bare) <= limit:
        return bare
    cut = _best_cut(bare, limit, minimum=limit // 3)
    return bare if cut is None else _clause_head(bare, cut)


def display_quote(quote: str, limit: int = QUOTE_DISPLAY_LIMIT) -> str:
    """A quote as every surface shows it (the TUI, plain output, eval reports): whole if it fits in ``limit``
    characters, else shortened at a clause boundary (see ``_best_cut``; at least a third of the limit is kept) and
    marked with an ellipsis. A quote with no clause boundary is shown whole rather than cut mid-phrase."""
    text = " ".join(quote.split())
    if len(text) <= limit:
        return text
    cut = _best_cut(text, limit - len(ELLIPSIS), minimum=limit // 3)
    if cut is None:
        return text
    return _clause_head(text, cut) + ELLIPSIS


def as_words(name: str) -> str:
    """An identifier shown to the candidate (a STAR name, a kind of gap): ``quantified_result`` is ``quantified
    result``."""
    return name.replace("_", " ")
