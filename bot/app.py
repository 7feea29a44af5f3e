"""The bot's front door: every message from every platform comes in here as an `Incoming` and
leaves as a core `Reply`.

Adapters translate platform events into `Incoming` and render the `Reply`; they decide nothing
else. Rules that need state (subscriptions, cooldowns, rate limits, metrics, feedback) hang off
this class, so they are written and tested once for Slack, Discord and the terminal alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.replies import Reply
from bot.core.responder import DEFAULT_INVOCATION, Responder


@dataclass(frozen=True)
class Incoming:
    """A user's message, stripped of its platform: who said what, where."""

    platform: str  # "slack" | "discord" | "terminal"
    text: str  # the question, without the slash command or the bot mention
    channel_id: str = ""
    user_id: str = ""
    workspace_id: str = ""  # Slack team id, Discord guild id
    invocation: str = DEFAULT_INVOCATION  # how this user addresses the bot, for help texts
    can_manage: bool = False  # the platform says this user may manage the channel's subscription
    source: str = "command"  # "command" (slash command) or "mention"
    message_id: str = ""  # the platform's id of the message or event, for logs


class BotApp:
    """Holds the current Responder (swapped atomically on content reload) and the stateful rules."""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder

    async def handle(self, incoming: Incoming) -> Reply:
        return self.responder.respond(incoming.text, incoming.invocation)

    def choose(self, entry_id: str) -> Reply | None:
        """The answer for an option the user picked (a "did you mean" button)."""
        return self.responder.answer_by_id(entry_id)
