"""The "Fix this answer" shortcut on Slack: its payload in, the core's form out as a modal,
the modal's submission back in. Translation only: who is an admin is SLACK_ADMIN_USER_IDS (the
handlers decide), everything else is `BotApp.correcting` and `BotApp.correct`.

The modal carries what the submission needs in its `private_metadata` (the answer's reference,
the channel, the shortcut's response_url for the private confirmation), so a submission works
on any replica and after a restart: Slack sends the view back as it was opened.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.adapters.payload import field, items, obj
from bot.adapters.slack.render import VOTE_ACTION
from bot.core.corrections import (
    DECLINE,
    ENTRY_FIELD,
    PHRASING_FIELD,
    PHRASING_MAX,
    REVIEW,
    SHOULD_NOT_ANSWER,
    CorrectionForm,
)
from bot.core.replies import Reply

FIX_CALLBACK = "kubecon_fix_answer"  # the shortcut's callback_id (the manifests) and the modal's
ENTRY, PHRASING = "entry", "phrasing"  # the modal's input blocks (and their elements' action ids)
BLOCK_OF = {ENTRY_FIELD: ENTRY, PHRASING_FIELD: PHRASING}  # a refused field -> its block
OPTIONS_MAX = 100  # options in a static select, and in each of its option groups
OPTION_TEXT_MAX = 75
METADATA_MAX = 3000
TITLE = "Fix this answer"  # ≤ 24 characters: a modal's title


def ballot_in(message: Mapping[str, Any]) -> str:
    """The payload of a 👍/👎 button on `message` (one of the bot's answers), or ""."""
    for block in items(message, "blocks"):
        if field(block, "type") != "actions":
            continue
        for element in items(block, "elements"):
            if field(element, "action_id").startswith(VOTE_ACTION) and field(element, "value"):
                return field(element, "value")
    return ""


def is_from(message: Mapping[str, Any], bot_id: str | None, bot_user_id: str | None) -> bool:
    """Whether `message` was posted by this bot (its bot id, or its bot user): another app's
    message may look like an answer, and is not ours to correct."""
    return bool(bot_id and message.get("bot_id") == bot_id) or bool(
        bot_user_id and message.get("user") == bot_user_id
    )


def metadata(answer: str, channel_id: str, response_url: str) -> str:
    data = {"answer": answer, "channel": channel_id, "response_url": response_url}
    text = json.dumps(data, separators=(",", ":"))
    if len(text) > METADATA_MAX:  # a response_url that long is not Slack's: do without it
        text = json.dumps({**data, "response_url": ""}, separators=(",", ":"))
    return text


def parse_metadata(text: str) -> dict[str, str]:
    """The modal's `private_metadata`: answer, channel, response_url ("" for what is missing)."""
    try:
        data = json.loads(text or "{}")
    except json.JSONDecodeError:
        data = {}
    data = data if isinstance(data, dict) else {}
    return {k: str(data.get(k) or "") for k in ("answer", "channel", "response_url")}


def submitted(view: Mapping[str, Any]) -> tuple[str, str]:
    """(the entry picked, the phrasing typed) from a view_submission's state ("" if absent)."""
    values = obj(view, "state", "values")
    picked = field(values, ENTRY, ENTRY, "selected_option", "value")
    return picked, field(values, PHRASING, PHRASING, "value")


def modal(form: CorrectionForm, private_metadata: str) -> dict[str, Any]:
    """The modal for `form`: a select of every entry plus "should not be answered", and the
    phrasing, prefilled with the asker's words when the bot still holds them."""
    decline = _option(f"{DECLINE}. {SHOULD_NOT_ANSWER}", DECLINE)
    entries = [_option(f"Q{o.number}. {o.question}", o.entry_id) for o in form.choices]
    select: dict[str, Any] = {
        "type": "static_select",
        "action_id": ENTRY,
        "placeholder": _plain("The entry it should have been"),
    }
    if len(entries) < OPTIONS_MAX:
        select["options"] = [decline, *entries]
    else:  # more entries than one list holds: groups of a hundred (up to 9,900)
        chunks = (entries[i : i + OPTIONS_MAX] for i in range(0, len(entries), OPTIONS_MAX))
        groups = [{"label": _plain("No entry"), "options": [decline]}]
        groups += [{"label": _plain(_span(chunk)), "options": chunk} for chunk in chunks]
        select["option_groups"] = groups[:OPTIONS_MAX]
    phrasing: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": PHRASING,
        "max_length": PHRASING_MAX,
        "placeholder": _plain("e.g. what about SBOMs?"),
    }
    if form.phrasing:
        phrasing["initial_value"] = form.phrasing[:PHRASING_MAX]
    return {
        "type": "modal",
        "callback_id": FIX_CALLBACK,
        "private_metadata": private_metadata,
        "title": _plain(TITLE),
        "submit": _plain("Record"),
        "close": _plain("Cancel"),
        "blocks": [
            {"type": "section", "text": _plain(f"I answered: {form.title}"[:3000])},
            {
                "type": "input",
                "block_id": ENTRY,
                "label": _plain("The right answer"),
                "element": select,
            },
            {
                "type": "input",
                "block_id": PHRASING,
                "label": _plain("The question, as people ask it"),
                "element": phrasing,
                "hint": _plain(
                    "Kept as the suggestion's wording: leave out names and anything private."
                ),
            },
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"Recorded as a suggestion for the editors, who review it "
                        f"with `{REVIEW}`.",
                    }
                ],
            },
        ],
    }


def told(reply: Reply, rendered: Mapping[str, Any]) -> dict[str, Any]:
    """The modal once submitted: what the core said of the correction (`reply`, `rendered` as
    any reply is for Slack), with only a button to close it."""
    blocks = list(rendered.get("blocks") or [])
    if not blocks:
        blocks = [{"type": "section", "text": _plain(reply.text[:3000] or "Done.")}]
    return {"type": "modal", "title": _plain(TITLE), "close": _plain("Done"), "blocks": blocks}


def _option(text: str, value: str) -> dict[str, Any]:
    if len(text) > OPTION_TEXT_MAX:
        text = text[: OPTION_TEXT_MAX - 1] + "…"
    return {"text": _plain(text), "value": value}


def _span(group: list[dict[str, Any]]) -> str:
    """A group's label: the first and last option's numbers ("Q101–Q200")."""
    first, last = (o["text"]["text"].split(".", 1)[0] for o in (group[0], group[-1]))
    return f"{first}–{last}"


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}
