"""Editors teach the matcher: an entry's `examples:` answer their phrasings (and close variants),
`declines:` are never answered, `check` refuses a phrasing taught twice, and a phrasing accepted
through the content editor is answered by a bot built from the saved file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.content import ContentError, parse_content
from bot.core.content_edit import ContentFile, EditError
from bot.core.replies import Kind
from bot.core.responder import Responder
from tests.conftest import ROOT

QA = (ROOT / "content" / "qa.yaml").read_text()
PHRASING = "where are we with that AI rubber stamp thing"  # about Q3 in its asker's words
VARIANT = "where are we with the AI rubber-stamp thing?"
# names Q6's "CPU cores", asks nothing of it (and, unlike "how many CPU cores does my laptop
# have", asks no specific fact that bot.core.aspects would hold back without being taught)
NEAR_MISS = "my laptop cpu cores keep overheating"


def taught(
    tmp_path: Path,
    examples: dict[str, list[str]] | None = None,
    declines: list[str] | None = None,
) -> Responder:
    """A responder over the real content plus these taught phrasings (written as an editor
    would, through the content editor)."""
    path = tmp_path / "qa.yaml"
    path.write_text(QA)
    edit = ContentFile(path)
    for entry_id, phrases in (examples or {}).items():
        for phrase in phrases:
            edit.add_example(entry_id, phrase)
    for phrase in declines or ():
        edit.add_decline(phrase)
    edit.save(parse_content)
    return Responder(parse_content(path.read_text(), str(path)))


def test_an_example_answers_its_entry_where_the_matcher_alone_did_not(responder, tmp_path):
    before = responder.respond(PHRASING)
    assert before.kind is not Kind.ANSWER or before.entry_id != "ai-conformance-program"
    bot = taught(tmp_path, {"ai-conformance-program": [PHRASING]})
    for message in (PHRASING, VARIANT):
        reply = bot.respond(message)
        assert (reply.kind, reply.entry_id) == (Kind.ANSWER, "ai-conformance-program"), message
    assert bot.respond("what about SBOMs?").entry_id == "supply-chain-security-gaps"  # unchanged


def test_a_decline_is_never_answered_even_where_the_matcher_would(responder, tmp_path):
    variant = "overheating cpu cores on my laptop!"
    for message in (NEAR_MISS, variant):  # the weakness the blind sets show: answered
        assert responder.respond(message).kind is Kind.ANSWER, message
    bot = taught(tmp_path, declines=[NEAR_MISS])
    for message in (NEAR_MISS, variant):
        assert bot.respond(message).kind is Kind.DECLINE, message
    assert bot.respond("how did openai save 30,000 cpu cores?").entry_id == "openai-logging-fix"


def test_a_decline_declines_what_it_asks_not_what_is_near_it_in_letters(responder, tmp_path):
    """An admin declined "is kubernetes easier or harder for my cat to adopt" and "… supply
    chain security of my car": compared by letters alone, "… for my team to adopt" and "… of
    my app" were near-repeats, and these on-topic questions were declined too. A near-repeat
    of a decline says every word of it (misspelt at most), and nothing the content knows
    besides."""
    cat, car = (
        "is kubernetes easier or harder for my cat to adopt",
        "supply chain security of my car",
    )
    bot = taught(tmp_path, declines=[cat, car])
    for message in (cat, "Is Kubernets easier or harder for my cats to adopt?", car + "s?"):
        assert bot.respond(message).kind is Kind.DECLINE, message
    for message, entry in (
        ("is kubernetes easier or harder for my team to adopt", "easier-or-harder-adoption"),
        ("is kubernetes getting easier or harder to adopt", "easier-or-harder-adoption"),
        ("supply chain security of my app", "supply-chain-security-gaps"),
    ):
        assert responder.respond(message).entry_id == entry, message  # answered untaught
        assert bot.respond(message).entry_id == entry, message  # and still answered


def test_a_taught_phrasing_is_answered_though_it_asks_in_a_form_held_back(responder, tmp_path):
    """The aspect check (bot.core.aspects) offers "how do I…" and "what is…" questions
    privately unless the entry says every word; once an editor has accepted the phrasing for
    an entry (an asker picked it, an admin corrected it), the editor's word stands."""
    asked = "how do i get my team to actually use the sbom we generate"
    before = responder.respond(asked)
    assert before.kind is Kind.SUGGESTIONS  # held back: the form asks for steps
    assert before.options[0].entry_id == "supply-chain-security-gaps"
    bot = taught(tmp_path, {"supply-chain-security-gaps": [asked]})
    reply = bot.respond(asked)
    assert (reply.kind, reply.entry_id) == (Kind.ANSWER, "supply-chain-security-gaps")
    assert reply.public


def test_check_refuses_a_phrasing_taught_twice(tmp_path: Path):
    path = tmp_path / "qa.yaml"
    path.write_text(QA)
    edit = ContentFile(path)
    edit.add_example("ai-conformance-program", PHRASING)
    edit.add_decline(PHRASING.upper())  # the editor refuses a repeat; a hand edit does not
    with pytest.raises(ContentError) as err:
        parse_content(edit.text.replace(PHRASING.upper(), PHRASING.title()), "qa.yaml")
    [problem] = err.value.problems
    assert "is taught twice (first at line" in str(problem) and problem.line > 200


def test_a_phrasing_taught_again_with_other_punctuation_or_inflection_is_refused(tmp_path: Path):
    """The matcher knows a taught phrasing by its stems, so "what about pokemon stuff" as an
    example and "What about Pokémon stuff?" as a decline are one phrasing with two verdicts:
    `check` said ok (it compared the text), and the decline did nothing. Refused, in the file
    as in the editor."""
    path = tmp_path / "qa.yaml"
    path.write_text(QA)
    edit = ContentFile(path)
    edit.add_example("pokemon-go-real-time", "what about pokemon stuff")
    with pytest.raises(EditError, match="already an example of 'pokemon-go-real-time'"):
        edit.add_example("openai-logging-fix", "What about the Pokemon stuff?")
    hand_edited = edit.text.replace(
        "takeaways:", 'declines:\n  - "what about pokemon stuff?"\ntakeaways:', 1
    )
    with pytest.raises(ContentError) as err:
        parse_content(hand_edited, "qa.yaml")
    [problem] = err.value.problems
    assert "'what about pokemon stuff?' is taught twice (first at line" in str(problem)
    assert "as an example of 'pokemon-go-real-time'; here as a decline)" in str(problem)


def test_an_accepted_phrasing_is_answered_after_the_file_is_saved(tmp_path: Path):
    path = tmp_path / "qa.yaml"
    path.write_text(QA)
    edit = ContentFile(path)
    edit.add_example("ai-conformance-program", PHRASING)
    edit.save(parse_content)
    reply = Responder(parse_content(path.read_text(), str(path))).respond(VARIANT)
    assert (reply.kind, reply.entry_id) == (Kind.ANSWER, "ai-conformance-program")


def test_an_aspect_the_webinar_never_covers_is_offered_not_answered(responder):
    """`not_covered` (pricing, licences, installing…): naming a product from an answer is not
    asking what that answer says; the entry is offered privately instead of asserted."""
    for message in (  # each answered in the channel without the rule
        "how much does Red Hat Lightspeed cost for OpenShift",
        "Antithesis fault injection pricing",
        "which version of Devtron supports Nutanix NKP",
        "Tailscale kubernetes operator license",
        "Antithesis fault injection: is there a fee?",  # a price, in other words
    ):
        reply = responder.respond(message)
        assert reply.kind is Kind.SUGGESTIONS and not reply.public, (message, reply.kind)
    # the same products, asked about what the webinar does say: answered
    assert responder.respond("why is Red Hat Lightspeed such a big deal?").entry_id == (
        "ai-assisted-cluster-operations"
    )
    # an aspect word the entry itself mentions does not hold it back
    reply = responder.respond("the cost savings of the OpenAI logging fix")
    assert (reply.kind, reply.entry_id) == (Kind.ANSWER, "openai-logging-fix")


def test_an_aspect_told_before_the_question_is_not_asked(responder):
    """A sentence that tells the asker's situation ("our cloud bill is huge.") asks nothing:
    only the sentences that ask (ending in "?", and the last) are checked for `not_covered`
    aspects. The same aspect in the sentence that asks still holds the answer back."""
    told = "our cloud bill is huge. what did the speaker conclude from the openai logging fix?"
    reply = responder.respond(told)
    assert (reply.kind, reply.entry_id) == (Kind.ANSWER, "openai-logging-fix")
    asked = "what did the speaker conclude from the openai logging fix? does it show on our bill?"
    reply = responder.respond(asked)
    assert reply.kind is Kind.SUGGESTIONS and reply.options[0].entry_id == "openai-logging-fix"


def test_contracts_plans_and_documentation_are_aspects_the_webinar_never_covers(responder):
    """`not_covered` also lists buying and support contracts (SLA, subscription…), plans
    (roadmap) and documentation (docs, procedure): each of these was answered in the channel
    with the entry whose product it names before they were listed."""
    for message in (
        "the SLA for Chronosphere's temporal knowledge graph",
        "Chronosphere temporal knowledge graph subscription renewal",
        "SUSE private AI platform procedure for regulated industries",
        "Devtron 2.0 roadmap for simplifying kubernetes",
        "docs for the Tailscale kubernetes operator",
        "is Chronosphere's temporal knowledge graph stable yet",  # a release status
        "nkp: is it the cheapest option for a small cluster?",  # price, in other words
        "is nutanix nkp expensive",
    ):
        reply = responder.respond(message)
        assert reply.kind is Kind.SUGGESTIONS and not reply.public, (message, reply.kind)


def test_a_short_version_asks_for_a_summary_not_a_release(responder):
    """ "quick version of what he said about X" asks for X's answer in brief: "version" after
    a word of length is not the release `not_covered` means. A release is still held back."""
    brief = "quick version of what he said about kubernetes becoming the base for AI workloads?"
    reply = responder.respond(brief)
    assert (reply.kind, reply.number, reply.public) == (Kind.ANSWER, 1, True)
    release = responder.respond("latest version of the kubernetes base for AI workloads?")
    assert release.kind is Kind.SUGGESTIONS and not release.public


def test_what_it_takes_to_run_something_is_an_aspect_the_webinar_never_covers(responder):
    """Minimum specs ("the minimum GPU specs for SUSE's private AI
    platform") are what a product's documentation gives, not a view of it: offered."""
    for message in (
        "what are the minimum GPU specs for SUSE's private AI platform?",
        "the minimum hardware for the SUSE private AI platform in regulated industries?",
    ):
        reply = responder.respond(message)
        assert reply.kind is Kind.SUGGESTIONS and not reply.public, (message, reply.kind)
    assert responder.respond("why does SUSE push private AI for regulated industries?").public


def test_a_word_sharing_only_a_stem_with_an_aspect_is_not_that_aspect(responder):
    """`not_covered` lists "settings", whose stem is "set": "the program that *sets* common
    rules" sets nothing up, and is answered. A listed word's own forms ("which settings",
    "what setting") still hold the answer back."""
    sets = "the AI conformance program sets common rules across distributions: why does it matter?"
    reply = responder.respond(sets)
    assert (reply.kind, reply.entry_id, reply.public) == (
        Kind.ANSWER,
        "ai-conformance-program",
        True,
    )
    for message in (
        "which settings does the AI conformance program require for AI workloads?",
        "what setting does the AI conformance program check on every distro?",
    ):
        reply = responder.respond(message)
        assert reply.kind is Kind.SUGGESTIONS and not reply.public, (message, reply.kind)
