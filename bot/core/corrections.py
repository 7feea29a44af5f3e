"""Admin corrections in chat: an admin says that one of the bot's answers was wrong, and which
entry it should have been, or that the question should not have been answered at all.

A correction is evidence, not an edit: it becomes a suggestion for the editors (source "admin
correction"), which `kubecon-bot suggestions accept` writes into that entry's `examples:` or the
content's `declines:` like every other suggestion. So the content file stays the editors', an
admin's slip is caught in review, and nothing changes on the reply path until the file does.

The platforms differ only in how the admin says it (Slack: a message shortcut and a modal with
a select; Discord: a message context menu and a modal where the entry is typed by its number).
What it means is decided here, once: which answer was clicked (its 👍/👎 button's ballot), which
entry was meant, what phrasing is kept, and what the admin is told. `BotApp.correcting` and
`BotApp.correct` apply the rules (who may, whether it is recorded); the adapters only
translate the forms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.core import text
from bot.core.content import Content, Entry
from bot.core.intents import number_reference
from bot.core.replies import Option, Reply, notice
from bot.core.text import clean, words

DECLINE = "0"  # the target "should not be answered": the select's value, the number typed
SHOULD_NOT_ANSWER = "Should not be answered"
PHRASING_MAX = 300  # characters kept, as for any question the bot keeps (records.TEXT_MAX)
REVIEW = "kubecon-bot suggestions list"
REASON = "correction"  # the notices' reason: `Reply.outcome` counts them as "correction"
# the correction form's fields, as a refusal names the one at fault (`notice(field=…)`)
ENTRY_FIELD = "entry"
PHRASING_FIELD = "phrasing"

_ANSWER = re.compile(r"^([0-9a-f]{16}):([a-z0-9-]{1,64})$")

REFUSED = (
    "Only the bot's admins can correct answers. If this one is wrong, vote 👎 on it: the people "
    "who keep my answers will see it."
)
NOT_RECORDED = "Corrections are not recorded on this bot: it keeps no usage records."
NOT_OURS = "That form is not one of mine."  # a submission whose reference we did not write
NOT_AN_ANSWER = (
    "I can only correct my own answers to questions (the messages with 👍/👎 buttons), and "
    "this is not one."
)


@dataclass(frozen=True)
class Correction:
    """What an admin said about one answer, as it is stored (bot.usage.log): one per answer,
    the last one counts. `entry_id` None means the question should not have been answered."""

    reply_key: str  # the answer corrected (its 👍/👎 key)
    answered_id: str  # the entry the bot answered with
    entry_id: str | None  # the entry it should have been; None: should not be answered
    text: str  # the phrasing: the asker's question, or what the admin typed
    at: dt.datetime
    platform: str
    workspace_id: str = ""
    channel_id: str = ""


@dataclass(frozen=True)
class CorrectionForm:
    """What the admin is asked, for an adapter to render as its platform's form. `answer` is
    opaque to the adapter: it carries it through the form and hands it back to `correct`."""

    answer: str  # "<reply key>:<entry id>" of the answer being corrected
    answered: Option | None  # the entry the bot answered with (None: it left the content)
    choices: tuple[Option, ...]  # every entry, by number, to pick the right one from
    phrasing: str  # the asker's question while the bot still holds it (10 minutes), else ""

    @property
    def title(self) -> str:
        """What the bot answered, in a line: "Q5. It sounds like…"."""
        if self.answered is None:
            return "an entry no longer in the content"
        return f"Q{self.answered.number}. {self.answered.question}"


def answer_of(reply_key: str, entry_id: str) -> str:
    """The reference a form carries: ≤ 81 characters, within Discord's 100 for a custom_id."""
    return f"{reply_key}:{entry_id}"


def parse_answer(answer: str) -> tuple[str, str]:
    """(reply key, entry id) from a form's reference; ValueError for anything else."""
    match = _ANSWER.match(answer)
    if match is None:
        raise ValueError("not a kubecon answer")
    return match[1], match[2]


def form(content: Content, reply_key: str, entry_id: str, phrasing: str | None) -> CorrectionForm:
    """The form for correcting the answer `reply_key` (with `entry_id`)."""
    entries = sorted(content.entries, key=lambda e: e.number)
    answered = content.entry(entry_id)
    return CorrectionForm(
        answer=answer_of(reply_key, entry_id),
        answered=_option(answered) if answered else None,
        choices=tuple(_option(e) for e in entries),
        phrasing=kept(phrasing or ""),
    )


def target_of(content: Content, target: str) -> Entry | None:
    """The entry an admin meant: DECLINE (None: should not be answered), an entry id (Slack's
    select), or a number as typed ("5", "Q5", "#5": Discord). LookupError when none is."""
    target = target.strip()
    if target == DECLINE:
        return None
    cleaned = clean(target)
    raw = words(cleaned)
    # "-1" and "+3" are how chat says "no" and "agreed", not Q1 and Q3 (as a pick reads them)
    number = number_reference(raw, cleaned) if raw else None
    if number == 0:
        return None
    entry = content.entry_by_number(number) if number is not None else content.entry(target)
    if entry is None:
        raise LookupError(target)
    return entry


def kept(phrasing: str) -> str:
    """A phrasing as it is kept, as any question is (`bot.core.text.kept`): the admin's words,
    or the asker's, become an example in the content file, where a mention has no place."""
    return text.kept(phrasing, PHRASING_MAX)


def no_such_entry(target: str) -> Reply:
    shown = kept(target)[:40] or "(nothing)"
    return notice(
        f"There is no entry “{shown}”: give its number from the list, or {DECLINE} if the "
        "question should not be answered.",
        reason=REASON,
        field=ENTRY_FIELD,
    )


def empty_phrasing() -> Reply:
    return notice(
        "The phrasing is empty: type the question as people ask it, so editors can add it.",
        reason=REASON,
        field=PHRASING_FIELD,
    )


def same_entry(entry: Entry, withdrawn: Correction | None, content: Content) -> Reply:
    """The admin picked the answer the bot gave: nothing to correct, and a correction of it
    made earlier (by mistake) is taken back, as the docs' "the last word counts" promises;
    it stayed pending for the editors while the admin was told there was nothing."""
    if withdrawn is None:
        return notice(
            f"Q{entry.number} is the answer I gave, so there is nothing to correct.", reason=REASON
        )
    meant = content.entry(withdrawn.entry_id) if withdrawn.entry_id else None
    earlier = f"Q{meant.number}" if meant else "should not be answered"
    return notice(
        f"Q{entry.number} is the answer I gave: your earlier correction ({earlier}) is taken "
        "back, and editors will not be asked about it.",
        reason=REASON,
    )


def recorded(correction: Correction, content: Content) -> Reply:
    """What the admin is told, privately: what was recorded, and how editors review it."""
    answered = content.entry(correction.answered_id)
    was = f"Q{answered.number}" if answered else "an entry no longer in the content"
    if correction.entry_id is None:
        what = f"“{correction.text}” should not be answered (I answered {was})"
        then = "accepting it adds the phrasing to the content's `declines:`"
    else:
        entry = content.entry(correction.entry_id)
        number = f"Q{entry.number}" if entry else correction.entry_id
        what = f"“{correction.text}” should get {number} (I answered {was})"
        then = f"accepting it adds the phrasing to {number}'s `examples:`"
    return notice(
        f"Recorded as a suggestion: {what}. An editor reviews it with `{REVIEW}`; {then}.",
        reason=REASON,
    )


def _option(entry: Entry) -> Option:
    return Option(entry.id, entry.number, entry.question)
