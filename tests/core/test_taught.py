"""Editors teach the matcher: an entry's `examples:` answer their phrasings (and close variants),
`declines:` are never answered, `check` refuses a phrasing taught twice, and a phrasing accepted
through the content editor is answered by a bot built from the saved file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.content import ContentError, parse_content
from bot.core.content_edit import ContentFile
from bot.core.replies import Kind
from bot.core.responder import Responder
from tests.conftest import ROOT

QA = (ROOT / "content" / "qa.yaml").read_text()
PHRASING = "where are we with that vendor neutral AI rubber stamp thing"  # about Q3 in its words
VARIANT = "where are we with the vendor-neutral AI rubber stamp thing?"
NEAR_MISS = "nutanix nkp pricing per node"


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
    variant = "pricing for nutanix nkp nodes?"
    for message in (NEAR_MISS, variant):  # the weakness the blind sets show: answered
        assert responder.respond(message).kind is Kind.ANSWER, message
    bot = taught(tmp_path, declines=[NEAR_MISS])
    for message in (NEAR_MISS, variant):
        assert bot.respond(message).kind is Kind.DECLINE, message
    assert bot.respond("how does nutanix nkp make kubernetes easier?").kind is Kind.ANSWER


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


def test_an_accepted_phrasing_is_answered_after_the_file_is_saved(tmp_path: Path):
    path = tmp_path / "qa.yaml"
    path.write_text(QA)
    edit = ContentFile(path)
    edit.add_example("ai-conformance-program", PHRASING)
    edit.save(parse_content)
    reply = Responder(parse_content(path.read_text(), str(path))).respond(VARIANT)
    assert (reply.kind, reply.entry_id) == (Kind.ANSWER, "ai-conformance-program")
