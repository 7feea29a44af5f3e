"""Rules that keep a near miss out of the channel: a message that names an entry's subject but
asks what its answer never says (bot/core/responder.py `doubts`). Each rule has a case it must
offer privately and a control it must still answer, on made-up content so the case turns on the
rule rather than on the webinar's wording."""

from __future__ import annotations

import pytest

from bot.core.replies import Kind
from bot.core.responder import Responder
from tests.core.made_up import made_up_content

CONTENT = made_up_content(
    """
generic_terms: [platform]
entries:
  - id: gateways
    number: 1
    question: What does the zephyr gateway teach platform teams?
    answer: The zephyr gateway routes traffic between platform clusters and keeps latency low.
    keywords: [zephyr, gateway, kestrel, puffin]
  - id: storage
    number: 2
    question: How does quokka storage change the platform?
    answer: Quokka storage keeps narwhal snapshots close to the platform workloads.
    keywords: [quokka, narwhal, walrus]
""",
    "precision.yaml",
)


@pytest.fixture(scope="module")
def responder() -> Responder:
    return Responder(CONTENT)


def public(responder: Responder, text: str) -> int | None:
    """The entry number posted in the channel, or None (offered privately or declined)."""
    reply = responder.respond(text)
    return reply.number if reply.kind is Kind.ANSWER and reply.public else None


def test_whether_the_talk_mentioned_a_keyword_it_never_said_is_not_posted(
    responder: Responder,
) -> None:
    """ "Was kestrel used as an example in the gateway part?": "kestrel" is one of entry 1's
    keywords (what people type for its subject), never a word of its question or answer, so
    posting the entry would tell the channel the talk mentioned it (Responder.asks_if_said).
    What the answer does say ("did the speaker mention latency") is answered."""
    for text in (
        "was kestrel used as an example in the zephyr gateway part of the talk?",
        "did the speaker bring up puffin when talking about the zephyr gateway?",
        "did the talk mention kestrel and the zephyr gateway at all?",
    ):
        assert public(responder, text) is None, text
        assert responder.respond(text).kind is Kind.SUGGESTIONS, text
    for text in (
        "did the speaker mention latency when talking about the zephyr gateway?",
        "zephyr gateway: was routing traffic between clusters discussed?",
        # a keyword asked of without a mention: the subject, answered as before
        "kestrel and the zephyr gateway, what do they teach platform teams?",
    ):
        assert public(responder, text) == 1, text


def test_a_clause_that_is_a_choice_between_names_the_entry_never_gives(
    responder: Responder,
) -> None:
    """ "zephyr gateway - falcon bit or osprey?": a clause that is only a choice, whose sides
    (a name may take two words, one of them filler: "falcon *bit*") are no words of the entry,
    asks which of two things the entry never names (aspects.chosen_between): offered. A choice
    between the entry's own words ("routing or latency") is its subject, answered."""
    text = "zephyr gateway routing traffic - falcon bit or osprey?"
    assert public(responder, text) is None
    assert responder.respond(text).kind is Kind.SUGGESTIONS
    assert public(responder, "zephyr gateway routing traffic - routing or latency?") == 1


def test_who_someone_is_or_a_name_asked_for_is_not_posted(responder: Responder) -> None:
    """ "Who at the zephyr team built the gateway?", "which engineer designed it", "got a
    name?": a person's identity, which no answer gives (aspects._PERSON): offered. A kind of
    person asked for a view ("who on platform teams gains from…") is answered."""
    for text in (
        "who at the zephyr team built the gateway that routes traffic?",
        "which engineer designed the zephyr gateway routing?",
        "zephyr gateway routing traffic between platform clusters - got a name for its author?",
    ):
        assert public(responder, text) is None, text
    text = "who on platform teams gains the most from the zephyr gateway routing traffic?"
    assert public(responder, text) == 1


def test_the_presenters_own_life_asked_yes_or_no_is_not_posted(responder: Responder) -> None:
    """ "Has Ann ever worked at a zephyr gateway vendor?", "is the speaker a former platform
    engineer?": the presenter's biography (aspects.asks_of_the_speaker), which no answer
    gives: not posted. What the presenter said or thought of the entry's subject is answered."""
    for text in (
        "has ann ever worked on the zephyr gateway routing traffic?",
        "zephyr gateway routing traffic - is the speaker a former platform engineer?",
    ):
        assert public(responder, text) is None, text
    for text in (
        "did ann say the zephyr gateway keeps latency low?",
        "does the speaker think the zephyr gateway routes traffic well?",
    ):
        assert public(responder, text) == 1, text


def test_a_rate_asked_with_a_guess_at_it_is_not_posted(responder: Responder) -> None:
    """ "How often does the zephyr gateway route traffic, yearly?": the guess asks for the rate
    itself (aspects._RATE_GUESSED), which an entry that states none cannot give: offered. The
    same question without a guess, "how often" or "how frequently", asks what the entry says
    about it: answered as before."""
    for text in (
        "how often does the zephyr gateway route traffic between platform clusters, yearly?",
        "how frequently does the zephyr gateway route traffic? once a month?",
    ):
        assert public(responder, text) is None, text
    for text in (
        "how often does the zephyr gateway route traffic between platform clusters",
        "how frequently does the zephyr gateway route traffic between platform clusters",
    ):
        assert public(responder, text) == 1, text


def test_a_makers_decision_to_end_something_is_not_posted(responder: Responder) -> None:
    """ "Is the platform team going to drop the zephyr gateway in favour of quokka storage?",
    "will they retire the zephyr gateway?": a roadmap decision (aspects._DISCONTINUED), which
    no view holds: not posted. "Drop" as a fall ("will the zephyr gateway drop latency between
    platform clusters") is no such decision: answered."""
    for text in (
        "is the zephyr team going to drop the gateway routing in favour of something newer?",
        "will they retire the zephyr gateway that routes traffic between platform clusters?",
    ):
        assert public(responder, text) is None, text
    text = "will the zephyr gateway drop latency when routing traffic between platform clusters?"
    assert public(responder, text) == 1


def test_the_channels_own_experience_or_figures_asked_for_are_not_posted(
    responder: Responder,
) -> None:
    """ "Has anyone else seen the zephyr gateway…", "anyone benchmarked that?": what other
    readers tried (aspects._EXPERIENCE); "anyone have numbers?", "the p99": figures
    (aspects.asks_number), which an entry that states none cannot give. Offered, not posted.
    "Is anyone actually using…" asks how things stand: answered."""
    for text in (
        "has anyone else seen the zephyr gateway keep latency low between platform clusters?",
        "the zephyr gateway routing traffic between platform clusters - anyone benchmarked it?",
        "zephyr gateway latency between platform clusters, anyone have numbers?",
        "what's the p99 latency the zephyr gateway keeps between platform clusters?",
    ):
        assert public(responder, text) is None, text
    text = "is anyone actually using the zephyr gateway to route traffic between platform clusters?"
    assert public(responder, text) == 1


def test_a_symptom_a_reading_or_where_it_runs_is_not_posted(responder: Responder) -> None:
    """A fault asked to be recognised ("pods can't reach the zephyr gateway. known issue?"), a
    reading of the asker's own system to judge ("our zephyr gateway uses 300m CPU per node. is
    that worth optimizing?") and where the asker may run it ("can we run the zephyr gateway
    on-prem?") ask for troubleshooting or availability, which no answer gives
    (aspects._FAULT, _JUDGED, _CAPABILITY): offered. The entry's subject asked as such is
    answered."""
    for text in (
        "we tried the zephyr gateway and platform pods can't reach it. known issue?",
        "the zephyr gateway routing traffic uses 300m CPU per node. is that worth optimizing?",
        "can we run the zephyr gateway that routes traffic between clusters on-prem?",
    ):
        assert public(responder, text) is None, text
    text = "why does the zephyr gateway keep latency low between platform clusters?"
    assert public(responder, text) == 1


NAMED = made_up_content(
    """
generic_terms: [platform]
entries:
  - id: gateways
    number: 1
    question: What does the Zephyr gateway teach platform teams?
    answer: Zephyr routes traffic between platform clusters and keeps latency low.
    keywords: [Zephyr, gateway]
  - id: storage
    number: 2
    question: How does Quokka storage change the platform?
    answer: Quokka keeps narwhal snapshots close to the platform workloads.
    keywords: [Quokka, narwhal]
""",
    "named.yaml",
)


def test_another_entrys_party_framed_by_this_entrys_words_is_not_posted() -> None:
    """ "How close do narwhal snapshots keep Zephyr's workloads?": entry 2's words frame a
    question about Zephyr, a party only entry 1 speaks of (Responder.names_another_entrys_party):
    neither answer gives it, offered. Naming entry 2's own party too ("… Quokka … Zephyr"), or
    Zephyr only in a sentence that tells the situation, keeps entry 2's subject: answered."""
    responder = Responder(NAMED)
    text = "do narwhal snapshots keep workloads close to the platform for Zephyr?"
    assert public(responder, text) is None
    assert responder.respond(text).kind is Kind.SUGGESTIONS
    for text in (
        "does Quokka keep narwhal snapshots close to the platform workloads, unlike Zephyr?",
        "we run Zephyr. do narwhal snapshots stay close to the platform workloads?",
    ):
        assert public(responder, text) == 2, text


def test_another_companys_case_likened_to_a_named_party_is_not_posted() -> None:
    """ "Did falconcorp also route traffic like Zephyr does?": asked of a company the content
    never speaks of, likened to a party it names (Responder.likens_another), another company's
    case: not posted, even with a view word ("make"). Asked of the content's own subject
    ("does the platform handle traffic like Zephyr does") it is the entry's: answered."""
    content = made_up_content(
        """
generic_terms: [platform]
entries:
  - id: gateways
    number: 1
    question: What does the Zephyr gateway teach platform teams?
    answer: Zephyr routes traffic between platform clusters and keeps latency low.
    keywords: [Zephyr, gateway]
  - id: storage
    number: 2
    question: How does Quokka storage change the platform?
    answer: Quokka keeps narwhal snapshots close to the platform workloads.
    keywords: [Quokka, narwhal]
""",
        "likened.yaml",
    )
    responder = Responder(content)
    for text in (
        "did falconcorp also route traffic between clusters like Zephyr does?",
        "does falconcorp make routing traffic between clusters easier like Zephyr?",
    ):
        assert public(responder, text) is None, text
    assert public(responder, "does the platform route traffic between clusters like Zephyr?") == 1


def test_a_products_future_certificate_its_place_or_the_askers_sizing_is_not_posted(
    responder: Responder,
) -> None:
    """ "Will the zephyr gateway be certified before quokka?", "does it replace our ingress?",
    "what hardware would we need to run the zephyr gateway?": whether a product will pass a
    standard, take the place of the asker's own tooling, or what the asker must buy
    (aspects._CAPABILITY), none of which a view holds: offered."""
    for text in (
        "with routing traffic between clusters, will the zephyr gateway be certified soon?",
        "the zephyr gateway routes traffic between clusters. does it replace our ingress?",
        "what servers would we need to run the zephyr gateway routing traffic between clusters?",
    ):
        assert public(responder, text) is None, text
    text = "will the zephyr gateway keep latency low routing traffic between platform clusters?"
    assert public(responder, text) == 1


def test_a_products_name_asked_for_is_not_posted(responder: Responder) -> None:
    """ "What's the name of the zephyr gateway's router?", "what was that gateway thing
    called again?": a name (aspects._PERSON), which a view never gives: offered. "Was latency
    called out for the zephyr gateway?" asks what the talk said: answered."""
    for text in (
        "what's the name of the zephyr gateway that routes traffic between clusters?",
        "what was that zephyr gateway routing traffic between clusters called again?",
    ):
        assert public(responder, text) is None, text
    text = "was latency called out for the zephyr gateway routing traffic between clusters?"
    assert public(responder, text) == 1
