"""Text that addresses the grader (instructions, claimed scores, fake JSON grades) is removed before grading: it is
not part of an answer's substance, so it can never earn anything."""

from __future__ import annotations

import re

from interviewer.grading.lexicon import FALLBACK_LANGUAGE, lexicon

_BRACKETED = re.compile(r"\([^()]{0,600}\)|\[[^\[\]]{0,600}\]")
"""A bracketed aside (what addresses the grader is often put in brackets)."""
_JSON_BLOB = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", re.DOTALL)
"""A JSON object (a fake grade), one level of nesting deep."""
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def strip_grader_directives(text: str, language: str = FALLBACK_LANGUAGE) -> str:
    """Remove what addresses the grader (instructions, claimed scores, fake JSON grades, in brackets or as whole
    sentences): it is not part of an answer's substance, so it can never earn anything."""
    injection = lexicon(language).injection
    text = _JSON_BLOB.sub(lambda m: " " if injection.search(m.group(0)) else m.group(0), text)
    text = _BRACKETED.sub(lambda m: " " if injection.search(m.group(0)) else m.group(0), text)
    lines = []
    for line in text.split("\n"):
        pieces = _SENTENCE_BREAK.split(line)
        lines.append(" ".join(p for p in pieces if not injection.search(p)))
    return re.sub(r"[ \t]{2,}", " ", "\n".join(lines)).strip()
