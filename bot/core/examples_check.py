"""`kubecon-bot check`'s warning about taught phrasings: an entry's `examples:` phrasing that
the matcher would route to another entry.

An example is the editors' verdict on a wording, so the matcher answers it with its entry
whatever the scores say. That is the point when the matcher was unsure (a "did you mean" pick
is usually ranked second), but one case deserves a second look, and is no error (the editor
may mean it): **the matcher alone is confident about another entry**. Without any taught
phrasing the message would be answered with another entry outright; the example overrides a
confident answer: right when it corrects a wrong answer (a 👎 then another entry), wrong when
it was accepted for the wrong entry. (A phrasing taught twice, the same stems for two entries
or as an example and a decline, is an error `bot.core.content` reports.)

Kept apart from loading (`bot.core.content`): it builds matchers, which `check` and `suggestions
accept` can afford and a bot starting up need not pay for.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace

import yaml

from bot.core.content import Content, Problem, _parse_yaml, _problem
from bot.core.matcher import Matcher
from bot.core.text import clean, words


def misrouted_examples(
    content: Content, text: str, only: Collection[tuple[str, str]] | None = None
) -> list[Problem]:
    """Warnings, located at the example's line in `text` (the file `content` was parsed from);
    `only`: (entry id, phrasing) pairs to look at, for an edit that adds those."""
    if not any(e.examples for e in content.entries):
        return []
    root, _ = _parse_yaml(text, [])
    return list(_misrouted(content, root, only))


def _misrouted(
    content: Content, root: yaml.Node | None, only: Collection[tuple[str, str]] | None
) -> Iterator[Problem]:
    bare = replace(
        content.model,
        entries=tuple(replace(e, examples=()) for e in content.entries),
        declines=(),
    )
    untaught = Matcher(Content(model=bare, path=content.path, text=content.text))
    for i, entry in enumerate(content.entries):
        for j, example in enumerate(entry.examples):
            if only is not None and (entry.id, " ".join(example.split())) not in only:
                continue
            alone = untaught.match_words(words(clean(example)))
            if alone.entry is None or alone.entry.id == entry.id:
                continue
            other = alone.entry
            mine = next((c.confidence for c in alone.candidates if c.entry.id == entry.id), 0)
            message = (
                f"without it the matcher answers Q{other.number} ({other.id}, score "
                f"{alone.candidates[0].confidence:.2f}; Q{entry.number} {mine:.2f}): "
                "is it filed under the right entry?"
            )
            loc = ["entries", i, "examples", j]
            yield _problem(
                content.path, root, loc, f"{example!r} is taught for Q{entry.number}, but {message}"
            )
