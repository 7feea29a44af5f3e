"""The real discord.py client against a fake Discord: mentions, slash commands, buttons."""

from __future__ import annotations

import datetime as dt
import logging

import discord

from bot.adapters.discord.buttons import PICK, REMOVE, VOTE
from bot.usage.log import UsageLog
from tests.discord.fakediscord import (
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MANAGE_CHANNELS,
    OTHER_ID,
    TOKEN,
    USER_ID,
    button_row,
    user,
)

MENTION = f"<@{BOT_ID}>"


async def test_connects_with_default_intents_and_syncs_commands_to_the_guild(
    fake, connect, bot_app, caplog
):
    caplog.set_level(logging.INFO, logger="bot.adapters.discord.client")
    service = await connect(bot_app)
    assert service.ready
    assert (
        f"discord commands synced to server {GUILD_ID} (DISCORD_GUILD_ID): they appear there "
        "at once (/kubecon, the 'Fix this answer' menu)" in caplog.text
    )
    identify = fake.identifies[0]
    assert identify["intents"] == discord.Intents.default().value
    assert not discord.Intents.default().message_content
    sync = next(s for s in fake.sent if s.method == "PUT")
    assert sync.path.endswith(f"/guilds/{GUILD_ID}/commands")
    group, menu = sync.json["commands"]  # the /kubecon group, and "Fix this answer"
    assert group["name"] == "kubecon" and menu["type"] == 3
    assert {o["name"] for o in group["options"]} >= {
        "ask",
        "list",
        "takeaways",
        "subscribe",
        "unsubscribe",
        "subscription",
    }


async def test_with_shard_count_it_connects_as_those_shards_and_answers(fake, connect, bot_app):
    service = await connect(bot_app, SHARD_COUNT=2, SHARD_IDS="1")
    assert isinstance(service.client, discord.AutoShardedClient) and service.ready
    assert [i["shard"] for i in fake.identifies] == [[1, 2]]
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} what about SBOMs?"))
    await fake.wait_for(fake.messages)
    assert fake.messages()[0].json["embeds"][0]["title"].startswith("Q5.")


async def test_without_shard_count_it_is_one_connection(fake, service):
    assert not isinstance(service.client, discord.AutoShardedClient)
    assert "shard" not in fake.identifies[0]


async def test_mention_gets_an_embed_reply_in_the_channel(fake, service):
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} what about SBOMs?"))
    await fake.wait_for(fake.messages)
    (sent,) = fake.messages()
    assert sent.path == f"/api/v10/channels/{CHANNEL_ID}/messages"
    assert str(sent.json["message_reference"]["channel_id"]) == CHANNEL_ID
    assert sent.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    embed = sent.json["embeds"][0]
    assert embed["title"].startswith("Q5. It sounds like CNCF")
    assert "Antithesis" in embed["description"]
    assert "KubeCon '25 Takeaways" in embed["footer"]["text"]
    buttons = [c for row in sent.json["components"] for c in row["components"]]
    labels = {b.get("label") or b["emoji"]["name"]: b for b in buttons}
    assert labels["Watch the recording"]["url"].startswith("https://virtualizationreview.com/")
    assert "url" in labels["Source"]
    assert labels["👍"]["custom_id"].startswith(VOTE + "up:")
    assert labels["👎"]["custom_id"].startswith(VOTE + "down:")
    assert labels["Remove"]["custom_id"] == REMOVE + USER_ID
    assert len(buttons) <= 5  # one row


async def test_user_text_cannot_ping_anyone(fake, service):
    await fake.dispatch(
        "MESSAGE_CREATE", fake.message_create(f"{MENTION} @everyone <@{OTHER_ID}> sbom")
    )
    await fake.wait_for(fake.messages)
    assert fake.messages()[0].json["allowed_mentions"]["parse"] == []


async def test_no_reply_to_bots_to_itself_to_everyone_pings_or_twice(fake, service):
    await fake.dispatch(
        "MESSAGE_CREATE",
        fake.message_create(f"{MENTION} sbom", author=user(OTHER_ID, "otherbot", bot=True)),
    )
    await fake.dispatch(
        "MESSAGE_CREATE",
        fake.message_create("@everyone sbom", mentions_bot=False, mention_everyone=True),
    )
    replayed = fake.message_create(f"{MENTION} chronosphere", message_id="1300000000000000001")
    await fake.dispatch("MESSAGE_CREATE", replayed)
    await fake.dispatch("MESSAGE_CREATE", replayed)  # a RESUME replays it
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} devtron"))
    await fake.wait_for(lambda: len(fake.messages()) >= 2)
    titles = [m.json["embeds"][0]["title"][:3] for m in fake.messages()]
    assert titles == ["Q8.", "Q10"]


async def test_mentions_over_the_rate_limit_get_a_reaction_not_a_post(fake, service):
    """One person's 6th and 7th mention within a minute: "please wait" was posted in the
    channel for each (a channel message has no private form on Discord), filling the channel
    the limit is there to keep clear. The asker's own message gets ⏳ instead; someone else
    is still answered."""
    asked = [fake.message_create(f"{MENTION} sbom question {n}") for n in range(7)]
    for message in asked:
        await fake.dispatch("MESSAGE_CREATE", message)
    await fake.wait_for(lambda: len(fake.reactions()) == 2)
    assert fake.reactions() == [(asked[5]["id"], "⏳"), (asked[6]["id"], "⏳")]
    other = fake.message_create(f"{MENTION} chronosphere", author=user(OTHER_ID, "other"))
    await fake.dispatch("MESSAGE_CREATE", other)
    await fake.wait_for(lambda: len(fake.messages()) == 6)
    assert all("please wait" not in str(m.json) for m in fake.messages())


async def test_empty_mention_gets_usage(fake, service):
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(MENTION))
    await fake.wait_for(fake.messages)
    embed = fake.messages()[0].json["embeds"][0]
    assert embed["title"] == "How to ask kubecon-bot"
    assert "@kubecon-bot list" in embed["description"]


async def test_slash_help_names_commands_discord_accepts(fake, service):
    """Discord allows no text right after the /kubecon group, only a subcommand: the help a
    slash command gets spells every form with `ask` ("/kubecon 10" is Slack's form)."""
    await fake.dispatch("INTERACTION_CREATE", fake.interaction(fake.slash("help")))
    await fake.wait_for(fake.callbacks)
    text = fake.callbacks()[0].json["data"]["embeds"][0]["description"]
    assert "/kubecon ask <number>" in text and "/kubecon ask list" in text
    assert "/kubecon <" not in text and "/kubecon list" not in text


async def test_slash_ask_answers_in_channel_and_list_is_ephemeral(fake, service):
    await fake.dispatch("INTERACTION_CREATE", fake.interaction(fake.slash("ask", question="sbom")))
    await fake.wait_for(fake.callbacks)
    answer = fake.callbacks()[0].json
    assert answer["type"] == 4
    assert "Antithesis" in answer["data"]["embeds"][0]["description"]
    assert not answer["data"].get("flags")  # in the channel
    await fake.dispatch("INTERACTION_CREATE", fake.interaction(fake.slash("list")))
    await fake.wait_for(lambda: len(fake.callbacks()) == 2)
    listing = fake.callbacks()[1].json["data"]
    assert listing["flags"] & 64  # ephemeral
    assert "10. Companies like Devtron" in listing["embeds"][0]["description"]


async def test_autocomplete_offers_matching_questions(fake, service):
    data = fake.slash("ask", question="pokem")
    data["options"][0]["options"][0]["focused"] = True
    await fake.dispatch("INTERACTION_CREATE", fake.interaction(data, kind=4))
    await fake.wait_for(fake.callbacks)
    response = fake.callbacks()[0].json
    assert response["type"] == 8
    choices = response["data"]["choices"]
    assert choices[0]["value"] == "#4" and choices[0]["name"].startswith("4. You mentioned")
    assert all(len(c["name"]) <= 100 for c in choices)


async def test_did_you_mean_buttons_post_the_chosen_answer(fake, service):
    await fake.dispatch(
        "INTERACTION_CREATE", fake.interaction(fake.slash("ask", question="platform"))
    )
    await fake.wait_for(fake.callbacks)
    offer = fake.callbacks()[0].json["data"]
    assert offer["flags"] & 64
    buttons = [c for row in offer["components"] for c in row["components"]]
    assert 2 <= len(buttons) <= 3 and buttons[0]["custom_id"].startswith(PICK)
    click = fake.interaction(
        {"custom_id": buttons[0]["custom_id"], "component_type": 2},
        kind=3,
        message=fake.message(
            {"content": "Did you mean…?", "components": offer["components"]}, CHANNEL_ID
        ),
    )
    await fake.dispatch("INTERACTION_CREATE", click)
    await fake.wait_for(lambda: len(fake.callbacks()) == 2)
    chosen = fake.callbacks()[1].json["data"]
    assert not chosen.get("flags")
    assert chosen["embeds"][0]["title"].startswith("Q1.")


async def test_only_the_asker_may_remove_an_answer(fake, service):
    answer = fake.message(
        {"content": "", "embeds": [{"title": "Q5."}], "components": button_row(REMOVE + USER_ID)},
        CHANNEL_ID,
    )
    button = {"custom_id": REMOVE + USER_ID, "component_type": 2}
    await fake.dispatch(
        "INTERACTION_CREATE", fake.interaction(button, kind=3, user_id=OTHER_ID, message=answer)
    )
    await fake.wait_for(fake.callbacks)
    assert fake.callbacks()[0].json["data"]["flags"] & 64
    assert not [s for s in fake.sent if s.method == "DELETE"]
    await fake.dispatch("INTERACTION_CREATE", fake.interaction(button, kind=3, message=answer))
    await fake.wait_for(lambda: [s for s in fake.sent if s.method == "DELETE"])
    (deleted,) = [s for s in fake.sent if s.method == "DELETE"]
    assert deleted.path.endswith(f"/messages/{answer['id']}")


async def test_votes_count_once_per_person_and_are_acknowledged_privately(fake, service):
    await fake.dispatch(
        "INTERACTION_CREATE", fake.interaction(fake.slash("ask", question="what about SBOMs?"))
    )
    await fake.wait_for(fake.callbacks)
    answer = fake.callbacks()[0].json["data"]
    ids = [
        c["custom_id"]
        for row in answer["components"]
        for c in row["components"]
        if "custom_id" in c
    ]
    up, down = (i for i in ids if i.startswith(VOTE))
    posted = fake.message(
        {"content": "", "embeds": answer["embeds"], "components": answer["components"]},
        CHANNEL_ID,
    )
    clicks = [(up, OTHER_ID), (up, OTHER_ID), (down, OTHER_ID), (up, USER_ID)]
    for n, (custom_id, voter) in enumerate(clicks, start=2):
        button = {"custom_id": custom_id, "component_type": 2}
        await fake.dispatch(
            "INTERACTION_CREATE", fake.interaction(button, kind=3, user_id=voter, message=posted)
        )
        await fake.wait_for(lambda n=n: len(fake.callbacks()) == n)
    acks = [c.json["data"] for c in fake.callbacks()[1:]]
    assert all(a["flags"] & 64 for a in acks)  # only the voter sees it
    assert "Thanks" in acks[0]["content"] and "already voted" in acks[1]["content"]
    assert "Changed your vote to 👎" in acks[2]["content"]
    votes = UsageLog(service.store.engine).votes_since(dt.datetime.now(dt.UTC) - dt.timedelta(1))
    assert sorted(v.vote for v in votes) == [-1, 1]


async def test_buttons_on_messages_posted_by_earlier_versions_still_work(fake, service):
    """The custom_ids are written out here as messages already in channels carry them: the
    formats may never change, whatever the code that writes them becomes."""
    old_pick = "kubecon:pick:openai-logging-fix"  # before suggestions carried a reply key
    pick = "kubecon:pick:openai-logging-fix:0123456789abcdef"
    vote = "kubecon:vote:up:0123456789abcdef:openai-logging-fix"
    remove = f"kubecon:remove:{USER_ID}"
    posted = fake.message(
        {"content": "", "components": button_row(old_pick, pick, vote, remove)}, CHANNEL_ID
    )
    for n, custom_id in enumerate((old_pick, pick, vote), start=1):
        click = {"custom_id": custom_id, "component_type": 2}
        await fake.dispatch("INTERACTION_CREATE", fake.interaction(click, kind=3, message=posted))
        await fake.wait_for(lambda n=n: len(fake.callbacks()) == n)
    picked, keyed, voted = (c.json["data"] for c in fake.callbacks())
    assert picked["embeds"][0]["title"].startswith("Q6.") and not picked.get("flags")
    assert keyed["embeds"][0]["title"].startswith("Q6.")
    assert "Thanks" in voted["content"] and voted["flags"] & 64
    click = {"custom_id": remove, "component_type": 2}
    await fake.dispatch("INTERACTION_CREATE", fake.interaction(click, kind=3, message=posted))
    await fake.wait_for(lambda: [s for s in fake.sent if s.method == "DELETE"])
    (deleted,) = [s for s in fake.sent if s.method == "DELETE"]
    assert deleted.path.endswith(f"/messages/{posted['id']}")


async def test_a_click_during_shutdown_that_no_other_session_takes_is_refused(fake, service):
    """Discord does not redeliver it, and this session is closing: told privately to ask again
    (after the moment it leaves for a session that stays: test_replicas)."""
    service.client.accepting = False  # what stop() does first
    custom_id = PICK + "openai-logging-fix"
    posted = fake.message({"content": "", "components": button_row(custom_id)}, CHANNEL_ID)
    click = {"custom_id": custom_id, "component_type": 2}
    await fake.dispatch("INTERACTION_CREATE", fake.interaction(click, kind=3, message=posted))
    await fake.wait_for(fake.callbacks)
    (refused,) = (c.json["data"] for c in fake.callbacks())
    assert refused["flags"] & 64 and "restarting" in refused["content"]


async def test_subscribe_needs_manage_channels(fake, service):
    await fake.dispatch(
        "INTERACTION_CREATE",
        fake.interaction(fake.slash("subscribe", time="08:30"), permissions=1024),
    )
    await fake.wait_for(fake.callbacks)
    refused = fake.callbacks()[0].json["data"]
    assert refused["flags"] & 64 and "manage" in refused["content"].lower()
    assert service.store.subscriptions() == []
    await fake.dispatch(
        "INTERACTION_CREATE",
        fake.interaction(
            fake.slash("subscribe", time="08:30", timezone="Europe/Berlin"),
            permissions=1024 | MANAGE_CHANNELS,
        ),
    )
    await fake.wait_for(lambda: len(fake.callbacks()) == 2)
    subscribed = fake.callbacks()[1].json["data"]["content"]
    # the subcommand that stops it, as the command list offers it (`ask unsubscribe` works too)
    assert "08:30" in subscribed and "`/kubecon unsubscribe` stops it" in subscribed
    (sub,) = service.store.subscriptions()
    assert (sub.platform, sub.channel_id, sub.when.tz) == ("discord", CHANNEL_ID, "Europe/Berlin")


async def test_forbidden_reply_is_logged_with_guild_channel_and_reason(fake, service, caplog):
    fake.fail_next.append((403, {"message": "Missing Permissions", "code": 50013}))
    with caplog.at_level(logging.ERROR):
        await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} sbom"))
        await fake.wait_for(lambda: "Missing Permissions" in caplog.text)
    assert f"workspace={GUILD_ID}" in caplog.text and f"channel={CHANNEL_ID}" in caplog.text
    assert TOKEN not in caplog.text
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} devtron"))
    await fake.wait_for(lambda: len(fake.messages()) == 2)  # still running


async def test_daily_post_and_gone_channel(fake, service):
    from bot.core.replies import Kind, Reply, Visibility
    from bot.core.services import DeliveryError

    daily = Reply(
        kind=Kind.DAILY,
        visibility=Visibility.CHANNEL,
        text="t",
        title="Takeaway",
        body="Kubernetes is the OS for AI.",
    )
    await service.post(CHANNEL_ID, daily)
    assert fake.messages()[-1].json["embeds"][0]["description"] == "Kubernetes is the OS for AI."
    try:
        await service.post("1199999999999999999", daily)
    except DeliveryError as err:
        assert err.gone and not err.retryable
    else:
        raise AssertionError("a deleted channel must be reported as gone")


async def test_a_mention_whose_content_is_not_text_gets_the_help_without_an_error(
    fake, service, caplog
):
    """Discord's payload is trusted for who sent it, not for its shape: a `content` that is a
    number made the mention's re.sub raise a TypeError, logged at ERROR with a traceback. It
    reads as an empty mention (the help), as on Slack (bot.adapters.payload)."""
    caplog.set_level(logging.DEBUG)
    message = fake.message_create("")
    message["content"] = 12345
    await fake.dispatch("MESSAGE_CREATE", message)
    await fake.wait_for(fake.messages)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "Traceback" not in caplog.text
