"""Built-in intents (help, the list, the takeaways, the recording, "question 5") recognised before
entry matching, so "tl;dr" or "where's the video" get what they ask for rather than a guess.

Triggers are short word sequences compared on stems, so plurals and verb forms match
("takeaways", "summarize"). They are English chat phrases, not content: a different webinar
keeps the same triggers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from bot.core.text import stem


class Intent(StrEnum):
    HELP = "help"
    LIST = "list"
    TAKEAWAYS = "takeaways"
    RECORDING = "recording"


_TRIGGERS: dict[Intent, tuple[str, ...]] = {
    Intent.HELP: (
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
    Intent.LIST: (
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
    Intent.TAKEAWAYS: (
        "takeaway",
        "key point",
        "main point",
        "summary",
        "summarize",
        "summarise",
        "summarized",
        "tldr",
        "tl dr",
        "recap",
        "highlights",
        "gist",
        "in a nutshell",
        "overview",
        "key messages",
        "main ideas",
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
        "key learnings",
    ),
    Intent.RECORDING: (
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
        "slides",
        "who presented",
        "presenter",
        "speaker",
        "who gave the webinar",
        "when was the webinar",
        "about the webinar",
    ),
}

# A word that alone names an intent: "/kubecon list", "@bot help".
_COMMAND_WORDS = {
    "help": Intent.HELP,
    "list": Intent.LIST,
    "questions": Intent.LIST,
    "takeaways": Intent.TAKEAWAYS,
    "takeaway": Intent.TAKEAWAYS,
    "tldr": Intent.TAKEAWAYS,
    "summary": Intent.TAKEAWAYS,
    "recording": Intent.RECORDING,
    "video": Intent.RECORDING,
}

# "how do I …", "how can we …", "how to …": instructions for the asker's own setup
_HOW_TO = re.compile(r"\bhow (?:do|can|could|should|would|d) (?:i|we)\b|\bhow to\b")

_NUMBER_REF = re.compile(r"^(?:(?:question|q|number|no|nr|entry)\s*)?#?\s*(\d{1,3})$")

# trigger phrases by their first stem, so a message is scanned once, not once per phrase
_BY_FIRST: dict[str, list[tuple[tuple[str, ...], Intent]]] = {}
for _intent, _phrases in _TRIGGERS.items():
    for _phrase in _phrases:
        _stems = tuple(stem(w) for w in _phrase.split())
        _BY_FIRST.setdefault(_stems[0], []).append((_stems, _intent))


def command_word(raw_words: Sequence[str]) -> Intent | None:
    """The intent of a message that is a single command word."""
    return _COMMAND_WORDS.get(raw_words[0]) if len(raw_words) == 1 else None


def number_reference(raw_words: Sequence[str]) -> int | None:
    """The number in "5", "#5", "q5", "question 5": a direct pick from the list."""
    m = _NUMBER_REF.match(" ".join(raw_words))
    return int(m.group(1)) if m else None


def asks_how_to(raw_words: Sequence[str]) -> bool:
    """The message asks how to do something ("how do I add a node pool on GKE"). The content
    holds what the presenter thought and saw, not instructions, so such a message needs more
    evidence before it is answered: sharing a product name with an entry is not enough."""
    return _HOW_TO.search(" ".join(raw_words)) is not None


def detect(raw_words: Sequence[str]) -> tuple[Intent | None, list[str]]:
    """The first intent triggered in the message, and the words left without its trigger."""
    stems = [stem(w) for w in raw_words]
    for i, first in enumerate(stems):
        for phrase, intent in _BY_FIRST.get(first, ()):
            n = len(phrase)
            if tuple(stems[i : i + n]) == phrase:
                return intent, [*raw_words[:i], *raw_words[i + n :]]
    return None, list(raw_words)
