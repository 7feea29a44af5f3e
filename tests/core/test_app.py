"""The front door's conversation rules: repeat pointers, per-user rate limit, delete rights."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from bot.core.app import BotApp, Incoming
from bot.core.intents import HELP, LIST
from bot.core.pacing import Cooldown, RateLimit
from bot.core.replies import Kind, Reply, notice
from tests.conftest import ROOT


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_app(responder, clock: Clock) -> BotApp:
    return BotApp(responder, cooldown=Cooldown(600, clock), rate_limit=RateLimit(5, clock))


async def test_same_answer_in_same_channel_within_cooldown_points_to_the_earlier_one(responder):
    clock = Clock()
    app = make_app(responder, clock)
    ask = Incoming("slack", "sbom", channel_id="C1", user_id="U1")
    first = await app.handle(ask)
    assert first.kind is Kind.ANSWER
    app.posted(ask, first, "https://slack.example/p1")
    again = await app.handle(Incoming("slack", "what about SBOMs", channel_id="C1", user_id="U2"))
    assert again.kind is Kind.REPEAT and "https://slack.example/p1" in again.text
    other_channel = await app.handle(Incoming("slack", "sbom", channel_id="C2", user_id="U2"))
    assert other_channel.kind is Kind.ANSWER
    clock.now += 601
    assert (await app.handle(Incoming("slack", "sbom", channel_id="C1", user_id="U3"))).kind is (
        Kind.ANSWER
    )


async def test_sixth_question_in_a_minute_gets_a_private_slow_down(responder):
    clock = Clock()
    app = make_app(responder, clock)
    sbom = "what about SBOMs?"
    replies = [await app.handle(Incoming("discord", sbom, user_id="U1")) for _ in range(6)]
    assert [r.kind for r in replies[:5]] == [Kind.ANSWER] * 5
    assert replies[5].kind is Kind.NOTICE and not replies[5].public and limited(replies[5])
    assert (await app.handle(Incoming("discord", sbom, user_id="U2"))).kind is Kind.ANSWER
    clock.now += 60
    assert (await app.handle(Incoming("discord", sbom, user_id="U1"))).kind is Kind.ANSWER


def test_only_the_asker_or_an_admin_may_delete():
    assert BotApp.may_delete("U1", "U1")
    assert not BotApp.may_delete("U1", "U2")
    assert BotApp.may_delete("U1", "U2", is_admin=True)
    assert not BotApp.may_delete("", "")


def test_the_core_never_imports_an_adapter_or_platform_code():
    forbidden = ("bot.adapters", "slack_bolt", "slack_sdk", "discord", "aiohttp", "sqlalchemy")
    for path in (ROOT / "bot" / "core").rglob("*.py"):
        tree = ast.parse(Path(path).read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(forbidden), f"{path.name} imports {name}"


def test_the_front_door_loads_neither_daily_posts_nor_usage_nor_a_database():
    """Subscriptions and usage are handed to BotApp; the front door itself needs neither to
    answer a question (the terminal CLI starts without them)."""
    code = (
        "import sys, bot.core.app; print(sorted(m for m in sys.modules if m.startswith("
        "('bot.daily', 'bot.usage', 'bot.storage', 'sqlalchemy'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


async def test_a_burst_of_one_question_is_held_back_until_the_answer_fails(responder):
    clock = Clock()
    app = make_app(responder, clock)
    first_ask = Incoming("slack", "sbom", channel_id="C1", user_id="U1")
    first = await app.handle(first_ask)  # on its way, not yet delivered
    burst = await app.handle(Incoming("slack", "sbom", channel_id="C1", user_id="U2"))
    assert first.kind is Kind.ANSWER and burst.kind is Kind.REPEAT
    app.failed(first_ask, "http_500", reply=first)  # it never arrived
    after = await app.handle(Incoming("slack", "sbom", channel_id="C1", user_id="U3"))
    assert after.kind is Kind.ANSWER


def test_cooldown_entries_expire_by_time_not_by_count():
    clock = Clock()
    cooldown = Cooldown(600, clock)
    for n in range(1000):
        cooldown.answered("slack", f"C{n}", "e", None)
    assert len(cooldown) == 1000
    clock.now += 300
    cooldown.answered("slack", "Clater", "e", None)
    clock.now += 301  # the first thousand are now older than the window
    assert cooldown.recent("slack", "C0", "e") is None
    assert len(cooldown) == 1
    assert cooldown.recent("slack", "Clater", "e") is not None


def test_rate_limit_forgets_users_whose_minute_is_over():
    clock = Clock()
    limit = RateLimit(5, clock)
    for n in range(1000):
        assert limit.allow("discord", f"U{n}")
    assert len(limit) == 1000
    clock.now += 30
    assert limit.allow("discord", "Ulater")
    clock.now += 30  # the first thousand asked a minute ago: back to a full allowance
    assert limit.allow("discord", "Uone-more")
    assert len(limit) == 2
    for _ in range(4):
        assert limit.allow("discord", "Ulater")
    assert not limit.allow("discord", "Ulater")  # still limited within its own minute


class Desk:
    """Subscriptions that remember what they were asked, and answer as the real ones do:
    privately (bot.daily.subscriptions)."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def handle(self, platform: str, channel_id: str, text: str, **kwargs: object) -> Reply:
        self.asked.append(text)
        return notice(f"saved: {text}")


def limited(reply: Reply) -> bool:
    return reply.outcome == "limited"


async def test_subscription_commands_are_neither_counted_nor_refused(responder):
    """The trial's repro: three questions and two mistyped subscriptions in a minute, then the
    right one was refused ("asking faster than I can keep up") and not saved."""
    clock = Clock()
    desk = Desk()
    app = BotApp(responder, rate_limit=RateLimit(5, clock), subscriptions=desk)
    said = ["what about SBOMs?", "what did openai save", "how do I exit vim"]
    said += ["subscribe 25:00", "subscribe 9pm Mars/Base", "subscribe 08:30 europe/berlin"]
    replies = [await app.handle(Incoming("slack", text, "C1", "U1")) for text in said]
    assert not any(map(limited, replies))
    assert desk.asked[-1] == "subscribe 08:30 europe/berlin"
    assert replies[-1].text == "saved: subscribe 08:30 europe/berlin"
    # nor did the subscriptions use up the allowance: two more questions are answered
    for text in ("sbom", "pokemon go"):
        assert not limited(await app.handle(Incoming("slack", text, "C2", "U1")))
    # and a limited person can still manage the subscription
    assert limited(await app.handle(Incoming("slack", "sbom", "C3", "U1")))
    assert not limited(await app.handle(Incoming("slack", "unsubscribe", "C1", "U1")))
    assert desk.asked[-1] == "unsubscribe"


async def test_private_menus_are_not_counted_and_still_answer_a_limited_person(responder):
    """help, list, a greeting, an empty command and a number not on the list are private
    replies decided without matching: refusing them would save nothing."""
    clock = Clock()
    app = make_app(responder, clock)
    for text in ("", "help", "list", "questions", "hi", "thanks", "99") * 3:
        reply = await app.handle(Incoming("slack", text, user_id="U1"))
        assert not reply.public and not limited(reply), text
    for _ in range(5):
        assert not limited(await app.handle(Incoming("slack", "what about SBOMs?", user_id="U1")))
    assert limited(await app.handle(Incoming("slack", "what about SBOMs?", user_id="U1")))
    assert (await app.handle(Incoming("slack", "list", user_id="U1"))).kind is LIST
    assert (await app.handle(Incoming("slack", "help", user_id="U1"))).kind is HELP


async def test_what_posts_in_the_channel_is_counted(responder):
    """A number, the takeaways and the recording post publicly (a channel can be flooded with
    them), so they count like questions."""
    clock = Clock()
    app = make_app(responder, clock)
    said = ["3", "takeaways", "recording", "#4", "q5"]
    replies = [await app.handle(Incoming("discord", text, user_id="U1")) for text in said]
    assert all(r.public for r in replies)
    assert limited(await app.handle(Incoming("discord", "2", user_id="U1")))
    assert limited(await app.handle(Incoming("discord", "takeaways", user_id="U1")))
    clock.now += 60
    assert (await app.handle(Incoming("discord", "2", user_id="U1"))).kind is Kind.ANSWER


async def test_questions_count_even_when_answered_privately(responder):
    """A decline or a "did you mean" is private, but matching it is the bot's work: a flood
    of questions nothing answers is limited too."""
    clock = Clock()
    app = make_app(responder, clock)
    for _ in range(5):
        reply = await app.handle(Incoming("slack", "how do I exit vim", user_id="U1"))
        assert not reply.public and not limited(reply)
    assert limited(await app.handle(Incoming("slack", "how do I exit vim", user_id="U1")))
