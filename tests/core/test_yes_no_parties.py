"""A yes/no question asked of a named third party ("did Vexo publish the patch?", "does
Zorblat need GPUs?") asks a fact about that party, which the presenter's view does not hold,
even when an entry names the party and says the rest; asked as a view ("does Zorblat make
clusters easier to run?") or of no named party ("is the platform getting easier?"), it is
answered as before. Made-up content: the names are capitalised in it, as products are."""

from __future__ import annotations

import pytest

from bot.core.content import load_content
from bot.core.replies import Kind
from bot.core.responder import Responder
from tests.core.made_up import made_up_content

CONTENT = made_up_content(
    """
generic_terms: [platform, cluster]
entries:
  - id: patch
    number: 1
    question: What does the Vexo logging patch teach about efficiency at scale?
    answer: The patch to Vexo logging shows that small inefficiencies multiply at scale, so
      efficiency and profiling still matter.
    keywords: [Vexo, logging patch, efficiency, profiling]
  - id: easier
    number: 2
    question: Does Zorblat make the platform easier to adopt?
    answer: Platforms like Zorblat hide infrastructure, so adoption gets easier while the
      platform itself grows more complex; GPUs add to that complexity.
    keywords: [Zorblat, easier, harder, adoption, complexity]
  - id: gateways
    number: 3
    question: What about the Quillon gateway for latency?
    answer: The Quillon gateway routes traffic between regions and keeps latency low.
    keywords: [Quillon, gateway, latency, routing]
""",
    "parties.yaml",
)


@pytest.fixture(scope="module")
def responder() -> Responder:
    return Responder(CONTENT)


@pytest.mark.parametrize(
    "message",
    [
        "did Vexo publish the patch?",  # an event of the party
        "is Zorblat hiring platform engineers?",
        "does Zorblat need GPUs?",  # what it needs: "need" is chat filler
        "is Zorblat owned by Quillon?",
        "is there a security hole in the Quillon gateway?",
        "does the Quillon gateway replace Karbon?",
    ],
)
def test_a_fact_asked_yes_or_no_of_a_named_party_is_not_posted(
    responder: Responder, message: str
) -> None:
    reply = responder.respond(message)
    assert not reply.public, (message, reply.kind, reply.number)
    assert reply.kind is Kind.SUGGESTIONS or reply.kind is Kind.DECLINE, message


@pytest.mark.parametrize(
    ("message", "number"),
    [
        ("does Zorblat make the platform easier to adopt?", 2),  # an effect: the view
        ("is the platform getting easier to adopt?", 2),  # no named party
        ("does the Vexo patch show efficiency still matters at scale?", 1),
        ("is the Vexo logging patch a big deal for efficiency?", 1),  # a case of the party
        ("can the Quillon gateway keep latency low between regions?", 3),  # it says every word
    ],
)
def test_a_view_asked_yes_or_no_is_still_answered(
    responder: Responder, message: str, number: int
) -> None:
    reply = responder.respond(message)
    assert reply.kind is Kind.ANSWER and reply.number == number, (message, reply.kind)


# The names of the real content, compared as written: a word the content also writes in lower
# case ("scope" of "Scopely", "program" of "AI Conformance Program", "knowledge" of "Temporal
# Knowledge Graph") or a word of a longer name ("red" of "Red Hat") is none, nor an
# abbreviation of a kind or a keyword's form (SBOM, MCP, SRE, LLM, CPU, MLOps, SaaS).
@pytest.fixture(scope="module")
def webinar() -> Responder:
    return Responder(load_content())


def test_the_names_are_the_ones_the_content_always_capitalises(webinar: Responder) -> None:
    names = webinar.party_names
    for name in ("openai", "nutanix", "chronosphere", "lightspeed", "scopely", "niantic"):
        assert name in names, name
    for name in ("devtron", "suse", "nkp", "red hat"):
        assert name in names, name
    for word in ("scope", "program", "conformance", "knowledge", "graph", "temporal", "red"):
        assert word not in names, word
    for word in ("sbom", "mcp", "sre", "llm", "cpu", "ip", "mlops", "aiops", "saas"):
        assert word not in names, word


@pytest.mark.parametrize(
    ("message", "number"),
    [  # answerable questions the broad names (stems, abbreviations) kept out of the channel
        ("is the scope of the AI conformance program too narrow?", 3),
        ("is the program going to stop vendor lock-in?", 3),
        ("are red teams part of supply chain security now?", 5),
        ("is there a knowledge gap for operators and developers?", 1),
        ("are SBOMs required for supply chain security?", 5),
        ("do MLOps teams need kubernetes now?", 1),
        ("does MCP need governance in regulated industries?", 9),
    ],
)
def test_a_yes_no_question_of_no_name_is_answered(
    webinar: Responder, message: str, number: int
) -> None:
    reply = webinar.respond(message)
    assert reply.kind is Kind.ANSWER and reply.public and reply.number == number, (
        message,
        reply.kind,
        reply.number,
    )


@pytest.mark.parametrize(
    "message",
    [
        "is Red Hat hiring platform engineers?",
        "did OpenAI publish the fix?",
        "does NKP replace Karbon?",
        "is devtron owned by nutanix?",
    ],
)
def test_a_fact_asked_of_a_name_of_the_webinar_is_not_posted(
    webinar: Responder, message: str
) -> None:
    assert not webinar.respond(message).public, message


@pytest.mark.parametrize(
    "message",
    [
        "what did the Quillon keynote speakers think about latency between regions?",
        "what does Zorblat itself say about platform complexity for newcomers?",
    ],
)
def test_a_named_partys_own_opinion_is_not_posted(responder: Responder, message: str) -> None:
    """What a named party thought or said is its own opinion, which the presenter's answer
    does not report unless it says every word asked (Responder.asks_a_partys_opinion)."""
    reply = responder.respond(message)
    assert not reply.public, (message, reply.kind, reply.number)


@pytest.mark.parametrize(
    ("message", "number"),
    [
        ("what does the Vexo patch story say about efficiency at scale?", 1),  # a case
        ("what did the talk say about the Quillon gateway latency?", 3),  # the talk
        ("what did Quillon say about gateway latency?", 3),  # the entry says every word
    ],
)
def test_an_opinion_asked_of_the_talk_or_a_case_is_answered(
    responder: Responder, message: str, number: int
) -> None:
    reply = responder.respond(message)
    assert reply.kind is Kind.ANSWER and reply.number == number, (message, reply.kind)


def test_what_a_product_the_content_never_names_has_is_not_posted(responder: Responder) -> None:
    """ "Does Karbon have a gateway like Quillon?": what a product the content never names has
    or needs is a fact about something else, whatever it is likened to (Responder.
    asks_of_a_party): not posted. Asked of the content's own words ("does adoption need…")
    it is answered as before."""
    reply = responder.respond("same q but for Karbon — does Karbon have a gateway like Quillon?")
    assert not reply.public, (reply.kind, reply.number)
    reply = responder.respond("does adoption need less complexity with Zorblat?")
    assert reply.kind is Kind.ANSWER and reply.number == 2, reply.kind
