"""The matcher's and responder's decision rules, each pinned by a small case that fails if the
rule is removed (bot/core/matcher.py `match_words`, bot/core/responder.py's how-to rule).

The content here is made up, so each case turns on one rule rather than on the webinar's
wording: distinct nonsense keywords make the information of each word predictable. Each rule
has a case it must refuse and a control it must still answer, so a rule made stricter (or
looser) than documented fails too. Verdicts only: the scores' exact values are not pinned.
"""

from __future__ import annotations

import pytest

from bot.core import intents
from bot.core.aspects import asks_number, asks_specifics
from bot.core.content import Content, load_content, parse_content
from bot.core.matcher import Matcher
from bot.core.replies import Kind
from bot.core.responder import Responder
from bot.core.text import clean, words
from tests.core.made_up import made_up_content

CONTENT_TEXT = """
generic_terms: [platform]
entries:
  - id: gateways
    number: 1
    question: What about the zephyr gateway for platform teams?
    answer: The zephyr gateway routes traffic between platform clusters and keeps latency low.
    keywords: [zephyr, gateway]
  - id: storage
    number: 2
    question: How does quokka storage work on the platform?
    answer: Quokka storage keeps narwhal snapshots close to the platform workloads.
    keywords: [quokka, narwhal]
  - id: billing
    number: 3
    question: What about the marmot billing engine?
    answer: The marmot billing engine meters gateway usage and storage usage per team.
    keywords: [marmot, billing]
  - id: security
    number: 4
    question: Why sign images with the ocelot signer?
    answer: The ocelot signer attaches signatures so clusters refuse unsigned images.
    keywords: [ocelot, signer]
  - id: tracing
    number: 5
    question: What about heron tracing?
    answer: Heron tracing follows requests across services.
    keywords: [heron, tracing]
  - id: logging
    number: 6
    question: What about heron logging?
    answer: Heron logging keeps request records for services.
    keywords: [heron, logging]
"""
CONTENT = made_up_content(CONTENT_TEXT, "rules.yaml")
QUOKKA_STORAGE = """
  - id: storage
    number: 2
    question: How does quokka storage work on the platform?
    answer: Quokka storage keeps narwhal snapshots close to the platform workloads.
    keywords: [quokka, narwhal]
"""


def beside_storage(entry: str, name: str = "made-up.yaml", generic: str = "platform") -> Content:
    """Made-up content of `entry` (entry 1, as YAML) and quokka storage (entry 2): a rule
    pinned on one entry of its own, with another beside it to rank against."""
    text = f"generic_terms: [{generic}]\nentries:{entry}{QUOKKA_STORAGE}"
    return made_up_content(text, name)


# the zephyr gateway's entry naming the makers the talk reported: "which vendors showed…"
# is that entry's to answer (Responder.names_other_parties)
MAKERS_NAMED = """
  - id: gateways
    number: 1
    question: Who is building zephyr gateways?
    answer: At the show, Frobco and Quuxly showed zephyr gateways routing platform traffic.
    keywords: [zephyr, gateway]
"""


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(CONTENT)


@pytest.fixture(scope="module")
def responder(matcher: Matcher) -> Responder:
    return Responder(CONTENT, matcher)


def offered(responder: Responder, *messages: str, first: int | None = None) -> None:
    """Each message gets "did you mean" (privately), with entry `first` first when given."""
    for message in messages:
        reply = responder.respond(message)
        assert reply.kind is Kind.SUGGESTIONS and not reply.public, message
        assert first is None or reply.options[0].number == first, message


def answered_with(responder: Responder, number: int, *messages: str) -> None:
    """Each message is answered in the channel with entry `number`."""
    for message in messages:
        assert responder.respond(message).number == number, message


def answered(matcher: Matcher, text: str) -> int | None:
    entry = matcher.match(text).entry
    return entry.number if entry else None


def test_control_a_keyword_alone_is_answered(matcher: Matcher) -> None:
    assert answered(matcher, "zephyr") == 1


def test_coverage_most_of_the_message_must_be_explained(matcher: Matcher) -> None:
    """ "zephyr" points at entry 1, but two words the content never uses make up half the
    message: no answer (ANSWER_COVERAGE), only an offer."""
    match = matcher.match("zephyr pizza lunch")
    assert match.entry is None
    assert [c.entry.number for c in match.alternatives] == [1]


def test_a_noun_asking_for_a_view_is_no_stray_word(matcher: Matcher) -> None:
    """ "lesson" and "future" are words the content never uses, but they ask for the
    presenter's view of the topic, which is what answers give (aspects.EVALUATIVE): they do
    not count against the match as "pizza" does."""
    assert answered(matcher, "zephyr lesson?") == 1
    assert answered(matcher, "zephyr future?") == 1
    # is it worth it, worth the hype: a verdict asked of the topic
    assert answered(matcher, "`zephyr` — worth the hype?") == 1
    assert answered(matcher, "zephyr pizza?") is None  # control: a stray word


def test_other_areas_asks_where_else(matcher: Matcher) -> None:
    """ "What other areas?" asks where else the topic applies, the presenter's view: "areas"
    is an asking noun (aspects.EVALUATIVE), not a stray word against the match."""
    assert answered(matcher, "zephyr: other areas?") == 1
    assert answered(matcher, "zephyr: other pizzas?") is None  # control: a stray word


def test_where_a_topic_is_heading_asks_for_a_view(matcher: Matcher) -> None:
    """ "Where is it heading?" asks where the topic goes, the presenter's outlook (as
    "future"): "heading" is no stray word against the match."""
    assert answered(matcher, "zephyr: where's it heading?") == 1
    assert answered(matcher, "zephyr: where's it parking?") is None  # control


def test_evidence_one_weak_word_is_not_enough(matcher: Matcher) -> None:
    """ "traffic" is explained by entry 1 alone, but only by a word of its answer: too little
    evidence to assert it (ANSWER_EVIDENCE)."""
    match = matcher.match("traffic")
    assert match.entry is None and match.candidates[0].entry.number == 1
    assert answered(matcher, "routes traffic") == 1  # control: two answer words are enough


def test_score_coverage_by_answer_words_alone_is_not_enough(matcher: Matcher) -> None:
    """ "routes traffic pizza": entry 1's answer has both known words (coverage above
    ANSWER_COVERAGE), but words of an answer count for little and "pizza" for nothing: the
    entry explains less of it than a suggestion needs (SUGGEST_SCORE), so it is not asserted."""
    match = matcher.match("routes traffic pizza")
    best = match.candidates[0]
    assert best.entry.number == 1 and best.coverage >= 0.6 and best.score < 0.3
    assert match.entry is None
    assert answered(matcher, "routes traffic") == 1  # control: nothing unexplained


def test_margin_a_tie_with_the_runner_up_is_not_answered(matcher: Matcher) -> None:
    """ "heron" is a keyword of entries 5 and 6 alike: the best is not clear of the runner-up
    (CLEAR_MARGIN), so the person is asked which one they mean."""
    match = matcher.match("heron")
    assert match.entry is None
    assert sorted(c.entry.number for c in match.alternatives) == [5, 6]
    assert answered(matcher, "heron tracing") == 5  # control: a second word breaks the tie


def test_dominant_evidence_answers_a_long_chatty_message(matcher: Matcher) -> None:
    """Half the words are chat the content never uses (coverage below ANSWER_COVERAGE), but
    the strong ones all point at entry 1: answered (DOMINANT_EVIDENCE, DOMINANT_SCORE)."""
    text = "zephyr gateway with pizza and lunch and coffee and tea and cake"
    assert matcher.match(text).candidates[0].coverage < 0.6
    assert answered(matcher, text) == 1


def test_dominant_evidence_needs_the_runner_up_far_behind(matcher: Matcher) -> None:
    """The same kind of message, but "quokka storage" gives entry 2 most of the evidence of
    entry 1 (over DOMINANT_RATIO, and over AGREEING_MARGIN): not answered."""
    text = "zephyr gateway quokka storage pizza lunch coffee tea cake biscuits"
    assert answered(matcher, text) is None


def test_dominant_evidence_allows_a_runner_up_at_about_half(matcher: Matcher) -> None:
    """ "heron" gives entries 5 and 6 a little over half of entry 1's evidence (zephyr and
    latency): still entry 1's message (DOMINANT_RATIO is 0.55, not 0.5: a long message
    usually names something in passing)."""
    match = matcher.match("zephyr latency heron pizza lunch coffee tea cake biscuits")
    best, runner_up = match.candidates[:2]
    assert 0.5 < runner_up.evidence / best.evidence < 0.55
    assert answered(matcher, "zephyr latency heron pizza lunch coffee tea cake biscuits") == 1


def test_agreeing_words_answer_a_chatty_message(matcher: Matcher) -> None:
    """Two specific words of entry 1 and three the content never uses: entry 1 explains under
    60 % of the message (ANSWER_COVERAGE) with under DOMINANT_EVIDENCE, yet both of the words
    that say anything point at it and nothing else competes: answered (AGREEING_WORDS,
    AGREEING_EVIDENCE, AGREEING_SCORE)."""
    text = "gateway latency pizza lunch coffee"
    best = matcher.match(text).candidates[0]
    assert best.coverage < 0.6 and best.evidence < 1.2 and best.score >= 0.25
    assert answered(matcher, text) == 1


def test_agreeing_words_one_word_is_not_enough(matcher: Matcher) -> None:
    """One keyword, however strong (a whole unique keyword's evidence, nothing competing), in
    a chatty message is only offered: "the max pods per node on GKE" names GKE and asks
    something else (AGREEING_WORDS)."""
    match = matcher.match("zephyr pizza lunch coffee")
    assert match.entry is None and match.candidates[0].evidence >= 1.0
    assert [c.entry.number for c in match.alternatives] == [1]


def test_agreeing_words_need_the_runner_up_behind(matcher: Matcher) -> None:
    """The same two words of entry 1, but "heron services" gives entries 5 and 6 nearly as
    much (AGREEING_MARGIN): not answered. "heron" alone leaves them at about two thirds: the
    control is still entry 1's message."""
    assert answered(matcher, "gateway latency heron services pizza lunch coffee") is None
    assert answered(matcher, "gateway latency heron pizza lunch coffee") == 1


def test_how_to_needs_more_than_a_shared_product_name(responder: Responder) -> None:
    """A how-to question asks for instructions the content does not hold: answered only when
    the entry explains enough of it (HOW_TO_SCORE); otherwise offered, not asserted."""
    chatty = "run the zephyr gateway with pizza lunch coffee tea"
    assert responder.respond(chatty).kind is Kind.ANSWER  # the same words, not a how-to
    reply = responder.respond(f"how do I {chatty}")
    assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1
    # control: a how-to asked of the presenter whose every word the entry says ("run", which
    # it does not say, asks for instructions it does not hold: bot.core.aspects)
    assert responder.respond("how do we route traffic with the zephyr gateway").number == 1


def test_steps_for_ones_own_setup_are_never_answered(responder: Responder) -> None:
    """ "How do I / can I…" asks for the asker's own steps, which no answer gives, even one
    that says every word of the question: offered; so does "how do we get *our*…" (our own
    thing through a process). "How do we…" otherwise and "how do I see…" (a view) are not
    such questions."""
    offered(
        responder,
        "how do I route traffic with the zephyr gateway",
        "how can I get my traffic routed by the zephyr gateway",
        "how do we get our traffic routed by the zephyr gateway",
        first=1,
    )
    assert responder.respond("how do we route traffic with the zephyr gateway").number == 1
    assert responder.respond("how do I see the zephyr gateway routing traffic").number == 1


def test_how_to_get_a_thing_through_a_process_asks_for_steps() -> None:
    """ "How to get X certified": the infinitive of "how do we get our X certified", steps
    through a process no view gives, even from the entry that says every word (the entry of
    the certification programme itself): offered. Why it matters is its view: answered."""
    content = beside_storage(
        """
  - id: program
    number: 1
    question: Why does the zephyr conformance program matter?
    answer: Zephyr conformance means certified platforms behave alike.
    keywords: [zephyr conformance, certified]
""",
        "certified.yaml",
    )
    responder = Responder(content, Matcher(content))
    offered(responder, "how to get zephyr conformance certified", first=1)
    answered_with(responder, 1, "why does zephyr conformance matter for certified platforms")


# --- what a message asks about its topic (bot.core.aspects, Responder.doubts) -----------------


def test_a_definition_is_offered_not_answered(responder: Responder) -> None:
    """ "what is <a name>" asks what a term means; no answer defines its terms (entry 4 says
    what the signer does, not what it is): offered privately. An evaluative noun ("what are the
    risks") asks for a view, which answers give, and is not a definition."""
    assert responder.respond("ocelot signer").number == 4  # the name alone: answered
    offered(
        responder,
        "what is the ocelot signer",
        "what's an ocelot signer exactly?",
        "what does ocelot signer stand for",
        "explain the ocelot signer",
        # saying where the term was met keeps it a definition
        "what does ocelot signer stand for in the security answer?",
        "what is the ocelot signer in this context",
        "what's an ocelot signer here",
        first=4,
    )
    assert responder.respond("what is the point of the ocelot signer").number == 4
    assert responder.respond("what is the point of the ocelot signer in this talk").number == 4
    assert responder.respond("what are the risks of the ocelot signer").number == 4
    # the meaning of an event asks its significance, not a definition
    assert responder.respond("what does the ocelot signer announcement mean").number == 4
    # a hyphenated term is one word: its "in" is no filler that makes it a question of more
    offered(responder, "what is in-place zephyr gateway routing?", first=1)
    assert responder.respond("what is zephyr gateway routing in place?").number == 1


def test_a_definition_asked_in_one_sentence_of_several(responder: Responder) -> None:
    """ "what even is X? …", "what's X in general, vs Y?": a definition is asked though the
    message goes on (its words alone run the sentences together); offered privately. A
    sentence asking for the presenter's view ("what was the recommendation") is none."""
    offered(
        responder,
        "what even is the ocelot signer",
        "what even is the ocelot signer? ocelot signatures explained pls",
        "what's an ocelot signer in general, vs a normal signer?",
        "what is an ocelot signer technically, does it sign images?",
        first=4,
    )
    answered_with(
        responder,
        4,
        "ocelot signer signatures for images — what was the recommendation?",
        "ocelot signer signatures for images. what's the alternative?",
        "ocelot signer signatures for images: what was the reasoning?",
        "ocelot signer signatures for images, what's the advice?",
        # a sentence asking why, or for a view, asks what the answer says
        "what's an ocelot signer, and why do images need its signatures?",
        "what's an ocelot signer? what impact do its signatures have on images?",
    )


def test_a_specific_fact_must_be_said_by_the_entry(responder: Responder) -> None:
    """An object question with do-support asks a property of a third party: answered only if
    the entry says every word of it ("which datacentre" is a fact entry 1 does not give)."""
    assert responder.respond("zephyr gateway latency traffic").number == 1
    reply = responder.respond("which datacentre does the zephyr gateway route traffic from")
    assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1
    # control: every word said by the entry
    assert responder.respond("which traffic does the zephyr gateway route").number == 1
    # only the noun asked for must be said: an entry that speaks of traffic names some
    assert responder.respond("which traffic does the zephyr gateway route to regions").number == 1
    # an evaluative noun asks for a view, not a fact; the talk as subject asks what was said
    assert responder.respond("what impact does the zephyr gateway have on latency").number == 1


@pytest.mark.parametrize(
    "message",
    [
        "how many regions does the zephyr gateway route traffic between",  # a count
        "when is the zephyr gateway routing traffic between regions",  # a time
        "what exactly does the zephyr gateway route between regions",  # precision
        "the actual zephyr gateway routes for traffic between regions",  # precision
        "the exact zephyr gateway routes for traffic between regions",  # precision
        "how do I route traffic between regions with the zephyr gateway",  # instructions
        "how to route zephyr gateway traffic between regions",  # instructions
        "how long does the zephyr gateway take to route traffic between regions",  # a measure
        "how often does the zephyr gateway route traffic between regions",  # a frequency
        "is the zephyr gateway available to route traffic between regions",  # availability
        "can the zephyr gateway run on clusters in other regions",  # compatibility
        # compatibility, the product named in six words
        "can the zephyr gateway for platform clusters run on regions",
        "which vendors route zephyr gateway traffic between regions",  # which organisations
        "does the zephyr gateway cover traffic between regions",  # what it covers
        "should we pick the zephyr gateway to route traffic between regions",  # advice
        "the difference between zephyr gateway traffic routes and regions",  # a comparison
        "is zephyr gateway traffic routing the same as regions",  # a comparison
        "what's the best zephyr gateway to route traffic between regions",  # advice
        "zephyr gateway traffic or regions, which one is better",  # advice
        "what percent of zephyr gateway traffic routes between regions",  # a share
        "how does the zephyr gateway routing work between regions",  # a mechanism
        # a mechanism, its product named in full with an adverb (seven words)
        "how does the zephyr gateway for platform clusters actually work between regions",
        # what happens inside, asked after the subject is named
        "zephyr gateway - how does it route traffic between regions internally",
        "where can I read about zephyr gateway traffic between regions",  # resources
        "who built the zephyr gateway that routes traffic between regions",  # who made it
    ],
)
def test_a_count_a_time_precision_or_instructions_the_entry_does_not_give(
    responder: Responder, message: str
) -> None:
    """Each names entry 1's subject and a word its text never says ("regions"): the fact or
    the steps asked for are not in the answer. The same words asked plainly are answered."""
    assert responder.respond("zephyr gateway routes traffic between regions").number == 1
    reply = responder.respond(message)
    assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1, message


def test_what_the_talk_covered_is_asked_of_the_talk_not_of_a_product(
    responder: Responder,
) -> None:
    """ "Did the talk cover why …", "did the speaker cover how …": the talk or its speaker
    as the subject asks whether the webinar spoke of it, which the entry that does is the
    answer to (aspects._CAPABILITY). What a product covers is still a fact no view holds."""
    answered_with(
        responder,
        1,
        "did the talk cover why the zephyr gateway routes traffic between platform clusters?",
        "did the speaker cover how the zephyr gateway keeps latency low",
        "does the webinar include the zephyr gateway latency story",
    )
    offered(responder, "does the zephyr gateway cover latency between platform clusters", first=1)


def test_open_source_naming_a_kind_of_thing_asks_no_licence(responder: Responder) -> None:
    """ "The open source zephyr gateway", "from an open source team": "open source" before a
    noun says what kind of thing it is, and the question is the entry's (aspects._CAPABILITY).
    Whether it is open source, or will be made so, is a fact no view holds: offered."""
    answered_with(
        responder,
        1,
        "why does the open source zephyr gateway keep latency low for platform teams",
        "the zephyr gateway from an open source team: why does it keep latency low?",
    )
    offered(
        responder,
        "is the zephyr gateway open source?",
        "is the zephyr gateway open source and free for platform teams",
        "will they open source the zephyr gateway for platform teams?",
        first=1,
    )


def test_a_choice_in_the_askers_situation_is_not_asked(responder: Responder) -> None:
    """ "Latency is awful on kestrelnet vs puffinnet for us. is that what the zephyr gateway
    keeps low …?": the names the answer never gives are in the sentence telling the asker's
    situation, and the sentence that asks chooses nothing (aspects.choice_asked): answered.
    A sentence that asks "which is lower?" chooses between them, and one with no asker in it
    is no situation told: offered."""
    answered_with(
        responder,
        1,
        "latency is awful on kestrelnet vs puffinnet for us. is that what the zephyr gateway "
        "keeps low between platform clusters?",
    )
    offered(
        responder,
        "kestrelnet vs puffinnet for our zephyr gateway latency between platform clusters. "
        "which is lower?",
        "latency is awful on kestrelnet vs puffinnet. is that what the zephyr gateway keeps "
        "low between platform clusters?",
        first=1,
    )


def test_an_outage_or_one_product_on_another_is_a_fact_no_view_holds(
    responder: Responder,
) -> None:
    """ "Is pokemon go down?", "can I use openshift on gke": whether a service is up, and
    whether one thing runs on another, are facts no answer gives, even the entry that names
    them all (aspects._CAPABILITY): offered. Asked what it does, the entry is answered."""
    offered(
        responder,
        "is the zephyr gateway down?",
        "is zephyr gateway down for anyone",
        "can i use the zephyr gateway on platform clusters",
        "can we run zephyr gateway traffic on platform clusters",
        first=1,
    )
    answered_with(
        responder,
        1,
        "zephyr gateway traffic between platform clusters: why?",
        # the presenter's how, not a yes or no: what an answer explains
        "how can we run zephyr gateway traffic on platform clusters",
    )


def test_a_number_is_answered_only_by_an_entry_that_states_one(responder: Responder) -> None:
    """ "how many" asks for a number: no entry here states one, so it is offered even when
    the entry says every other word of it (a count, not the subject, is asked for). The same
    words without "how many" or "the average" are answered."""
    assert responder.respond("which traffic does the zephyr gateway route").number == 1
    assert responder.respond("what's the gateway latency the zephyr keeps low").number == 1
    text = "does zephyr gateway routing count as low latency for platform clusters"  # a verb
    assert responder.respond(text).number == 1
    for text in (
        "how many traffic routes does the zephyr gateway have",
        "what percent of traffic does the zephyr gateway route",
        "what's the average latency the zephyr gateway keeps?",  # a statistic
        "what's the zephyr gateway's max latency between platform clusters?",  # a party's
        "zephyr gateway platform cluster count?",  # a count named as one
    ):
        reply = responder.respond(text)
        assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1, text


def test_a_products_version_is_no_number_stated() -> None:
    """ "Zephyr 2.0" names a version, no figure: an entry that says it states no number, and a
    question asking one ("what's the zephyr gateway's peak latency") is offered. An entry
    with a measure ("30,000 requests") states one: answered."""
    gateway = """
  - id: gateways
    number: 1
    question: What about the Zephyr 2.0 gateway for platform teams?
    answer: Zephyr 2.0 routes traffic between platform clusters and keeps latency low.
    keywords: [zephyr, gateway]
"""
    version = beside_storage(gateway, "version.yaml")
    offered(Responder(version), "what's the zephyr gateway's peak latency", first=1)
    measured = beside_storage(gateway.replace("keeps latency low", "keeps 30,000 requests"))
    answered_with(Responder(measured), 1, "what's the zephyr gateway's peak requests")


def test_an_intensifier_is_not_the_fact_asked_for(responder: Responder) -> None:
    """ "exactly" asks for precision, but is no fact itself: the rest of the message is what
    the entry must say (here it does: the signer, its signatures, images)."""
    assert responder.respond("what exactly do ocelot signer signatures do to images").number == 4
    reply = responder.respond("what exactly do ocelot signer signatures do to regions")
    assert reply.kind is Kind.SUGGESTIONS


def test_which_vendors_the_talk_reported_is_what_answers_say(responder: Responder) -> None:
    """ "which vendors showed…" asks what the talk reported, not a list of organisations that
    have done something: an entry naming makers the message does not is asked about as usual.
    An entry naming none cannot say which ("which orgs presented the stories": offered), nor
    any entry which organisations use a thing."""
    named = Responder(beside_storage(MAKERS_NAMED))
    text = "which vendors showed the zephyr gateway routing traffic"
    assert named.respond(text).number == 1
    offered(responder, text, first=1)
    reply = named.respond("which vendors use the zephyr gateway routing traffic")
    assert reply.kind is Kind.SUGGESTIONS


def test_which_nonprofits_or_projects_ask_for_names_whatever_the_verb(
    responder: Responder,
) -> None:
    """What makers showed is what the talk reports; nonprofits, agencies and projects it does
    not report presenting anything: "which NGOs presented…" asks for names, offered."""
    named = Responder(beside_storage(MAKERS_NAMED))
    assert named.respond("which vendors presented the zephyr gateway routing traffic").number == 1
    for text in (
        "which NGOs presented the zephyr gateway routing traffic",
        "which projects showed the zephyr gateway routing traffic",
    ):
        reply = named.respond(text)
        assert reply.kind is Kind.SUGGESTIONS, text


def test_no_matter_which_is_not_a_question(responder: Responder) -> None:
    """ "no matter which clouds" concedes any of them: it asks nothing about organisations
    or clouds, so the entry is answered as usual; "which clouds" alone asks which ones."""
    text = "zephyr gateway routes traffic no matter which clouds we use"
    assert responder.respond(text).number == 1
    reply = responder.respond("which clouds use zephyr gateway traffic routes")
    assert reply.kind is Kind.SUGGESTIONS


def test_how_do_we_keeps_the_milder_rule(responder: Responder) -> None:
    """ "how do we…" asks the presenter's view of what to do, not steps for one's own setup: a
    word the entry does not say does not hold it back (only HOW_TO_SCORE does)."""
    assert responder.respond("how do we fix latency with the zephyr gateway routes").number == 1
    reply = responder.respond("how do I fix latency with the zephyr gateway routes")
    assert reply.kind is Kind.SUGGESTIONS


# --- a trigger word inside a question about something else (Responder.asks_about_something_else)


def test_help_inside_a_question_is_not_a_request_for_help(responder: Responder) -> None:
    assert responder.respond("help").kind is not Kind.ANSWER  # the menu
    assert responder.respond("can the zephyr gateway help route traffic").number == 1
    # unknown words around "list": a question about something else, declined, not the list
    reply = responder.respond("sorting a python list in reverse order")
    assert reply.kind is Kind.DECLINE
    assert responder.respond("show me the list").kind is not Kind.DECLINE  # control


def test_a_summary_of_a_topic_is_not_the_takeaways(responder: Responder) -> None:
    """ "highlights" of something an entry names, without enough to answer it: offered, not
    the webinar's takeaways posted in the channel."""
    assert responder.respond("highlights of the talk").public  # the takeaways: control
    reply = responder.respond("highlights of heron")  # entries 5 and 6 alike
    assert reply.kind is Kind.SUGGESTIONS and not reply.public
    assert responder.respond("highlights of heron tracing").number == 5  # a clear topic wins


def test_trends_of_a_field_the_content_never_names_are_not_the_takeaways(
    responder: Responder,
) -> None:
    """ "Service mesh trends at kubecon", "any trends in wasm": trends of a field the content
    never speaks of, before the trigger or after it, are no request for the webinar's
    takeaways, which say nothing of it: declined, not posted in the channel. Trends qualified
    in general words ("the big trends", "headline trends") are the request."""
    for text in ("pizza trends from the talk", "any trends in pizza at the talk"):
        reply = responder.respond(text)
        assert reply.kind is Kind.DECLINE and not reply.public, text
    for text in ("the big trends from the talk", "what were the headline trends"):
        assert responder.respond(text).kind is intents.TAKEAWAYS, text


def test_a_summary_asked_twice_is_the_request(responder: Responder) -> None:
    """One summary trigger beside words the content knows ("traffic", "latency", an answer's
    words) may be a word of a question about something else; two of them ("the short version,
    the main points") ask for the takeaways, even after another intent's trigger ("watch"). A
    confident match on the rest is still answered."""
    once = responder.respond("stuck in traffic and latency spikes, missed it: the short version?")
    assert once.kind is Kind.DECLINE  # control: one trigger, dropped
    twice = responder.respond(
        "stuck in traffic and latency spikes, missed it: the short version, the main points?"
    )
    assert twice.kind is intents.TAKEAWAYS and twice.public
    watch = responder.respond("couldn't watch, traffic and latency. the short version, the gist?")
    assert watch.kind is intents.TAKEAWAYS
    assert responder.respond("the short version and the main points of heron tracing").number == 5
    # a topic two entries share ("heron"): offered, not the takeaways posted in the channel
    offered(responder, "the short version and the main points of heron")


def test_a_summary_beside_one_word_that_matches_nothing_is_the_request(
    responder: Responder,
) -> None:
    """One word the content knows beside a summary's trigger ("traffic", an answer's word) drops
    the trigger as a summary of a topic; when that topic matches nothing, not even to offer,
    the takeaways were what was asked ("no time to read the whole Q&A"). Two such words are a
    question of their own, and a summary of something else ("trends in <a field>") is no
    request for the webinar's."""
    reply = responder.respond("stuck in traffic and missed it: the short version?")
    assert reply.kind is intents.TAKEAWAYS and reply.public
    for other in (
        "was there anything in the recap about why traffic latency matters",  # two known words
        "any trends in traffic pricing",  # a field the talk's trends are not about
        "the short version of the traffic report from the city",  # another document
    ):
        assert responder.respond(other).kind is Kind.DECLINE, other


def test_the_slides_or_a_transcript_asked_for_point_at_the_recording_and_article() -> None:
    """ "Give me the slides", "is there a transcript": the bot has neither, and a flat "I
    don't have an answer for that" left the asker with nothing; the decline names the
    recording and the article, which it has. Any other decline does not."""
    responder = Responder(CONTENT)
    for text in ("give me the slides pls", "is there a transcript somewhere?"):
        reply = responder.respond(text)
        assert reply.kind is Kind.DECLINE and not reply.public, text
        assert CONTENT.recording_url in reply.text and CONTENT.source_url in reply.text, text
    other = responder.respond("is there a pizza place nearby?")
    assert other.kind is Kind.DECLINE and CONTENT.recording_url not in other.text


def test_the_speaker_in_a_question_is_not_a_request_for_the_recording(
    responder: Responder,
) -> None:
    """ "speaker" (a trigger of the recording) in a question about something else refers to
    the talk: the question is matched without it, and one about unknown things is declined
    privately instead of answered with the recording in the channel."""
    assert responder.respond("who was the speaker").kind is intents.RECORDING  # control
    reply = responder.respond("did the speaker recommend a pizza oven for lunch")
    assert reply.kind is Kind.DECLINE and not reply.public
    assert responder.respond("what did the speaker say about the ocelot signer").number == 4


def test_chat_filler_does_not_count_against_a_match(matcher: Matcher) -> None:
    """Chat abbreviations (tbh, imo, btw, ngl…) say nothing about the topic: they are filler
    (bot.core.text), not unknown words that dilute the coverage of a name asked about."""
    assert answered(matcher, "zephyr tbh imo") == 1
    assert answered(matcher, "zephyr ngl btw") == 1
    # nor do the prepositions and the list's end that say whose view or how ("per the talk",
    # "via", "etc")
    assert answered(matcher, "zephyr per the talk, etc") == 1
    assert answered(matcher, "zephyr via the talk") == 1
    # chat's spellings of filler: "what did u say abt zephyr", "ur take"
    assert answered(matcher, "what did u say abt zephyr") == 1
    assert answered(matcher, "ur take thru zephyr") == 1
    assert answered(matcher, "zephyr pizza lunch") is None  # control: real unknown words


def test_a_choice_between_two_things_the_entry_names_neither_of(responder: Responder) -> None:
    """ "X or Y", "X vs Y": an entry that names neither cannot say which (offered privately);
    one that names either discusses the choice (answered)."""
    offered(
        responder,
        "kestrel or puffin for the zephyr gateway traffic",
        "kestrel vs puffin to route zephyr gateway traffic",
        # three named: every pair is one, the one it names and the two it does not
        "zephyr gateway vs kestrel vs puffin for platform traffic, comparison?",
        first=1,
    )
    assert responder.respond("zephyr gateway traffic or latency").number == 1
    assert responder.respond("kestrel or zephyr gateway for traffic").number == 1


def test_or_nah_asks_yes_or_no_not_a_choice(responder: Responder) -> None:
    """ "X: big deal or nah?" is chat's "is X a big deal?": "nah" is no second thing to choose,
    so the entry that names X answers it, as "… or not?" was."""
    answered_with(responder, 1, "zephyr gateway traffic: big deal or nah?")
    answered_with(responder, 1, "zephyr gateway traffic: big deal or not?")


EDGE_CACHE = """
  - id: edge
    number: 1
    question: What about the edge cache for platform teams?
    answer: An edge cache keeps platform content near its users.
    keywords: [edge cache]
"""


def test_a_two_word_keyword_said_the_other_way_round_is_named_in_full() -> None:
    """ "Kubernetes is THE platform for AI" names the keyword "AI platform" as surely as the
    keyword's own order does: a two-word keyword earns its bonus (matcher.PHRASE_BONUS) in
    either order, here where its words alone are generic terms and say nothing."""
    responder = Responder(beside_storage(EDGE_CACHE, generic="platform, edge, cache"))
    answered_with(responder, 1, "edge cache: what's the point?")
    answered_with(responder, 1, "the cache at the edge: what's the point?")


def test_whether_it_suits_the_askers_own_case_is_advice(responder: Responder) -> None:
    """ "Is tailscale a good fit for our 200-person company?", "is kubernetes overkill for a
    small wordpress site?": whether a product suits the asker's own case is advice no answer
    gives, though the entry names the product (aspects._ADVICE): offered. Why it fits what
    the entry speaks of, and "worth it?" of the topic alone, are the presenter's view."""
    offered(
        responder,
        "is the zephyr gateway a good fit for our 200-person company?",
        "is the zephyr gateway overkill for a small platform team?",
        "is the zephyr gateway worth it for a team with 3 platform clusters?",
        first=1,
    )
    answered_with(
        responder,
        1,
        "why is the zephyr gateway a good fit for platform clusters?",
        "zephyr gateway: worth it?",
    )


def test_hype_as_one_side_asks_a_verdict_not_a_choice(responder: Responder) -> None:
    """ "X: big deal or hype?", "real or just marketing?": hype is no second thing to choose
    (aspects._HYPE), so the entry that names X answers it, as "… or nah?" is answered. Two
    things the entry names neither of are still a choice: offered."""
    answered_with(
        responder,
        1,
        "a zephyr gateway routing platform traffic: big deal or hype?",
        "zephyr gateway latency between platform clusters, legit or just marketing?",
    )
    offered(responder, "kestrel or puffin for zephyr gateway traffic, or is it all hype?", first=1)


def test_what_a_product_is_made_of_is_a_fact_the_entry_must_say(responder: Responder) -> None:
    """ "Is X built on Y", "what database is X built on", "how is X implemented":
    an implementation fact the entry does not give (offered privately); the same words inside
    another question are no such question (answered)."""
    offered(
        responder,
        "is the zephyr gateway built on top of envoy?",
        "what database is quokka storage built on",
        "which language is the ocelot signer written in",
        "how is quokka storage implemented?",
    )
    assert responder.respond("why use the zephyr gateway for clusters built on it").number == 1
    assert responder.respond("is the zephyr gateway good for platform clusters").number == 1


def test_a_question_asking_for_a_name_needs_an_entry_that_says_all_of_it(
    responder: Responder,
) -> None:
    """ "What engine does X prefer", "which library was patched in X": the answer is a name,
    and an entry speaking of an engine in general gives none (offered privately). An object
    question whose noun is not a name is answered when the entry says the noun."""
    offered(
        responder,
        "what engine does marmot billing prefer",  # the entry says "engine", names none
        "which library was patched in heron logging?",
        "which zephyr gateway event was the largest ever?",  # an event's name
    )
    assert responder.respond("which services does heron tracing follow").number == 5


def test_a_fault_report_is_no_question_about_the_answer(responder: Responder) -> None:
    """ "my <product> keeps crashing after the update" asks for troubleshooting of the asker's
    own system, which no answer gives: offered privately though it names the entry's product.
    The product asked about as usual is answered."""
    offered(
        responder,
        "my zephyr gateway keeps crashing",
        "our zephyr gateway traffic keeps failing after the update",
        first=1,
    )
    assert responder.respond("our zephyr gateway traffic").number == 1
    # a crash course is no crash
    assert responder.respond("crash course on zephyr gateway traffic").number == 1


def test_a_symptom_put_to_the_channel_is_a_fault_report(responder: Responder) -> None:
    """ "… has been crawling, anyone else seeing that?" asks the channel's people whether they
    share the asker's trouble: a fault report, offered privately, not the entry's answer."""
    offered(
        responder,
        "since enabling the zephyr gateway our traffic has been crawling, anyone else seeing that?",
        "zephyr gateway latency between platform clusters doubled. anybody else hitting this?",
        first=1,
    )


def test_an_agent_is_asked_for_by_name() -> None:
    """ "which logging agent was X using" asks for a product's name (aspects.NAMING), as
    "which logging library" does: the whole question must be said, not only "logging agent"
    (which an entry speaking of agents in general says)."""
    for asked in (
        words("which logging agent was heron using"),
        words("which logging library was heron using"),
        # a log shipper asked for by name
        words("which log shipper was heron running when it found the bug"),
    ):
        assert asks_specifics(asked) == asked


def test_the_one_that_has_the_most_of_something_is_asked_for_by_name(
    responder: Responder,
) -> None:
    """ "which logging library has the lowest overhead" asks for a product's name, as "which
    logging library is the fastest" does: offered, even from the entry that says every other
    word. A kind of thing that is no product ("which teams have the most to gain") is not."""
    asked = words("which logging library has the lowest cpu overhead")
    assert asks_specifics(asked) == asked
    assert asks_specifics(words("which teams have the most to gain from it")) is None
    offered(responder, "which gateway library has the lowest zephyr latency?", first=1)


def test_names_asked_for_in_so_many_words_are_a_name(responder: Responder) -> None:
    """ "… featured in the stories? names pls", "name a few": names, which an answer that
    speaks of the subject does not give: offered. The subject asked of as usual is answered."""
    offered(
        responder,
        "which platform teams used the zephyr gateway for traffic? names pls",
        "zephyr gateway traffic between platform clusters: name a few teams doing it",
        "zephyr gateway routed platform clusters list",  # a list of them, at the end
        first=1,
    )
    answered_with(responder, 1, "zephyr gateway traffic between platform clusters, why?")


def test_a_view_of_a_product_the_content_never_names_is_offered(responder: Responder) -> None:
    """ "What did Tom think about VMware Tanzu for …", "his opinion on serverless vs …": the
    presenter's view of a name the content never uses, which no answer holds however much
    else of an entry the message says: offered. A view asked in everyday words, or of the
    entry's own subject, is answered."""
    offered(
        responder,
        "what did the speaker think about Tanzu for zephyr gateway routing?",
        "his opinion on kubeflow vs the zephyr gateway for platform traffic?",
        first=1,
    )
    answered_with(
        responder,
        1,
        "what did the speaker think about the zephyr gateway for platform traffic?",
        "his take on that traffic router thing, the zephyr gateway?",
    )


def test_a_generic_term_beside_an_unnamed_product_is_no_name_of_the_content() -> None:
    """ "What did Tom say about kubernetes replacing slurm…": a generic term (one no English
    list has, "kubblex" here) is neither a name the content uses nor one it never does, so the
    view is still of a product the content never names: offered. The generic term alone
    beside the entry's subject is answered."""
    content = made_up_content(CONTENT_TEXT.replace("[platform]", "[kubblex]"), "generic.yaml")
    responder = Responder(content)
    offered(responder, "what did the speaker say about kubblex replacing tanzu for zephyr gateway?")
    text = "what did the speaker say about kubblex for zephyr gateway routing traffic?"
    assert responder.respond(text).number == 1


def test_a_question_about_a_party_the_content_never_names_is_offered(
    responder: Responder,
) -> None:
    """ "Was log4shell the reason…", "which tooling did Frobnitz announce…": the question's
    subject is a name the content never uses, so what it did or is is no answer's to report,
    however much else of an entry the message says (Responder.asks_of_the_unnamed): offered.
    An activity ("why is standardising…") or a description after an article ("the frobnitz
    folks' gateway") is no bare name: answered."""
    offered(
        responder,
        "was frobnitz the reason the zephyr gateway keeps latency low?",
        "which platform tooling did frobnitz2 announce for zephyr gateway routing?",
        first=1,
    )
    answered_with(
        responder,
        1,
        "why is standardising zephyr gateway traffic between platform clusters important?",
        "was the frobnitz folks' zephyr gateway routing traffic between platform clusters?",
    )


def test_a_short_name_the_content_never_uses_is_a_name_too(responder: Responder) -> None:
    """ "Which tooling did AWS announce for EKS", "nkp vs eks": a name of three letters is a
    name as much as one of eight, so the question is about something the content never
    names: offered. A short *English* word is no name ("gateway vs hub", "on-prem vs
    platform clusters"): answered."""
    offered(
        responder,
        "which platform tooling did AWS announce for zephyr gateway routing?",
        "zephyr gateway vs eks",
        first=1,
    )
    assert responder.respond("zephyr gateway vs hub for routing traffic").number == 1
    # nor chat's shorthand for an everyday word (bot.core.english.CHAT_SHORTHAND)
    answered_with(
        responder,
        1,
        "zephyr gateway routing: on-prem vs platform clusters",
        "zephyr gateway: mgmt vs traffic between platform clusters",
    )


def test_vs_is_a_connective_not_a_fact_to_be_said(responder: Responder) -> None:
    """ "vs" and "versus" join the two things a choice is between, as "or" does: a question
    asking precisely about an entry's own pair ("traffic vs latency") is answered, since the
    entry need not say the connective. A pair the entry names neither of is still offered."""
    assert responder.respond("which zephyr gateway exactly, traffic vs latency?").number == 1
    assert responder.respond("which zephyr gateway exactly, traffic versus latency?").number == 1
    offered(responder, "which zephyr gateway exactly, kestrel vs puffin?")


def test_an_intensifier_for_emphasis_asks_for_no_detail(responder: Responder) -> None:
    """ "Exactly" on a pronoun for what was said ("what does she mean by that exactly") and
    "the actual" on a noun asking for a view ("the actual reasoning") ask for the view
    pointedly, which is what the answers give: answered. On a thing ("the actual setting",
    "the setting exactly", "which setting is that exactly") they still ask for a detail the
    entry must say: offered."""
    assert responder.respond("what's the actual reasoning behind the zephyr gateway?").number == 1
    said = "the zephyr gateway keeps latency low: what does she mean by that exactly?"
    assert responder.respond(said).number == 1
    offered(
        responder,
        "what's the actual setting of the zephyr gateway?",
        "the zephyr gateway keeps latency low: what does she mean by the setting exactly?",
        "the zephyr gateway keeps latency low: which setting is that exactly?",
    )


def test_support_asks_for_compatibility_only_when_asked_of_something(
    responder: Responder,
) -> None:
    """ "Does X support Y" and "support for Y" ask about compatibility, which no answer lists:
    offered unless the entry says every word. "X's ability to support Y" says what the answer
    discusses: answered."""
    assert responder.respond("the zephyr gateway's ability to support low latency?").number == 1
    offered(
        responder,
        "does the zephyr gateway support low latency?",
        "zephyr gateway support for low latency?",
    )


def test_a_how_to_that_asks_for_no_steps(responder: Responder) -> None:
    """ "How to" reported after a verb of telling or knowing ("a gateway that tells you how to
    route…") asks for nothing, and "… and how to fix them" asks what should be done about what
    the message named, the presenter's view: answered though the entry does not say "fix". A
    "how to" naming what it is done to, or after a reported trouble, asks for steps: offered."""
    assert responder.respond("zephyr gateway latency problems and how to fix them?").number == 1
    assert responder.respond("zephyr gateway latency problems and how to fix?").number == 1
    said = "a zephyr gateway that tells you how to route traffic between regions: worth it?"
    assert responder.respond(said).number == 1
    offered(
        responder,
        "zephyr gateway latency problems and how to fix latency with regions",
        "zephyr gateway latency problems with regions, how to fix them?",  # a fault, reported
        "how to route zephyr gateway traffic between regions",
        first=1,
    )


def test_asking_who_knows_how_to_asks_how_to(responder: Responder) -> None:
    """ "Anyone know how to…", "do you know how to…" ask for the steps themselves, as "how to…"
    does: offered, where "I don't know how to…" or a product that "tells you how to…" reports
    a how-to and asks for nothing (answered, as above)."""
    offered(
        responder,
        "anyone know how to route zephyr gateway traffic between regions?",
        "does anybody know how to route zephyr gateway traffic between regions",
        "do you know how to route zephyr gateway traffic between regions?",
        "y'all know how to route zephyr gateway traffic between regions?",
        first=1,
    )
    said = "i don't know how to route zephyr gateway traffic between regions: is it worth it?"
    assert responder.respond(said).number == 1


def test_a_fix_for_a_trouble_of_ones_own_is_troubleshooting(responder: Responder) -> None:
    """A fix asked for a bug or symptom in the asker's own system ("our zephyr gateway is
    eating all our CPU, how do we fix it") asks for troubleshooting, which no answer gives, even
    when the entry says every other word: offered. A fix someone else made, or what should be
    done about the entry's subject with no trouble named, is the presenter's view: answered."""
    offered(
        responder,
        "our zephyr gateway is eating all our cpu latency, how do we fix it",
        "is there a fix for the zephyr gateway latency bug in our clusters",
        "we have a zephyr gateway latency bug in our clusters, any fix?",
        "our zephyr gateway latency check failed in our clusters, how do we fix it",
        first=1,
    )
    answered_with(
        responder,
        1,
        "what can our team learn from the zephyr gateway latency fix?",
        "zephyr gateway latency in our clusters and how do we fix it",
    )


def test_a_do_object_needs_a_noun(responder: Responder) -> None:
    """ "What's left to do…" (an infinitive) and "what else did X show" (no noun) ask for no
    fact a third party holds: answered. A noun asked of ("what tools did X use") still is:
    offered."""
    assert responder.respond("what's left to do for the zephyr gateway routing traffic").number == 1
    assert responder.respond("what else did the zephyr gateway routing traffic show").number == 1
    offered(responder, "what tools did the zephyr gateway routing traffic use", first=1)


def test_a_fact_no_view_holds_is_not_answered_by_saying_its_words(
    responder: Responder,
) -> None:
    """When, where to read more, who made it, which organisations…: an entry that says every
    word of such a question still gives no date, link or name (aspects.asks_unheld_fact):
    offered. A question that only shares a word with the forms is answered."""
    offered(
        responder,
        "when does the zephyr gateway route traffic between platform clusters",
        "where can I read about the zephyr gateway routing traffic",
        first=1,
    )
    assert responder.respond("how does the zephyr gateway keep latency low").number == 1


def test_how_do_we_fix_it_asks_the_presenters_view(responder: Responder) -> None:
    """ "… and how do we fix it" asks what should be done about what the message named: no
    how-to the score rule (HOW_TO_SCORE) holds back. Naming what is fixed is a how-to again."""
    chatty = "zephyr gateway latency with pizza lunch coffee tea"
    assert responder.respond(f"{chatty} and how do we fix it").number == 1
    # naming what is fixed, or reporting a trouble first ("…, how do we fix it"), is a how-to
    offered(
        responder, f"{chatty} and how do we fix latency", f"{chatty}, how do we fix it", first=1
    )


def test_a_subject_then_how_to_fix_asks_the_presenters_view(responder: Responder) -> None:
    """ "Security gaps in cloud-native, how to fix", "… how to address them": a how-to ending
    a message about the entry's subject asks what should be done about it, the presenter's
    view. Said of the asker's own thing ("our clusters refuse…, how to fix it"), it asks for
    troubleshooting: offered."""
    answered_with(
        responder,
        4,
        "unsigned images and the ocelot signer, how to fix",
        "unsigned images with the ocelot signer how to address them",
    )
    offered(
        responder,
        "our clusters refuse unsigned images from the ocelot signer, how to fix it",
        "my ocelot signer refuses unsigned images how to fix",
    )


def test_more_wordings_of_a_fact_no_view_holds(responder: Responder) -> None:
    """A date, a maker, a link, a release, a standard passed, what a product comes with or is
    based on, asked in other words than "when"/"who made": no entry that says the rest of the
    question gives them (aspects.asks_unheld_fact), so it is offered, not answered."""
    offered(
        responder,
        "which year did the zephyr gateway first route traffic",
        "who builds the zephyr gateway",
        "who is behind the zephyr gateway",
        "is the zephyr gateway based on platform clusters",
        "is the zephyr gateway out yet",
        "is the zephyr gateway certified for platform clusters",
        "can I use the zephyr gateway alongside platform clusters",
        "does the zephyr gateway come with latency routing",
        "is there a link to the zephyr gateway",
        "is the zephyr gateway written up somewhere",
        first=1,
    )
    # the same words asked as a view, or "being certified" with no product, are answered
    answered_with(
        responder,
        1,
        "is being certified important for the zephyr gateway",
        "what latency comes with the zephyr gateway",
        "what day to day changes does the zephyr gateway bring to platform teams",
    )


def test_a_name_of_several_weak_words_named_in_full_counts_as_explained() -> None:
    """A keyword of several words, each weak alone (generic terms, filler: "Cloud Native for
    Good"), named in full and in order is the entry's own name for its subject: the phrase's
    bonus counts as explained information, in coverage as in the score, so a word the content
    never uses beside it ("… where does it apply?") no longer leaves it merely offered.
    The same words out of order are no name (control)."""
    content = beside_storage(
        """
  - id: good
    number: 1
    question: Where can the cloud platform for good help?
    answer: Its stories show cloud platforms helping relief work.
    keywords: [cloud platform for good, relief]
""",
        "phrase.yaml",
        generic="platform, cloud",
    )
    matcher = Matcher(content)
    assert answered(matcher, "cloud platform for good: where does it apply?") == 1
    assert answered(matcher, "the platform for a good cloud: where does it apply?") is None


def test_the_best_thing_for_a_purpose_and_a_change_proposed_are_advice(
    responder: Responder,
) -> None:
    """ "The best X for/to Y" asks for a recommendation, and "can we … instead?" proposes a
    change to the asker's own practice: advice no view gives, even from an entry that says
    every word (aspects.asks_unheld_fact): offered. An assessment with "best" ("the best fit
    for", "best for" asked of the subject) is the view, answered."""
    offered(
        responder,
        "best way to route zephyr gateway traffic between platform clusters",
        "best zephyr gateway for latency",
        "can we route zephyr gateway traffic between platform clusters instead?",
        first=1,
    )
    answered_with(
        responder,
        1,
        "is the zephyr gateway the best fit for routing traffic",
        "who is the zephyr gateway best for",
        "which platform clusters are best suited to the zephyr gateway",
    )


def test_a_naming_noun_as_the_subject_of_a_verb_asks_a_name(responder: Responder) -> None:
    """ "Which LLM powers X", "which library caused Y": the answer is a name, which an entry
    that speaks of the kind in general does not give (aspects.NAMING): offered. Which products
    the talk reported ("which vendors showed…") is what the answers say, and a compound noun
    asked of with do-support is the do-object form."""
    offered(
        responder,
        "which library powers the zephyr gateway routing traffic",
        "what engine routed the zephyr gateway traffic",
        first=1,
    )
    named = Responder(beside_storage(MAKERS_NAMED))
    assert named.respond("which gateway vendors showed zephyr routing traffic").number == 1
    # a compound noun before its own verb: "language models mean", not "language *models*"
    assert responder.respond("what language models mean for zephyr gateway routing").number == 1


def test_who_uses_it_asks_which_organisations(responder: Responder) -> None:
    """ "Who uses X" asks which organisations do, as "who runs X" asks who operates it: a list
    no view gives, even from the entry that names X (aspects.asks_unheld_fact): offered. Who
    benefits is the view, answered."""
    offered(responder, "who uses the zephyr gateway", "who is using the zephyr gateway", first=1)
    assert responder.respond("who benefits from the zephyr gateway routing traffic").number == 1


def test_who_carries_it_out_asks_for_a_name(responder: Responder) -> None:
    """ "Who actually performs X", "who organizes it": who carries something out, a name no
    view gives though the entry speaks of doing it (aspects._AUTHOR): offered. Who it helps is
    the view, answered."""
    offered(
        responder,
        "who actually performs the zephyr gateway routing for platform clusters?",
        "who organizes zephyr gateway routing traffic",
        first=1,
    )
    assert responder.respond("who does zephyr gateway routing help most").number == 1


def test_who_inside_an_organisation_asks_for_a_persons_name(responder: Responder) -> None:
    """ "Who at <org> did X" asks for a person's name, which no view gives, whatever the verb
    and though the entry says every other word (aspects._AUTHOR): offered. A rhetorical "who in
    their right mind…" names no organisation."""
    offered(
        responder,
        "who at zephyr keeps gateway latency low?",
        "who on the zephyr gateway team routes traffic between platform clusters",
        first=1,
    )
    assert responder.respond("zephyr gateway: who keeps latency low").number == 1
    assert responder.respond("who in their right mind keeps zephyr gateway latency low").number == 1


def test_who_the_person_from_an_organisation_was_asks_for_a_name(responder: Responder) -> None:
    """ "Who was the engineer from <org> who…" asks a person's name as "who at <org>" does
    (aspects._AUTHOR): offered, though the entry says every other word."""
    offered(
        responder,
        "who was the engineer from zephyr who kept gateway latency low?",
        "who were the folks from zephyr that built the gateway routing",
        first=1,
    )


def test_day_two_operations_are_no_date(responder: Responder) -> None:
    """ "What day did X happen" asks a date no view holds; "what day 2 operations change"
    speaks of operations after installation, which is what an answer may discuss."""
    offered(responder, "what day did the zephyr gateway start routing traffic", first=1)
    assert responder.respond("what day 2 zephyr gateway routing traffic changes").number == 1


def test_whats_without_its_apostrophe_asks_a_definition(responder: Responder) -> None:
    """ "whats X" is "what's X" typed without the apostrophe, "what is" already: a definition
    whether or not a copula follows ("whats an ocelot signer technically, how is it stored?"),
    offered. An evaluative noun after it ("whats the point of…") still asks for the view."""
    offered(
        responder,
        "whats an ocelot signer",
        "whats an ocelot signer technically, does it sign images?",
        first=4,
    )
    assert responder.respond("whats the point of the ocelot signer").number == 4
    assert responder.respond("whats the risk of the ocelot signer for images").number == 4


def test_what_thing_should_we_pick_must_be_said(responder: Responder) -> None:
    """ "What <thing> should we change/use", "what <thing> do I need" ask which things of the
    asker's own setup, an object the entry must say as for "which <thing> does X use"
    (aspects.asks_specifics): an entry that never says "settings" holds none, so it is
    offered; one that speaks of traffic names some, answered. A view asked so ("what
    lessons should we take…") is answered."""
    offered(
        responder,
        "our zephyr gateway is slow routing traffic, what settings should we change?",
        "what timeouts should we set on the zephyr gateway",
        "what frobco policy do i need for zephyr gateway routing traffic",
        first=1,
    )
    answered_with(
        responder,
        1,
        "what traffic should we route through the zephyr gateway",
        "what traffic do we need to route through the zephyr gateway",
        "what lessons should we take from the zephyr gateway routing traffic",
        "what else should we know about the zephyr gateway routing traffic",
    )


def test_is_that_normal_asks_to_judge_the_askers_own_reading(responder: Responder) -> None:
    """ "… shows the zephyr gateway using 40Gi. is that normal?" asks to judge a reading of the
    asker's own system, troubleshooting no view gives, when the entry never states its
    figures (Responder.judges_a_reading): offered. "Normal" in a question of the view, or
    "is that normal?" of a trend with no figure, is answered."""
    offered(
        responder,
        "`kubectl top` shows the zephyr gateway routing traffic at 40Gi. is that normal?",
        "zephyr gateway latency between platform clusters is 90ms, are those numbers expected?",
        first=1,
    )
    answered_with(
        responder,
        1,
        "does the zephyr gateway keep latency low for normal platform clusters",
        # no figure: a trend asked of the view, not a reading to judge
        "zephyr gateway latency keeps growing between platform clusters, is that normal?",
    )


def test_a_forecast_or_a_choice_between_the_entrys_own_subjects_is_answered(
    responder: Responder,
) -> None:
    """A year in a forecast ("by 2027 will X…") and a choice between two things the entry
    speaks of ("should I learn X or Y") ask the presenter's view of them, which the answer
    gives: answered. Two rules that offered them instead (a deadline in a year to come; a
    career choice) caught the webinar's own questions ("by 2026 will kubernetes be the default
    platform for AI workloads?", "should I learn GPU scheduling or model serving?") and were
    taken out."""
    answered_with(
        responder,
        1,
        "will the zephyr gateway route traffic between platform clusters by 2027?",
        "zephyr gateway routing traffic by the end of 2026?",
        "should I learn zephyr gateway routing or platform clusters?",
        "should I learn zephyr gateway routing for platform clusters?",
        "what did the talk say we should learn from the zephyr gateway routing traffic",
    )


def test_a_deadline_for_a_commitment_or_career_advice_is_offered(responder: Responder) -> None:
    """What the forecast rule keeps: a commitment by a date ("mandatory by 2027", "GA by the
    end of 2026") asks a date no view holds, and advice on the asker's own career ("… for my
    career", "should I become …") a choice no view makes, even from the entry that says every
    word (aspects.asks_unheld_fact): offered."""
    offered(
        responder,
        "will zephyr gateway routing become mandatory for platform clusters by 2027?",
        "zephyr gateway traffic routing GA by the end of 2026?",
        "should I learn zephyr gateway routing or platform clusters for my career?",
        first=1,
    )


def test_a_timeline_for_a_commitment_asks_a_date(responder: Responder) -> None:
    """The date of a commitment asked without a year ("a timeline for when X becomes
    mandatory", "any ETA on X being GA?", "a deadline for…") asks what the deadline rule does:
    offered. What the entry's view says of the same subject is still answered."""
    offered(
        responder,
        "did the talk give a timeline for when zephyr gateway routing becomes mandatory?",
        "any ETA on zephyr gateway routing for platform clusters?",
        "is there a deadline for zephyr gateway routing between platform clusters?",
        "when will zephyr gateway routing be required for platform clusters?",
        first=1,
    )
    answered_with(
        responder, 1, "when routing traffic, why does the zephyr gateway keep latency low?"
    )


def test_the_command_to_do_something_asks_for_instructions(responder: Responder) -> None:
    """ "What's the command to X", "the flag for X": the step as it is typed, instructions an
    entry gives only if it says every word (aspects.asks_specifics): offered."""
    offered(
        responder,
        "whats the command to route traffic through the zephyr gateway",
        "zephyr gateway routing traffic, which cli flag for latency?",
        first=1,
    )
    assert responder.respond("zephyr gateway routing traffic latency").number == 1


def test_a_blog_post_or_whitepaper_asks_where_to_read_more(responder: Responder) -> None:
    """ "Any blog post from them?", "is there a whitepaper": writing elsewhere to read, which
    no view points to, even from the entry that says every word (aspects.asks_unheld_fact):
    offered."""
    offered(
        responder,
        "zephyr gateway routing traffic between platform clusters? any blog post from them?",
        "is there a whitepaper on the zephyr gateway routing traffic",
        first=1,
    )
    # a source the asker cites is no request for one
    text = "I read on a blog that the zephyr gateway keeps latency low, does it route traffic?"
    assert responder.respond(text).number == 1


def test_a_naming_noun_asked_alone_asks_a_name(responder: Responder) -> None:
    """ "What exactly does the zephyr gateway route? which library?": the last question asks
    for a name, which an entry that speaks of the kind in general does not give
    (aspects.NAMING): offered. A naming noun inside the question is no such question."""
    offered(
        responder,
        "what exactly does the zephyr gateway route between platform clusters? which library?",
        "zephyr gateway routing traffic — what engine?",
        first=1,
    )
    assert responder.respond("zephyr gateway routing traffic for which platform").number == 1


def test_which_things_they_used_asks_a_fact(responder: Responder) -> None:
    """ "Which <things> did they use": what a party used is its property, a fact the entry
    gives only if it says the noun (aspects.asks_specifics): offered. "They" with another verb
    is asked of the talk's speakers, the view: answered."""
    offered(
        responder,
        "how did the zephyr gateway route traffic — which routing tables did they use?",
        first=1,
    )
    text = "which traffic did they route through the zephyr gateway between platform clusters"
    assert responder.respond(text).number == 1


def test_a_verdict_between_alternatives_the_content_never_names(
    responder: Responder,
) -> None:
    """ "X or Y? which one is more secure", "X vs Y — which is easiest": no entry can rank an
    alternative the content never speaks of ("kestrel proxy"): offered
    (Responder.compares_the_unnamed). Alternatives it speaks of are weighed: answered."""
    offered(
        responder,
        "zephyr gateway or kestrel proxy for platform clusters? which one is more secure?",
        "zephyr gateway vs kestrel proxy — which is easiest for routing traffic?",
        first=1,
    )
    text = "zephyr gateway routing vs low latency, which is more important for platform clusters"
    assert responder.respond(text).number == 1


def test_the_difference_from_what_the_content_never_names(responder: Responder) -> None:
    """ "X vs Y, what's the difference?" asks a verdict on each: no entry tells what the
    content never speaks of ("kestrel proxy") from what it does (aspects.compared): offered.
    The difference between two things an entry speaks of is its view: answered."""
    offered(responder, "zephyr gateway vs kestrel proxy, what's the difference? 🤔", first=1)
    text = "zephyr gateway routing vs low latency, what's the difference for platform clusters"
    assert responder.respond(text).number == 1


def test_a_bare_choice_beside_a_name_the_content_never_uses(responder: Responder) -> None:
    """ "Zephyr gateway vs vexora?" asks the two weighed, with no "which is more": no entry
    weighs a name the content never uses (not English, no word of the content), so it is
    offered. A choice between words it uses ("latency or traffic") or two things an
    entry speaks of is the entry's to weigh: answered."""
    offered(
        responder,
        "zephyr gateway vs vexora",
        "zephyr gateway or vexora-proxy for platform clusters?",
        first=1,
    )
    answered_with(
        responder,
        1,
        "zephyr gateway: latency or traffic between platform clusters?",
        "zephyr gateway routing vs latency for platform clusters",
    )


def test_what_a_case_proved_or_taught_asks_its_lesson(responder: Responder) -> None:
    """ "What did the zephyr story prove?", "… what did it teach": the verb asks what the
    case shows, the view an answer gives, as "what's the lesson" does; it is no word the
    content never uses that leaves the entry merely offered. A verb that asks nothing of the
    kind still does."""
    answered_with(
        responder,
        1,
        "what did the zephyr story prove",
        "zephyr story, what did it prove",
        "what did the zephyr example teach",
    )
    offered(responder, "what did the zephyr story frobnicate", first=1)


def test_a_comparison_with_what_the_content_never_names(responder: Responder) -> None:
    """ "Did the talk compare X to Y", "how does X compare with Y": an entry cannot compare
    with a thing the content never speaks of ("kestrel proxy"), so the message is held back
    as a verdict between the unnamed is (Responder.compares_the_unnamed). Compared with what
    it does speak of, the entry weighs it."""
    entry = responder.content.entry("gateways")
    assert entry is not None

    def held(text: str) -> bool:
        return responder.compares_the_unnamed(words(clean(text)), entry)

    assert held("did the talk compare the zephyr gateway to the kestrel proxy for clusters?")
    assert held("how does zephyr gateway routing compare with kestrel for platform clusters")
    assert held("zephyr gateway, compared against kestrel")
    assert not held("how does zephyr gateway routing compare with low latency for clusters")
    assert not held("how does the zephyr gateway compare")


def test_a_sound_choice_asked_for_is_advice(responder: Responder) -> None:
    """ "What's a sane/good X for <the asker's setup>" asks for a recommendation, advice no
    view gives, even from the entry that says every word (aspects.asks_unheld_fact): offered.
    "What's a good fit…" asks an assessment, the view, and "a good way to…" a way to an end
    the answers may discuss: answered."""
    offered(
        responder,
        "what's a sane zephyr gateway routing setup for 5 platform clusters?",
        "whats a good latency for zephyr gateway traffic",
        first=1,
    )
    # what to look at in the asker's own system
    offered(responder, "zephyr gateway latency spikes every hour. what should I check?", first=1)
    answered_with(
        responder,
        1,
        "what's a good fit for the zephyr gateway routing traffic between platform clusters",
        "whats a good way to route zephyr gateway traffic",  # a way: what answers may discuss
    )


VERSIONED = beside_storage(
    """
  - id: gateways
    number: 1
    question: What about the Zephyr 2.0 gateway for platform teams?
    answer: The Zephyr 2.0 gateway routes traffic between platform clusters and keeps latency low.
    keywords: [zephyr, gateway]
""",
    "versioned.yaml",
)


def test_a_version_or_a_multiplier_is_no_reading_to_judge() -> None:
    """ "Devtron 2.0 … 10x slower, is that normal?": a product's version (one its answer
    names) names what is spoken of and a multiplier sizes a trend, so neither is a reading of
    the asker's own system (aspects.judged_figures): the view of the trend, answered. A
    measurement with its unit after the version ("… 2.0 shows 40Gi") is still a reading:
    offered."""
    responder = Responder(VERSIONED)
    text = "zephyr 2.0 gateway routes traffic 10x slower between platform clusters, is that normal?"
    assert responder.respond(text).number == 1
    offered(
        responder,
        "zephyr 2.0 gateway routing traffic shows 40Gi, is that normal?",
        "zephyr 2.0 gateway routing traffic uses 2.5gb between platform clusters, is that normal?",
        first=1,
    )


def test_a_products_version_in_the_answer_states_no_number() -> None:
    """The answer's only figure is the version in "Zephyr 2.0": a name, not a count, so "how
    many clusters" is asked of an entry that states no number (Responder.told): offered, not
    answered with a version for a count."""
    reply = Responder(VERSIONED).respond(
        "how many platform clusters does the zephyr gateway route traffic between"
    )
    assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1


def test_specifically_on_a_phrase_narrows_it_and_asks_no_detail(responder: Responder) -> None:
    """ "Why does the zephyr gateway matter for platform clusters specifically", "a gateway
    specifically for platform clusters": "specifically" on a phrase with a preposition means
    "in particular", no detail asked for (aspects._EMPHASIS): the view, answered. Asking with
    it ("what specifically does the gateway meter") still asks for a detail: offered."""
    answered_with(
        responder,
        1,
        "why does the zephyr gateway keep latency low for platform clusters specifically?",
        "why build a zephyr gateway specifically for routing traffic between platform clusters",
    )
    offered(responder, "what specifically does the zephyr gateway meter for platform clusters")


def test_two_directions_of_a_trend_ask_a_view_not_a_choice(responder: Responder) -> None:
    """ "Is the zephyr gateway winning or losing", "better or worse": two directions of one
    trend ask the presenter's view of where it is heading, which the entry gives though it
    says neither word (aspects.alternatives): answered. Two things ("kestrel or puffin") the
    entry names neither of are still a choice it cannot make: offered."""
    answered_with(
        responder,
        1,
        "zephyr gateway routing traffic between platform clusters, winning or losing?",
        "is zephyr gateway latency between platform clusters getting better or worse",
    )
    offered(responder, "kestrel or puffin for the zephyr gateway traffic", first=1)


PRICED = made_up_content(
    """
entries:
  - id: quokka
    number: 1
    question: What did the quokka cache do for the narwhal team?
    answer: The quokka cache cut the narwhal team's cost by half across 3 regions, saving money.
    keywords: [quokka cache, narwhal]
  - id: marmot
    number: 2
    question: What does the marmot plan include?
    answer: The marmot plan costs $5 a month and includes ocelot support.
    keywords: [marmot plan, ocelot]
""",
    "priced.yaml",
)


def test_a_price_is_answered_only_by_an_entry_that_states_one() -> None:
    """An entry that says "cost" (savings) and a figure (3 regions) but no price was posted
    for "how much does it cost"; one that states a price answers the same question, and the
    figure an entry does state is still answered when asked of the past."""
    responder = Responder(PRICED)
    for text in ("how much does the quokka cache cost", "what would the quokka cache cost us"):
        reply = responder.respond(text)
        assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1, text
    assert responder.respond("how much did the quokka cache cut the narwhal cost").number == 1
    # a price in the past tense ("how much did the webinar cost?"), and "what did it cost"
    for text in ("how much did the quokka cache cost?", "what did the quokka cache cost"):
        reply = responder.respond(text)
        assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1, text
    # a degree, not a price: no cost verb
    assert responder.respond("how much will the quokka cache cut").number == 1
    assert responder.respond("how much does the marmot plan cost").number == 2


def test_a_sum_of_money_is_a_price_whatever_the_tense() -> None:
    """ "How much money did X save": the entry that says it saved money, and by half across 3
    regions, gives no sum of money; the past tense that lets "how much did it cut the cost"
    be answered does not make a sum asked in so many words one."""
    responder = Responder(PRICED)
    reply = responder.respond("how much money in $ did the quokka cache save the narwhal team")
    assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1
    # control: the same question without the sum asks what the entry says
    assert responder.respond("how much did the quokka cache save the narwhal team").number == 1


def test_a_budget_or_spend_asked_for_is_a_sum_of_money() -> None:
    """ "What's the CNCF's annual budget for security audits" was posted with the entry that
    says audits were increased: a sum asked for, which an entry stating no price cannot give
    (aspects._PRICE): offered. A budget that is the asker's situation ("with a small
    budget") asks no sum: answered."""
    responder = Responder(PRICED)
    offered(
        responder,
        "what's the narwhal team's budget for the quokka cache?",
        "what was the narwhal team's quokka cache spend",
        first=1,
    )
    text = "quokka cache for a narwhal team with a small budget: what did it do?"
    assert responder.respond(text).number == 1


def test_how_much_a_thing_is_asks_its_price() -> None:
    """ "How much is NKP": a thing's price, asked with "be" and the thing ending the question
    (aspects._PRICE), which an entry that states no price cannot give: offered. One that
    states a price answers it, and "how much is X used by…" asks a degree: answered."""
    responder = Responder(PRICED)
    offered(responder, "how much is the quokka cache", "how much was the quokka cache", first=1)
    assert responder.respond("how much is the marmot plan").number == 2
    assert responder.respond("how much is the quokka cache used by the narwhal team").number == 1


def test_whats_new_in_a_product_asks_for_release_notes(responder: Responder) -> None:
    """ "What's new in Devtron 2.0": what changed in a product, which a view of it does not
    list (aspects._NEWS): offered; the same question without it is answered."""
    offered(
        responder,
        "what's new in the zephyr gateway routing traffic between platform clusters?",
        "whats new with the zephyr gateway routing traffic between platform clusters",
        first=1,
    )
    answered_with(responder, 1, "the zephyr gateway routing traffic between platform clusters?")


def test_what_the_asker_needs_first_is_their_own_prerequisite(responder: Responder) -> None:
    """ "Do I need a GPU to run kubernetes": a prerequisite of the asker's own setup
    (aspects._PREREQUISITE), which no view states: offered, not the nearest answer posted.
    "Do we need to learn it" asks for no thing to have: answered."""
    offered(
        responder,
        "do I need a zephyr gateway to route traffic between platform clusters?",
        "do we really need a zephyr gateway for platform cluster traffic?",
        first=1,
    )
    answered_with(
        responder,
        1,
        "zephyr gateway routing traffic between platform clusters, do we need to learn it?",
        # why it is needed asks the view (chat_tune27: "why do we need a conformance program")
        "why do we need a zephyr gateway for routing traffic between platform clusters?",
    )


def test_what_a_party_changed_asks_for_the_change_itself(responder: Responder) -> None:
    """ "What did OpenAI change in the logging", "what was the one-line fix": the change's
    content (aspects._CHANGE_MADE), which an answer about what it shows does not give:
    offered. "What does it change for clusters" asks the view: answered."""
    offered(
        responder,
        "what did the ocelot signer change in unsigned images?",
        "what was the one line ocelot fix",
        first=4,
    )
    answered_with(
        responder, 4, "what does the ocelot signer change for clusters with unsigned images?"
    )


def test_a_figure_asked_in_money_is_a_price() -> None:
    """ "What are the 30,000 cores worth in dollars": a sum of money, which the entry that
    states the saving in other terms does not give (aspects._PRICE): offered."""
    responder = Responder(PRICED)
    offered(responder, "what are the quokka cache savings worth in dollars", first=1)
    assert responder.respond("what did the quokka cache save the narwhal team").number == 1


def test_what_a_party_announced_about_something_never_named_is_not_posted(
    responder: Responder,
) -> None:
    """ "What did Google announce about TPUs at KubeCon?": what was made known of a name the
    content never uses (aspects._VIEWED), which no answer reports, posted the entry naming
    Google (chat_tune27): offered. Announced about what the entry says: answered."""
    offered(responder, "what did the zephyr gateway team announce about tpus?", first=1)
    answered_with(responder, 1, "what did the zephyr gateway team announce about routing traffic?")


def test_how_big_a_thing_is_asks_a_number(responder: Responder) -> None:
    """ "How big is Niantic's cluster": a size, which only a figure answers (aspects._NUMBER),
    and the entry states none: offered. "How big a deal is it" asks a degree, no size."""
    offered(responder, "how big is the zephyr gateway traffic between platform clusters?", first=1)
    assert asks_number(words("how big is niantics cluster"))
    assert not asks_number(words("how big a deal is the zephyr gateway"))


def test_a_release_the_answer_never_names_is_not_posted() -> None:
    """ "Is there a Devtron 3.0": a release the entry never states, whose features no view
    gives (Responder.names_another_version): offered. The release the answer names is the
    product as the webinar spoke of it: answered; a measure ("2.5x") is no release. "What's
    Devtron 2.0" asks a definition, the version part of the term's name."""
    responder = Responder(VERSIONED)
    offered(
        responder,
        "is there a zephyr 3.0 gateway routing traffic between platform clusters",
        "what's zephyr 2.0",
        first=1,
    )
    answered_with(
        responder,
        1,
        "zephyr 2.0 gateway routing traffic between platform clusters",
        "zephyr gateway routing traffic between platform clusters 2.5x faster",
        # a figure in pasted output is no release: padded columns, inside a fenced block
        "```\nPID  CPU  COMMAND\n4121 zephyr     38.2 gateway\n```\n"
        "zephyr gateway routing traffic between platform clusters?",
    )


def test_a_rate_asked_with_a_guess_at_it_is_not_posted(responder: Responder) -> None:
    """ "How often does the zephyr gateway route traffic, yearly?": the guess asks for the rate
    itself (aspects._RATE_GUESSED), which an entry that states none cannot give: offered. The
    same question without a guess, "how often" or "how frequently", asks what the entry says
    about it: answered as before."""
    offered(
        responder,
        "how often does the zephyr gateway route traffic between platform clusters, yearly?",
        "how frequently does the zephyr gateway route traffic? once a month?",
        first=1,
    )
    answered_with(
        responder,
        1,
        "how often does the zephyr gateway route traffic between platform clusters",
        "how frequently does the zephyr gateway route traffic between platform clusters",
    )


def test_the_opinion_of_someone_the_content_never_names_is_not_posted(
    responder: Responder,
) -> None:
    """ "What did Kelsey Hightower think about X" asks a person's opinion no answer reports:
    offered, not posted with the presenter's view. A name of one word stays the presenter's
    view asked ("the speaker", "you") or a kind of people's ("platform teams"), and so do roles
    ("the main presenter", "our guest speaker")."""
    offered(
        responder,
        "what did kelsey hightower think about the zephyr gateway?",
        "what do the wombat maintainers think of the zephyr gateway",
        first=1,
    )
    answered_with(
        responder,
        1,
        *(
            f"what {who} think about the zephyr gateway routing traffic?"
            for who in ("does the speaker", "do platform teams", "did the main presenter")
        ),
    )


def test_the_presenters_own_life_is_not_posted(responder: Responder) -> None:
    """ "What's the speaker's background - has he worked at a hyperscaler?": no answer tells
    the presenter's career. What he said is asked otherwise, and "worked out" is no job."""
    for text in (
        "what's the speaker's background - has he worked at a zephyr gateway vendor?",
        "where does the presenter work, the zephyr gateway people?",
    ):
        reply = responder.respond(text)
        assert reply.kind is not Kind.ANSWER, text
    assert responder.respond("has he worked out why the zephyr gateway routes traffic").number == 1


def test_the_presenter_is_known_by_the_name_the_content_gives(responder: Responder) -> None:
    """The presenter's name is read from the content (`webinar.presenter`, "Ann Example"
    here), not written into the rules: asked by name, in full or by a part that is no filler
    ("example" is filler), the presenter's own life is still no answer's subject. Another
    webinar's presenter is nobody special."""
    for text in (
        "what's ann's background, the zephyr gateway vendor?",
        "where does ann example work, the zephyr gateway people?",
        "has ann example ever worked on the zephyr gateway?",
        "what's anns career been like, the zephyr gateway stuff?",
    ):
        assert responder.respond(text).kind is not Kind.ANSWER, text
    assert responder.respond("where does tom work, the zephyr gateway people?").number == 1


def test_a_presenter_named_by_an_everyday_word_leaves_that_word_alone() -> None:
    """A name part that is also an English word, or a word the content uses, stands for the
    presenter only in the full name: had the webinar been presented by "Katie Price", "what's
    the price of the operating system for AI?" stopped asking a price (the word read as the
    presenter) and was answered in the channel with the entry that names no price."""
    text = "what's the price of the operating system for AI?"
    webinar = load_content()
    assert Responder(webinar).respond(text).kind is not Kind.ANSWER  # the control
    priced = parse_content(webinar.text.replace("presenter: Tom Fenton", "presenter: Katie Price"))
    assert priced.webinar.presenter == "Katie Price"
    assert Responder(priced).respond(text).kind is not Kind.ANSWER
    assert Responder(priced).respond("what's katie price's background?").kind is not Kind.ANSWER


def test_which_team_inside_an_organisation_asks_for_a_name(responder: Responder) -> None:
    """ "Which team at OpenAI found the bug" asks who, as "who at OpenAI" does: a name no
    answer gives (offered). "What should engineers at scale understand" asks a view."""
    offered(responder, "which team at frobco built the zephyr gateway?", first=1)
    text = "what should engineers at scale understand about the zephyr gateway routing traffic?"
    assert responder.respond(text).number == 1


def test_a_definition_asked_politely_is_a_definition(responder: Responder) -> None:
    """ "define fault injection pls": the please ends the request, it is no word of the term,
    so the message still asks only what a term is (aspects.asks_definition): offered."""
    offered(responder, "define zephyr gateway routing pls", first=1)


def test_what_a_product_ships_with_asks_a_name(responder: Responder) -> None:
    """ "Which LLMs ship with SUSE's platform": a naming noun with the plural's verb ("ship
    with", "come with", "run on") asks which ones, a name an entry speaking of the kind does
    not give: offered."""
    offered(responder, "which libraries ship with the zephyr gateway for routing traffic?")


def test_free_of_charge_asks_a_price(responder: Responder) -> None:
    """ "Can a startup use it for free?" asks the price (none), which no answer without a
    price states: offered."""
    text = "can the zephyr gateway route traffic between platform clusters for free?"
    offered(responder, text, first=1)


def test_a_feature_out_of_the_box_asks_availability(responder: Responder) -> None:
    """ "Does Devtron do multi-cluster GitOps out of the box": whether a product ships a
    feature, which the answers never list (aspects._CAPABILITY): offered."""
    text = "does the zephyr gateway do traffic routing between platform clusters out of the box?"
    offered(responder, text, first=1)


def test_how_a_product_stores_its_data_is_an_implementation_fact(responder: Responder) -> None:
    """ "How does the Chronosphere graph store data": how a product is made, asked with
    do-support as "how is X stored" is without (aspects._MADE_OF): offered."""
    offered(responder, "how does quokka storage store data for narwhal snapshots?", first=2)


def test_who_does_the_work_asks_a_name(responder: Responder) -> None:
    """ "Who does the CNCF's security audits": who carries the work out, "do" its verb, as
    "who performs the audits" asks (aspects._AUTHOR): offered. "Who actually does the
    signing *with* the signer" goes on to say what it is done with, and is answered."""
    offered(responder, "who does the ocelot signer's signing?", first=4)
    assert responder.respond("who actually does the image signing with the ocelot signer").number


def test_getting_ones_own_thing_certified_asks_for_steps(responder: Responder) -> None:
    """ "What tests do I run to get my distro AI-conformant": the asker's own thing through a
    process, as "how do we get our distro certified" asks (aspects._OWN_STEPS): offered."""
    offered(responder, "what steps do I run to get my clusters ocelot signer compliant?")


def test_an_earlier_year_the_answer_never_speaks_of(responder: Responder) -> None:
    """ "How did Niantic's servers melt down at the launch back in 2016": a year before the
    webinar's that the entry never says asks what happened then (Responder
    .asks_of_an_earlier_year): offered. The webinar's own year is answered, and so is "~2k
    nodes", which reads as 2000 once cleaned (a year to come asks a forecast: the test
    above)."""
    text = "how did the zephyr gateway route traffic between platform clusters back in 2016?"
    offered(responder, text, first=1)
    answered_with(
        responder,
        1,
        "zephyr gateway routing traffic between platform clusters in 2025?",
        "zephyr gateway routing traffic between ~2k platform clusters?",
    )


def test_who_chairs_or_which_engineer_found_asks_a_name(responder: Responder) -> None:
    """ "Who chairs the working group", "which OpenAI engineer actually found the bug": a
    person's name, which no answer gives (aspects._AUTHOR, aspects._WHICH_DOER): offered."""
    offered(
        responder,
        "who chairs the zephyr gateway routing working group",
        "which frobco engineer actually found the zephyr gateway latency bug?",
        first=1,
    )


def test_a_definition_then_no_idea_is_still_a_definition(responder: Responder) -> None:
    """ "What's MCP? saw 'MCP sprawl' mentioned and have no idea": "no idea" is not knowing,
    no view asked (an "idea" asked of is one), so the first sentence's definition is what the
    message asks: offered."""
    offered(responder, "what's an ocelot signer? saw 'ocelot signer' mentioned and have no idea")


def test_how_do_you_enable_asks_a_manual(responder: Responder) -> None:
    """ "How do you enable Lightspeed in the console": the generic "you" of a manual, steps no
    answer gives (aspects._OWN_STEPS): offered. "How do you see…" asks the presenter's view."""
    text = "how do you enable the zephyr gateway routing traffic between platform clusters"
    offered(responder, text, first=1)
    text = "how do you see the zephyr gateway routing traffic between platform clusters"
    assert responder.respond(text).number == 1


def test_what_a_party_uses_for_something_must_be_said() -> None:
    """ "What does Scopely use for its game servers": a party's tooling, answered only by an
    entry that says all of it from the question on ("the CNCF uses Antithesis for fault
    injection"; a lead-in such as "sec question:" aside): otherwise offered."""
    responder = Responder(
        beside_storage(
            """
  - id: gateways
    number: 1
    question: Why does the zephyr team like its gateway?
    answer: The zephyr team uses a gateway for platform traffic and keeps latency low.
    keywords: [zephyr, gateway]
"""
        )
    )
    answered_with(
        responder,
        1,
        "what does the zephyr team use for platform traffic?",
        "sec question: what does the zephyr team use for platform traffic?",
    )
    offered(responder, "what does the zephyr team use for gateway backups?", first=1)


def test_the_askers_job_hunt_or_own_company_is_advice(responder: Responder) -> None:
    """ "Is the CKA worth it for landing a platform job?", "should my company adopt X?",
    "is OpenShift or GKE the better platform?": advice for the asker's own choice, which no
    view of the webinar's makes (aspects._ADVICE): offered."""
    offered(
        responder,
        "is the zephyr gateway worth it for landing a platform job?",
        "should my company adopt the zephyr gateway for routing traffic?",
        "is the zephyr gateway or the kestrel proxy the better router for platform traffic?",
        first=1,
    )


def test_a_bad_side_is_answered_only_by_an_entry_that_weighs_one(responder: Responder) -> None:
    """ "What are the downsides of X? any criticism?": an answer that weighs no risk, gap or
    difficulty gives none (Responder.tells_downsides): offered. An entry that speaks of a risk
    answers; "what are the risks" asks the view, answered as before."""
    offered(
        responder,
        "what are the downsides of the zephyr gateway routing traffic? any criticism?",
        "zephyr gateway routing traffic between platform clusters: drawbacks?",
        first=1,
    )
    text = "what are the risks of the zephyr gateway routing traffic between platform clusters?"
    assert responder.respond(text).number == 1
    risky = Responder(
        beside_storage(
            """
  - id: gateways
    number: 1
    question: What about the zephyr gateway?
    answer: The zephyr gateway routes platform traffic, with the risk of one more hop.
    keywords: [zephyr, gateway]
"""
        )
    )
    text = "what are the downsides of the zephyr gateway routing platform traffic?"
    assert risky.respond(text).number == 1


def test_a_named_partys_plans_are_no_view(responder: Responder) -> None:
    """ "What are Google's plans for GKE", "what is Tailscale planning": what a party will
    do, which no answer about what it did holds (aspects._PLANS): offered, though the entry
    names the party."""
    named = Responder(beside_storage(MAKERS_NAMED))
    offered(
        named,
        "what are Frobco's plans for zephyr gateways?",
        "what is Frobco planning for zephyr gateways routing platform traffic?",
        first=1,
    )


def test_how_many_counts_what_the_entry_gives_a_figure_of() -> None:
    """ "How many engineers does OpenAI have?" of an entry whose figure counts CPU cores: it
    says "engineers" and states a number, but no number of engineers (Responder.counts):
    offered. The count of what its figure counts is answered."""
    responder = Responder(
        beside_storage(
            """
  - id: gateways
    number: 1
    question: How busy is the zephyr gateway?
    answer: Zephyr engineers found the gateway keeps 30,000 requests flowing between clusters.
    keywords: [zephyr, gateway]
"""
        )
    )
    offered(responder, "how many engineers does the zephyr gateway have?", first=1)
    assert responder.respond("how many requests does the zephyr gateway keep flowing?").number


def test_which_hospitals_or_what_it_is_called_asks_a_name(responder: Responder) -> None:
    """ "Which hospitals use SUSE AI?" asks which organisations, by name, as "which NGOs"
    does ("which sectors" asks a kind, which an answer may list); "what is X called?" asks
    a name: offered."""
    offered(
        responder,
        "which hospitals use the ocelot signer for images?",
        "what is the zephyr gateway's traffic router called?",
    )


def test_a_message_in_the_contents_broad_words_is_told_which_answers_touch_it(
    responder: Responder,
) -> None:
    """ "What did Tom say about AI?": every word is one the content uses, none tells its
    answers apart, so none is answered or offered. "I can only answer questions about the
    webinar" read as if it were off topic; the decline names the answers that touch it. A
    message with a word the content never uses, or a figure, is declined as before."""
    for text in ("what about the platform?", "platform"):
        reply = responder.respond(text)
        assert reply.kind is Kind.DECLINE and not reply.public, text
        assert reply.text.startswith("Several answers touch on that (questions 1 and 2)"), text
    for text in ("the printer is jammed", "what about the platform in 2024 v1.2"):
        reply = responder.respond(text)
        assert reply.kind is Kind.DECLINE and reply.text.startswith("Sorry"), text


def test_what_a_maker_does_or_who_it_is_is_offered_not_answered() -> None:
    """ "what does Tailscale do", "who is Scopely": asked of a maker's name alone, what it is;
    the entry naming it tells what it showed at the show, and was posted in the channel as if
    it answered. Offered privately, as a definition is. What a thing the content explains
    does ("what does the zephyr gateway do") is its entry's answer, and so is what the maker
    did there, or whom a thing suits."""
    showed = """
  - id: gateways
    number: 1
    question: What did Frobco show about zephyr gateways?
    answer: Frobco showed zephyr gateways that route platform traffic between clusters.
    keywords: [Frobco, zephyr, gateway]
"""
    responder = Responder(beside_storage(showed))
    offered(responder, "what does Frobco do", "who is Frobco?", "whos frobco", first=1)
    answered_with(
        responder,
        1,
        "what does the zephyr gateway do",
        "what did Frobco do",
        "who is the zephyr gateway for",
        "what does frobco do for zephyr gateways",
    )
