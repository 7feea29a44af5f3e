"""The matcher's and responder's decision rules, each pinned by a small case that fails if the
rule is removed (bot/core/matcher.py `match_words`, bot/core/responder.py's how-to rule).

The content here is made up, so each case turns on one rule rather than on the webinar's
wording: distinct nonsense keywords make the information of each word predictable. Each rule
has a case it must refuse and a control it must still answer, so a rule made stricter (or
looser) than documented fails too. Verdicts only: the scores' exact values are not pinned.
"""

from __future__ import annotations

import pytest

from bot.core.content import parse_content
from bot.core.matcher import Matcher
from bot.core.replies import Kind
from bot.core.responder import Responder

CONTENT = parse_content(
    """
webinar:
  title: Test Talk
  presenter: Ann Example
  date: 2025-01-01
  host: Example Host
  source_url: https://example.com/article
  recording_url: https://example.com/recording
takeaways: [Platforms matter.]
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
""",
    "rules.yaml",
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(CONTENT)


@pytest.fixture(scope="module")
def responder(matcher: Matcher) -> Responder:
    return Responder(CONTENT, matcher)


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


def test_evidence_one_weak_word_is_not_enough(matcher: Matcher) -> None:
    """ "traffic" is explained by entry 1 alone, but only by a word of its answer: too little
    evidence to assert it (ANSWER_EVIDENCE)."""
    match = matcher.match("traffic")
    assert match.entry is None and match.candidates[0].entry.number == 1
    assert answered(matcher, "routes traffic") == 1  # control: two answer words are enough


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
    """The same kind of message, but "quokka" gives entry 2 more than half the evidence of
    entry 1 (DOMINANT_RATIO): not answered."""
    assert answered(matcher, "zephyr gateway quokka pizza lunch coffee tea cake biscuits") is None


def test_how_to_needs_more_than_a_shared_product_name(responder: Responder) -> None:
    """A how-to question asks for instructions the content does not hold: answered only when
    the entry explains enough of it (HOW_TO_SCORE); otherwise offered, not asserted."""
    chatty = "run the zephyr gateway with pizza lunch coffee tea"
    assert responder.respond(chatty).kind is Kind.ANSWER  # the same words, not a how-to
    reply = responder.respond(f"how do I {chatty}")
    assert reply.kind is Kind.SUGGESTIONS and reply.options[0].number == 1
    assert responder.respond("how do I run the zephyr gateway").number == 1  # control
