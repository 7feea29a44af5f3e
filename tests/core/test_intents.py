"""Built-in intents come before matching; a clear topic still wins over a generic trigger."""

from __future__ import annotations

import pytest

from bot.core.intents import (
    GREETING,
    HELP,
    INTENTS,
    LIST,
    RECORDING,
    TAKEAWAYS,
    THANKS,
    Intent,
    _index,
    command_of,
)
from bot.core.replies import Kind, Reply


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("help", HELP),
        ("what can you do?", HELP),
        ("list", LIST),
        ("which questions can you answer", LIST),
        ("key takeaways", TAKEAWAYS),
        ("tl;dr", TAKEAWAYS),
        ("TLDR please", TAKEAWAYS),
        ("can you summarize the webinar", TAKEAWAYS),
        ("where is the recording", RECORDING),
        ("is there a video of the webinar?", RECORDING),
        ("who presented the webinar?", RECORDING),
        ("what did I miss?", TAKEAWAYS),
        ("what was the webinar about?", TAKEAWAYS),  # was declined
        # "long" is a content word (Q2's "long-term"): tl;dr spelt out is still the trigger
        ("too long, didn't read: what's the gist?", TAKEAWAYS),
    ],
)
def test_intents(responder, text, kind):
    assert responder.respond(text).kind is kind


@pytest.mark.parametrize(
    "text",
    [
        "what were the main themes?",
        "key points please",
        "the most important lessons from the session",
        "what should I remember from the webinar",
        "any big things to remember?",
        "give me the rundown",
        "bottom line?",
        "top highlights of the talk",
        "skipped the webinar, what should I know?",
        "three bullet points from the talk, please?",
    ],
)
def test_a_summary_asked_in_other_words_gets_the_takeaways(responder, text):
    assert responder.respond(text).kind is TAKEAWAYS


@pytest.mark.parametrize(
    "text",
    [
        "what were the big themes overall",
        "the headline messages?",
        "the biggest lessons?",
        "the high-level points, please",
        "too long didn't watch, anyone?",
    ],
)
def test_the_big_or_headline_points_are_a_summary(responder, text):
    """ "Big", "biggest", "headline", "overall" and "high-level" rank what matters first as
    "key" and "main" do, and a conclusion is what they rank. Not having watched is not having
    read."""
    assert responder.respond(text).kind is TAKEAWAYS


@pytest.mark.parametrize(
    "text",
    [
        "any highlights from the webinar? couldn't attend :sweat_smile:",
        "recap of the talk pls, missed it",
        "what are the big things to remember from tom's talk overall",
        # how long: "recap" is no verb of "short"
        "kubecon recap short",
        "recap, quick version",
    ],
)
def test_a_summary_with_the_askers_excuse_or_manner_is_of_the_webinar(responder, text):
    """What follows "from the webinar" that says why the asker missed it ("couldn't attend")
    or how the summary is wanted ("overall", "short") names no other event to summarise."""
    assert responder.respond(text).kind is TAKEAWAYS


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("what's the main point of the AI conformance program", 3),
        ("key insight about SBOMs?", 5),
        ("main message on observability and SRE", 8),
    ],
)
def test_a_summary_of_a_topic_is_that_topics_answer(responder, text, number):
    reply = responder.respond(text)
    assert reply.kind is Kind.ANSWER and reply.number == number


@pytest.mark.parametrize(
    "text",
    [
        "what were the key takeaways from the yearly CNCF survey?",
        "recap of the day 2 keynotes please",
        # the verb's object is what is summarised
        "can you summarize yesterday's standup",
        "recap last week's sprint review for me",
    ],
)
def test_the_takeaways_of_another_event_are_not_the_webinars(responder, text):
    """A summary asked *of* something the content never speaks of (another event, a survey) is
    not the webinar's: its takeaways are not posted in the channel."""
    reply = responder.respond(text)
    assert reply.kind is not TAKEAWAYS and not reply.public


@pytest.mark.parametrize(
    "text",
    [
        "recap of the Redmond Magazine webinar",
        "summary of the nutanix-sponsored session for my standup",
        "tl;dr of the trends and tools talk",
        "key takeaways from the kubecon 25 webinar please",
        # when and where the asker met it: no other event
        "what were the takeaways from yesterday's webinar",
        "summary of the recording",
        "tl;dr of the talk from earlier",
        "takeaways from the webinar you posted",
        "can you summarize yesterday's webinar",
        "summarize the talk for me",
        # its year, in full or short, and the trigger as often misspelt
        "what are the big trends from kubecon 2025 according to this presentation?",
        "key takeways from kubecon 25 webinar",
        "top-level lessons from kubecon 25 per the webinar",
    ],
)
def test_the_webinar_called_by_its_own_names_gets_the_takeaways(responder, text):
    """The webinar's title, host, sponsor and year are its names, not topics: "the
    Nutanix-sponsored session" is the webinar, not Q10's Nutanix; "kubecon 2025" no other
    event."""
    assert responder.respond(text).kind is TAKEAWAYS


def test_the_sponsor_without_the_webinar_is_a_topic(responder):
    """The sponsor names the webinar beside a noun for it ("the Nutanix-sponsored session");
    alone, it is what Q10 discusses: the takeaways are not posted for "takeaways on nutanix"."""
    reply = responder.respond("key takeaways on nutanix")
    assert reply.kind is not TAKEAWAYS and not reply.public
    assert reply.options and reply.options[0].number == 10


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("what does the speaker think about WebAssembly", Kind.DECLINE),
        ("what did the presenter say about serverless", Kind.DECLINE),
        ("did the speaker talk about wasm at all?", Kind.DECLINE),
        ("who was the speaker", RECORDING),
        ("any video of the talk on youtube", RECORDING),
        ("what's the speaker's background", Kind.DECLINE),  # the card names him, no more
        # "talk" as a noun, and the speaker's words asked for beside the video
        ("is the speaker's talk about kubecon recorded?", RECORDING),
        ("who was the speaker and what did he talk about, any replay?", RECORDING),
    ],
)
def test_the_speakers_words_on_a_topic_are_not_the_recording(responder, text, kind):
    """What the speaker thought or said *about* a topic the content never names is a question
    about that topic (declined: the webinar did not cover it), not a request for the
    recording, which was posted for it; who spoke, or the video, still get the recording."""
    assert responder.respond(text).kind is kind


def test_slides_are_not_the_recording(responder):
    """The bot has the recording and the article, not the slides: a request for the slides is
    declined (with the hint to `list`) rather than answered with links that are not slides."""
    assert responder.respond("where can I download the slide deck?").kind is Kind.DECLINE


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("are the slides from the kubecon takeaways webinar posted anywhere?", Kind.DECLINE),
        ("kubecon takeaways slides pls", Kind.DECLINE),
        ("kubecon takeaways in 3 bullets", TAKEAWAYS),
        ("give me the KubeCon 25 Takeaways in short", TAKEAWAYS),
        ("what are the kubecon takeaways? I couldn't get the slides", TAKEAWAYS),
    ],
)
def test_the_title_beside_the_slides_asks_for_no_summary(responder, text, kind):
    """ "Takeaways" in the webinar's title ("the KubeCon Takeaways webinar") names the talk: a
    message asking for its slides, which the bot does not have, was answered with the
    takeaways in the channel. The title alone, or with how to summarise, is the request."""
    assert responder.respond(text).kind is kind


@pytest.mark.parametrize(
    "text",
    [
        "could you share the presentation?",
        "presentation pls",
        "can we present this at our next meetup?",
    ],
)
def test_the_verb_present_is_not_a_request_for_the_presenter(responder, text):
    """The presenter asks who gave the webinar; "present", "presenting" and "the presentation"
    (the slides) share its stem but not its meaning: the recording is not posted for them."""
    reply = responder.respond(text)
    assert reply.kind is not RECORDING and not reply.public


@pytest.mark.parametrize("text", ["who was the presenter?", "presenters?", "who presented it"])
def test_the_presenter_is_still_asked_for(responder, text):
    assert responder.respond(text).kind is RECORDING


@pytest.mark.parametrize(
    "text",
    [
        "who hosted the webinar",
        "who was the host",
        "where is the recording hosted",
        "who sponsored the webinar?",
        "what was the webinar called",
        "who gave the talk",
    ],
)
def test_the_webinars_own_facts_get_the_card_that_gives_them(responder, content, text):
    """Who hosted, sponsored or gave the webinar, and what it was called, are on the recording's
    card, which names them all; "hosted" was Q9's self-hosting and posted that answer."""
    reply = responder.respond(text)
    assert reply.kind is RECORDING
    w = content.webinar
    assert all(fact in reply.body for fact in (w.title, w.presenter, w.host, w.sponsor))


@pytest.mark.parametrize(
    "text",
    [
        "what's the link to the article",
        "where can i find the article",
        "send me the link to the recording",
        "can i get a copy of the webinar",
        "article link?",
        "is there a write-up?",
    ],
)
def test_asking_for_the_article_or_a_link_gets_the_card_with_both_links(responder, content, text):
    """The card carries the article's link as well as the recording's; asked for the article,
    a link or a copy, the bot declined ("Sorry … Try `list`") though it had both to give."""
    reply = responder.respond(text)
    assert reply.kind is RECORDING and reply.public
    assert content.recording_url in reply.text and content.source_url in reply.text


@pytest.mark.parametrize(
    "text", ["what's the link between AI and observability", "the article says SBOMs have gaps?"]
)
def test_a_link_or_the_article_in_a_question_about_a_topic_is_no_request(responder, text):
    assert responder.respond(text).kind is not RECORDING


@pytest.mark.parametrize(
    "text", ["self-hosted LLMs for banks?", "video about self-hosted AI for regulated banks"]
)
def test_self_hosting_is_still_q9s_topic(responder, text):
    assert responder.respond(text).number == 9


def test_a_specific_topic_beats_a_generic_trigger(responder):
    reply = responder.respond("summary of what was said about Chronosphere")
    assert reply.kind is Kind.ANSWER and reply.number == 8


@pytest.mark.parametrize(
    "text",
    [
        *("5", "#5", "q5", "question 5", "Q 5"),
        # the few words a pick is asked with: each was declined as no webinar question
        *("answer 5", "show me question 5", "what was question 5?", "answer to q5 please"),
    ],
)
def test_a_number_picks_from_the_list(responder, text):
    reply = responder.respond(text)
    assert reply.kind is Kind.ANSWER and reply.number == 5


@pytest.mark.parametrize("text", ["+1", "+1!", "-1", " + 1", "+100", "👍 +1", "\u22121"])
def test_a_vote_in_the_channel_picks_nothing(responder, text):
    """ "+1" agrees with someone; posting entry 1 in the channel for it was a public miss."""
    reply = responder.respond(text)
    assert reply.kind is Kind.DECLINE and not reply.public, text


@pytest.mark.parametrize("text", ["42", "#11", "0", "question 11", "answer 12"])
def test_an_unknown_number_declines_saying_which_numbers_there_are(responder, text):
    reply = responder.respond(text)
    assert reply.kind is Kind.DECLINE and not reply.public
    assert reply.text.startswith("There is no question ")
    assert "numbered 1–10" in reply.text and "`/kubecon list`" in reply.text


def test_list_and_help_are_private_and_takeaways_public(responder):
    assert not responder.respond("list").public
    assert not responder.respond("help").public
    reply = responder.respond("takeaways")
    assert reply.public and len(reply.items) == 3
    assert reply.links[0].url in reply.text


def test_help_uses_the_invocation_of_the_platform(responder):
    reply = responder.respond("help", invocation="@kubecon-bot")
    assert all(item.startswith("@kubecon-bot") for item in reply.items)


def test_about_the_webinar_names_presenter_date_and_links(responder, content):
    reply = responder.respond("who was the speaker?")
    assert "Tom Fenton" in reply.body and "December 4, 2025" in reply.body
    assert [link.url for link in reply.links] == [content.recording_url, content.source_url]


def test_the_labels_replies_are_recorded_under_do_not_change(content):
    """Usage rows, metrics labels and `ask --json` store these strings: renaming one would
    split a report's history in two."""
    replies = {i.name: i.reply(content, "/kubecon") for i in INTENTS}
    recorded = {n: (r.kind.value, r.intent, r.outcome) for n, r in replies.items()}
    existing = {  # a new intent adds its own; these stay
        "help": ("help", "help", "intent"),
        "list": ("list", "list", "intent"),
        "takeaways": ("takeaways", "takeaways", "intent"),
        "recording": ("recording", "recording", "intent"),
    }
    assert recorded.items() >= existing.items()
    assert {k.value: k.outcome for k in Kind} == {
        "answer": "answered",
        "suggestions": "suggested",
        "decline": "declined",
        "daily": "intent",
        "digest": "digest",
        "repeat": "repeat",
        "notice": "notice",
    }


def test_every_command_word_gives_its_intent(responder):
    for intent in INTENTS:
        for word in intent.words:
            assert responder.respond(word).kind is intent


def _declared(name: str, words: tuple[str, ...] = ()) -> Intent:
    return Intent(name=name, triggers=(name,), words=words, build=_help_reply, outcome="intent")


def _help_reply(intent: Intent, content, invocation: str) -> Reply:
    return HELP.reply(content, invocation)


@pytest.mark.parametrize(
    "declared",
    [
        (_declared("agenda"), _declared("agenda")),  # the same name twice
        (_declared("answer"),),  # a fixed Kind's name: its replies would be counted as answers
        (_declared("agenda", ("agenda",)), _declared("schedule", ("agenda",))),
        (_declared("agenda", ("subscribe",)),),  # a subscription command is matched first
    ],
)
def test_declarations_that_would_shadow_each_other_are_refused(declared):
    with pytest.raises(ValueError):
        _index(declared)


def test_a_builder_that_labels_its_reply_as_another_intent_fails_loudly(content):
    with pytest.raises(TypeError, match="agenda"):
        _declared("agenda").reply(content, "/kubecon")


def test_subscription_commands_are_told_apart_from_questions():
    assert command_of("Subscribe 09:00 Europe/Berlin") == ("subscribe", "09:00 Europe/Berlin")
    assert command_of("subscriptions") == ("subscription", "")
    assert command_of("what about subscriptions?") is None


@pytest.mark.parametrize("text", ["hi", "Hello!", "hey there", "good morning :wave:"])
def test_a_greeting_alone_gets_a_greeting_and_the_way_to_ask(responder, text):
    reply = responder.respond(text)
    assert reply.kind is GREETING and not reply.public
    assert reply.text.startswith("Hi! I answer the audience questions from")
    assert "`/kubecon list`" in reply.text


@pytest.mark.parametrize("text", ["thanks!", "Thank you", "thx", "thanks a lot 🙏"])
def test_a_thank_you_alone_is_welcomed_not_declined(responder, text):
    reply = responder.respond(text)
    assert reply.kind is THANKS and not reply.public
    assert reply.text.startswith("You're welcome!")


def test_greeting_and_thanks_words_in_a_question_are_ordinary_words(responder):
    assert responder.respond("hey, what about SBOMs?").number == 5
    assert responder.respond("thanks! and what about SBOMs?").number == 5
    assert responder.respond("thanks, but what's the weather in Paris?").kind is Kind.DECLINE
