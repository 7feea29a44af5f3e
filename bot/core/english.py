"""Common English words, so that typo correction leaves a real word alone.

The matcher corrects a word it does not know to the nearest content word ("kuberentes" →
kubernetes). A real word one or two edits from a content word is no typo, yet it was corrected
all the same: "production" became "prediction", "tracking" "training", "notation" "location",
"plane" "place", and the message was matched on a word nobody wrote. A word on this list is
taken as written.

The list is English words of two letters or more that occur more than 100 times in
pyspellchecker's English word frequencies (MIT licence; counted from the OpenSubtitles 2018
corpus), and chat's shorthand for everyday words that subtitles lack (`CHAT_SHORTHAND`:
"prem", "mgmt", "dev"), one per line in `english_words.txt.gz` (~44,300 words, 120 KB, 5 MB
in memory). Words shorter than five letters are never corrected; they are on the list for the
responder, which reads a word on no list as a name ("which tooling did *AWS* announce", "nkp
vs *eks*") and a short word on it as none ("gateway vs *hub*"). Subtitles are full of first
names, so a short word on the list may still be one ("tom"). `kubecon-bot run` reads it while
it starts (~10–40 ms); elsewhere it is read the first time a word is about to be corrected,
not with the rest of the matcher: `ask` about a message whose every word is a content word,
filler or too far from any content word to be a typo of one never needs it. British spellings
are not on it ("behaviour", "organisations"), so they are still corrected to the content's
American ones.

Rebuild it (pyspellchecker is not a dependency of the bot, only of this step):

    .venv/bin/pip install pyspellchecker && .venv/bin/python -m bot.core.english
"""

from __future__ import annotations

import functools
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("english_words.txt.gz")
MIN_COUNT = 100  # fewer is mostly noise in subtitles ("chian", "observability" at 50)
SHORTEST = 2  # a letter alone is no word to look up ("s" of "Google's")
# chat's shorthand for everyday words, which subtitles rarely spell: a word, not a product's name
# ("on-*prem* vs SaaS", "*mgmt* vs engineers", "ops vs *dev*"), and the commonest misspellings
# of short words ("*wich* one"). Kinds of technology ("RBAC", "HPA") are not here: a question
# about one the content never names is one no answer speaks to, as about a product
CHAT_SHORTHAND = """
    abt thru wrt eod pov omg brb lmao tbh imo idk btw fyi pls plz thx ty qs recs reqs yrs mins
    hrs prem mgmt mgr eng engs dev devs pm vp cto ceo cfo cio hr conf mem ish tl dr tldr
    wich whch wher wat teh shud gud hav
    """


@functools.cache
def english_words() -> frozenset[str]:
    """The list, read once per process."""
    import gzip  # here: a process that never needs the list does not import it

    with gzip.open(WORDS_FILE, "rt", encoding="utf-8") as f:
        return frozenset(f.read().split())


def loaded() -> bool:
    """The list is in memory: `kubecon-bot run` reads it while it starts, a one-off `ask` only
    when it first needs it."""
    return english_words.cache_info().currsize > 0


def rebuild(path: Path = WORDS_FILE) -> int:
    """Write the list from pyspellchecker's English frequencies; how many words."""
    import gzip

    from spellchecker import SpellChecker  # a development step's dependency, not the bot's

    counts = SpellChecker(language="en", distance=1).word_frequency
    kept = sorted(
        {
            w
            for w, n in counts.items()
            if len(w) >= SHORTEST and w.isascii() and w.isalpha() and n > MIN_COUNT
        }
        | set(CHAT_SHORTHAND.split())
    )
    with gzip.GzipFile(path, "wb", mtime=0) as f:  # mtime 0: the same words, the same bytes
        f.write(("\n".join(kept) + "\n").encode("utf-8"))
    return len(kept)


if __name__ == "__main__":
    print(f"{rebuild()} words written to {WORDS_FILE}")
