"""Turning a model's reply into a validated pydantic object: the schema instruction added to the prompt, code fences
stripped, near-JSON repaired, and the re-ask message that shows the model what was wrong.

Small local models truncate or break JSON often, so repair and re-asking are the normal path, not the exception.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import json_repair
from pydantic import BaseModel, ValidationError

from interviewer.prompting import Message

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```[ \t]*(?:json|JSON|javascript|js)?[ \t]*\n?(.*?)(?:```|$)", re.DOTALL)
MAX_ERRORS_SHOWN = 8


class ParseFailure(ValueError):
    """A reply that does not give a valid object; ``str()`` is what the model is shown when re-asked."""


@dataclass
class StructuredStats:
    """How structured calls went: how many needed a JSON repair or a re-ask, how many failed."""

    calls: int = 0
    first_try: int = 0
    """Valid on the first reply, with no repair."""
    repaired: int = 0
    """Calls whose accepted reply needed a JSON repair (fences and surrounding prose do not count)."""
    reasked: int = 0
    """Calls that needed at least one re-ask."""
    failed: int = 0


def schema_for_prompt(schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of ``schema`` without the ``title`` noise (fewer tokens for the same meaning): a fresh copy
    of one computed once per schema class."""
    return copy.deepcopy(_schema_for_prompt(schema))


@cache
def _schema_for_prompt(schema: type[BaseModel]) -> dict[str, Any]:
    cleaned: dict[str, Any] = _drop_titles(schema.model_json_schema())
    return cleaned


def _drop_titles(node: Any, names: bool = False) -> Any:
    """``names``: ``node`` maps property (or definition) names to schemas, so its keys are kept as they are."""
    if isinstance(node, dict):
        return {
            k: _drop_titles(v, not names and k in ("properties", "$defs"))
            for k, v in node.items()
            if names or not (k == "title" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_drop_titles(v) for v in node]
    return node


def with_schema_instruction(messages: list[Message], json_schema: dict[str, Any]) -> list[Message]:
    """The messages with an instruction to answer with one JSON object matching ``json_schema`` (added to the last
    user message, so it is the last thing the model reads)."""
    instruction = (
        "Reply with only one JSON object (no other text, no code fences) that matches this JSON Schema; "
        "fill the fields in the order given:\n" + json.dumps(json_schema, separators=(",", ":"), ensure_ascii=False)
    )
    out = [Message(role=m["role"], content=m["content"]) for m in messages]
    for i in range(len(out) - 1, -1, -1):
        if out[i]["role"] == "user":
            out[i] = Message(role="user", content=out[i]["content"] + "\n\n" + instruction)
            return out
    out.append(Message(role="user", content=instruction))
    return out


REASK_REPLY_CHARS = 120
"""How much of a bad reply a re-ask shows the model (about 30 tokens; the problem itself is spelled out in the
request): a re-ask of the longest grading prompt still fits a small local model's 4,096-token context."""


def reask_messages(messages: list[Message], reply: str, problem: ParseFailure) -> list[Message]:
    """The first request plus the bad reply (cut to ``REASK_REPLY_CHARS``) and a request to fix it."""
    shown = reply if len(reply) <= REASK_REPLY_CHARS else reply[:REASK_REPLY_CHARS] + " [... cut]"
    return [
        *messages,
        Message(role="assistant", content=shown if shown.strip() else "(empty reply)"),
        Message(
            role="user",
            content=(
                f"That reply could not be used: {problem}\n"
                "Reply again with only the corrected JSON object that matches the schema above, and nothing else."
            ),
        ),
    ]


def strip_fences(text: str) -> str:
    """The content of the first fenced code block, or the text itself when there is none."""
    match = _FENCE.search(text)
    return match.group(1).strip() if match else text.strip()


def _outer_object(text: str) -> str:
    start, end = text.find("{"), text.rfind("}")
    if start < 0:
        return text
    return text[start : end + 1] if end > start else text[start:]


def load_json_object(reply: str) -> tuple[dict[str, Any], bool]:
    """The JSON object in ``reply`` and whether it needed a repair (ParseFailure when there is none)."""
    text = _outer_object(strip_fences(reply))
    if not text.strip():
        raise ParseFailure("the reply was empty; a JSON object was expected")
    repaired = False
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        repaired = True
        try:
            data = json_repair.loads(text)
        except Exception:  # json_repair is best-effort; any failure means "no object"
            data = None
    if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
        data = data[0]
    if not isinstance(data, dict) or not data:
        raise ParseFailure("the reply is not a JSON object")
    return data, repaired


def describe_validation_error(error: ValidationError) -> str:
    """The validation errors, one per line, as a model can act on them."""
    lines = []
    for err in error.errors()[:MAX_ERRORS_SHOWN]:
        where = ".".join(str(p) for p in err["loc"]) or "(the object)"
        lines.append(f"- {where}: {err['msg']}")
    more = error.error_count() - MAX_ERRORS_SHOWN
    if more > 0:
        lines.append(f"- ... and {more} more")
    return "the JSON object does not match the schema:\n" + "\n".join(lines)


def parse_reply(reply: str, schema: type[T]) -> tuple[T, bool]:
    """The validated object in ``reply`` and whether the JSON needed a repair; ParseFailure otherwise."""
    data, repaired = load_json_object(reply)
    try:
        return schema.model_validate(data), repaired
    except ValidationError as exc:
        raise ParseFailure(describe_validation_error(exc)) from None
