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

_NUMBER_REF = re.compile(r"^(?:(?:question|q|number|no|nr|entry)\s*)?#?\s*(\d{1,3})$")

_STEMMED = {
    intent: tuple(tuple(stem(w) for w in phrase.split()) for phrase in phrases)
    for intent, phrases in _TRIGGERS.items()
}


def command_word(raw_words: Sequence[str]) -> Intent | None:
    """The intent of a message that is a single command word."""
    return _COMMAND_WORDS.get(raw_words[0]) if len(raw_words) == 1 else None


def number_reference(raw_words: Sequence[str]) -> int | None:
    """The number in "5", "#5", "q5", "question 5": a direct pick from the list."""
    m = _NUMBER_REF.match(" ".join(raw_words))
    return int(m.group(1)) if m else None


def detect(raw_words: Sequence[str]) -> tuple[Intent | None, list[str]]:
    """The first intent whose trigger occurs in the message, and the words left without it."""
    stems = [stem(w) for w in raw_words]
    for intent, phrases in _STEMMED.items():
        for phrase in phrases:
            n = len(phrase)
            for i in range(len(stems) - n + 1):
                if tuple(stems[i : i + n]) == phrase:
                    return intent, [*raw_words[:i], *raw_words[i + n :]]
    return None, list(raw_words)
