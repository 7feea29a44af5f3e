"""Reading fields of a platform's payload (Slack's JSON events, Discord's messages) as text.

A payload being signed, or arriving over the platform's own connection, says who sent it, not
what shape it has: a `text` that is a number, a `user` that is a string where an object was
expected, and the listener reading it failed with a TypeError traceback logged at ERROR. Every
field a listener uses as text is read here, once: anything that is not a string (or a path
that crosses something that is not an object) reads as "", which every listener already
handles as "absent" (a mention without a question gets the help)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def text(value: object) -> str:
    """`value` if it is a string, else ""."""
    return value if isinstance(value, str) else ""


def obj(payload: object, *path: str) -> Mapping[str, Any]:
    """The object at `path` inside `payload` ({} where a step is missing or not an object)."""
    for key in path:
        payload = payload.get(key) if isinstance(payload, Mapping) else None
    return payload if isinstance(payload, Mapping) else {}


def items(payload: Mapping[str, Any], key: str) -> list[Any]:
    """payload[key] when it is a list, else [] (a string there would be iterated by letter)."""
    found = payload.get(key)
    return found if isinstance(found, list) else []


def field(payload: object, *path: str) -> str:
    """The string at `path` inside `payload`: `field(body, "user", "id")` is body["user"]["id"]
    when that is a string, else ""."""
    *inside, last = path
    return text(obj(payload, *inside).get(last))
