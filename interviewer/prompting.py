"""Prompt templates: data files in ``prompts/``, rendered with Jinja2 and strict undefined variables.

A template file starts with a YAML front matter (``name``, ``version``, ``description``) between ``---`` lines,
then Jinja2 blocks named after chat roles (``system``, ``user``). Rendering a template gives chat messages; a
variable the template uses but the caller did not pass is an error, never an empty string. The sha256 of the
template's source is recorded with every grade, so grades made with the same prompt can be compared.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypedDict

import yaml
from jinja2 import Environment, StrictUndefined, Template, TemplateSyntaxError, UndefinedError

from interviewer.errors import PromptError
from interviewer.resources import data_dir

Role = Literal["system", "user", "assistant"]
ROLES: tuple[Role, ...] = ("system", "user", "assistant")
PROMPT_NAMES = ("persona", "probe", "grade_star", "grade_technical")


class Message(TypedDict):
    """One chat message, as every model API takes it."""

    role: Role
    content: str


@dataclass(frozen=True)
class PromptTemplate:
    """A parsed prompt template and its identity (name, version, hash of its source)."""

    name: str
    version: int
    description: str
    source: str
    hash: str
    path: Path

    def render(self, **variables: Any) -> list[Message]:
        """The chat messages this template makes from ``variables`` (a missing variable raises PromptError)."""
        template = _compiled(self._body())
        messages: list[Message] = []
        try:
            for role in ROLES:
                block = template.blocks.get(role)
                if block is None:
                    continue
                text = "".join(block(template.new_context(dict(variables)))).strip()
                if text:
                    messages.append(Message(role=role, content=text))
        except UndefinedError as exc:
            raise PromptError(f"template '{self.name}' needs a variable that was not given: {exc.message}") from None
        if not messages:
            raise PromptError(f"template '{self.name}' rendered no message", hint=f"check {self.path}")
        return messages

    def _body(self) -> str:
        return self.source.split("\n---\n", 1)[1]


@cache
def _compiled(body: str) -> Template:
    """A template body compiled once per process (compiling costs milliseconds; rendering far less)."""
    return _environment().from_string(body)


@cache
def _environment() -> Environment:
    return Environment(
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def parse_template(path: Path) -> PromptTemplate:
    """Read and check one template file."""
    source = path.read_text(encoding="utf-8")
    if not source.startswith("---\n") or "\n---\n" not in source[4:]:
        raise PromptError(f"{path.name}: missing the front matter between '---' lines", hint=str(path))
    front_text, body = source[4:].split("\n---\n", 1)
    try:
        front = yaml.safe_load(front_text) or {}
    except yaml.YAMLError as exc:
        raise PromptError(f"{path.name}: invalid front matter: {exc}") from None
    if not isinstance(front, dict):
        raise PromptError(f"{path.name}: the front matter must be a mapping")
    name, version = front.get("name"), front.get("version")
    if name != path.stem:
        raise PromptError(f"{path.name}: front matter 'name' must be '{path.stem}', got {name!r}")
    if not isinstance(version, int) or version < 1:
        raise PromptError(f"{path.name}: front matter 'version' must be a positive integer")
    try:
        parsed = _environment().parse(body)
    except TemplateSyntaxError as exc:
        raise PromptError(f"{path.name}: line {exc.lineno}: {exc.message}") from None
    del parsed
    return PromptTemplate(
        name=name,
        version=version,
        description=str(front.get("description", "")),
        source=source,
        hash=hashlib.sha256(source.encode("utf-8")).hexdigest(),
        path=path,
    )


@cache
def load_prompt(name: str, folder: Path | None = None) -> PromptTemplate:
    """The template called ``name`` from ``folder`` (the shipped ``prompts/`` by default)."""
    base = folder if folder is not None else data_dir("prompts")
    path = base / f"{name}.j2"
    if not path.is_file():
        raise PromptError(f"no prompt template '{name}' in {base}", hint=f"expected the file {path}")
    return parse_template(path)


def render(name: str, **variables: Any) -> list[Message]:
    """Render the shipped template ``name``."""
    return load_prompt(name).render(**variables)
