"""The content file (`content/qa.yaml`): its schema, and loading it with errors a human can act on.

The schema is declared with pydantic so that every rule lives in one place and error messages
come for free; what pydantic cannot know (YAML line numbers, uniqueness across entries,
references between sections) is added here, so a broken file is reported as
``content/qa.yaml:42: entries[3].answer: must not be empty`` rather than as a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from bot.core.text import gc_paused


def _default_content_path() -> Path:
    """The repository's content/qa.yaml, the one file editors edit, in a checkout or an editable
    install; in an installed wheel (no repository around it), the copy the build packaged as
    bot/_content/qa.yaml (see pyproject.toml)."""
    in_repository = Path(__file__).resolve().parents[2] / "content" / "qa.yaml"
    if in_repository.is_file():
        return in_repository
    return Path(str(resources.files("bot") / "_content" / "qa.yaml"))


DEFAULT_CONTENT_PATH = _default_content_path()

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]


_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Webinar(_Strict):
    title: Text
    presenter: Text
    date: dt.date
    host: Text
    sponsor: Text | None = None
    source_url: HttpUrl
    recording_url: HttpUrl


class Entry(_Strict):
    id: Slug
    number: int = Field(ge=1)
    question: Text
    answer: Text
    keywords: tuple[Text, ...] = ()
    examples: tuple[Text, ...] = ()  # phrasings people used for this entry (learning from use)


class ContentModel(_Strict):
    schema_version: int = Field(1, ge=1, le=1)
    webinar: Webinar
    takeaways: tuple[Text, ...] = Field(min_length=1)
    entries: tuple[Entry, ...] = Field(min_length=1)
    generic_terms: tuple[Text, ...] = ()
    not_covered: tuple[Text, ...] = ()  # aspects asked about that the webinar never covers
    synonyms: dict[Text, Text] = Field(default_factory=dict)
    daily: tuple[Text, ...] | None = None
    declines: tuple[Text, ...] = ()  # messages that must not be answered (near-misses)

    @field_validator("synonyms")
    @classmethod
    def _lowercase_synonyms(cls, value: dict[str, str]) -> dict[str, str]:
        return {k.lower(): v.lower() for k, v in value.items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, located for the person who has to fix it."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ContentError(Exception):
    """A content file that cannot be served; `problems` lists every error found, first first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Content:
    """Validated content, ready to serve; `version` changes whenever the file's bytes do."""

    model: ContentModel
    path: str
    version: str
    warnings: tuple[Problem, ...] = ()

    @property
    def webinar(self) -> Webinar:
        return self.model.webinar

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.model.entries

    @property
    def takeaways(self) -> tuple[str, ...]:
        return self.model.takeaways

    @property
    def recording_url(self) -> str:
        return str(self.model.webinar.recording_url)

    @property
    def source_url(self) -> str:
        return str(self.model.webinar.source_url)

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def _by_number(self) -> dict[int, Entry]:
        return {e.number: e for e in self.entries}

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def entry_by_number(self, number: int) -> Entry | None:
        return self._by_number.get(number)


# --- YAML with positions -------------------------------------------------------------------------


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's when available: large files load many times faster) that
    notes duplicate keys, where plain YAML silently lets the last one win. They are noted, not
    raised, so that `check` reports them together with every other problem of the file."""

    duplicates: list[tuple[int, str]]  # (line, message), set by _parse_yaml


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = (  # a plain key is its text: no need to build it twice
            key_node.value
            if isinstance(key_node, yaml.ScalarNode)
            else loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        )
        if key in seen:
            loader.duplicates.append(
                (key_node.start_mark.line + 1, f"duplicate key {key!r} (first at line {seen[key]})")
            )
        else:
            seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse_yaml(
    text: str, duplicates: list[tuple[int, str]] | None = None
) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data built from it, parsing the text once.
    Duplicate keys are appended to `duplicates` (line, message); without it they raise."""
    loader = _LineLoader(text)
    loader.duplicates = [] if duplicates is None else duplicates
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    if duplicates is None and loader.duplicates:
        line, message = loader.duplicates[0]
        raise yaml.constructor.ConstructorError(None, None, f"line {line}: {message}")
    return root, data


def _node_at(root: yaml.Node | None, loc: Sequence[str | int]) -> tuple[yaml.Node | None, bool]:
    """The deepest YAML node on the way to `loc`, and whether it was reached exactly."""
    node = root
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    child = value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            return node, False
        node = child
    return node, True


def _field_name(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem(path: str, root: yaml.Node | None, loc: Sequence[str | int], msg: str) -> Problem:
    node, _ = _node_at(root, loc)
    line = node.start_mark.line + 1 if node is not None else None
    return Problem(path, line, _field_name(loc), msg)


def _pydantic_problems(
    path: str, root: yaml.Node | None, err: ValidationError
) -> Iterator[Problem]:
    for e in err.errors(include_url=False):
        loc = [p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        message = e["msg"]
        if e["type"] == "extra_forbidden":
            message = "unknown key (check its spelling)"
        elif e["type"] == "missing":
            message = "required field is missing"
        elif e["type"] == "string_too_short":
            message = "must not be empty"
        yield _problem(path, root, loc, message)


def _cross_checks(path: str, root: yaml.Node | None, data: Mapping) -> Iterator[Problem]:
    """Uniqueness and references, on the raw data: they are reported even when the schema has
    problems too, as a compiler reports every error of a file, not the first kind only."""
    entries = [e for e in _listed(data.get("entries")) if isinstance(e, Mapping)]
    for attr in ("id", "number"):
        first: dict[object, int] = {}
        for i, entry in enumerate(_listed(data.get("entries"))):
            value = entry.get(attr) if isinstance(entry, Mapping) else None
            if value is None or not isinstance(value, str | int):
                continue
            if value in first:
                earlier = _problem(path, root, ["entries", first[value], attr], "")
                yield _problem(
                    path,
                    root,
                    ["entries", i, attr],
                    f"duplicate {attr} {value!r} (first used at line {earlier.line})",
                )
            else:
                first[value] = i
    yield from _taught_twice(path, root, data)
    daily = data.get("daily")
    if isinstance(daily, list):
        takeaways = len(_listed(data.get("takeaways")))
        known = {e.get("id") for e in entries} | {f"takeaway-{n}" for n in range(1, takeaways + 1)}
        for i, ref in enumerate(daily):
            if isinstance(ref, str) and ref not in known:
                yield _problem(
                    path,
                    root,
                    ["daily", i],
                    f"unknown item {ref!r}: use an entry id or takeaway-1..{takeaways}",
                )


def _taught_twice(path: str, root: yaml.Node | None, data: Mapping) -> Iterator[Problem]:
    """A phrasing taught for two entries, or taught as an example and as a decline, would make
    the matcher's verdict depend on the file's order: each is reported where it repeats."""
    places: list[tuple[list[str | int], object]] = []
    for i, entry in enumerate(_listed(data.get("entries"))):
        if isinstance(entry, Mapping):
            places += [
                (["entries", i, "examples", j], x)
                for j, x in enumerate(_listed(entry.get("examples")))
            ]
    places += [(["declines", j], x) for j, x in enumerate(_listed(data.get("declines")))]
    first: dict[str, list[str | int]] = {}
    for loc, phrase in places:
        if not isinstance(phrase, str) or not phrase.strip():
            continue
        key = folded(phrase)
        if key in first:
            earlier = _problem(path, root, first[key], "")
            yield _problem(
                path, root, loc, f"{phrase!r} is taught twice (first at line {earlier.line})"
            )
        else:
            first[key] = loc


def folded(text: str) -> str:
    """How two hand-typed phrasings compare: case and runs of whitespace do not matter."""
    return " ".join(text.casefold().split())


def _listed(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _keyword_collisions(
    path: str, root: yaml.Node | None, model: ContentModel
) -> Iterator[Problem]:
    owners: dict[str, int] = {}
    for i, entry in enumerate(model.entries):
        for k, keyword in enumerate(entry.keywords):
            key = folded(keyword)
            if key in owners and owners[key] != i:
                other = model.entries[owners[key]].id
                yield _problem(
                    path,
                    root,
                    ["entries", i, "keywords", k],
                    f"keyword {keyword!r} is also a keyword of {other!r}: "
                    "it cannot tell them apart",
                )
            owners.setdefault(key, i)


def parse_content(text: str, path: str = "<string>", recording_url: str | None = None) -> Content:
    """Validate `text` as a content file; raise ContentError naming file, line and field of
    every problem found, in the order of the file (`recording_url` overrides the file's, and a
    bad one is blamed on RECORDING_URL, where it came from)."""
    duplicates: list[tuple[int, str]] = []
    try:
        with gc_paused():
            root, data = _parse_yaml(text, duplicates)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError([Problem(path, line, "", f"invalid YAML: {problem}")]) from None
    if not isinstance(data, Mapping):
        raise ContentError(
            [Problem(path, 1, "", "expected a mapping with webinar, takeaways, entries")]
        )
    problems = [Problem(path, line, "", message) for line, message in duplicates]
    if recording_url:
        try:
            _URL.validate_python(recording_url)
        except ValidationError as err:
            message = err.errors(include_url=False)[0]["msg"]
            problems.append(Problem("RECORDING_URL", None, "", f"{recording_url!r}: {message}"))
        else:
            webinar = data.get("webinar")
            if isinstance(webinar, Mapping):
                data = {**data, "webinar": {**webinar, "recording_url": recording_url}}
    model: ContentModel | None = None
    try:
        with gc_paused():
            model = ContentModel.model_validate(data)
    except ValidationError as err:
        problems += _pydantic_problems(path, root, err)
    problems += _cross_checks(path, root, data)
    if problems or model is None:
        raise ContentError(sorted(problems, key=lambda p: (p.path != path, p.line or 0)))
    version = hashlib.sha256(text.encode()).hexdigest()[:12]
    warnings = tuple(_keyword_collisions(path, root, model))
    return Content(model=model, path=path, version=version, warnings=warnings)


def load_content(path: str | Path | None = None, recording_url: str | None = None) -> Content:
    """Load and validate a content file (the bundled `content/qa.yaml` by default)."""
    file = Path(path) if path else DEFAULT_CONTENT_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError([Problem(str(file), None, "", f"cannot read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise ContentError([Problem(str(file), None, "", "not UTF-8 text")]) from None
    return parse_content(text, str(file), recording_url=recording_url)
