"""Built-in intents (help, the list, the takeaways, the recording) recognised before entry
matching, so "tl;dr" or "where's the video" get what they ask for rather than a guess; and the
other words a message can start with ("question 5", the subscription commands).

Each intent is declared once, as an `Intent` below: its name, the phrases and command words
that trigger it, how its reply is built from the content, and the outcome it counts as. That
declaration is the only place to edit: the responder answers with `intent.reply(...)`, replies
carry the intent as their `kind`, and `Reply.outcome` reads the intent's outcome, so there is no
dispatch to keep in step and no branch to forget. A declaration that clashes with another (a
name, a command word) fails at import, not at a user's message.

Triggers are short word sequences compared on stems, so plurals and verb forms match
("takeaways", "summarize"). They are English chat phrases, not content: a different webinar
keeps the same triggers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.core.aspects import without_reported_how_to, without_steps_asked_of_the_subject
from bot.core.replies import Kind, Option, Reply, Visibility, webinar_credit, webinar_links
from bot.core.text import stem

if TYPE_CHECKING:
    from bot.core.content import Content, Entry

# The command line: one question per process, so there are no buttons to pick from, and the
# list is its own command (`kubecon-bot list`), not a question to `ask`.
ONE_SHOT = "kubecon-bot ask"


@dataclass(frozen=True, eq=False)  # each declaration is one intent: compared by identity
class Intent:
    """One built-in intent, declared once. Replies to it carry it as their `kind`."""

    # the label of its replies: `Reply.kind.value` in `ask --json`, usage rows and logs
    name: str
    triggers: tuple[str, ...]  # phrases that ask for it anywhere in a message
    words: tuple[str, ...]  # a message that is exactly one of these (a word, or a short phrase)
    # the reply, from the content and how the asker invokes the bot (for the hints it gives)
    build: Callable[[Intent, Content, str], Reply]
    outcome: str  # how metrics, logs and the usage report count the message it answered

    @property
    def value(self) -> str:
        """The reply kind's label, as `Kind.value` is for the fixed kinds: a reply's
        `kind.value` reads the same whichever it holds."""
        return self.name

    def reply(self, content: Content, invocation: str) -> Reply:
        reply = self.build(self, content, invocation)
        if reply.kind is not self:  # a builder copied from another intent and not adapted
            raise TypeError(f"intent {self.name!r} built a {reply.kind.value!r} reply")
        return reply


# --- how commands are spelt in hints ----------------------------------------------------------


def prefix(invocation: str) -> str:
    """`/kubecon ` before a command word; nothing in the terminal chat, where words are bare."""
    return f"{invocation} " if invocation else ""


def list_command(invocation: str) -> str:
    return "kubecon-bot list" if invocation == ONE_SHOT else f"{prefix(invocation)}list"


def _by_number(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e.number)


# --- the intents, each with the reply it gives -------------------------------------------------


def _help(intent: Intent, content: Content, invocation: str) -> Reply:
    w = content.webinar
    say = prefix(invocation)
    # in a shell, the question is quoted: a bare "?" is a glob (zsh refuses it, bash may
    # expand it to a file name)
    example = '"what about SBOMs?"' if invocation == ONE_SHOT else "what about SBOMs?"
    items = (
        f"{say}<your question>: ask in your own words, e.g. “{say}{example}”",
        f"{list_command(invocation)}: the {len(content.entries)} questions I can answer",
        f"{say}<number>: the answer to that question from the list",
        f"{say}takeaways: the key takeaways",
        f"{say}recording: where to watch the webinar",
    )
    intro = f"I answer the audience questions from “{w.title}” ({w.presenter})."
    return Reply(
        kind=intent,
        visibility=Visibility.PRIVATE,
        text=intro + "\n" + "\n".join(items),
        title="How to ask kubecon-bot",
        body=intro,
        items=items,
        links=webinar_links(content),
    )


HELP = Intent(
    name="help",
    triggers=(
        "help",
        "usage",
        "commands",
        "what can you do",
        "how do i use",
        "how to use",
        "how does this work",
        "who are you",
        "what are you",
    ),
    words=("help",),
    build=_help,
    outcome="intent",
)


def _list(intent: Intent, content: Content, invocation: str) -> Reply:
    entries = _by_number(content.entries)
    items = tuple(f"{e.number}. {e.question}" for e in entries)
    hint = f"Ask in your own words, or `{prefix(invocation)}<number>`."
    return Reply(
        kind=intent,
        visibility=Visibility.PRIVATE,
        text="Questions I can answer:\n" + "\n".join(items) + "\n" + hint,
        title="Questions I can answer",
        items=items,
        options=tuple(Option(e.id, e.number, e.question) for e in entries),
        hint=hint,
        links=webinar_links(content),
    )


LIST = Intent(
    name="list",
    triggers=(
        "list",
        "all questions",
        "which questions",
        "what questions",
        "what are the questions",
        "show questions",
        "the questions",
        "questions list",
        "topics",
        "menu",
        "faq",
    ),
    words=("list", "questions"),
    build=_list,
    outcome="intent",
)


def _takeaways(intent: Intent, content: Content, invocation: str) -> Reply:
    items = content.takeaways
    body = "\n".join(f"• {t}" for t in items)
    return Reply(
        kind=intent,
        visibility=Visibility.CHANNEL,
        text=f"Key takeaways\n{body}\n\nWatch the recording: {content.recording_url}",
        title="Key takeaways",
        body=body,
        items=items,
        links=webinar_links(content),
        footer=webinar_credit(content),
    )


# A summary is mostly asked as "the <main> <points>": a word that ranks what matters first
# followed by what is ranked ("key themes", "top lessons", "most important points").
# A headline, the big or overall ones, and the high-level ones rank too ("the big themes",
# "the headline messages", "the biggest lessons", "the high-level conclusions"). "Takeaway" is
# not ranked: "key takeaways on nutanix" keeps "key" beside the trigger, and is not answered.
_RANKING = ("key", "main", "top", "major", "core", "central", "overarching", "important")
_RANKING += ("big", "biggest", "headline", "overall", "high level", "top level")
_RANKED = ("point", "theme", "idea", "message", "lesson", "insight", "learning", "highlight")
_RANKED += ("conclusion",)

TAKEAWAYS = Intent(
    name="takeaways",
    triggers=(
        *(f"{first} {then}" for first in _RANKING for then in _RANKED),
        # what is worth keeping from it, in so many words
        "to remember",
        "worth remembering",
        "should remember",
        "remember from",
        "things to know",
        "need to know",
        "should i know",
        "should we know",
        # a summary in the form it is wanted: "3 bullets from the webinar for the all-hands"
        "bullets",
        "bullet points",
        "bottom line",
        "rundown",
        "run down",
        "wrap up",
        "synopsis",
        "essentials",
        "takeaway",
        "takeway",  # as often typed: "key takeways"
        "summary",
        "summarize",
        "summarise",
        "summarized",
        "tldr",
        "tl dr",
        "too long didn t read",
        "too long didnt read",
        "too long didn t watch",
        "too long didnt watch",
        "tldw",
        "recap",
        "highlights",
        "gist",
        "in a nutshell",
        "overview",
        "what did i miss",
        "sum up",
        "sum it up",
        "top trends",
        "trends",
        "short version",
        "cliff notes",
        "cliffsnotes",
        "brief me",
        "big picture",
        "conclusions",
        "lessons learned",
        # what the webinar was about, asked of the webinar itself ("any kubecon talks about
        # eBPF" asks about other talks: not "talk about")
        "webinar about",
    ),
    words=("takeaways", "takeaway", "tldr", "summary"),
    build=_takeaways,
    outcome="intent",
)


def _recording(intent: Intent, content: Content, invocation: str) -> Reply:
    w = content.webinar
    when = f"{w.date:%B} {w.date.day}, {w.date.year}"
    # who presented, hosted and sponsored it: what people ask the recording's card for
    backers = f"{w.host}, sponsored by {w.sponsor}" if w.sponsor else w.host
    body = f"“{w.title}”, presented by {w.presenter} on {when} ({backers}), is available on demand."
    return Reply(
        kind=intent,
        visibility=Visibility.CHANNEL,
        text=f"{body}\nWatch the recording: {content.recording_url}\n"
        f"Read the article: {content.source_url}",
        title="Watch the recording",
        body=body,
        links=webinar_links(content),
        footer=webinar_credit(content),
    )


RECORDING = Intent(
    name="recording",
    triggers=(
        "recording",
        "recorded",
        "video",
        "replay",
        "rewatch",
        "watch",
        "on demand",
        "youtube",
        "webinar link",
        "link to the webinar",
        # the article, the card's other link, and a copy of either
        "article link",
        "link to the article",
        "find the article",
        "where is the article",
        "send me the link",
        "share the link",
        "copy of the webinar",
        "writeup",
        "write up",
        "who presented",
        "presenter",
        "speaker",
        "who gave the webinar",
        "when was the webinar",
        "about the webinar",
        # the webinar's own facts, which the card gives (host, sponsor, title, who gave it)
        "who hosted",
        "who was the host",
        "hosted the webinar",
        "host of the webinar",
        "webinar host",
        "who sponsored",
        "sponsored the webinar",
        "sponsor of the webinar",
        "webinar sponsor",
        "who gave the talk",
        "who gave the presentation",
        "webinar called",
        "name of the webinar",
        "title of the webinar",
    ),
    words=("recording", "video"),
    build=_recording,
    outcome="intent",
)


def _word_back(message: str) -> Callable[[Intent, Content, str], Reply]:
    """The builder of a private one-liner: `message` with the webinar's {title} and the
    {list} command filled in."""

    def build(intent: Intent, content: Content, invocation: str) -> Reply:
        text = message.format(title=content.webinar.title, list=list_command(invocation))
        return Reply(kind=intent, visibility=Visibility.PRIVATE, text=text, body=text)

    return build


# a message that is only a greeting or a thank-you gets a word back, not "I don't have an
# answer for that"; in a longer message these words are ordinary words ("hey, what about
# SBOMs?" is a question), so they are whole-message phrases, never triggers
GREETING = Intent(
    name="greeting",
    triggers=(),
    words=(
        "hi",
        "hello",
        "hey",
        "hiya",
        "howdy",
        "yo",
        "good morning",
        "good afternoon",
        "good evening",
        "hi there",
        "hello there",
        "hey there",
    ),
    build=_word_back(
        "Hi! I answer the audience questions from “{title}”: ask one in your own words, "
        "or `{list}` to see them."
    ),
    outcome="intent",
)


THANKS = Intent(
    name="thanks",
    triggers=(),
    words=(
        "thanks",
        "thank you",
        "thx",
        "ty",
        "cheers",
        "thanks a lot",
        "thank you so much",
        "many thanks",
        "thanks so much",
        "great thanks",
        "ok thanks",
        "perfect thanks",
    ),
    build=_word_back(
        "You're welcome! Ask me anything else about the webinar, or `{list}` to see the "
        "questions I can answer."
    ),
    outcome="intent",
)

# In this order a message triggering two intents at the same word gets the first.
INTENTS = (HELP, LIST, TAKEAWAYS, RECORDING, GREETING, THANKS)

# A message starting with one of these manages the channel's daily takeaway (bot.daily), before
# any intent or entry is considered.
SUBSCRIPTION_COMMANDS = ("subscribe", "unsubscribe", "subscription")


def command_of(text: str) -> tuple[str, str] | None:
    """("subscribe", "09:00 Europe/Berlin") for a subscription command, else None."""
    word, _, rest = text.strip().partition(" ")
    word = word.lower()
    if word == "subscriptions":
        word = "subscription"
    return (word, rest.strip()) if word in SUBSCRIPTION_COMMANDS else None


# --- recognising them --------------------------------------------------------------------------

# "how do I …", "how can we …", "how to …": instructions for the asker's own setup
_HOW_TO = re.compile(r"\bhow (?:do|can|could|should|would|d) (?:i|we)\b|\bhow to\b")

# "5", "#5", "q5", "question 5", and the few words a pick is asked with: "answer 5", "show me
# question 5", "answer to q5 please", "what was question 5?"
_NUMBER_REF = re.compile(
    r"^(?:(?:show|give|read|post|send|tell)(?:\s+(?:me|us))?\s+|what\s+(?:is|was|s)\s+)?"
    r"(?:the\s+)?(?:(?:(?:answer|answers|ans)(?:\s+(?:to|for|of))?\s+)?"
    r"(?:question|q|number|no|nr|entry|item)\s*|(?:answer|answers|ans)\s+)?#?\s*(\d{1,3})"
    r"(?:\s+(?:pls|please|plz|again|thanks|thx))?$"
)
_NUMBER_REF_WORDS = 7  # the longest: "show me the answer to question 5 please"


@lru_cache(maxsize=65536)  # every word of every message passes here, as through `stem`
def _trigger_stem(word: str) -> str:
    """`word`'s stem, as triggers are compared, with the agent ending "-er" the stemmer cuts
    off put back: a "presenter" is asked for, "present", "presented" or "the presentation"
    (slides, which the bot does not have) is not; "speaker" keeps its ending anyway."""
    s = stem(word)
    return s + "er" if word.startswith(s + "er") else s


def _index(
    intents: Sequence[Intent],
) -> tuple[dict[str, Intent], dict[str, list[tuple[tuple[str, ...], Intent]]]]:
    """The command words, and the trigger phrases by their first stem (so a message is scanned
    once, not once per phrase). Refuses declarations that would shadow one another: a name
    twice or shared with a fixed `Kind` (their replies would be counted as one), a command
    word twice or already a subscription command (one of them could never be reached)."""
    names = [i.name for i in intents]
    clashes = {n for n in names if names.count(n) > 1 or n in {k.value for k in Kind}}
    if clashes:
        raise ValueError(f"intent names must be unique and not a reply Kind: {sorted(clashes)}")
    words: dict[str, Intent] = {}
    by_first: dict[str, list[tuple[tuple[str, ...], Intent]]] = {}
    for intent in intents:
        if not intent.triggers and not intent.words:
            raise ValueError(f"intent {intent.name!r} has no trigger and no command word")
        for word in intent.words:
            if word in words or word in SUBSCRIPTION_COMMANDS or word != word.lower():
                raise ValueError(f"intent {intent.name!r}: command word {word!r} is taken")
            words[word] = intent
        for phrase in intent.triggers:
            stems = tuple(_trigger_stem(w) for w in phrase.split())
            by_first.setdefault(stems[0], []).append((stems, intent))
    return words, by_first


_COMMAND_WORDS, _BY_FIRST = _index(INTENTS)


def command_word(raw_words: Sequence[str]) -> Intent | None:
    """The intent of a message that is one of the intents' command words (or, for a greeting
    or a thank-you, one of its short phrases) and nothing else."""
    if len(raw_words) == 1:
        return _COMMAND_WORDS.get(raw_words[0])
    return _COMMAND_WORDS.get(" ".join(raw_words)) if len(raw_words) <= 4 else None


def number_reference(raw_words: Sequence[str], cleaned: str = "") -> int | None:
    """The number in "5", "#5", "q5", "question 5", "answer 5", "show me question 5 please": a
    direct pick from the list. Not a vote
    (`cleaned` "+1", "-1", "+100"): agreeing with someone in the channel picks nothing."""
    if (
        len(raw_words) > _NUMBER_REF_WORDS
        or not raw_words
        or not any(w[-1:].isdigit() for w in raw_words[-2:])
    ):
        return None  # most messages: a few words at most, a number last or next to last
    m = _NUMBER_REF.match(" ".join(raw_words))
    if m is None or _VOTE.match(cleaned):
        return None
    return int(m.group(1))


_VOTE = re.compile(r"\W*[+\-\u2212\u2013]\s*\d")  # "+1", "-1", "👍 +1", "−1" (a minus sign)


def asks_how_to(raw_words: Sequence[str]) -> bool:
    """The message asks how to do something ("how do I add a node pool on GKE"). The content
    holds what the presenter thought and saw, not instructions, so such a message needs more
    evidence before it is answered: sharing a product name with an entry is not enough."""
    if "how" not in raw_words:  # every form has it, and the substitutions add no word
        return False
    plain = without_steps_asked_of_the_subject(without_reported_how_to(" ".join(raw_words)))
    return _HOW_TO.search(plain) is not None


def without_triggers(raw_words: Sequence[str], intent: Intent) -> tuple[int, list[str]]:
    """How many of `intent`'s trigger phrases the message says (each stretch of words counted
    once, the longest phrase at each word: "top trends" is one, not "top trends" and "trends"),
    and the words left without all of them."""
    stems = [_trigger_stem(w) for w in raw_words]
    found, kept, i = 0, [], 0
    while i < len(stems):
        n = max((n for n, of in _triggers_at(stems, i) if of is intent), default=0)
        if n:
            found += 1
            i += n
        else:
            kept.append(raw_words[i])
            i += 1
    return found, kept


def detect(raw_words: Sequence[str]) -> tuple[Intent | None, list[str]]:
    """The first intent triggered in the message, and the words left without its trigger."""
    stems = list(map(_trigger_stem, raw_words))
    for i, first in enumerate(stems):
        if first in _BY_FIRST:  # most words start no trigger: no generator is made for them
            for n, intent in _triggers_at(stems, i):
                return intent, [*raw_words[:i], *raw_words[i + n :]]
    return None, list(raw_words)


def _triggers_at(stems: Sequence[str], i: int) -> Iterator[tuple[int, Intent]]:
    """The trigger phrases that start at word `i` of a message (its stems), as (how many words,
    whose intent), in the order the intents declare them."""
    for phrase, intent in _BY_FIRST.get(stems[i], ()):
        if tuple(stems[i : i + len(phrase)]) == phrase:
            yield len(phrase), intent
