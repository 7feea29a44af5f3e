"""The editors' digest posted through the real Slack service (to the fake API), built from rows
stored before mentions were removed from kept text: it says the question, and pings nobody."""

from __future__ import annotations

import datetime as dt
import json

from bot.core.responder import Responder
from bot.usage.digest import Digest
from bot.usage.log import UsageLog
from bot.usage.records import Asked
from tests.slack.fakeslack import FakeSlack

UNTIL = dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.UTC)
STORED = (  # as an older bot kept them: markup and all
    "<!channel> where is the printer on floor 3",
    "<@U0123ABCD> <!here> which parking lot",
    "<!everyone> <#C0123|general> how do I exit vim",
)


async def test_a_digest_of_stored_mentions_pings_nobody_on_slack(
    fake: FakeSlack, start_slack, store, content
) -> None:
    usage = UsageLog(store.engine)
    at = UNTIL - dt.timedelta(days=1)
    usage.record(Asked(at=at, platform="slack", outcome="declined", text=t) for t in STORED)
    digest = Digest(usage, lambda: Responder(content))(UNTIL - dt.timedelta(days=7), UNTIL)
    service = await start_slack()
    await service.post("C0DIGEST1", digest)
    [posted] = fake.sent("chat.postMessage")
    seen = posted["text"] + json.dumps(posted["blocks"], ensure_ascii=False)
    for mention in ("<!channel>", "<!here>", "<!everyone>", "<@U0123ABCD>", "<#C0123"):
        assert mention not in seen
    for question in ("where is the printer on floor 3", "which parking lot", "how do I exit vim"):
        assert f"`{question}`" in seen  # the question's words, as a code span
