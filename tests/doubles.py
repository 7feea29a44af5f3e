"""Stand-ins shared by the Slack and Discord tests, so both platforms are tested against the
very same fault and the very same words a user is shown."""

from __future__ import annotations

from bot.daily.subscriptions import Subscriptions

# what a user without the right to manage a channel is told, on every platform
REFUSAL = (
    "Only people who can manage this channel can change or view its daily takeaway subscription."
)


class DatabaseDown(Subscriptions):
    """Subscriptions whose database is away: every call raises, as the driver would."""

    def __init__(self) -> None:
        pass

    async def handle(self, *args: object, **kwargs: object):  # type: ignore[override]
        raise ConnectionRefusedError("database is down")
