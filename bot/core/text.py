"""Turning a chat message into the words that matter.

Chat text arrives wrapped in platform syntax (Slack `<@U123>` and `<!here>`, Discord `<@123>`
and `<:emoji:id>`), URLs, emoji, zero-width characters and greetings. None of that says what the
person wants to know, so it is removed here, once, for every platform and for the matcher alike.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import Stemmer

MAX_CHARS = 2000  # longer messages are cut: no question needs more, and matching stays bounded

# <@U1>, <!here>, <#C1|x>, <:emoji:1>, <http…|label>
_MARKUP_TAG = r"<(?:[@#!][^<>]*|a?:\w+:\d+|(?:https?|mailto):[^<>]*)>"
# Discord pings for "@everyone" after any character ("hi@everyone"): a kept text loses it
# there too; a longer word is no broadcast ("ops@heretic.io", "@channelpartners")
_BROADCAST = r"@(?:everyone|here|channel)(?![\w.-]*\w)"
_PLATFORM_MARKUP = re.compile(
    _MARKUP_TAG
    + r"|https?://\S+|www\.\S+"  # bare URLs
    + rf"|{_BROADCAST}\b|@[\w.-]+"  # broadcasts and @names
    + r"|:[a-z0-9_+-]+:",  # :emoji_codes:
    re.IGNORECASE,
)
# what a kept text must not carry: the tags that mention someone, a channel or a role (or wrap a
# link), and the broadcasts; plain words, URLs and @names stay, they are what was asked
_ADDRESSING = re.compile(f"{_MARKUP_TAG}|{_BROADCAST}", re.IGNORECASE)
# what a kept text must not show again to the editors who read it (the report, its page, the
# weekly digest posted in a channel): an e-mail address, and a credential pasted by mistake (a
# Slack token, or a long run of letters and digits mixed, as API keys and Discord tokens are)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_SECRET = re.compile(
    # known shapes: Slack's tokens, GitHub's, OpenAI-style keys, AWS access key ids
    r"\b(?:(?:xox[abposr]|xapp)-[\w-]+|gh[pousr]_\w{20,}|sk-[\w-]{20,}|AKIA[0-9A-Z]{16})"
    # and any long run of capitals, small letters and digits mixed, dots between its parts
    r"|(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]{24,}(?:\.[\w-]{4,})*"
)
SECRET_LEN = 20  # no credential is shorter: a text without so long a word holds none
# half of a UTF-16 pair alone (JSON's "\ud800", a terminal's undecodable byte): no encoder takes it
_SURROGATE = re.compile("[\ud800-\udfff]")
# control characters, zero-width characters and text-direction controls (marks, embeddings,
# overrides, isolates): dropped, never shown or matched. A direction control kept in a question
# reversed how the text after it reads wherever it was shown again ("Trojan Source")
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
# whitespace that is a control character: a message's lines and tabs. Removed as invisible, it
# joined the words either side ("need the gist\nwhat are…" read "gistwhat")
_LINE_BREAKS = str.maketrans(dict.fromkeys("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029", " "))
_KILO = re.compile(r"\b(\d+)k\b")  # "30k cores" is how people write 30,000 cores
_NON = re.compile(r"\bnon[-\s](?=\w)", re.IGNORECASE)  # "non-profit" is one word: nonprofit
# "on-call" / "on call" is a rota, one word: "call" alone is the chat verb ("people call k8s
# the OS for AI", "did the talk call out…"), filler like "say"
_ON_CALL = re.compile(r"\bon[-\s]call\b")
# "Cloud Native for Good", "k8s for good", "the for-good stories": the name of a cause, one word
# ("forgood"), after a technology or before what is told of it. "For good" after a verb is
# "permanently" ("fixed for good"), and both its words are filler; as the cause's name they
# were filler too, so "k8s for good: other examples?" said nothing the content knows, and
# "cloud native" alone named Q7's keyword "Cloud Native for Good" in full. Typed in a hurry
# too: "cloud natvie for good", "cloud native 4 good", "the 'for good' question"
_FOR_GOOD = re.compile(
    r"\b((?:native|k8s|kubernetes|kube|tech|technology|ai|cloud|computing|compute|data|software"
    r"|code|source|cncf|infrastructure|infra|cloud[\s_-]+\w+)[\s_-]+)(?:for|4)[\s_-]+good\b"
    r"|\bfor[\s_-]+good(?=['\"’”]?[\s_-]+(?:stories|story|bit|segment|part|section|causes?"
    r"|examples?|initiatives?|projects?|work|stuff|angle|theme|topic|track|questions?|answers?)\b)"
)
# chat's "w/o" and "w/" ("what goes wrong w/o a baseline", "sre work w/ ai"): without, with.
# Split at the slash they were two stray letters, and "without" is what an answer may say
_WITH_SLASH = re.compile(r"\bw/(?:(o)\b|(?=\s*\w))")
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_DIGIT = re.compile(r"\d")
_ASCII_SEPARATORS = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256))
_WORD = re.compile(r"[^\W_]+")

# Words that carry no topic in a chat question. Deliberately generic English and chat filler;
# words about the webinar's subject belong in the content file (`generic_terms`), not here.
_FILLER = """
a about above after again against all am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don down
during each few for from further had hadn has hasn have haven having he her here hers herself
him himself his how i if in into is isn it its itself just let ll me more most my myself no
nor not now of off on once only or other our ours ourselves out over own re s same she should
shouldn so some such t than that the their theirs them themselves then there these they this
those through to too under until up ve very was wasn we were weren what when where which while
who whom why will with won would wouldn you your yours yourself yourselves d m o y hi hey
hello yo hiya howdy greetings morning afternoon evening night good thanks thank thx ty please
pls plz bot bots guys folks everyone everybody team people anyone somebody someone ok okay
okey k yes yeah yep nope nah sure cool nice great lol haha hmm um uh tell say said says mention
mentioned mentions talk talked talking explain describe know think thought want wants wanted
need get got give show like also really actually much many question questions answer answers
thing things stuff something anything way ways one go going goes use used using make makes
made see seen look find lot kind sort bit whats hows wheres whos whys thats theres heres im
ive id youre dont doesnt didnt isnt arent wasnt cant wont wouldnt shouldnt couldnt lets still
keep kept end every whether even ever yet though although perhaps maybe might must may shall
quick quickly honestly basically literally wonder wondering heard hear remind recall regarding
regard point care feel year years day days story stories example examples case cases part whole
new big little anyway us
curious interested wanna gonna gotta kinda sorta tbh imo imho btw fwiw afaik iirc idk ngl
lmk rn ppl tho q honest vs versus call calls called calling per via etc abt bout u ur ya thru
"""
# ("per the talk", "per Tom", "via", "etc": whose view, or the end of a list; an unknown word
# each, they held back "which kube features make it a good fit for ML, per Tom?")
STOPWORDS = frozenset(_FILLER.split())

_stemmer = Stemmer.Stemmer("english")


def clean(text: str) -> str:
    """Plain, lower-case, accent-free text with platform markup, URLs and emoji removed."""
    # Each step runs only when a cheap test says it can change something: content is cleaned
    # once per word-bearing field when it is indexed, and 10,000 entries must index quickly.
    text = text[:MAX_CHARS]
    if not text.isascii():  # ASCII is already in NFKC form
        text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():  # a line break parts words, as a space does; invisibles go
        text = _INVISIBLE.sub("", text.translate(_LINE_BREAKS))
    if "<" in text or "@" in text or ":" in text or "www." in text:
        text = _PLATFORM_MARKUP.sub(" ", text)
    if not text.isascii():  # strip accents: "Pokémon" is typed "pokemon" as often as not
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    if "non" in text:
        text = _NON.sub("non", text)
    if "call" in text:
        text = _ON_CALL.sub("oncall", text)
    if "w/" in text:
        text = _WITH_SLASH.sub(lambda m: "without " if m[1] else "with ", text)
    if "good" in text:
        text = _FOR_GOOD.sub(lambda m: f"{m[1] or ''}forgood", text)
    if _DIGIT.search(text):
        text = _THOUSANDS.sub("", text)
        if "k" in text:
            text = _KILO.sub(r"\g<1>000", text)
    return text


def encodable(text: str) -> str:
    """The text with any lone surrogate replaced by U+FFFD. Valid JSON from a platform
    ("\\ud800") or an undecodable byte typed in a terminal arrives as one, and no encoder takes
    it: a reply, a log line or a database row carrying it would fail far from here."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def kept(text: str, limit: int) -> str:
    """A user's words as the bot keeps them, to show to editors or write into the content:
    on one line, at most `limit` characters, encodable, without invisible characters, and
    without platform markup that mentions (`<@U1>`, `<!channel>`, `<@&1>`, `@everyone`…): a
    mention is not a phrasing, and no kept text may ping anyone wherever it is shown again.
    A link's markup gives way to its label (or address). An e-mail address or a pasted
    credential is kept as "[email]" or "[secret]" (`_EMAIL`, `_SECRET`)."""
    text = " ".join(encodable(text).split())[:limit]
    if not text.isprintable():
        text = _INVISIBLE.sub("", text)
    while True:  # until none is left: removing one can join the halves of another
        plain = _ADDRESSING.sub(_unwrapped, text)
        if plain == text:
            break
        text = plain
    # each looked for only where it can be: the lookaheads of the long-run form, tried at
    # every position, were most of what keeping a question cost
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    if any(len(word) >= SECRET_LEN for word in text.split()):
        text = _SECRET.sub("[secret]", text)
    return " ".join(text.split())


def _unwrapped(markup: re.Match[str]) -> str:
    """What a kept text holds in place of `markup`: a link's label or address, else nothing."""
    tag = markup[0]
    if not tag.startswith("<") or tag[1] in "@#!:" or tag[1:3] == "a:":
        return " "
    address, _, label = tag[1:-1].partition("|")
    return f" {label or address} "


def words(text: str) -> list[str]:
    """The words of already-cleaned text (letters and digits of any script)."""
    if text.isascii():  # the common case, three times faster than the regex
        return text.encode().translate(_ASCII_SEPARATORS).decode().split()
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


_STOP_STEMS = frozenset(_stemmer.stemWords(list(STOPWORDS)))


def stems_of(texts: Iterable[str]) -> frozenset[str]:
    """Every stem the texts contain, filler included: what an entry says, or which words a
    content list (`not_covered`, `generic_terms`) stands for, whatever their inflection."""
    return frozenset(stem(w) for text in texts for w in words(clean(text)))


def stem_key(text: str) -> str:
    """A message reduced to its sorted content stems: "Upgrading clusters?" → "cluster upgrad".
    Two wordings of one question usually share it (the report groups by it; the matcher
    recognises taught phrasings by it)."""
    return " ".join(sorted({stem(w) for w in words(clean(text)) if not is_stopword(w)}))


def is_stopword(word: str) -> bool:
    """Filler, in any inflection ("thinks", "mentioned"), and small bare numbers."""
    return (
        word in STOPWORDS
        or (word.isdigit() and len(word) < 3)
        or (not word.isdigit() and stem(word) in _STOP_STEMS)
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building a large content (10,000 entries: ~100,000 small objects) would trigger the
    cyclic garbage collector over and over for objects that are all kept; pause it meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
