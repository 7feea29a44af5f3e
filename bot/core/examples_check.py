"""`kubecon-bot check`'s warnings about taught phrasings (`examples:` and `declines:`), which a
matcher alone cannot see in the file.

An example is the editors' verdict on a wording, so the bot answers it with its entry in the
channel whatever the scores say and whatever it asks. That is the point when the matcher was
unsure (a "did you mean" pick is usually ranked second), but two cases deserve a second look,
and are no error (the editor may mean it):

* **the matcher alone is confident about another entry**: the example overrides a confident
  answer: right when it corrects a wrong answer (a 👎 then another entry), wrong when it was
  accepted for the wrong entry;
* **the bot would hold the wording back from that entry** (`Responder.holds_back`): it asks in
  a form the entry's answer does not hold (a definition, availability, a price, an aspect
  `not_covered` lists…), which untaught is offered privately at most; taught, it is posted.

A decline is the editors' verdict too, on every message that nearly repeats it: one made of
few content words ("what about SBOMs" is `sbom`) also declines a message that is only an
entry's keyword ("sbom") or its question, which then is no longer answered; and one the bot
answers in the channel untaught is named with that entry, right for a wrong answer (an admin's
"should not be answered"), a loss for an on-topic question.

(A phrasing taught twice, the same stems for two entries or as an example and a decline, is an
error `bot.core.content` reports.) Kept apart from loading (`bot.core.content`): it builds
matchers, which `check` and `suggestions accept` can afford and a bot starting up need not pay
for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace

import yaml

from bot.core.content import Content, Problem, _parse_yaml, _problem
from bot.core.matcher import Matcher
from bot.core.replies import Kind
from bot.core.responder import Responder
from bot.core.text import clean, is_stopword, words

SHOWN = 3  # what a decline blocks, named in its warning


def warnings(content: Content) -> list[Problem]:
    """Every warning `kubecon-bot check` prints for `content`: loading's and the taught
    phrasings', in the order of the file (an editor reads them top to bottom). The one list
    `check` and `suggestions accept` share."""
    return sorted([*content.warnings, *taught_warnings(content)], key=lambda w: w.line or 0)


def new_warnings(before: Content, after: Content) -> list[Problem]:
    """The warnings `after` (an edited file) has and `before` does not: what an edit earns,
    shown before it is saved. Compared by field and message, since lines move."""
    old = {(w.field, w.message) for w in warnings(before)}
    return [w for w in warnings(after) if (w.field, w.message) not in old]


def taught_warnings(content: Content) -> list[Problem]:
    """Warnings about examples and declines, located at their line in the file."""
    if not content.model.declines and not any(e.examples for e in content.entries):
        return []
    root, _ = _parse_yaml(content.text, [])
    untaught = _untaught(content)  # one for the examples' warnings and the declines'
    found = [
        *_examples(content, root, untaught),
        *_blocking_declines(content, root),
        *_answered_declines(content, root, untaught),
    ]
    return sorted(found, key=lambda p: p.line or 0)


def one_word(phrasing: str, untaught: Responder, entry_id: str) -> str | None:
    """The one word a phrasing says, filler aside ("platform", "the platform?"), when the bot
    untaught does not answer that word alone with the entry: taught, it answers every message
    that is nearly only that word (several entries may speak of it). None when the phrasing
    says more, or the word is the entry's own ("what about SBOMs?" for the SBOM entry)."""
    said = [w for w in words(clean(phrasing)) if not is_stopword(w)]
    if len(said) > 1:
        return None
    word = said[0] if said else phrasing.strip()
    alone = untaught.respond(word)
    return None if alone.public and alone.entry_id == entry_id else word


def _untaught(content: Content) -> Responder:
    """A Responder for `content` without its examples and declines: what the bot would do
    were nothing taught."""
    bare = replace(
        content.model,
        entries=tuple(replace(e, examples=()) for e in content.entries),
        declines=(),
    )
    return Responder(Content(model=bare, path=content.path, text=content.text))


def _examples(content: Content, root: yaml.Node | None, untaught: Responder) -> Iterator[Problem]:
    for i, entry in enumerate(content.entries):
        for j, example in enumerate(entry.examples):
            loc = ["entries", i, "examples", j]
            said = f"{example!r} is taught for Q{entry.number}"
            alone = untaught.matcher.match_words(words(clean(example)))
            if alone.entry is not None and alone.entry.id != entry.id:
                other = alone.entry
                mine = next((c.confidence for c in alone.candidates if c.entry.id == entry.id), 0)
                yield _problem(
                    content.path,
                    root,
                    loc,
                    f"{said}, but without it the matcher answers Q{other.number} ({other.id}, "
                    f"score {alone.candidates[0].confidence:.2f}; Q{entry.number} {mine:.2f}): "
                    "is it filed under the right entry?",
                )
            # one word: taught, that word alone is answered with this entry wherever it is
            # asked ("platform", which several entries speak of); a word filed under another
            # entry's is said above
            word = None if alone.entry is not None else one_word(example, untaught, entry.id)
            if word is not None:
                yield _problem(
                    content.path,
                    root,
                    loc,
                    f"{said}, and its only content word is {word!r}: a message of that word "
                    f"alone, or nearly only it, is then answered with Q{entry.number} in the "
                    "channel; a phrasing of a few content words teaches the question asked",
                )
            # the entry as untaught: its examples say what they ask ("cost" in one)
            why = untaught.holds_back(example, untaught.content.entries[i])
            if why is not None:
                yield _problem(
                    content.path,
                    root,
                    loc,
                    f"{said}, and so answered with it in the channel, but it asks {why}: "
                    f"untaught, the bot would not post Q{entry.number} for it",
                )


def _answered_declines(
    content: Content, root: yaml.Node | None, untaught: Responder
) -> Iterator[Problem]:
    """Each decline the bot, untaught, answers in the channel: right when it was a wrong
    answer (an admin's "should not be answered"), a loss when the phrasing is on-topic ("easier
    or harder to adopt?" passed `check` and then declined six ways of asking Q10). Named, with
    the entry, so the editor can tell which it is."""
    for j, decline in enumerate(content.model.declines):
        reply = untaught.respond(decline)
        entry = content.entry(reply.entry_id or "") if reply.kind is Kind.ANSWER else None
        if entry is None or not reply.public:
            continue
        yield _problem(
            content.path,
            root,
            ["declines", j],
            f"decline {decline!r} is answered with Q{entry.number} ({entry.id}) in the channel "
            "when untaught: it and its near-repeats are declined instead. Right if that answer "
            "was wrong for it; if the question is on-topic, remove the decline",
        )


def _blocking_declines(content: Content, root: yaml.Node | None) -> Iterator[Problem]:
    """Each decline that a message of an entry's keyword alone, or of its question, nearly
    repeats (the matcher's taught-phrasing rule): that message is declined before scoring."""
    declines = content.model.declines
    if not declines:
        return
    matcher = Matcher(content)
    blocked: dict[str, list[str]] = defaultdict(list)
    for entry in content.entries:
        asked = [(f"Q{entry.number}'s keyword {k!r}", k) for k in entry.keywords]
        asked.append((f"Q{entry.number}'s question", entry.question))
        for what, text in asked:
            found = matcher.taught_phrase(words(clean(text)))
            if found is not None and found[1] is None:
                blocked[found[0]].append(what)
    for j, decline in enumerate(declines):
        if decline not in blocked or declines.index(decline) != j:
            continue
        names = blocked[decline]
        more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
        yield _problem(
            content.path,
            root,
            ["declines", j],
            f"decline {decline!r} also declines a message of {', '.join(names[:SHOWN])}{more} "
            "(a near-repeat of a decline is declined before any scoring): say more of what "
            "makes it off-topic, or remove it",
        )
