"""The content file (`content/qa.yaml`): its schema, and loading it with errors a human can act on.

The content is served as plain frozen dataclasses (`Webinar`, `Entry`, `ContentModel`), checked
by the small validator below rather than by pydantic, so that `kubecon-bot ask` starts without
importing a schema library (issue 11: importing pydantic and building the models took more than
half of the start-up). Every rule lives in the `_WEBINAR`, `_ENTRY` and `_CONTENT` tables; what a
schema cannot know (YAML line numbers, uniqueness across entries, references between sections)
is added here too, so a broken file is reported, every problem of it at once, as
``content/qa.yaml:42: entries[3].answer: must not be empty (entry 4, id 'x')`` rather than as a
traceback.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bot.core.text import clean, gc_paused, is_stopword, stem, stem_key, stems_of, words


def _default_content_path() -> Path:
    """The repository's content/qa.yaml, the one file editors edit, in a checkout or an editable
    install; in an installed wheel (no repository around it), the copy the build packaged as
    bot/_content/qa.yaml (see pyproject.toml)."""
    in_repository = Path(__file__).resolve().parents[2] / "content" / "qa.yaml"
    if in_repository.is_file():
        return in_repository
    from importlib import resources  # only an installed wheel needs it

    return Path(str(resources.files("bot") / "_content" / "qa.yaml"))


DEFAULT_CONTENT_PATH = _default_content_path()


def bundled_in_package(path: Path) -> bool:
    """`path` is the copy of the content packaged inside an installed kubecon-bot (not a
    checkout's content/qa.yaml): an upgrade replaces it, and a container's is read-only, so an
    edit written there is lost."""
    packaged = Path(__file__).resolve().parents[1] / "_content" / "qa.yaml"
    return path.resolve() == packaged


@dataclass(frozen=True, slots=True, kw_only=True)
class Webinar:
    title: str
    presenter: str
    date: dt.date
    host: str
    sponsor: str | None = None
    source_url: str  # an http(s) URL, normalised as a browser would (see _http_url)
    recording_url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    id: str  # a slug: lowercase letters and digits in hyphen-separated words
    number: int  # >= 1
    question: str
    answer: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()  # phrasings people used for this entry (learning from use)


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentModel:
    """The content file's data, validated: every text stripped and non-empty."""

    schema_version: int = 1
    webinar: Webinar
    takeaways: tuple[str, ...]  # at least one
    entries: tuple[Entry, ...]  # at least one
    generic_terms: tuple[str, ...] = ()
    not_covered: tuple[str, ...] = ()  # aspects asked about that the webinar never covers
    synonyms: dict[str, str] = field(default_factory=dict)  # lowercased, both sides
    daily: tuple[str, ...] | None = None
    declines: tuple[str, ...] = ()  # messages that must not be answered (near-misses)


# --- validation ----------------------------------------------------------------------------------
#
# Each check takes the raw YAML value and where it is, and returns the value to serve, or
# _INVALID after appending (location, message) to `errors`: checking goes on, so every problem of
# the file is reported. The rules and messages are those of the pydantic schema this replaced
# (lax: `number: "3"` is 3, a text is stripped), where a YAML file can reach them.

Loc = tuple[str | int, ...]
Errors = list[tuple[Loc, str]]
Check = Callable[[Any, Loc, Errors], Any]

_INVALID: Any = object()
_REQUIRED: Any = object()
# Unicode White_Space, what the pydantic schema stripped from texts (str.strip() would also strip
# the separators \x1c-\x1f)
_WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_INTEGER = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0*)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _fail(errors: Errors, loc: Loc, message: str) -> Any:
    errors.append((loc, message))
    return _INVALID


def _string(value: object, loc: Loc, errors: Errors) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, bytes | bytearray):  # YAML's !!binary
        try:
            return bytes(value).decode()
        except UnicodeDecodeError:
            return _fail(errors, loc, "Input should be a valid string, unable to parse raw data")
    if not isinstance(value, str):
        return _fail(errors, loc, "Input should be a valid string")
    return str(value)


def _text(value: object, loc: Loc, errors: Errors) -> Any:
    """A non-empty text, surrounding whitespace removed."""
    text = value if type(value) is str else _string(value, loc, errors)
    if text is _INVALID:
        return text
    text = text.strip(_WHITESPACE)
    return text if text else _fail(errors, loc, "must not be empty")


def _slug(value: object, loc: Loc, errors: Errors) -> Any:
    text = _string(value, loc, errors)
    if text is _INVALID:
        return text
    if len(text) > 64:
        return _fail(errors, loc, "String should have at most 64 characters")
    if not _SLUG.fullmatch(text):
        message = "should be lower-case letters and digits, words joined by hyphens"
        return _fail(errors, loc, f"{message} (like 'gpu-scheduling'), not {text!r}")
    return text


def _integer(low: int, high: int | None = None) -> Check:
    def check(value: object, loc: Loc, errors: Errors) -> Any:
        if isinstance(value, bool):  # YAML's true/false: an int to Python, no number to a reader
            return _fail(errors, loc, "Input should be a valid integer, not true or false")
        if isinstance(value, int):
            number = int(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                return _fail(errors, loc, "Input should be a finite number")
            if not value.is_integer():
                message = "Input should be a valid integer, got a number with a fractional part"
                return _fail(errors, loc, message)
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            if not _INTEGER.fullmatch(text):
                message = "Input should be a valid integer, unable to parse string as an integer"
                return _fail(errors, loc, message)
            number = int(text.partition(".")[0])  # "3.0" is 3
        else:
            return _fail(errors, loc, "Input should be a valid integer")
        if number < low:
            return _fail(errors, loc, f"Input should be greater than or equal to {low}")
        if high is not None and number > high:
            return _fail(errors, loc, f"Input should be less than or equal to {high}")
        return number

    return check


def _date(value: object, loc: Loc, errors: Errors) -> Any:
    """A date: YAML's own (`date: 2025-12-04`), or a string in that form."""
    if isinstance(value, str):
        if not _DATE.match(value) or (value[10:] and value[10] not in "T "):
            return _fail(errors, loc, "Input should be a valid date in the format YYYY-MM-DD")
        try:
            value = dt.datetime.fromisoformat(value) if value[10:] else dt.date.fromisoformat(value)
        except ValueError as err:
            return _fail(errors, loc, f"Input should be a valid date, {err}")
    if isinstance(value, dt.datetime):
        if value.timetz().replace(tzinfo=None) != dt.time():
            message = "Datetimes provided to dates should have zero time - e.g. be exact dates"
            return _fail(errors, loc, message)
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _fail(errors, loc, "Input should be a valid date")


# http(s) URLs, checked and normalised as the WHATWG URL standard (browsers, and the pydantic
# HttpUrl this replaced) does for the URLs people write: scheme and host lowercased, the default
# port dropped, "." and ".." segments resolved, spaces and non-ASCII characters percent-encoded,
# an empty path made "/".
_URL_MAX = 2083
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SPECIAL_SCHEMES = frozenset(("http", "https", "ftp", "ws", "wss"))  # their URLs have a host
_DEFAULT_PORT = {"http": 80, "https": 443}
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_FORBIDDEN_HOST = frozenset("\x00\t\n\r #/:<>?@[\\]^|%\x7f") | frozenset(map(chr, range(0x20)))
_PATH_ESCAPED = frozenset(' "#<>?`{}')
_QUERY_ESCAPED = frozenset(" \"#<>'")
_FRAGMENT_ESCAPED = frozenset(' "<>`')
_USERINFO_ESCAPED = _PATH_ESCAPED | frozenset("/:;=@[\\]^|")
_IPV4_PART = re.compile(r"0[xX][0-9A-Fa-f]*|[0-9]+")


class _URLError(ValueError):
    pass


def _escaped(text: str, escape: frozenset[str]) -> str:
    if text.isascii() and text.isprintable() and not escape.intersection(text):
        return text
    return "".join(
        c
        if " " < c < "\x7f" and c not in escape
        else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
        for c in text
    )


def _ipv4(labels: list[str]) -> str:
    """A host whose last label is a number is an IPv4 address, in any form inet_aton takes."""
    numbers = []
    for label in labels:
        if not _IPV4_PART.fullmatch(label):
            raise _URLError("Input should be a valid URL, invalid IPv4 address")
        if label[:2] in ("0x", "0X"):
            numbers.append(int(label[2:] or "0", 16))
        elif len(label) > 1 and label[0] == "0":
            numbers.append(int(label, 8) if not {"8", "9"} & set(label) else -1)
        else:
            numbers.append(int(label))
    last = numbers.pop()
    if (
        len(labels) > 4
        or any(not 0 <= n <= 255 for n in numbers)
        or not 0 <= last < 256 ** (5 - len(labels))
    ):
        raise _URLError("Input should be a valid URL, invalid IPv4 address")
    address = sum(n << (8 * (3 - i)) for i, n in enumerate(numbers)) + last
    return ".".join(str(address >> shift & 255) for shift in (24, 16, 8, 0))


def _host(host: str) -> str:
    if not host:
        raise _URLError("Input should be a valid URL, empty host")
    if host.startswith("[") and host.endswith("]"):  # IPv6
        import ipaddress

        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            raise _URLError("Input should be a valid URL, invalid IPv6 address") from None
    if "%" in host:
        from urllib.parse import unquote

        host = unquote(host)
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise _URLError(
                "Input should be a valid URL, invalid international domain name"
            ) from None
    if not host or _FORBIDDEN_HOST.intersection(host):
        raise _URLError("Input should be a valid URL, invalid international domain name")
    labels = host.split(".")
    if len(labels) > 1 and not labels[-1]:
        labels.pop()
    if _IPV4_PART.fullmatch(labels[-1]):
        return _ipv4(labels)
    return host.lower()


def _path(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")[1:]
    for i, segment in enumerate(segments):
        dots = segment.lower().replace("%2e", ".")
        if dots == "..":
            if out:
                out.pop()
        elif dots != ".":
            out.append(_escaped(segment, _PATH_ESCAPED))
            continue
        if i == len(segments) - 1:
            out.append("")
    return "/" + "/".join(out)


def _http_url(text: str) -> str:
    """`text` as a normalised http(s) URL; _URLError (pydantic's message) if it is not one."""
    if len(text) > _URL_MAX:
        raise _URLError(f"URL should have at most {_URL_MAX} characters")
    url = text.strip(_C0_AND_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    scheme = _SCHEME.match(url)
    if scheme is None:
        raise _URLError("Input should be a valid URL, relative URL without a base")
    name = scheme.group()[:-1].lower()
    rest, fragment = url[scheme.end() :], None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    rest, query = rest.split("?", 1) if "?" in rest else (rest, None)
    if name in _SPECIAL_SCHEMES:
        rest = rest.replace("\\", "/").lstrip("/")
    elif rest.startswith("//"):  # another scheme's authority: its errors come first, as before
        rest = rest[2:]
    else:
        raise _URLError("URL scheme should be 'http' or 'https'")
    authority, slash, path = rest.partition("/")
    userinfo, _, hostport = authority.rpartition("@")
    host, port = hostport, ""
    if ":" in hostport and not hostport.endswith("]"):
        host, port = hostport.rsplit(":", 1)
    if not host and name not in _SPECIAL_SCHEMES:
        raise _URLError("URL scheme should be 'http' or 'https'")
    host = _host(host)
    if not any(c.isalnum() for c in host):  # "https://...", .env.example's placeholder
        raise _URLError("the host has no name in it (is it a placeholder?): give the real address")
    if port and (not port.isascii() or not port.isdigit() or int(port) > 65535):
        raise _URLError("Input should be a valid URL, invalid port number")
    if name not in _DEFAULT_PORT:
        raise _URLError("URL scheme should be 'http' or 'https'")
    user, _, password = userinfo.partition(":")
    credentials = _escaped(user, _USERINFO_ESCAPED)
    if password:
        credentials += ":" + _escaped(password, _USERINFO_ESCAPED)
    out = f"{name}://{credentials}@{host}" if credentials else f"{name}://{host}"
    if port and int(port) != _DEFAULT_PORT[name]:
        out += f":{int(port)}"
    out += _path(slash + path)
    if query is not None:
        out += "?" + _escaped(query, _QUERY_ESCAPED)
    if fragment is not None:
        out += "#" + _escaped(fragment, _FRAGMENT_ESCAPED)
    return out


def _url(value: object, loc: Loc, errors: Errors) -> Any:
    if not isinstance(value, str):
        return _fail(errors, loc, "URL input should be a string or URL")
    try:
        return _http_url(value)
    except _URLError as err:
        return _fail(errors, loc, str(err))


def _optional(check: Check) -> Check:
    return lambda value, loc, errors: None if value is None else check(value, loc, errors)


def _items(check: Check, *, at_least: int = 0) -> Check:
    """A YAML list of values that each pass `check`, served as a tuple."""

    def items(value: object, loc: Loc, errors: Errors) -> Any:
        if not isinstance(value, list | tuple):
            return _fail(errors, loc, "Input should be a valid list")
        failed = len(errors)  # a check that returns _INVALID has added its error
        out = tuple([check(v, (*loc, i), errors) for i, v in enumerate(value)])
        if len(errors) > failed:
            return _INVALID
        if len(out) < at_least:
            return _fail(
                errors, loc, f"List should have at least {at_least} item after validation, not 0"
            )
        return out

    return items


def _lowercase_pairs(value: object, loc: Loc, errors: Errors) -> Any:
    """A mapping of text to text, both sides lowercased (`synonyms`)."""
    if not isinstance(value, Mapping):
        return _fail(errors, loc, "Input should be a valid dictionary")
    out: dict[str, str] = {}
    ok = True
    for key, text in value.items():
        if not isinstance(key, str):  # `12:` or `yes:` is read as a number or a boolean
            errors.append(((*loc, str(key)), f"{key!r} left of the colon is not text: quote it"))
            ok = False
            continue
        key_errors: Errors = []
        k = _text(key, (*loc, key), key_errors)
        if key_errors:  # empty: no field to name it by but the map's
            errors.append((loc, "a spelling (left of the colon) must not be empty"))
        v = _text(text, (*loc, key), errors)
        if k is _INVALID or v is _INVALID:
            ok = False
        else:
            out[k.lower()] = v.lower()
    return out if ok else _INVALID


SCHEMA_VERSION = 1  # the content file's layout this version of kubecon-bot reads


def _schema_version(value: object, loc: Loc, errors: Errors) -> Any:
    """The file's `schema_version`: one from a newer kubecon-bot is said to be so, where "Input
    should be less than or equal to 1" left the editor guessing what 1 was."""
    number = _integer(1)(value, loc, errors)
    if number is not _INVALID and number > SCHEMA_VERSION:
        return _fail(
            errors,
            loc,
            f"{number} is a layout this kubecon-bot does not read (it reads {SCHEMA_VERSION}): "
            "upgrade kubecon-bot, or write the file for its layout",
        )
    return number


Fields = tuple[tuple[str, Check, Any], ...]  # (key, check, default or _REQUIRED)


def _record(cls: type, fields: Fields) -> Check:
    """A YAML mapping with exactly these keys, served as an instance of `cls`."""
    known = frozenset(name for name, _, _ in fields)
    noun = cls.__name__

    def record(value: object, loc: Loc, errors: Errors) -> Any:
        if not isinstance(value, Mapping):
            return _fail(errors, loc, f"Input should be a valid dictionary or instance of {noun}")
        failed = len(errors)  # a check that returns _INVALID has added its error
        out: dict[str, Any] = {}
        for name, check, default in fields:
            given = value.get(name, _REQUIRED)
            if given is not _REQUIRED:
                out[name] = check(given, (*loc, name), errors)
            elif default is _REQUIRED:
                _fail(errors, (*loc, name), "required field is missing")
            elif default is not None and callable(default):
                out[name] = default()
            else:
                out[name] = default
        if not known.issuperset(value):
            for key in value:
                if key not in known:
                    import difflib  # only for a misspelt key: not on every load

                    meant = difflib.get_close_matches(str(key), known, n=1, cutoff=0.75)
                    said = f"did you mean {meant[0]!r}?" if meant else "check its spelling"
                    _fail(errors, (*loc, key), f"unknown key ({said})")
        return cls(**out) if len(errors) == failed else _INVALID

    return record


_texts = _items(_text)

_WEBINAR = _record(
    Webinar,
    (
        ("title", _text, _REQUIRED),
        ("presenter", _text, _REQUIRED),
        ("date", _date, _REQUIRED),
        ("host", _text, _REQUIRED),
        ("sponsor", _optional(_text), None),
        ("source_url", _url, _REQUIRED),
        ("recording_url", _url, _REQUIRED),
    ),
)
_ENTRY = _record(
    Entry,
    (
        ("id", _slug, _REQUIRED),
        ("number", _integer(1), _REQUIRED),
        ("question", _text, _REQUIRED),
        ("answer", _text, _REQUIRED),
        ("keywords", _texts, ()),
        ("examples", _texts, ()),
    ),
)
_CONTENT = _record(
    ContentModel,
    (
        ("schema_version", _schema_version, SCHEMA_VERSION),
        ("webinar", _WEBINAR, _REQUIRED),
        ("takeaways", _items(_text, at_least=1), _REQUIRED),
        ("entries", _items(_ENTRY, at_least=1), _REQUIRED),
        ("generic_terms", _texts, ()),
        ("not_covered", _texts, ()),
        ("synonyms", _lowercase_pairs, dict),
        ("daily", _optional(_texts), None),
        ("declines", _texts, ()),
    ),
)


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
    text: str = field(repr=False)  # the file as read, for `version`
    warnings: tuple[Problem, ...] = ()

    @cached_property
    def version(self) -> str:
        """12 hex digits of the file's SHA-256, computed on first use: `ask` never needs it,
        and hashlib loads OpenSSL (~5 ms of its start-up)."""
        import hashlib

        return hashlib.sha256(self.text.encode()).hexdigest()[:12]

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
        return self.model.webinar.recording_url

    @property
    def source_url(self) -> str:
        return self.model.webinar.source_url

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


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date-like scalar that is no date (`2025-13-04`) stays its text, for the field's check
    to report with its line, instead of escaping PyYAML as a bare ValueError (a traceback)."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


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


def yaml_problem(path: str, exc: yaml.YAMLError, text: str = "") -> Problem:
    """A YAML syntax error as `FILE:LINE: invalid YAML: …`, the form of every other problem,
    rather than PyYAML's text (`in "<unicode string>", line 3, column 9`), which names no file.
    A tab where the error is (`text`, the file) is said: the C parser's "found character that
    cannot start any token" does not say which character, and a tab is invisible."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None and text:
        lines = text.splitlines()
        at = lines[mark.line] if mark.line < len(lines) else ""
        if "tab" not in problem and "\t" in at[: mark.column + 1]:
            column = at.index("\t") + 1
            problem += f" (a tab, at column {column}: YAML indents with spaces only)"
        context = getattr(exc, "context_mark", None)
        if context is not None and context.line < mark.line:
            opened = _unclosed_quote(lines[context.line : mark.line])
            if opened is not None:
                # a quote left open runs on to the next quote, lines later, where the parser
                # fails: the line to fix is the one that opened it
                problem = (
                    f"a quoted value opened on this line is not closed on it (the parser "
                    f"stopped at line {line}: {problem})"
                )
                line = context.line + opened + 1
        if line == mark.line + 1 and problem.startswith(_STRUCTURE_LOST) and mark.line < len(lines):
            said = _indented_out(lines, mark.line) or _colon_in_value(lines[mark.line], problem)
            problem = f"{said} (the parser: {problem})" if said else problem
    return Problem(path, line, "", f"invalid YAML: {problem}")


# what the parser says when a line's indentation breaks the structure it was meant to keep
_STRUCTURE_LOST = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "expected <block end>",
    "could not find expected ':'",
    "mapping values are not allowed",
)
# a line that opens with a key ("    number: 2", "  - id: x"): its indentation, the key's own
_KEY_LINE = re.compile(r"^( *)(?:- +)?[\w-]+:(?:\s|$)")
_BLOCK_SCALAR = (">-", ">", "|", "|-", ">+", "|+")


# a plain value with ": " inside it ("answer: Yes: Kubernetes is…"), which YAML reads as a key
_COLON_VALUE = re.compile(r"""^\s*(?:-\s+)?[\w-]+:\s+(?![\s"'>|\[{]).*?\S:(?:\s|$)""")


def _colon_in_value(text: str, problem: str) -> str | None:
    """ "mapping values are not allowed", said as what happened: a value written plainly
    after its key holds ": ", which YAML reads as a key of its own. None when not that."""
    if not problem.startswith("mapping values") or _COLON_VALUE.match(text) is None:
        return None
    return (
        "the value on this line has ': ' in it, which YAML reads as another key: put the value "
        'in double quotes, or write it on the lines below its key after ">-"'
    )


def _indent(line: str, blank: str = " ") -> int:
    """How far `line` is indented: the characters of `blank` it opens with."""
    return len(line) - len(line.lstrip(blank))


def _indented_out(lines: Sequence[str], at: int) -> str | None:
    """The parser's "did not find expected '-' indicator" (or "mapping values are not
    allowed"), said as what happened: the line `at` is a key indented otherwise than the keys
    before it, or a line of text indented less than the value it continues (a folded answer's
    next line pasted with fewer spaces), so YAML read it as something else. None when the
    indentation is not it (an unquoted ": " inside a value, say)."""
    here = _indent(lines[at])
    key = _KEY_LINE.match(lines[at])
    if key is not None:
        for i in range(at - 1, -1, -1):
            other = _KEY_LINE.match(lines[i])
            if other is None:
                continue
            indent = _indent(other.group(0), " -")  # a list item's key is after its "- "
            if indent != here:
                return (
                    f"this key is indented {here} spaces and the one before it (line {i + 1}) "
                    f"{indent}: keys of one entry line up"
                )
            return None
        return None
    before = next((i for i in range(at - 1, -1, -1) if lines[i].strip()), None)
    if before is None:
        return None
    above = lines[before]
    indent = _indent(above)
    opens = above.rstrip().endswith(_BLOCK_SCALAR)
    if here >= indent + (2 if opens else 0) or not (opens or _KEY_LINE.match(above) is None):
        return None
    wanted = indent + 2 if opens else indent
    return (
        f"this line is indented {here} spaces, less than the text it continues (line "
        f"{before + 1}): indent it {wanted} spaces, as the lines of that value are"
    )


# a value that opens with a quote, after "key:" or "- ": what follows, to look for its close
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[\w.-]+\s*:\s+|-\s+)?(["'])(.*)$""")


def _unclosed_quote(lines: Sequence[str]) -> int | None:
    """The index of the first of `lines` whose value opens a quote the line does not close
    (`question: "Why …` with no closing `"`), or None."""
    for i, text in enumerate(lines):
        found = _QUOTED_VALUE.match(text)
        if found is None:
            continue
        quote, rest = found.groups()
        rest = re.sub(r"\\.", "", rest) if quote == '"' else rest.replace("''", "")
        if quote not in rest:
            return i
    return None


def load_yaml(text: str, path: str) -> tuple[yaml.Node | None, Any]:
    """`text` parsed as the content file is (node tree for line numbers, and data), for the
    other YAML files the bot reads; a syntax error raises ContentError naming FILE:LINE."""
    try:
        return _parse_yaml(text)
    except yaml.YAMLError as exc:
        raise ContentError([yaml_problem(path, exc, text)]) from None


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
    return Problem(path, line, _field_name(loc), msg + _entry_named(root, loc))


def _entry_named(root: yaml.Node | None, loc: Sequence[str | int]) -> str:
    """Which entry a problem at `loc` is in, by the number and id its editor knows it by:
    "entries[3]" counts from 0, and the entry it means is numbered 4. Empty outside entries,
    and a part the problem is about, or that is missing or no plain value, is left out."""
    if len(loc) < 2 or loc[0] != "entries" or not isinstance(loc[1], int):
        return ""
    said = []
    for key, shown in (("number", "entry {}"), ("id", "id {!r}")):
        node, exact = _node_at(root, [*loc[:2], key])
        if not (exact and isinstance(node, yaml.ScalarNode)) or tuple(loc[2:3]) == (key,):
            continue
        if node.value.isdigit() if key == "number" else node.value:
            said.append(shown.format(node.value))
    return f" ({', '.join(said)})" if said else ""


def _cross_checks(path: str, root: yaml.Node | None, data: Mapping) -> Iterator[Problem]:
    """Uniqueness and references, on the raw data: they are reported even when the schema has
    problems too, as a compiler reports every error of a file, not the first kind only."""
    entries = [e for e in _listed(data.get("entries")) if isinstance(e, Mapping)]
    for attr in ("id", "number"):
        first: dict[object, int] = {}
        for i, entry in enumerate(_listed(data.get("entries"))):
            value = entry.get(attr) if isinstance(entry, Mapping) else None
            if value is None or isinstance(value, bool) or not isinstance(value, str | int):
                continue  # true/false is no number (the schema says so), and equals 1/0
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
    places: list[tuple[list[str | int], object, str]] = []  # where, the phrasing, as what
    for i, entry in enumerate(_listed(data.get("entries"))):
        if isinstance(entry, Mapping):
            what = f"an example of {entry.get('id')!r}" if entry.get("id") else "an example"
            places += [
                (["entries", i, "examples", j], x, what)
                for j, x in enumerate(_listed(entry.get("examples")))
            ]
    places += [
        (["declines", j], x, "a decline") for j, x in enumerate(_listed(data.get("declines")))
    ]
    first: dict[str, tuple[list[str | int], str]] = {}
    for loc, phrase, what in places:
        if not isinstance(phrase, str) or not phrase.strip():
            continue
        key = taught_key(phrase)
        if key in first:
            earlier_loc, earlier_what = first[key]
            earlier = _problem(path, root, earlier_loc, "")
            yield _problem(
                path,
                root,
                loc,
                f"{phrase!r} is taught twice (first at line {earlier.line}, as {earlier_what}; "
                f"here as {what})",
            )
        else:
            first[key] = loc, what


def folded(text: str) -> str:
    """How two hand-typed phrasings compare: case and runs of whitespace do not matter."""
    return " ".join(text.casefold().split())


def taught_key(phrase: str) -> str:
    """When two taught phrasings are one: the matcher recognises a phrasing by its content
    stems (`stem_key`: punctuation, case, filler, inflection and order aside), so "what about
    pokemon stuff" and "What about Pokémon stuff?" taught for two entries, or as an example
    and a decline, were a conflict `check` did not see. A phrasing of filler alone ("what is
    it?") has no stems: compared as typed, `folded`."""
    return stem_key(phrase) or folded(phrase)


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


def _number_gaps(path: str, root: yaml.Node | None, model: ContentModel) -> Iterator[Problem]:
    """Entry numbers that skip some (1, 2, 4): people ask by number ("#3", "q3") from memory or
    from the list, and a number that is not there is refused. A warning at the entry after each
    gap: deleting an entry, or numbering from a plan, may well have meant it."""
    numbered = sorted((e.number, i) for i, e in enumerate(model.entries))
    expected = 1
    for number, i in numbered:
        if number > expected:
            skipped = str(expected) if number == expected + 1 else f"{expected}–{number - 1}"
            yield _problem(
                path,
                root,
                ["entries", i, "number"],
                f'numbers skip {skipped}: asking for #{expected} gets "there is no question '
                f'{expected}" (number the entries 1, 2, 3… with no gap)',
            )
        expected = number + 1


def _idle_synonyms(path: str, root: yaml.Node | None, model: ContentModel) -> Iterator[Problem]:
    """Synonyms that do not do what they say. The matcher rewrites a message one word at a time
    and once (`bot.core.matcher`), so a key of two words never applies, a word rewritten to
    itself changes nothing, and a word rewritten to another key stops there ("a: b" and "b: c"
    make "a" count as "b", not "c"; "a: b", "b: a" swap them). Warnings: harmless to run, but
    not what the editor meant."""
    synonyms = model.synonyms
    for key, value in synonyms.items():
        typed, meant = words(clean(key)), words(clean(value))
        if len(typed) != 1:
            why = (
                "is not one word: messages are rewritten a word at a time, so it never applies"
                " (list the words one by one, or make the phrase a keyword)"
            )
        elif meant == typed:
            why = "is rewritten to itself: it changes nothing"
        elif chained := [w for w in meant if w in synonyms and w != typed[0]]:
            again = chained[0]
            why = (
                f"is rewritten to {value!r}, and {again!r} is itself rewritten "
                f"(to {synonyms[again]!r}): synonyms apply once, so {key!r} stops at "
                f"{value!r}"
            )
        else:
            continue
        yield _problem(path, root, ["synonyms", key], f"synonym {key!r} {why}")


def _synonym_collisions(
    path: str, root: yaml.Node | None, model: ContentModel
) -> Iterator[Problem]:
    """A one-word keyword a synonym turns into another entry's keyword ("lightspeed: openshift"
    when OpenShift names another entry): the matcher reads both as one word, so the keyword no
    longer tells its entry from the other (`_keyword_collisions` sees only what is typed)."""
    synonyms = model.synonyms
    owners: dict[tuple[str, ...], int] = {}
    for i, entry in enumerate(model.entries):
        for keyword in entry.keywords:
            raw = words(clean(keyword))
            if len(raw) == 1 and raw[0] not in synonyms:
                owners.setdefault(tuple(raw), i)
    for i, entry in enumerate(model.entries):
        for k, keyword in enumerate(entry.keywords):
            raw = words(clean(keyword))
            if len(raw) != 1 or raw[0] not in synonyms:
                continue
            meant = tuple(words(clean(synonyms[raw[0]])))
            other = owners.get(meant)
            if other is not None and other != i:
                yield _problem(
                    path,
                    root,
                    ["entries", i, "keywords", k],
                    f"keyword {keyword!r} counts as {synonyms[raw[0]]!r} (synonyms), a keyword "
                    f"of {model.entries[other].id!r}: it cannot tell them apart",
                )


def _generic_keywords(path: str, root: yaml.Node | None, model: ContentModel) -> Iterator[Problem]:
    """A generic term that is also one entry's keyword: generic terms describe the whole
    webinar and never decide a match alone, so that keyword no longer names its entry."""
    generic = {folded(t): t for t in model.generic_terms}
    for i, entry in enumerate(model.entries):
        for k, keyword in enumerate(entry.keywords):
            if folded(keyword) in generic:
                yield _problem(
                    path,
                    root,
                    ["entries", i, "keywords", k],
                    f"keyword {keyword!r} is one of generic_terms, which never decide a match "
                    "alone: it does not point to this entry (drop one of the two)",
                )


def _filler_keywords(path: str, root: yaml.Node | None, model: ContentModel) -> Iterator[Problem]:
    """Keywords made of filler words alone ("for good"): the matcher drops filler, so such a
    keyword never counts, and as a phrase it is ordinary English, not a name."""
    for i, entry in enumerate(model.entries):
        for k, keyword in enumerate(entry.keywords):
            raw = words(clean(keyword))
            if raw and all(is_stopword(w) for w in raw):
                yield _problem(
                    path,
                    root,
                    ["entries", i, "keywords", k],
                    f"keyword {keyword!r} is only filler words: it never counts for "
                    "this entry (name it with a word that says something)",
                )


def _wordless_taught(path: str, root: yaml.Node | None, model: ContentModel) -> Iterator[Problem]:
    """Examples and declines with no word that says something ("the", "🚀 ?!", "what about
    it?"): the matcher recognises a taught phrasing by its content words (`stem_key`), so a
    message can never be taken for such a one."""
    taught = [
        (["entries", i, "examples", k], "example", x)
        for i, entry in enumerate(model.entries)
        for k, x in enumerate(entry.examples)
    ]
    taught += [(["declines", k], "decline", x) for k, x in enumerate(model.declines)]
    for loc, kind, phrasing in taught:
        if not stem_key(phrasing):
            yield _problem(
                path,
                root,
                loc,
                f"{kind} {phrasing!r} has no word that says something (only filler, "
                "punctuation or emoji): a message is never recognised as it",
            )


def _uncovered_taught(path: str, root: yaml.Node | None, model: ContentModel) -> Iterator[Problem]:
    """A keyword that is an aspect of `not_covered` ("pricing" as a keyword of the Nutanix
    entry), when the entry's question and answer do not say it: the entry then says that
    aspect, so "what's the pricing for NKP" is answered in the channel with an answer that gives
    no price. A name that merely contains such a word ("software bill of materials") is no such
    keyword. (An example asking about one is one of the forms the bot holds back, which
    `bot.core.examples_check` warns about, all of them at once.)"""
    uncovered = stems_of(model.not_covered)
    for i, entry in enumerate(model.entries):
        own = stems_of((entry.question, entry.answer))
        for k, keyword in enumerate(entry.keywords):
            raw = words(clean(keyword))
            if len(raw) != 1 or stem(raw[0]) not in uncovered or stem(raw[0]) in own:
                continue
            yield _problem(
                path,
                root,
                ["entries", i, "keywords", k],
                f"keyword {keyword!r} asks about {raw[0]!r}, which not_covered lists and this "
                f"answer does not say: questions about {raw[0]!r} that name this entry's "
                "subject will be answered with it in the channel",
            )


def parse_content(text: str, path: str = "<string>", recording_url: str | None = None) -> Content:
    """Validate `text` as a content file; raise ContentError naming file, line and field of
    every problem found, in the order of the file (`recording_url` overrides the file's, and a
    bad one is blamed on RECORDING_URL, where it came from)."""
    duplicates: list[tuple[int, str]] = []
    try:
        with gc_paused():
            root, data = _parse_yaml(text, duplicates)
    except yaml.YAMLError as exc:
        raise ContentError([yaml_problem(path, exc, text)]) from None
    if not isinstance(data, Mapping):
        raise ContentError(
            [Problem(path, 1, "", "expected a mapping with webinar, takeaways, entries")]
        )
    problems = [Problem(path, line, "", message) for line, message in duplicates]
    if recording_url:
        try:
            recording_url = _http_url(recording_url)
        except _URLError as err:
            problems.append(Problem("RECORDING_URL", None, "", f"{recording_url!r}: {err}"))
        else:
            webinar = data.get("webinar")
            if isinstance(webinar, Mapping):
                data = {**data, "webinar": {**webinar, "recording_url": recording_url}}
    errors: Errors = []
    with gc_paused():
        model = _CONTENT(data, (), errors)
    problems += (_problem(path, root, loc, message) for loc, message in errors)
    problems += _cross_checks(path, root, data)
    if problems or model is _INVALID:
        raise ContentError(sorted(problems, key=lambda p: (p.path != path, p.line or 0)))
    warnings = (
        *_keyword_collisions(path, root, model),
        *_filler_keywords(path, root, model),
        *_number_gaps(path, root, model),
        *_idle_synonyms(path, root, model),
        *_synonym_collisions(path, root, model),
        *_generic_keywords(path, root, model),
        *_wordless_taught(path, root, model),
        *_uncovered_taught(path, root, model),
    )
    return Content(model=model, path=path, text=text, warnings=warnings)


def load_content(
    path: str | Path | None = None, recording_url: str | None = None, named_by: str = ""
) -> Content:
    """Load and validate a content file (the bundled `content/qa.yaml` by default). `named_by`:
    the setting or option the path came from (`CONTENT_PATH`, `--content`), said with a file
    that cannot be read, so the operator knows what to change."""
    file = Path(path) if path else DEFAULT_CONTENT_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        why = f"cannot read ({named_by}): " if named_by else "cannot read: "
        raise ContentError([Problem(str(file), None, "", why + str(exc.strerror))]) from None
    except UnicodeDecodeError:
        raise ContentError([Problem(str(file), None, "", "not UTF-8 text")]) from None
    return parse_content(text, str(file), recording_url=recording_url)
