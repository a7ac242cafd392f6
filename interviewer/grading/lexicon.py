"""The language data of the offline grader: the words and phrase patterns it reads answers by, loaded from
``grader_<language>.toml`` beside this module (what is English lives in ``grader_en.toml``, not in code).

Selected by the bank's ``language`` (ISO 639-1); it is grading data, not bank content, so it is not part of the bank
hash. A language without its own file is read with the English one, as ``text.py`` already does for its word lists
and for a stemmer Snowball does not have: a bank in another language is still graded (its key points and
misconceptions are matched by its own phrasings, in its own stems), only the grader's own cue words (of stories,
lists, rejections and reported speech, what is said of what) are English ones, which rarely fire on it. Add
``grader_<language>.toml`` (same sections and keys) to read it properly; one that lacks a list is a KeyError naming it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from interviewer.grading.thresholds import STEM_PREFIX

_HERE = Path(__file__).parent
FALLBACK_LANGUAGE = "en"
"""The language whose data is read for a language without its own file."""
_FRAGMENT = re.compile(r"\{([a-z_]+)\}")


def data_file(kind: str, language: str) -> Path:
    """``<kind>_<language>.toml`` beside this module, or the English one when the language has none."""
    path = _HERE / f"{kind}_{language}.toml"
    return path if path.is_file() else _HERE / f"{kind}_{FALLBACK_LANGUAGE}.toml"


def _prefixes(words: frozenset[str]) -> frozenset[str]:
    """The first ``STEM_PREFIX`` letters of each stem (the grader compares stems of different lengths so)."""
    return frozenset(w[:STEM_PREFIX] for w in words)


def _words(alternatives: Sequence[str]) -> str:
    """Alternatives as whole words: ``\\b(?:a|b)\\b``."""
    return r"\b(?:" + "|".join(alternatives) + r")\b"


def _starts(alternatives: Sequence[str]) -> str:
    """Alternatives that start at a word, open at their end: ``\\b(?:a|b)``."""
    return r"\b(?:" + "|".join(alternatives) + ")"


def _either(alternatives: Sequence[str]) -> str:
    """Alternatives joined as they are (each carries its own boundaries)."""
    return "|".join(alternatives)


@dataclass(frozen=True)
class Lexicon:
    """One language's words and patterns (see ``grader_en.toml`` for what each is)."""

    language: str
    meta: frozenset[str]
    change: frozenset[str]
    followed: frozenset[str]
    released: frozenset[str]
    own_release: frozenset[str]
    adverbs: frozenset[str]
    outcome_words: frozenset[str]
    state: frozenset[str]
    prior: frozenset[str]
    comparative: frozenset[str]
    became: frozenset[str]
    others: frozenset[str]
    not_past: frozenset[str]
    past_auxiliaries: frozenset[str]
    first_person: frozenset[str]
    team: frozenset[str]
    we: frozenset[str]
    modals: frozenset[str]
    conjunctions: frozenset[str]
    then: frozenset[str]
    goes_on: frozenset[str]
    relative: frozenset[str]
    than: frozenset[str]
    list_meta: frozenset[str]
    quantifiers: tuple[frozenset[str], ...]
    injection: re.Pattern[str]
    hypothetical: re.Pattern[str]
    conditional: re.Pattern[str]
    number: re.Pattern[str]
    amount: re.Pattern[str]
    multiplied: re.Pattern[str]
    reflection: re.Pattern[str]
    lesson: re.Pattern[str]
    future_in_past: re.Pattern[str]
    obligation: re.Pattern[str]
    compared: re.Pattern[str]
    than_before: re.Pattern[str]
    situation: re.Pattern[str]
    task: re.Pattern[str]
    unknown: re.Pattern[str]
    clause_edge: re.Pattern[str]
    speaker: re.Pattern[str]
    condition: re.Pattern[str]
    denial: re.Pattern[str]
    state_now: re.Pattern[str]
    list_split: re.Pattern[str]
    clause_break: frozenset[str]
    not_negating: frozenset[str]
    clause_negations: frozenset[str]
    reject: re.Pattern[str]
    reject_previous: re.Pattern[str]
    reject_local: re.Pattern[str]
    reject_after: re.Pattern[str]
    turn: re.Pattern[str]
    reported: re.Pattern[str]
    change6: frozenset[str]
    """``change`` as six-letter prefixes."""
    followed6: frozenset[str]
    """``followed`` (a change included) as six-letter prefixes."""
    released6: frozenset[str]
    """``released`` as six-letter prefixes."""


def _expand(alternatives: Sequence[str], fragments: Mapping[str, Sequence[str]]) -> list[str]:
    """The alternatives with each ``{fragment}`` replaced by the fragment's alternatives joined with ``|``."""

    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        return "|".join(fragments[name]) if name in fragments else m.group(0)

    return [_FRAGMENT.sub(fill, a) for a in alternatives]


_PATTERNS = frozenset(
    {
        *("injection", "hypothetical", "conditional", "number", "amount", "multiplied", "reflection", "lesson"),
        *("future_in_past", "obligation", "compared", "than_before", "situation_place", "situation", "task"),
        *("unknown", "clause_edge", "first_person", "condition", "denial", "state_now"),
    }
)
"""The pattern lists a data file must have."""


def _compile(data: Mapping[str, object], source: str) -> dict[str, re.Pattern[str]]:
    """The patterns of a data file, each assembled in its form (see ``grader_en.toml``)."""
    raw = data.get("patterns", {})
    fragments = data.get("fragments", {})
    assert isinstance(raw, dict) and isinstance(fragments, dict)
    if missing := sorted(_PATTERNS - set(raw)):
        raise KeyError(f"{source} lacks the patterns {', '.join(missing)}")
    p = {name: _expand([str(a) for a in alts], fragments) for name, alts in raw.items()}
    forms = {
        "injection": _either(p["injection"]),
        "hypothetical": _words(p["hypothetical"]),
        "conditional": _words(p["conditional"]),
        "number": "(?:" + _either(p["number"]) + ")",
        "amount": _either(p["amount"]),
        "multiplied": _words(p["multiplied"]),
        "reflection": _words(p["reflection"]),
        "lesson": _words(p["lesson"]),
        "future_in_past": _either(p["future_in_past"]),
        "obligation": _words(p["obligation"]),
        "compared": _starts(p["compared"]),
        "than_before": _either(p["than_before"]),
        "situation": _either([*p["situation_place"], _words(p["situation"])]),
        "task": _starts(p["task"]),
        "unknown": _words(p["unknown"]),
        "clause_edge": "[,;:]|" + _words(p["clause_edge"]),
        "condition": _words(p["condition"]) + "[^,;:.]*",
        "denial": _words(p["denial"]),
        "state_now": _words(p["state_now"]),
    }
    compiled = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in forms.items()}
    compiled["speaker"] = re.compile(_either(p["first_person"]))  # case matters: "I", not "i" in a word list
    return compiled


_CLAIM_WORDS = frozenset({"clause_break", "not_negating", "clause_negations"})
"""The word lists of the claims section (who asserts what)."""
_CLAIM_PATTERNS = frozenset({"reject", "reject_previous", "reject_local", "reject_after", "turn", "reported"})
"""The pattern lists of the claims section."""


def _claims(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The words and patterns of who asserts what (the ``[claims]`` section)."""
    section = dict(data.get("claims", {}))
    raw = section.pop("patterns", {})
    fragments = section.pop("fragments", {})
    if missing := sorted((_CLAIM_WORDS - set(section)) | (_CLAIM_PATTERNS - set(raw))):
        raise KeyError(f"{source} lacks the claims lists {', '.join(missing)}")
    p = {name: _expand([str(a) for a in alts], fragments) for name, alts in raw.items()}
    ignore = re.IGNORECASE
    return {
        **{name: frozenset(str(section[name]).split()) for name in _CLAIM_WORDS},
        "reject": re.compile(_words(p["reject"]), ignore),
        "reject_previous": re.compile(_either(p["reject_previous"]), ignore),
        "reject_local": re.compile(_words(p["reject_local"]), ignore),
        "reject_after": re.compile(_words(p["reject_after"]), ignore),
        "turn": re.compile(_words(p["turn"]) + "|[;:]", ignore),
        "reported": re.compile(_either(p["reported"])),  # case matters: a capitalised name is a person
    }


@cache
def word_section(language: str, section: str) -> Mapping[str, frozenset[str]]:
    """A section of whitespace-separated word lists of ``grader_<language>.toml`` (English for a language without
    its own file); a KeyError naming the file when it has no such section."""
    path = data_file("grader", language)
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    if section not in data:
        raise KeyError(f"{path.name} lacks the section [{section}]")
    return MappingProxyType({name: frozenset(str(value).split()) for name, value in data[section].items()})


def check_words(source: str, section: str, have: Iterable[str], want: Iterable[str]) -> None:
    """A KeyError naming the lists that a section of a data file lacks."""
    if missing := sorted(set(want) - set(have)):
        raise KeyError(f"{source} lacks, in [{section}], {', '.join(missing)}")


_DERIVED = frozenset({"change6", "followed6", "released6"})
"""Word sets computed from others (six-letter prefixes), not read."""
_WORDS = frozenset(
    {f.name for f in fields(Lexicon) if f.type == "frozenset[str]"} - _DERIVED - _CLAIM_WORDS
    | {"quantifiers", "list_joiners"}
)
"""The word lists a data file must have."""


@cache
def lexicon(language: str = FALLBACK_LANGUAGE) -> Lexicon:
    """The words and patterns for ``language`` (English for a language without its own file)."""
    path = data_file("grader", language)
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    words = dict(data.get("words", {}))
    if missing := sorted(_WORDS - set(words)):
        raise KeyError(f"{path.name} lacks the words {', '.join(missing)}")
    groups = words.pop("quantifiers")
    joiners = str(words.pop("list_joiners")).split()
    sets = {name: frozenset(str(value).split()) for name, value in words.items()}
    sets["followed"] = sets["change"] | sets["followed"]
    values: dict[str, Any] = {
        **sets,
        **{name: _prefixes(sets[name[:-1]]) for name in _DERIVED},
        **_compile(data, path.name),
        **_claims(data, path.name),
        "list_split": re.compile("[,;]|" + "|".join(rf"\b{w}\b" for w in joiners)),
        "quantifiers": tuple(frozenset(str(g).split()) for g in groups.values()),
    }
    return Lexicon(language=language, **{f.name: values[f.name] for f in fields(Lexicon) if f.name != "language"})
