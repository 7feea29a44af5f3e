"""The editors' digest posted through the real Discord service (to the fake API): an embed, sent
with no mention allowed, so a user's "@everyone" in an example cannot ping anyone."""

from __future__ import annotations

import datetime as dt
import json

from bot.core.responder import Responder
from bot.usage.digest import Digest, digest_reply
from bot.usage.log import UsageLog
from bot.usage.records import Asked
from tests.discord.fakediscord import CHANNEL_ID


async def test_the_digest_goes_out_as_an_embed_that_pings_nobody(fake, service) -> None:
    until = dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.UTC)
    figures = {
        "since": (until - dt.timedelta(days=7)).isoformat(),
        "until": until.isoformat(),
        "questions": 1,
        "match_rate": 0.0,
        "outcomes": {"declined": 1},
        "votes": {},
        "unanswered": [{"count": 1, "text": "@everyone <@1100000000000000009> look"}],
        "texts_recorded": 1,
    }
    await service.post(CHANNEL_ID, digest_reply(figures, pending=0))
    sent = fake.messages()[-1].json
    assert sent["allowed_mentions"]["parse"] == []
    assert not sent.get("content")
    [embed] = sent["embeds"]
    assert "• 1× `@everyone <@1100000000000000009> look`" in embed["description"]


async def test_a_digest_of_stored_mentions_pings_nobody(fake, service, store, content) -> None:
    """Rows stored before mentions were removed from kept text: the digest says the question
    without them, and is sent with no mention allowed."""
    usage = UsageLog(store.engine)
    until = dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.UTC)
    at = until - dt.timedelta(days=1)
    stored = ("@everyone where is the printer", "<@1100000000000000009> <@&42> which parking lot")
    usage.record(Asked(at=at, platform="discord", outcome="declined", text=t) for t in stored)
    digest = Digest(usage, lambda: Responder(content))(until - dt.timedelta(days=7), until)
    await service.post(CHANNEL_ID, digest)
    sent = fake.messages()[-1].json
    assert sent["allowed_mentions"]["parse"] == []
    [embed] = sent["embeds"]
    seen = json.dumps(sent, ensure_ascii=False)
    assert "@everyone" not in seen and "<@" not in seen
    assert "`where is the printer`" in embed["description"]
    assert "`which parking lot`" in embed["description"]
