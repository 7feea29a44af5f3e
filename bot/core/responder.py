"""From a message to a Reply: intents first, then the matcher, then what to say when unsure.

This is the one function every adapter calls with the user's text. Everything that does not
depend on the platform is decided here: which intent, which entry, whether to answer in the
channel or privately, which links go with it.
"""

from __future__ import annotations

from functools import cached_property

from bot.core.content import Content, Entry
from bot.core.intents import Intent, asks_how_to, command_word, detect, number_reference
from bot.core.matcher import Match, Matcher
from bot.core.replies import Kind, Link, Option, Reply, Visibility
from bot.core.text import clean, stem, words

DEFAULT_INVOCATION = "/kubecon"
# The command line: one question per process, so there are no buttons to pick from, and the
# list is its own command (`kubecon-bot list`), not a question to `ask`.
ONE_SHOT = "kubecon-bot ask"
HOW_TO_SCORE = 0.55  # "how do I…" is answered only when the entry explains this much of it


class Responder:
    """Answers messages from one Content; cheap to call, build one per content version."""

    def __init__(self, content: Content, matcher: Matcher | None = None) -> None:
        self.content = content
        self.matcher = matcher or Matcher(content)
        self._not_covered = {stem(w) for t in content.model.not_covered for w in words(clean(t))}
        self._said: dict[str, frozenset[str]] = {}  # entry id -> the stems its text contains

    # --- the entry point -----------------------------------------------------------------------

    def respond(self, text: str, invocation: str = DEFAULT_INVOCATION) -> Reply:
        """The reply to a chat message (slash-command text, a mention without the mention…)."""
        raw = words(clean(text))
        if not raw:
            return self.help(invocation)
        intent = command_word(raw)
        if intent is not None:
            return self.for_intent(intent, invocation)
        number = number_reference(raw)
        if number is not None:
            entry = self.content.entry_by_number(number)
            return self.answer(entry) if entry else self.decline(invocation, Match(None, 0.0, ()))
        intent, rest = detect(raw)
        match = self.matcher.match_words(rest)
        if match.entry is not None and (
            (match.score < HOW_TO_SCORE and asks_how_to(raw))
            or self.asks_what_it_never_says(raw, match.entry)
        ):
            match = Match(None, match.score, match.candidates)  # offered, not asserted
        if match.entry is not None:
            return self.answer(match.entry, match.score, match)
        if intent is not None:
            return self.for_intent(intent, invocation)
        if match.alternatives:
            return self.suggestions(match, invocation)
        return self.decline(invocation, match)

    def asks_what_it_never_says(self, raw_words: list[str], entry: Entry) -> bool:
        """The message asks about an aspect the webinar never covers (the content's
        `not_covered`: pricing, installing, versions…) that this entry does not mention either:
        naming a product from an answer is not asking what that answer says."""
        asked = {stem(w) for w in raw_words} & self._not_covered
        if not asked:
            return False
        said = self._said.get(entry.id)
        if said is None:
            text = " ".join((entry.question, entry.answer, *entry.keywords, *entry.examples))
            said = self._said[entry.id] = frozenset(stem(w) for w in words(clean(text)))
        return not asked <= said

    def for_intent(self, intent: Intent, invocation: str = DEFAULT_INVOCATION) -> Reply:
        if intent is Intent.HELP:
            return self.help(invocation)
        if intent is Intent.LIST:
            return self.question_list(invocation)
        if intent is Intent.TAKEAWAYS:
            return self.takeaways()
        return self.recording()

    # --- replies -------------------------------------------------------------------------------

    @cached_property  # a Responder serves one content: its links and credit never change
    def links(self) -> tuple[Link, ...]:
        return (
            Link("Watch the recording", self.content.recording_url),
            Link("Read the article", self.content.source_url),
        )

    @cached_property
    def footer(self) -> str:
        w = self.content.webinar
        return f"{w.title} · {w.presenter} · {w.date:%B} {w.date.day}, {w.date.year}"

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
        hint = f"{pick} `{_list_command(invocation)}` shows all the questions."
        return Reply(
            kind=Kind.SUGGESTIONS,
            visibility=Visibility.PRIVATE,
            text=f"Did you mean one of these?\n{lines}\n{hint}",
            title="Did you mean…?",
            options=options,
            hint=hint,
            score=round(min(1.0, match.score), 3),
        )

    def decline(self, invocation: str = DEFAULT_INVOCATION, match: Match | None = None) -> Reply:
        n = len(self.content.entries)
        hint = f"Try `{_list_command(invocation)}` to see the {n} questions I can answer."
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

    def help(self, invocation: str = DEFAULT_INVOCATION) -> Reply:
        w = self.content.webinar
        items = (
            f"{_prefix(invocation)}<your question>: ask in your own words, "
            f"e.g. “{_prefix(invocation)}what about SBOMs?”",
            f"{_list_command(invocation)}: the {len(self.content.entries)} questions I can answer",
            f"{_prefix(invocation)}<number>: the answer to that question from the list",
            f"{_prefix(invocation)}takeaways: the key takeaways",
            f"{_prefix(invocation)}recording: where to watch the webinar",
        )
        intro = f"I answer the audience questions from “{w.title}” ({w.presenter})."
        return Reply(
            kind=Kind.HELP,
            visibility=Visibility.PRIVATE,
            text=intro + "\n" + "\n".join(items),
            title="How to ask kubecon-bot",
            body=intro,
            items=items,
            links=self.links,
            intent=Intent.HELP.value,
        )

    def question_list(self, invocation: str = DEFAULT_INVOCATION) -> Reply:
        items = tuple(f"{e.number}. {e.question}" for e in sorted(self.content.entries, key=_num))
        hint = f"Ask in your own words, or `{_prefix(invocation)}<number>`."
        return Reply(
            kind=Kind.LIST,
            visibility=Visibility.PRIVATE,
            text="Questions I can answer:\n" + "\n".join(items) + "\n" + hint,
            title="Questions I can answer",
            items=items,
            options=tuple(
                Option(e.id, e.number, e.question) for e in sorted(self.content.entries, key=_num)
            ),
            hint=hint,
            links=self.links,
            intent=Intent.LIST.value,
        )

    def takeaways(self) -> Reply:
        items = self.content.takeaways
        body = "\n".join(f"• {t}" for t in items)
        return Reply(
            kind=Kind.TAKEAWAYS,
            visibility=Visibility.CHANNEL,
            text=f"Key takeaways\n{body}\n\nWatch the recording: {self.content.recording_url}",
            title="Key takeaways",
            body=body,
            items=items,
            links=self.links,
            footer=self.footer,
            intent=Intent.TAKEAWAYS.value,
        )

    def recording(self) -> Reply:
        w = self.content.webinar
        when = f"{w.date:%B} {w.date.day}, {w.date.year}"
        body = (
            f"“{w.title}”, presented by {w.presenter} on {when} ({w.host}), is available on demand."
        )
        return Reply(
            kind=Kind.RECORDING,
            visibility=Visibility.CHANNEL,
            text=f"{body}\nWatch the recording: {self.content.recording_url}\n"
            f"Read the article: {self.content.source_url}",
            title="Watch the recording",
            body=body,
            links=self.links,
            footer=self.footer,
            intent=Intent.RECORDING.value,
        )


def _num(entry: Entry) -> int:
    return entry.number


def _options(match: Match) -> tuple[Option, ...]:
    return tuple(
        Option(c.entry.id, c.entry.number, c.entry.question, c.confidence)
        for c in match.alternatives
    )


def _list_command(invocation: str) -> str:
    return "kubecon-bot list" if invocation == ONE_SHOT else f"{_prefix(invocation)}list"


def _prefix(invocation: str) -> str:
    """`/kubecon ` before a command word; nothing in the terminal chat, where words are bare."""
    return f"{invocation} " if invocation else ""
