"""From a message to a Reply: intents first, then the matcher, then what to say when unsure.

This is the one function every adapter calls with the user's text. Everything that does not
depend on the platform is decided here: which intent, which entry, whether to answer in the
channel or privately, which links go with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple

from bot.core.aspects import (
    DETERMINERS,
    DOWNSIDES_TOLD,
    EVALUATIVE,
    VIEW_WORDS,
    alternatives,
    asked_sentences,
    asks_a_view,
    asks_biography,
    asks_definition,
    asks_downsides,
    asks_for_own_steps,
    asks_number,
    asks_price,
    asks_specifics,
    asks_unheld_fact,
    asks_what_it_has,
    asks_which_reported,
    choice_asked,
    compared,
    compared_with,
    counted,
    judged_figures,
    maker_asked,
    opinion_subjects,
    owner,
    question_subjects,
    states_a_price,
    viewed,
    without_measures,
    yes_no_clauses,
)
from bot.core.content import Content, Entry
from bot.core.english import SHORTEST, english_words
from bot.core.intents import (
    HELP,
    LIST,
    ONE_SHOT,
    RECORDING,
    TAKEAWAYS,
    Intent,
    asks_how_to,
    command_word,
    detect,
    list_command,
    number_reference,
    without_triggers,
)
from bot.core.matcher import MIN_TYPO_LEN, SUGGEST_SCORE, Match, Matcher
from bot.core.platforms import DEFAULT_INVOCATION
from bot.core.replies import Kind, Link, Option, Reply, Visibility, webinar_credit, webinar_links
from bot.core.text import clean, is_stopword, stem, stems_of, words

HOW_TO_SCORE = 0.55  # "how do I…" is answered only when the entry explains this much of it
# what a summary is asked of ("the takeaways *from* …"), the words that end its object ("… for
# my standup", "… according to the webinar"), and the nouns people call the webinar by, which
# the content need not use ("the recap session", "the article"; its title, presenter, host and
# sponsor are its names too: `Responder.webinar_words`)
_SUMMARISED = frozenset({"of", "from", "about"})
# the trend triggers, and the general words that qualify trends without naming their field
# ("the big trends", "headline trends"); General English
_TRENDS = frozenset({"trends", "trend"})
_TREND_QUALIFIERS = frozenset(
    {"big", "biggest", "main", "key", "top", "headline", "major", "overall", "new", "emerging"}
    | {"hot", "hottest", "current", "important", "notable", "general", "broad", "broader"}
    | {"interesting", "cool", "latest", "recent", "upcoming", "future", "industry", "tech"}
    | {"technology", "technical", "core", "central", "dominant", "real", "those", "these"}
    | {"other", "any", "all", "some"}
)
# …and the field a trend is asked in, when nothing else says it is the webinar's ("trends *in*
# GPU pricing"; `Responder.summary_after_all`)
_IN_A_FIELD = frozenset({"in", "on", "around", "regarding"})
# a summary asked as a verb takes what it summarises as its object: "summarize *the standup*"
_SUMMARISING = frozenset({"summarize", "summarise", "recap"})
# a release named in cleaned text, name and number: "devtron 3.0", "openshift 4.16",
# "kubernetes v1.31.2"; parts of one or two digits (thousands are joined by `clean`: "30000"),
# and no measure after it ("2.5x", "1.5 million"); one space between, as a name is typed (a
# table's columns are padded: "root      38.2" in pasted `top` output), outside pasted blocks.
# In a message it may be a release the answer never names (`names_another_version`); in the
# content, a product's name and no figure (`told`)
_FENCED = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_POINTED = re.compile(r"\d\.\d")
_RELEASE = re.compile(
    r"\b([a-z][\w-]*) v?(\d{1,2}(?:\.\d{1,2}){1,2})\b"
    r"(?!\s*(?:%|x\b|times|percent|million|billion|thousand|k\b|m\b|[kmgt]b\b|ms\b|s\b))"
)
_PART_ENDS = frozenset(
    {"for", "in", "according", "to", "please", "pls", "because", "so", "and", "but", "since"}
)
# when, where and how the asker met the webinar, which makes it no other event: "the takeaways from
# *yesterday's* webinar", "a summary of the *recording*", "the talk you *posted* *earlier*"
_CIRCUMSTANCES = frozenset(
    {
        *("yesterday", "today", "tonight", "earlier", "last", "week", "weeks", "month", "morning"),
        *("afternoon", "recent", "recently", "just", "posted", "shared", "linked", "sent"),
        *("recording", "recordings", "video", "videos", "replay", "watched", "attended"),
        # the asker's excuse: "highlights from the webinar? couldn't attend"
        *("attend", "attending", "missed", "miss", "join", "joined"),
        # how the summary is wanted: "… from tom's talk overall"
        *("overall", "generally", "briefly", "quickly", "basically"),
        # and how long: "kubecon recap short", "recap, quick version"
        *("short", "shorter", "shortest", "quick", "brief", "version", "fast", "asap"),
    }
)
_WEBINAR_NOUNS = frozenset(
    {
        *("webinar", "webinars", "talk", "session", "recap", "presentation", "article"),
        *("writeup", "conference", "event", "q", "a", "qa", "panel", "episode", "stream"),
        *("livestream", "sponsored", "hosted", "presented", "given", "recorded"),
    }
)


# a subject that is a case of a party, or a kind like it: "the OpenAI *example*", "the SUSE
# *approach*", "Chronosphere-*style* AI", "Lightspeed-*type* tools"
_KIND_OF = frozenset({"style", "type", "kind", "sort", "like", "esque"})
# what the speaker said or thought *about* something: "what does the speaker think about
# WebAssembly", "did the presenter talk about wasm" ask about that topic, not for the
# recording. The person is the verb's subject ("the speaker's talk about kubecon" is a noun),
# within one clause, and a message that also asks for the video asks for the recording
_SAID_ABOUT = re.compile(
    r"\b(?:speaker|presenter|he|she)\s+(?:\w+\s+)?"
    r"(?:(?:think|thinks|thought|feel|feels)\s+(?:about|of|on)"
    r"|(?:say|says|said|talk|talks|talked|speak|spoke|mention|mentioned)\s+about)\s+\w"
)
# the talk's slides, which the bot does not have: asked "from the KubeCon Takeaways webinar",
# the title's "takeaways" asks for no summary
# "the short version", "a quick version of what he said": a summary, not a release. A
# `not_covered` "version" after one of these asks nothing about versions. General English
_SUMMARY_VERSION = frozenset(
    {"short", "shorter", "quick", "quicker", "brief", "briefer", "condensed", "abridged"}
    | {"simple", "simplified", "tldr", "executive"}
)
_SLIDES = frozenset({"slides", "slide", "deck", "decks", "pdf", "ppt", "pptx", "powerpoint"})
# the talk's materials the bot does not have, asked for: pointed at the recording and article
_MATERIALS = _SLIDES | {"transcript", "transcripts", "transcription", "captions", "subtitles"}
# who a person is to the talk, not a name: "the main presenter", "our guest speaker", "the
# article's author"; their opinion is the presenter's view, which the answers give
_ROLE_WORDS = """
    presenter presenters speaker speakers host hosts author authors writer writers panelist
    panelists moderator expert experts guest main lead mr ms mrs dr today session article blog
    ya yall you
    """
_ROLES = frozenset(_ROLE_WORDS.split())
_RECORDING_ASKED = frozenset(
    {"recording", "recorded", "video", "replay", "rewatch", "watch", "youtube", "link"}
)
# where the recording is hosted, who sponsored it: the card's own facts, not a topic ("host" is
# also Q9's self-hosting, which "where is the recording hosted" does not ask about)
_CARD_FACTS = frozenset({"host", "hosts", "hosted", "hosting", "sponsor", "sponsored"})
_VIEW_OF_A_CASE = EVALUATIVE | VIEW_WORDS
# a year of this era; not 2000, which is how "~2k nodes" reads once cleaned
_YEAR = re.compile(r"\b(?:19[89]\d|20(?:0[1-9]|[1-4]\d))\b")
# a word as written ("Pokémon", "OpenAI", "NKP"): its letters; "Google's" is "Google" and "s"
_WORD_AS_WRITTEN = re.compile(r"[^\W\d_]+")
# what ends a sentence: the word after it is capitalised as a sentence's first word, not a name
_SENTENCE_END = frozenset(".!?:")


def _as_written(text: str) -> list[tuple[str, bool]]:
    """The words of `text` as written, each with whether it opens a sentence (the text's
    first word, or a word after '.', '!', '?' or ':')."""
    found = []
    for m in _WORD_AS_WRITTEN.finditer(text):
        i = m.start() - 1
        while i >= 0 and (text[i].isspace() or text[i] in "\"'“("):
            i -= 1
        found.append((m.group(), i < 0 or text[i] in _SENTENCE_END))
    return found


# "help me understand X", "help us make sense of X": asking for an explanation of X, whose words
# are X's alone ("understand" is Q6's word, "help" Q9's: "help me understand the rubber stamp
# thing" was answered with Q9). General English
_REQUEST_FRAME = re.compile(
    r"\bhelp\s+(?:me|us)\s+(?:(?:to|better)\s+)?(?:understand|understanding|grasp|get|see"
    r"|figure\s+out|make\s+sense\s+of|wrap\s+my\s+head\s+around)\b"
)


def without_request_frame(raw_words: list[str]) -> list[str]:
    """`raw_words` without a request frame (`_REQUEST_FRAME`), if it has one."""
    text = " ".join(raw_words)
    framed = _REQUEST_FRAME.sub(" ", text)
    return raw_words if framed == text else framed.split()


class Read(NamedTuple):
    """A chat message as the responder reads it, cleaned once: the front door asks `direct`
    and then `matched` of the same message without cleaning it twice."""

    cleaned: str
    words: list[str]


class Asked(NamedTuple):
    """What a message asks (`Responder.asked`)."""

    intent: Intent | None  # the intent its words trigger, if that is what it asks for
    rest: list[str]  # the words to match against the entries
    summary: list[str] | None  # a summary asked twice: the words left without its triggers
    # the intent its words trigger but which it does not ask for: "the highlights *about the
    # budget*" asks about something else
    set_aside: Intent | None


def read(text: str) -> Read:
    """`text` cleaned (bot.core.text.clean) and split into its words."""
    cleaned = clean(text)
    return Read(cleaned, words(cleaned))


def _trigger_at(raw_words: Sequence[str], rest: Sequence[str]) -> int:
    """Where an intent's trigger was: the first word `detect` left out of `raw_words` (`rest`
    is the message without it)."""
    pairs = zip(raw_words, rest, strict=False)
    return next((i for i, (a, b) in enumerate(pairs) if a != b), len(rest))


def _spelt(text: str) -> str:
    """`text`'s words lower-cased as written, accents aside ("Pokémon GO" is "pokemon go")."""
    return " ".join(words(clean(text)))


def _plain_capitalised(word: str) -> bool:
    """Capitalised as a proper noun is ("Nutanix", "Pokémon"): one capital, the first letter."""
    return word[0].isupper() and word[1:].islower()


PRESENTER = "presenter"  # the role the presenter's name is read as, by the rules that ask of it


def _name_parts(name: str) -> tuple[list[str], frozenset[str]]:
    """A person's name ("Tom Fenton") as a message's words, and the words that say cheaply
    whether a message may hold it: each part, with and without the possessive's apostrophe
    (`tom`, `toms`, `fenton`, `fentons`)."""
    parts = words(clean(name))
    return parts, frozenset(parts) | {p + "s" for p in parts}


def _listed_names(keywords: Sequence[str]) -> list[str]:
    """The names an entry's keywords open with: every word of each capitalised, up to the first
    keyword with a lower-case word (`[Devtron, Nutanix, NKP, Tailscale, easy, …]`, `[Red Hat,
    Google, OpenShift, GKE, Lightspeed, AI-assisted operations, …]`, `[SUSE, private AI, …]`)."""
    listed = []
    for keyword in keywords:
        written = _WORD_AS_WRITTEN.findall(keyword)
        if not written or not all(w[0].isupper() for w in written):
            break
        listed.append(keyword)
    return listed


class Responder:
    """Answers messages from one Content; cheap to call, build one per content version."""

    def __init__(self, content: Content, matcher: Matcher | None = None) -> None:
        self.content = content
        self.matcher = matcher or Matcher(content)
        self._not_covered = stems_of(content.model.not_covered)
        # each listed word's stem and the letter after it: "settings" is "sett", so "sets"
        # (stem "set" too) sets no setting; "installs" is "install", as "install" is. A listed
        # word that is its own stem ("fee", "bill") stands for all its forms ("bills")
        listed = words(clean(" ".join(content.model.not_covered)))
        self._uncovered_forms = frozenset(w[: len(stem(w)) + 1] for w in listed)
        self._view_stems = frozenset(map(stem, _VIEW_OF_A_CASE))
        self._said: dict[str, frozenset[str]] = {}  # entry id -> the stems its text contains
        self._told: dict[str, list[str]] = {}  # entry id -> its question's and answer's words
        self._entry_parties: dict[str, frozenset[str]] = {}  # entry id -> the names it gives
        self._generic_words = frozenset(words(clean(" ".join(content.model.generic_terms))))
        self.party_names = self.names_in(content)  # built with the index, not on a reply
        self._longest_name = max((n.count(" ") + 1 for n in self.party_names), default=1)
        self._presenter_parts, self._presenter_words = _name_parts(content.webinar.presenter)

    # --- the entry point -----------------------------------------------------------------------

    def respond(self, text: str, invocation: str = DEFAULT_INVOCATION) -> Reply:
        """The reply to a chat message (slash-command text, a mention without the mention…)."""
        message = read(text)
        reply = self.direct(message, invocation)
        return self.matched(message, invocation) if reply is None else reply

    def direct(self, message: Read, invocation: str = DEFAULT_INVOCATION) -> Reply | None:
        """The reply to a message that names what it wants, decided without the matcher:
        nothing (help), a command word alone ("list", "takeaways", "hi") or a number ("3",
        "#3", "q3"). None for a question. The front door looks at this reply before it counts
        the message against the asker's rate limit (`BotApp.handle`)."""
        raw = message.words
        if not raw:
            return self.for_intent(HELP, invocation)
        intent = command_word(raw)
        if intent is not None:
            return self.for_intent(intent, invocation)
        number = number_reference(raw, message.cleaned)
        if number is not None:
            entry = self.content.entry_by_number(number)
            return self.answer(entry) if entry else self.no_such_number(number, invocation)
        return None

    def matched(self, message: Read, invocation: str = DEFAULT_INVOCATION) -> Reply:
        """The reply to a question (a message `direct` has no reply for): the matcher's entry,
        the intent its words ask for, "did you mean" or a decline."""
        raw, cleaned = message.words, message.cleaned
        intent, rest, summary, set_aside = self.asked(raw)
        match = self.matcher.match_words(rest)
        if match.entry is not None and not match.taught and self.doubts(raw, rest, match, cleaned):
            match = Match(None, match.score, match.candidates)  # offered, not asserted
        if match.entry is not None:
            return self.answer(match.entry, match.score, match)
        if intent is not None and not (summary is not None and match.alternatives):
            # a summary asked twice *of a topic* an entry is offered for ("the short version
            # and the big picture of the openai thing") is that entry's, offered below
            return self.for_intent(intent, invocation)
        if match.alternatives:
            return self.suggestions(match, invocation)
        # in the content's words alone: nothing it never uses, no figure (a version, a count)
        broad = not any(map(str.isdigit, rest)) and self.matcher.word_kinds(rest)[1] == 0
        if set_aside is TAKEAWAYS and self.summary_after_all(raw, rest):
            return self.for_intent(TAKEAWAYS, invocation)
        materials = not _MATERIALS.isdisjoint(raw)  # "give me the slides"
        return self.decline(invocation, match, broad=broad, materials=materials)

    def summary_after_all(self, raw_words: list[str], rest: list[str]) -> bool:
        """A summary asked beside one word the content knows, which nothing matched: "gimme
        the highlights, no time to read the whole Q&A" ("time", a word of two answers). That
        word made the request look like a summary *of a topic* (`asks_about_something_else`),
        but the topic matched no entry well enough even to offer it: the takeaways are what
        was asked, unless the summary is of something else or names the title. Two or more
        such words are a question of its own that uses the trigger as a noun ("was there
        anything in the KubeCon recap about why a standard matters"), declined. Asked of a
        summary `asked` set aside; `rest`: the words matched, these without its triggers."""
        if self.matcher.word_kinds(rest)[0] != 1:
            return False
        return not (
            self.summarises_something_else(raw_words, rest, _SUMMARISED | _IN_A_FIELD)
            or (not _SLIDES.isdisjoint(raw_words) and self.in_the_title(raw_words, rest))
        )

    def asked(self, raw: list[str]) -> Asked:
        """What a message asks: the intent its words trigger, if that is what it asks for; the
        words to match against the entries; and, for a summary asked twice, the words left
        without its triggers (`asks_summary_twice`), else None."""
        intent, rest = detect(raw)
        summary = set_aside = None
        if intent is not None and self.asks_about_something_else(intent, rest, raw):
            summary = self.asks_summary_twice(raw)
            if summary is not None:
                intent, rest = TAKEAWAYS, summary
            else:
                set_aside = intent
                # the menus' triggers are ordinary words ("help" in "can it help"): matched
                # with the rest; a summary's ("tl;dr", "recap") and the recording's ("speaker",
                # "video") say nothing about the topic: left out
                intent, rest = None, rest if intent is TAKEAWAYS or intent is RECORDING else raw
                if intent is None and "help" in rest:
                    rest = without_request_frame(rest)
        if intent is RECORDING:  # "where is the recording hosted": the card's fact, no topic
            rest = [w for w in rest if w not in _CARD_FACTS]
        # "how long was the webinar": a duration, not "long-term"
        return Asked(intent, without_measures(rest), summary, set_aside)

    def asks_about_something_else(
        self, intent: Intent, rest: list[str], raw_words: Sequence[str]
    ) -> bool:
        """A trigger word used in a question about something else: "help" in "can Kubernetes
        help after an earthquake", "list" in "fastest way to dedupe a list", "highlights" in
        "the highlights of <another event>". The menus (help, the list) are what a message asks
        for only when the rest of it says nothing the content knows and little it does not;
        the takeaways, when the rest names no entry's subject (a summary *of a topic* is that
        topic's answer, and "tl;dr" before a question asks for that answer, short). The
        recording is asked for as the menus are: "who was the speaker" asks for it, "did the
        speaker say anything about service mesh trends" asks about something else, and posting
        the recording in the channel for it was a public miss."""
        if intent is RECORDING:  # the card's own facts ("hosted") are no topic
            rest = [w for w in rest if w not in _CARD_FACTS]
        known, unknown = self.matcher.word_kinds(rest)
        if intent is RECORDING:
            said, _ = self.by_role(list(raw_words), "")
            if asks_biography(said):
                return True  # "what's the speaker's background": not what the recording says
            if unknown and _RECORDING_ASKED.isdisjoint(raw_words):
                for clause in " ".join(said).split(" and "):
                    if _SAID_ABOUT.search(clause):
                        return True  # the speaker's words on a topic the content never names
        if intent is HELP or intent is LIST or intent is RECORDING:
            return known > 0 or unknown >= 2
        if intent is TAKEAWAYS:
            if known > 0:  # the webinar's own names ("the Nutanix-sponsored webinar") aside
                names = self.webinar_words
                if _WEBINAR_NOUNS.isdisjoint(rest):  # "takeaways on nutanix": Q10's topic
                    names = names - self.backers_topics
                known, _ = self.matcher.word_kinds([w for w in rest if w not in names])
            return (
                known > 0
                or self.summarises_something_else(raw_words, rest)
                # the slides of "the KubeCon Takeaways webinar": its title, not a summary
                or (not _SLIDES.isdisjoint(raw_words) and self.in_the_title(raw_words, rest))
            )
        return False

    @cached_property
    def _presenter_name(self) -> re.Pattern[str] | None:
        """The presenter's name as people type it: in full, or a part alone that can only be
        the name, with the possessive's apostrophe or without ("Tom's", "toms"). A part that
        is also an everyday word (filler, an English word) or a word the content uses for
        something else names the presenter only in the full name: were the presenter "Katie
        Price", "the price of X" would stop asking a price. The content's generic terms may
        hold the name ("tom"): that is the editors saying so. Built on the first message that
        holds a part, as it reads the English word list."""
        parts = self._presenter_parts
        if not parts:
            return None
        alone = [re.escape(w) for w in parts if self._names_alone(w)]
        forms = [r"\W+".join(map(re.escape, parts)), *alone]
        return re.compile(r"\b(?:" + "|".join(forms) + r")s?\b")

    def _names_alone(self, part: str) -> bool:
        """`part` of the presenter's name, typed alone, can only mean the presenter."""
        if is_stopword(part) or stem(part) in self._not_covered:
            return False
        # a short English word may be a first name the list learnt from subtitles ("tom")
        if len(part) >= MIN_TYPO_LEN and part in english_words():
            return False
        known, _ = self.matcher.word_kinds([part])  # a content word, generic terms aside
        return known == 0

    def by_role(self, raw_words: list[str], cleaned: str) -> tuple[list[str], str]:
        """The message's words and cleaned text with the presenter's name, as the content gives
        it, said as their role (`PRESENTER`): "where does Tom work" asks what "where does the
        presenter work" asks, whoever presented. The hold-back rules read this (the presenter
        is who the question forms of bot.core.aspects ask of); the matcher sees the name as
        written (a generic term of the content). Without `cleaned`, the words alone are
        rewritten."""
        if self._presenter_words.isdisjoint(raw_words) or self._presenter_name is None:
            return raw_words, cleaned
        if cleaned:
            cleaned = self._presenter_name.sub(PRESENTER, cleaned)
            return words(cleaned), cleaned
        return words(self._presenter_name.sub(PRESENTER, " ".join(raw_words))), cleaned

    def in_the_title(self, raw_words: Sequence[str], rest: list[str]) -> bool:
        """The trigger `detect` took out of `raw_words` (leaving `rest`) is a word of the
        webinar's title used as its name, before what it names ("the KubeCon *Takeaways*
        webinar", "kubecon takeaways slides"): the talk, not a request. "what are the kubecon
        takeaways? I couldn't get the slides" asks for the takeaways."""
        at = _trigger_at(raw_words, rest)
        named = raw_words[at + 1] if at + 1 < len(raw_words) else ""
        return (
            at > 0
            and raw_words[at - 1] in self._title_words
            and (named in _WEBINAR_NOUNS or named in _SLIDES)
        )

    @cached_property
    def _title_words(self) -> frozenset[str]:
        return frozenset(words(clean(self.content.webinar.title)))

    def summarises_something_else(
        self, raw_words: Sequence[str], rest: list[str], of: frozenset[str] = _SUMMARISED
    ) -> bool:
        """The summary is asked *of* something the content never speaks of: "the key takeaways
        from the CNCF annual survey", "a recap of the day 2 keynotes". What follows "of",
        "from" or "about" after the trigger, up to a word that starts another part of the
        sentence ("… for my standup", "… according to the webinar"), is what is summarised;
        a word there the content never uses, other than the webinar's own nouns ("talk",
        "session", "recap"), names another event or document, whose summary the webinar's
        takeaways are not. A verb summarises its object: "can you summarize yesterday's
        standup" asks for the standup's summary."""
        at = _trigger_at(raw_words, rest)
        after = list(raw_words[at + len(raw_words) - len(rest) :])
        if at < len(raw_words) and raw_words[at] in _SUMMARISING:
            after = ["of", *after]
        if at < len(raw_words) and raw_words[at] in _TRENDS:
            # trends have a field: before them ("service mesh trends") or after ("trends in
            # wasm"); one the content never speaks of is another summary than the webinar's
            if at and self._names_a_field(raw_words[at - 1]):
                return True
            of = of | _IN_A_FIELD
        if not after or after[0] not in of:
            return False
        summarised = []
        for w in after[1:]:
            if w in _PART_ENDS:
                break
            if w not in self.webinar_words and w not in _CIRCUMSTANCES:
                summarised.append(w)
        return self.matcher.word_kinds(summarised)[1] > 0

    def _names_a_field(self, word: str) -> bool:
        """`word`, before "trends", names their field: a word the content never uses that is
        no name of the webinar, no circumstance and no general qualifier ("top", "big")."""
        return (
            word not in _TREND_QUALIFIERS
            and word not in self.webinar_words
            and word not in _CIRCUMSTANCES
            and not is_stopword(word)
            and self.matcher.word_kinds([word])[1] > 0
        )

    @staticmethod
    def asks_summary_twice(raw_words: list[str]) -> list[str] | None:
        """The words left without the summary's triggers when the message asks for the summary
        in two or more of them ("give me the big picture, the main points", "the short
        version, the top-level conclusions"), else None.

        One trigger in a message that says something the content knows may be a word of a
        question about that topic ("did the speaker say anything about service mesh
        *trends*"), or come after another intent's ("watch"), so `asks_about_something_else`
        drops it; a summary asked twice over is the request, whatever the rest mentions
        ("my manager wants a quick recap … the main points", where "manager" and "incident"
        are words of two answers). The rest is still matched first: a confident match is
        answered, as "the gist of the takeaway on X" asks for X's answer, and an entry the
        rest is close enough to to be offered is offered rather than the takeaways posted."""
        found, rest = without_triggers(raw_words, TAKEAWAYS)
        return rest if found >= 2 else None

    def doubts(
        self, raw_words: list[str], rest: list[str], match: Match, cleaned: str = ""
    ) -> bool:
        """The message names the matched entry's subject but asks something its answer does
        not say (bot.core.aspects): offered privately, not answered in the channel. `cleaned`,
        the message with its punctuation, tells a definition asked in one sentence of several."""
        return self.doubt(raw_words, rest, match, cleaned) is not None

    def doubt(
        self, raw_words: list[str], rest: list[str], match: Match, cleaned: str = ""
    ) -> str | None:
        """What `doubts` holds back, said for an editor ("a definition", "a price…"), or None:
        one list of the rules, so `check` can tell an editor why a taught phrasing is one the
        bot would otherwise not answer in the channel."""
        entry = match.entry
        assert entry is not None
        raw_words, cleaned = self.by_role(raw_words, cleaned)
        if match.score < HOW_TO_SCORE and asks_how_to(raw_words):
            return "how to do something, which the answer explains too little of"
        if asks_for_own_steps(raw_words):
            return "for steps in the asker's own setup"
        if asks_unheld_fact(raw_words):
            return "for a fact no view holds (a date, a maker, availability, advice, a link…)"
        if asks_which_reported(raw_words) and not self.names_other_parties(raw_words, entry):
            return "which parties did something, and the answer names none but the asker's"
        if self.asks_of_a_party(raw_words, entry, cleaned):
            return "a yes/no fact about a named party, which the answer does not state"
        if self.asks_what_it_never_says(raw_words, entry, cleaned):
            said = ", ".join(repr(w) for w in dict.fromkeys(self.never_covered(raw_words)))
            return f"about {said}, which not_covered lists and the answer does not say"
        if asks_definition(raw_words, cleaned):
            return "for a definition, which no answer gives"
        if self.names_a_party(maker_asked(raw_words), anywhere=True):
            return "what a named maker is or does, which no answer says"
        if self.leaves_unsaid(raw_words, rest, entry):
            return "for a specific fact the answer does not say"
        if self.names_neither(choice_asked(raw_words, cleaned), entry):
            return "to choose between things the answer names neither of"
        if self.compares_the_unnamed(choice_asked(raw_words, cleaned), entry):
            return "to rank something the content never names"
        if self.judges_a_reading(raw_words, entry, cleaned):
            return "to judge a reading from the asker's own system"
        if self.asks_a_partys_opinion(raw_words, entry, cleaned):
            return "for a named party's own opinion, which the answer does not report"
        if self.views_the_unnamed(raw_words, cleaned):
            return "for a view of something the content never names"
        if self.asks_of_the_unnamed(raw_words, cleaned):
            return "about something the content never names"
        if self.asks_of_an_earlier_year(cleaned or " ".join(raw_words), entry):
            return "about an earlier year the answer does not speak of"
        if self.names_another_version(cleaned, entry):
            return "about a version the answer does not speak of"
        if asks_downsides(raw_words) and not self.tells_downsides(entry):
            return "for a bad side (a downside, a risk), and the answer weighs none"
        if asks_number(raw_words) and not self.states_a_number(entry):
            return "for a number, and the answer states none"
        if not self.counts(counted(raw_words), entry):
            return "for a count of something the answer gives no figure of"
        if asks_price(raw_words) and not states_a_price(f"{entry.question} {entry.answer}"):
            return "for a price, and the answer states none"
        return None

    def holds_back(self, text: str, entry: Entry) -> str | None:
        """Why `respond` would not post `entry` in the channel for `text` even were the matcher
        sure of it (`doubt`), or None. A taught phrasing skips that doubt (it is the editors'
        verdict), so `check` asks this of each example, with a Responder that knows none."""
        cleaned = clean(text)
        raw = words(cleaned)
        rest = self.asked(raw).rest
        ranked = self.matcher.rank(self.matcher.query(rest))
        score = next((c.score for c in ranked if c.entry.id == entry.id), 0.0)
        return self.doubt(raw, rest, Match(entry, score, tuple(ranked)), cleaned)

    def asks_of_a_party(self, raw_words: list[str], entry: Entry, cleaned: str = "") -> bool:
        """The message asks, yes or no, a fact about a third party the content names: what it
        did, plans, needs or has ("did OpenAI publish the fix?", "does NKP replace Karbon?",
        "is Red Hat hiring?", "does SUSE AI need GPUs?", "is there a security hole in
        Lightspeed?"). An entry that names the party is its subject, not that fact: answered
        in the channel only when the entry says every word asked of the party, and never when
        it asks what the party needs, has or owns, words chat treats as filler. A yes/no
        question asking the presenter's view (an effect, an assessment: "does Tailscale's
        operator make clusters less painful", "is AI conformance worth it") or asked of no
        named party ("is kubernetes getting easier", "did AI find the bug") is no such
        question. What a product the content never names needs, has or owns ("does EKS have
        an AI assistant like Lightspeed?": `owner` says only words no entry uses) is a fact
        about something else, never answered in the channel."""
        for there, rest in yes_no_clauses(cleaned or " ".join(raw_words)):
            if asks_a_view(rest):
                continue
            if not self.names_a_party(rest, anywhere=there):
                # what a product the content never names has ("does EKS have an AI assistant
                # like Lightspeed?"): a fact about something else, whatever it is likened to
                subject = owner(rest)  # words before "need", "have"…: most clauses have none
                if subject:
                    known, unknown = self.matcher.word_kinds(subject)
                    if unknown and not known:
                        return True
                continue
            if asks_what_it_has(rest):
                return True
            views = self._view_stems
            if any(s not in views for s in self.matcher.unexplained(rest, entry)):
                return True
        return False

    def asks_a_partys_opinion(self, raw_words: list[str], entry: Entry, cleaned: str = "") -> bool:
        """The message asks what a third party the content names thought or said ("what did
        the Google keynote speakers think about the AI conformance program?", "what does
        Tailscale itself say about complexity?": aspects.opinion_subjects): the party's own
        opinion, which the presenter's answers do not report unless the entry says every word
        of the question ("what did Chronosphere say about AI observability" is what Q8's
        question reports). Asked of the talk, of "you" or of a case ("what does the Niantic
        story say about latency"), it asks the view: `names_a_party` tells them apart."""
        for subject in opinion_subjects(raw_words, cleaned or " ".join(raw_words)):
            if self.names_a_party(subject) and self.matcher.unexplained(raw_words, entry):
                return True
            named = [w for w in subject if not is_stopword(w)]
            if (
                len(named) > 1
                and self.matcher.word_kinds(named) == (0, len(named))
                and _ROLES.isdisjoint(named)
                and self.webinar_words.isdisjoint(named)
            ):
                # someone the content never names, by a name of two words or more ("Kelsey
                # Hightower", "the Cilium maintainers"): their opinion, which no answer
                # reports. One word is as often the presenter, "you", or a kind of people
                # ("what do devs think…") whose view the answers do give
                return True
        return False

    def names_a_party(self, words_after: list[str], anywhere: bool = False) -> bool:
        """The subject of a yes/no question (its first words that are no generic terms: "does
        *SUSE* AI…", "is *Red Hat* hiring…") is a name the content gives one entry
        (`party_names`), and not a case of it or a kind like it, whose meaning is the
        presenter's view ("does the OpenAI *example* back me up", "*Chronosphere-style* AI",
        "is the Niantic *case*…"); `anywhere`: any word of it is ("is there a hole in
        *Lightspeed*"). Words are compared as written: "scope" is not "Scopely", and a name of
        several words counts only in full ("red teams" is not "Red Hat")."""
        names, longest = self.party_names, self._longest_name
        named, determined, i = False, False, 0
        while i < len(words_after):
            w = words_after[i]
            if w in DETERMINERS:
                determined, i = True, i + 1
                continue
            size = next(
                (
                    n
                    for n in range(min(longest, len(words_after) - i), 0, -1)
                    if " ".join(words_after[i : i + n]) in names
                ),
                0,
            )
            if size:  # as written: a misspelt name is not told apart (nor looked up)
                if anywhere:
                    return True
                named, i = True, i + size
                continue
            if not (anywhere or stem(w) in self.matcher.generic):
                # the subject ends: "the OpenAI *example*" is a case, "OpenAI *moved*…" not
                return named and not (w in _KIND_OF or (determined and w in _VIEW_OF_A_CASE))
            i += 1
        return False

    def names_other_parties(self, raw_words: Sequence[str], entry: Entry) -> bool:
        """`entry` names a party (`party_names`) the message does not: "which vendors showed
        AI assistants" is answered by the entry naming Red Hat and Google, "which orgs
        presented the stories" by none of an entry that names nobody, nor "which team at
        OpenAI found the bug" by one that names OpenAI alone."""
        named = self._entry_parties.get(entry.id)
        if named is None:
            text = " ".join(_spelt(t) for t in (entry.question, entry.answer, *entry.keywords))
            named = self._entry_parties[entry.id] = frozenset(
                n for n in self.party_names if f" {n} " in f" {text} "
            )
        message = f" {' '.join(raw_words)} "
        return any(f" {n} " not in message for n in named)

    def names_in(self, content: Content) -> frozenset[str]:
        """The names the content gives, lower-cased as written (not stemmed: "scope" is not
        "Scopely"), each said by one entry only; a name of several words ("red hat",
        "pokemon go") is one name, its words none alone unless a keyword lists one alone
        ("Pokémon", "Lightspeed"). A name is a word the content always capitalises: never
        written in lower case in a question, an answer or a keyword ("Knowledge", "Program",
        "Scope" are written so, "Chronosphere", "Niantic", "Antithesis" never), and written
        as a proper noun is, one capital first ("Nutanix", "Scopely"). A word of any other
        case, all capitals or mixed, is a name only when an entry's keywords open with it,
        where content/qa.yaml lists the companies and products an entry speaks of
        (`[Devtron, Nutanix, NKP, Tailscale, easy, …]`, `[Red Hat, Google, OpenShift, GKE,
        Lightspeed, …]`, `[SUSE, private AI, …]`, `[OpenAI, "30,000 CPU cores", …]`):
        elsewhere such a word is an abbreviation or a form of a kind, which a question asks
        of no party ("is MCP…", "are SBOMs…", "SRE", "LLM", "CPU", "IP"; "MLOps", "AIOps",
        "SaaS"). Generic terms and view words ("Cloud Native for *Good*") are no names."""
        lower: set[str] = set()  # every word the content writes in lower case somewhere
        capitalised: set[str] = set()  # words written as a proper noun inside a sentence
        listed: set[str] = set()  # the names keywords open with, of any case
        several: set[str] = set()  # keywords of several capitalised words ("red hat")
        said: list[str] = []  # each entry's words, lower-cased, in its text (" red hat ")
        for entry in content.entries:
            texts = [(entry.question, False), (entry.answer, False)]
            for text, is_keyword in texts + [(k, True) for k in entry.keywords]:
                for w, opens in _as_written(text):
                    if w.islower():
                        lower.add(clean(w))
                    elif _plain_capitalised(w) and (is_keyword or not opens):
                        capitalised.add(clean(w))
            for keyword in _listed_names(entry.keywords):
                listed.add(_spelt(keyword))
            for keyword in entry.keywords:  # "Red Hat", "Temporal Knowledge Graph", "SaaS LLM"
                written = _WORD_AS_WRITTEN.findall(keyword)
                if len(written) > 1 and all(w[0].isupper() for w in written):
                    several.add(_spelt(keyword))
                    if all(_plain_capitalised(w) for w in written):
                        listed.add(_spelt(keyword))
            padded = (f" {_spelt(t)} " for t in (entry.question, entry.answer, *entry.keywords))
            said.append("|".join(padded))
        # the words a keyword lists alone ("Pokémon", "Lightspeed")
        alone = {_spelt(k) for e in content.entries for k in e.keywords if " " not in _spelt(k)}
        in_several = {w for name in several for w in name.split()}
        unfit = lower | self._generic_words | _VIEW_OF_A_CASE
        singles = {
            w
            for w in (capitalised | (listed - several))
            if w not in unfit and (w not in in_several or w in alone)
        }
        names = singles | {n for n in several & listed if unfit.isdisjoint(n.split())}
        return frozenset(n for n in names if sum(f" {n} " in text for text in said) == 1)

    def asks_of_an_earlier_year(self, cleaned: str, entry: Entry) -> bool:
        """The message (`cleaned`) names a year before the webinar's that the entry never
        says ("how did Niantic's servers melt down at the launch back in 2016"): it asks what
        happened then, which a view given later does not tell. A year to come asks a
        forecast ("by 2027 will kubernetes be the default platform for AI?"), the presenter's
        view: not this."""
        if "19" not in cleaned and "20" not in cleaned:  # most messages: no year, in C
            return False
        years = _YEAR.findall(cleaned)
        if not years:
            return False
        text, held = f"{entry.question} {entry.answer}", self.content.webinar.date.year
        return any(int(y) < held and y not in text for y in years)

    def names_another_version(self, cleaned: str, entry: Entry) -> bool:
        """The message (`cleaned`) names a release the entry's question and answer never state
        ("is there a Devtron 3.0", "Lightspeed on OpenShift 4.16"): what that release has or
        does is no view the webinar gave, though it names the product. "Devtron 2.0", which the
        answer names, is the product as the webinar spoke of it."""
        # most messages: no figure with a point, told in C before the scan for a name's
        if "." not in cleaned or _POINTED.search(cleaned) is None:
            return False
        stated = f"{entry.question} {entry.answer}"
        said = _FENCED.sub(" ", cleaned) if "```" in cleaned else cleaned
        return any(
            version not in stated and self._names_a_product(name)
            for name, version in _RELEASE.findall(said)
        )

    def _names_a_product(self, word: str) -> bool:
        """`word`, before a version number, is something the content speaks of (Devtron,
        OpenShift, Kubernetes): "root 38.2" in pasted `top` output is no release."""
        if is_stopword(word):
            return False
        return self.matcher.word_kinds([word])[0] > 0 or stem(word) in self.matcher.generic

    def _product_only(self, release: re.Match[str]) -> str:
        """A release named in content ("devtron 2.0") as its product's name alone, and any
        other figure with a point ("at 2.5") as it was."""
        name = release[1]
        return name if self._names_a_product(name) else release[0]

    def told(self, entry: Entry) -> list[str]:
        """The words of `entry`'s question and answer, a product's version left out ("Devtron
        2.0" is a name, no figure), read once: what the rules below ask of what it states."""
        said = self._told.get(entry.id)
        if said is None:
            text = clean(f"{entry.question} {entry.answer}")
            said = self._told[entry.id] = words(_RELEASE.sub(self._product_only, text))
        return said

    def tells_downsides(self, entry: Entry) -> bool:
        """`entry`'s question or answer weighs a bad side: a risk, a challenge, a gap
        (aspects.DOWNSIDES_TOLD)."""
        return not DOWNSIDES_TOLD.isdisjoint(self.told(entry))

    def states_a_number(self, entry: Entry) -> bool:
        """The entry's question or answer has a figure in it ("30,000 CPU cores"). A question
        asking for a number ("how many regional clusters does Niantic run") is not answered
        by an entry that states none, even one that says every word of the question: it
        speaks of the subject, not of how many. A product's version ("Devtron 2.0") is a name,
        no figure: "what's the Tailscale operator's max throughput" was answered with it."""
        return any(any(map(str.isdigit, w)) for w in self.told(entry))

    def counts(self, things: list[str], entry: Entry) -> bool:
        """`entry` gives a figure of `things` (what "how many" asks: `aspects.counted`), a
        figure within three words before one of their words ("30,000 CPU cores" counts
        cores), or the message asks no count: "how many engineers does OpenAI have" is no
        question the cores answer, though the entry says "engineers"."""
        if not things:
            return True
        wanted = {stem(w) for w in things}
        said = self.told(entry)
        return any(
            stem(w) in wanted
            for i, w in enumerate(said)
            if any(x.isdigit() for x in said[max(0, i - 3) : i])
        )

    def names_neither(self, raw_words: list[str], entry: Entry) -> bool:
        """The message asks to choose between two things (bot.core.aspects) the entry names
        neither of: it cannot say which ("cosign vs notation" and the supply chain entry)."""
        unexplained = self.matcher.unexplained
        return any(
            unexplained([a], entry) and unexplained([b], entry) for a, b in alternatives(raw_words)
        )

    def compares_the_unnamed(self, raw_words: list[str], entry: Entry) -> bool:
        """The message asks which of several alternatives is more or most something
        (bot.core.aspects.compared: "Rancher or OpenShift for a bank? which one is more
        secure?") and one of them is a word the content never uses: no entry can rank what the
        webinar never speaks of. Alternatives it speaks of are weighed by the entry ("gpu
        provisioning vs ai driven insight, which is more important", "which is harder, adopting
        kubernetes or running it"). So is what a message compares something with ("did Tom
        compare the Tailscale operator to Cilium ClusterMesh", `compared_with`)."""
        asked = compared(raw_words) or compared_with(raw_words)
        if asked and self.matcher.word_kinds(asked)[1] > 0:
            return True
        # "tailscale operator vs cilium": one side a name the content never uses, which no
        # entry weighs
        return any(self._unnamed(w) for pair in alternatives(raw_words) for w in pair)

    def _unnamed(self, word: str) -> bool:
        """`word` is a name the content never uses: a foreign word (`_foreign`) of two
        letters or more ("eks", "chronosphere", "k3s") that no entry's words explain (a
        generic term is one)."""
        return (
            (len(word) >= SHORTEST or not word.isalpha())
            and self._foreign(word)
            and self.matcher.word_kinds([word]) == (0, 1)
        )

    def _foreign(self, word: str) -> bool:
        """`word` may be a name: no English word, no word of the webinar's own (its title,
        presenter, sponsor), no figure and no filler ("u", "pls")."""
        return not (  # the commonest first: most words asked of are English
            word in english_words()
            or word in self.webinar_words
            or is_stopword(word)
            or word.isdigit()
        )

    def views_the_unnamed(self, raw_words: list[str], cleaned: str = "") -> bool:
        """The message asks a view of a product the content never names ("what did Tom think
        about VMware Tanzu for AI workloads?", bot.core.aspects.viewed): a name (no English
        word, no word of the content or of the webinar's title) the answers hold no view of,
        whatever else of an entry the message says. A view of something in everyday words
        ("his take on the rubber stamp thing") may be a paraphrase of what an answer says."""
        names = [w for w in viewed(raw_words, cleaned) if self._foreign(w)]
        if not names:
            return False
        known, unknown = self.matcher.word_kinds(names)  # a generic term is neither
        return known == 0 and unknown > 0

    def asks_of_the_unnamed(self, raw_words: list[str], cleaned: str = "") -> bool:
        """A question's subject is a name the content never uses ("which AI tooling did *AWS*
        announce for EKS", "was *log4shell* the reason CNCF started investing in supply chain
        integrity": aspects.question_subjects): what that party did or is, which no answer
        reports, whatever else of an entry the message says. A name is no English word, no
        webinar word, no filler and no generic term ("does kubernetes…", "what did u think")."""
        return any(map(self._unnamed, question_subjects(cleaned or " ".join(raw_words))))

    def judges_a_reading(self, raw_words: list[str], entry: Entry, cleaned: str = "") -> bool:
        """The message asks to judge a reading with figures the entry never states
        (bot.core.aspects.judged_figures: "`kubectl top pods` shows prometheus using 40Gi of
        memory. is that normal?"): a reading of the asker's own system, troubleshooting no
        answer gives. The entry's own figure asked of ("openai saved 30,000 cores, is that
        normal at hyperscale?") asks the view of it."""
        figures = judged_figures(raw_words, cleaned)
        return bool(figures) and bool(self.matcher.unexplained(figures, entry))

    def leaves_unsaid(self, raw_words: list[str], rest: list[str], entry: Entry) -> bool:
        """The message asks for a specific fact or for steps (bot.core.aspects) and the entry
        does not say every word that fact is asked in."""
        asked = asks_specifics(raw_words)
        if asked is None:
            return False
        if asked is raw_words:  # every word of the question: without an intent's trigger
            asked = rest
        return bool(self.matcher.unexplained(asked, entry))

    def never_covered(self, raw_words: Sequence[str]) -> list[str]:
        """The message's words that ask about an aspect the webinar never covers (the
        content's `not_covered`: "pricing", "install", "version"…), in message order."""
        if self._not_covered.isdisjoint(map(stem, raw_words)):  # most messages: none, in C
            return []
        return [
            w
            for i, w in enumerate(raw_words)
            if (s := stem(w)) in self._not_covered
            and (s in self._uncovered_forms or w[: len(s) + 1] in self._uncovered_forms)
            and not (w == "version" and i and raw_words[i - 1] in _SUMMARY_VERSION)
        ]

    def asks_what_it_never_says(
        self, raw_words: Sequence[str], entry: Entry, cleaned: str = ""
    ) -> bool:
        """The message asks about an aspect the webinar never covers (the content's
        `not_covered`: pricing, installing, versions…) that this entry does not mention either:
        naming a product from an answer is not asking what that answer says. Only the
        sentences of `cleaned` that ask count (`asked_sentences`): "our cloud bill is huge."
        tells the asker's situation."""
        if not self.never_covered(raw_words):  # most messages: no sentence need be looked at
            return False
        asked = {stem(w) for w in self.never_covered(asked_sentences(raw_words, cleaned))}
        if not asked:
            return False
        said = self._said.get(entry.id)
        if said is None:
            texts = (entry.question, entry.answer, *entry.keywords, *entry.examples)
            said = self._said[entry.id] = stems_of(texts)
        return not asked <= said

    def for_intent(self, intent: Intent, invocation: str = DEFAULT_INVOCATION) -> Reply:
        """The reply `intent` gives with this content (its declaration builds it)."""
        return intent.reply(self.content, invocation)

    # --- replies -------------------------------------------------------------------------------

    @cached_property
    def webinar_words(self) -> frozenset[str]:
        """The words the webinar is called by: its title, presenter, host and sponsor
        ("Tom Fenton's KubeCon talk", "the Redmond Magazine webinar"), its year ("the trends
        from kubecon 2025", "kubecon 25"), and the nouns any talk is called by
        (`_WEBINAR_NOUNS`), in any inflection ("Tom's")."""
        w = self.content.webinar
        named = words(clean(" ".join(filter(None, (w.title, w.presenter, w.host, w.sponsor)))))
        year = {str(w.date.year), f"{w.date.year % 100:02d}"}
        return frozenset(named) | year | _WEBINAR_NOUNS | {f"{n}s" for n in named}

    @cached_property
    def backers_topics(self) -> frozenset[str]:
        """The host's and sponsor's words that are also a topic of the content (the sponsor
        Nutanix, Q10's NKP): the webinar's name only beside a noun for it ("the
        Nutanix-sponsored session"), a topic otherwise ("takeaways on Nutanix")."""
        w = self.content.webinar
        backers = words(clean(" ".join(filter(None, (w.host, w.sponsor)))))
        return frozenset(b for b in backers if self.matcher.word_kinds([b])[0])

    @cached_property  # a Responder serves one content: its links and credit never change
    def links(self) -> tuple[Link, ...]:
        return webinar_links(self.content)

    @cached_property
    def footer(self) -> str:
        return webinar_credit(self.content)

    def answer(self, entry: Entry, score: float = 1.0, match: Match | None = None) -> Reply:
        """An entry, verbatim; `match` (when matched) adds the runners-up as related options."""
        text = (
            f"Q{entry.number}. {entry.question}\n\n{entry.answer}\n\n"
            f"Watch the recording: {self.content.recording_url}"
        )
        return Reply(
            kind=Kind.ANSWER,
            visibility=Visibility.CHANNEL,
            text=text,
            title=entry.question,
            body=entry.answer,
            links=self.links,
            footer=self.footer,
            options=_options(match) if match else (),
            entry_id=entry.id,
            number=entry.number,
            score=round(min(1.0, score), 3),
        )

    def answer_by_id(self, entry_id: str) -> Reply | None:
        """The answer for a picked option (a "did you mean" button); None if the id is unknown."""
        entry = self.content.entry(entry_id)
        return self.answer(entry) if entry else None

    @cached_property
    def _clean_questions(self) -> dict[str, str]:
        """Cleaned once per content: autocomplete runs on every keystroke."""
        return {e.id: clean(e.question) for e in self.content.entries}

    def autocomplete(self, text: str, limit: int = 10) -> tuple[Option, ...]:
        """Entries to offer while someone types a question (Discord autocomplete): the best
        matches for what is typed so far, else the list in order."""
        entries = sorted(self.content.entries, key=_num)
        typed = text.strip()
        if typed:
            ranked = self.matcher.rank(self.matcher.query(words(clean(typed))))
            matched = [c.entry for c in ranked]
            partial = clean(typed).strip()  # a word still being typed: "pokem"
            matched += [e for e in entries if partial and partial in self._clean_questions[e.id]]
            entries = list(dict.fromkeys(matched))
        return tuple(Option(e.id, e.number, e.question) for e in entries[:limit])

    def suggestions(self, match: Match, invocation: str = DEFAULT_INVOCATION) -> Reply:
        options = _options(match)
        lines = "\n".join(f"{o.number}. {o.question}" for o in options)
        if invocation == ONE_SHOT:
            pick = f'Ask for one with `{ONE_SHOT} "#{options[0].number}"`, or rephrase.'
        else:
            pick = "Pick one, or rephrase."
        hint = f"{pick} `{list_command(invocation)}` shows all the questions."
        return Reply(
            kind=Kind.SUGGESTIONS,
            visibility=Visibility.PRIVATE,
            text=f"Did you mean one of these?\n{lines}\n{hint}",
            title="Did you mean…?",
            options=options,
            hint=hint,
            score=round(min(1.0, match.score), 3),
        )

    def no_such_number(self, number: int, invocation: str = DEFAULT_INVOCATION) -> Reply:
        """A pick by number ("11", "#0") that is not on the list: say so, and what is, rather
        than the decline for a question the webinar does not answer."""
        numbers = sorted(e.number for e in self.content.entries)
        hint = f"Try `{list_command(invocation)}` to see them."
        text = f"There is no question {number}: they are numbered {_spans(numbers)}. {hint}"
        return Reply(kind=Kind.DECLINE, visibility=Visibility.PRIVATE, text=text, hint=hint)

    def decline(
        self,
        invocation: str = DEFAULT_INVOCATION,
        match: Match | None = None,
        broad: bool = False,
        materials: bool = False,
    ) -> Reply:
        """No answer. A message in the webinar's broad words alone (`broad`: no word the content
        never uses; "what did Tom say about AI?"), which several answers touch on and none is
        about, is told so, with their numbers: "I can only answer questions about the
        webinar" read as if it were not. "What's new in Kubernetes 1.32" asks of more (a
        figure: not broad). A request for the talk's slides or a transcript (`materials`),
        which the bot does not have, is pointed at what there is: the recording and the
        article, whose addresses are in the text, as a decline is one line on every platform."""
        n = len(self.content.entries)
        hint = f"Try `{list_command(invocation)}` to see the {n} questions I can answer."
        candidates = match.candidates if match and broad else ()
        touched = sorted({c.entry.number for c in candidates if c.score >= SUGGEST_SCORE})
        if materials:
            there = "".join(f"\n{link.label}: {link.url}" for link in self.links)
            text = (
                "I don't have the slides or a transcript of the webinar: its recording and the "
                f"article with its written Q&A are what there is.{there}\n{hint}"
            )
        elif len(touched) >= 2:
            said = ", ".join(map(str, touched[:-1])) + f" and {touched[-1]}"
            text = (
                f"Several answers touch on that (questions {said}), and none is about it "
                f"alone: ask about something more particular, or type a number. {hint}"
            )
        else:
            text = (
                "Sorry, I can only answer questions about the webinar "
                f"“{self.content.webinar.title}”, and I don't have an answer for that. {hint}"
            )
        return Reply(
            kind=Kind.DECLINE,
            visibility=Visibility.PRIVATE,
            text=text,
            hint=hint,
            score=round(min(1.0, match.score), 3) if match else 0.0,
        )


def _spans(numbers: Sequence[int]) -> str:
    """Sorted numbers as the runs they make ("1–9 and 12"): "1–12" said there was a 10 when
    an editor's numbering skipped it (`check` warns of that)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    said = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def _num(entry: Entry) -> int:
    return entry.number


def _options(match: Match) -> tuple[Option, ...]:
    return tuple(
        Option(c.entry.id, c.entry.number, c.entry.question, c.confidence)
        for c in match.alternatives
    )
