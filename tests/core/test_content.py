"""The content file: the bundled one is valid and verbatim; broken ones are located precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.core.content import ContentError, load_content, parse_content
from bot.core.responder import Responder
from tests.conftest import ROOT, SHARED

VALID = (ROOT / "content" / "qa.yaml").read_text(encoding="utf-8")


def _error(text: str) -> str:
    with pytest.raises(ContentError) as info:
        parse_content(text, "qa.yaml")
    return str(info.value)


def _line_of(text: str, needle: str) -> int:
    """The line of the last occurrence: where a duplicate is reported."""
    return max(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_bundled_content_has_ten_entries_three_takeaways_and_both_links(content):
    assert [e.number for e in content.entries] == list(range(1, 11))
    assert len({e.id for e in content.entries}) == 10
    assert len(content.takeaways) == 3
    assert content.webinar.presenter == "Tom Fenton"
    assert str(content.webinar.date) == "2025-12-04"
    assert content.recording_url.startswith("https://virtualizationreview.com/")
    assert content.source_url.startswith("https://virtualizationreview.com/")
    assert content.warnings == ()


def test_answers_questions_and_takeaways_are_verbatim_from_the_seed(content):
    # missing ../shared must fail, not skip: the verbatim guarantee would go unchecked
    path = SHARED / "seed" / "kubecon25-takeaways-qa.txt"
    assert path.is_file(), f"{path} is missing: ../shared must be next to the repository"
    seed = path.read_text(encoding="utf-8")
    seed = " ".join(seed.replace("itsautomated", "its automated").split())  # the one typo fixed
    for entry in content.entries:
        assert " ".join(entry.question.split()) in seed, entry.id
        for paragraph in entry.answer.split("\n\n"):
            assert " ".join(paragraph.split()) in seed, entry.id
    for takeaway in content.takeaways:
        assert takeaway in seed


def test_recording_url_can_be_overridden(tmp_path):
    content = load_content(recording_url="https://example.org/replay")
    assert content.recording_url == "https://example.org/replay"


@pytest.mark.parametrize(
    ("edit", "field", "needle", "message"),
    [
        (
            lambda t: t.replace("    number: 3\n", "    number: 3\n    colour: red\n"),
            "entries[2].colour",
            "colour: red",
            "unknown key",
        ),
        (
            lambda t: t.replace("  presenter: Tom Fenton\n", ""),
            "webinar.presenter",
            "webinar:",
            "required field is missing",
        ),
        (
            lambda t: t.replace("id: ai-conformance-program", "id: openai-logging-fix"),
            "entries[5].id",
            "id: openai-logging-fix",
            "duplicate id 'openai-logging-fix'",
        ),
        (
            lambda t: t.replace("number: 7", "number: 2"),
            "entries[6].number",
            "number: 2",
            "duplicate number 2",
        ),
        (
            lambda t: t.replace("recording_url: https://", "recording_url: htp:/"),
            "webinar.recording_url",
            "recording_url:",
            "URL",
        ),
        (
            lambda t: re.sub(
                r"(id: cloud-native-for-good\n.*?answer: )>-\n(?:      .*\n)+",
                r'\1""\n',
                t,
                flags=re.S,
            ),
            "entries[6].answer",
            "cloud-native-for-good",
            "must not be empty",
        ),
    ],
    ids=["unknown-key", "missing-field", "duplicate-id", "duplicate-number", "bad-url", "empty"],
)
def test_broken_content_names_file_line_and_field(edit, field, needle, message):
    broken = edit(VALID)
    assert broken != VALID
    error = _error(broken)
    assert f": {field}: " in error
    assert message.lower() in error.lower()
    line = int(re.match(r"qa\.yaml:(\d+):", error).group(1))
    assert line >= _line_of(broken, needle) - 8  # at the field, or at its entry for a missing one
    assert line <= _line_of(broken, needle) + 8


def test_duplicate_yaml_key_is_refused_with_both_lines():
    twice = "  presenter: Tom Fenton\n  presenter: X\n"
    broken = VALID.replace("  presenter: Tom Fenton\n", twice, 1)
    error = _error(broken)
    assert "duplicate key 'presenter'" in error
    assert error.startswith(f"qa.yaml:{_line_of(broken, 'presenter: X')}:")


def test_invalid_yaml_reports_the_line():
    error = _error("webinar:\n  title: [unclosed\n")
    assert error.startswith("qa.yaml:") and "invalid YAML" in error


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quote_left_open_is_reported_where_it_was_opened(quote: str):
    """An editor who types `question: "Why …` and forgets the closing quote: the value runs
    on to the next quote, dozens of lines down, where the parser gives up. The line to fix is
    the one that opened it; where the parser stopped is said too."""
    entry = next(line for line in VALID.splitlines() if line.strip().startswith("question:"))
    opened = entry.replace("question: ", f"question: {quote}Why ", 1)
    broken = VALID.replace(entry, opened, 1)
    error = _error(broken)
    assert error.startswith(f"qa.yaml:{_line_of(broken, opened)}: invalid YAML: "), error
    assert "not closed" in error and "the parser stopped at line " in error


def test_a_line_indented_out_of_its_value_is_said_as_such():
    """A folded answer's next line pasted with fewer spaces, or a key indented otherwise than
    its entry's, or a value with ": " in it: PyYAML says "did not find expected '-'
    indicator" (or "mapping values are not allowed"), which names nothing the editor did. The
    line says what is wrong, the parser's words kept after it."""
    lines = VALID.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "answer: >-")
    text = lines[at + 1]
    pasted = [*lines[: at + 1], "   " + text.lstrip(), *lines[at + 2 :]]
    error = _error("\n".join(pasted) + "\n")
    assert error.startswith(f"qa.yaml:{at + 2}: invalid YAML: this line is indented 3 spaces,")
    assert f"(line {at + 1}): indent it {len(text) - len(text.lstrip())} spaces" in error
    assert "(the parser: did not find expected '-' indicator)" in error
    key = next(i for i, line in enumerate(lines) if line.startswith("    number: 2"))
    for spaces in (2, 6):
        moved = [*lines[:key], " " * spaces + "number: 2", *lines[key + 1 :]]
        error = _error("\n".join(moved) + "\n")
        assert error.startswith(f"qa.yaml:{key + 1}: invalid YAML: this key is indented "), error
        assert f"{spaces} spaces and the one before it (line {key}) 4: keys of one entry" in error
    # an unquoted ": " inside a value is no indentation matter: it is said as what it is
    colon = VALID.replace("number: 2\n", "number: 2\n    note: a: b\n", 1)
    error = _error(colon)
    assert "mapping values are not allowed" in error and "indented" not in error
    assert "the value on this line has ': ' in it, which YAML reads as another key" in error


def test_every_problem_is_reported_not_only_the_first():
    broken = VALID.replace("number: 7", "number: 0").replace("  presenter: Tom Fenton\n", "")
    error = _error(broken)
    assert "webinar.presenter" in error and "entries[6].number" in error


def test_keyword_shared_by_two_entries_is_a_warning():
    text = VALID.replace("keywords: [Chronosphere,", "keywords: [SBOM, Chronosphere,")
    content = parse_content(text, "qa.yaml")
    warnings = [str(w) for w in content.warnings]
    assert any("SBOM" in w and "supply-chain-security-gaps" in w for w in warnings)


def test_entry_numbers_with_a_gap_are_a_warning_and_the_refusal_names_the_runs():
    """Numbers 1–9 and 12: `check` warns at the entry after the gap, and asking for #10 is told
    the numbers there are, where "numbered 1–12" said there was a 10."""
    text = VALID.replace("    number: 10\n", "    number: 12\n", 1)
    content = parse_content(text, "qa.yaml")
    gap = [w for w in content.warnings if "numbers skip 10–11" in w.message]
    assert len(gap) == 1 and gap[0].line == _line_of(text, "number: 12"), content.warnings
    reply = Responder(content).respond("#10")
    assert "they are numbered 1–9 and 12" in reply.text and not reply.public
    assert not [w for w in parse_content(VALID, "qa.yaml").warnings if "skip" in w.message]


def test_a_different_webinar_loads_and_answers(tmp_path: Path):
    other = {
        "webinar": {
            "title": "Edge Day",
            "presenter": "Ada",
            "date": "2026-01-01",
            "host": "Example",
            "source_url": "https://example.org/a",
            "recording_url": "https://example.org/r",
        },
        "takeaways": ["Edge is near."],
        "entries": [
            {
                "id": "latency",
                "number": 1,
                "question": "How low can latency go at the edge?",
                "answer": "About a millisecond.",
                "keywords": ["latency"],
            },
            {
                "id": "fleet",
                "number": 2,
                "question": "How do you manage a fleet of devices?",
                "answer": "GitOps.",
                "keywords": ["fleet", "devices"],
            },
        ],
    }
    path = tmp_path / "edge.yaml"
    path.write_text(yaml.safe_dump(other), encoding="utf-8")
    content = load_content(path)
    reply = Responder(content).respond("managing a device fleet?")
    assert reply.body == "GitOps."
    assert reply.links[0].url == "https://example.org/r"


def test_a_keyword_of_filler_words_alone_is_a_warning():
    text = VALID.replace("keywords: [Chronosphere,", "keywords: [on the way, Chronosphere,")
    warnings = [str(w) for w in parse_content(text, "qa.yaml").warnings]
    assert any("'on the way'" in w and "entries[7].keywords[0]" in w for w in warnings)


def test_an_example_or_decline_with_no_word_that_says_something_is_a_warning():
    """`examples: ["the"]`, `"?!"`, `"🚀"` passed `check` as ok: reduced to the words the
    matcher weighs they are nothing, and no message can ever be recognised as them."""
    text = (
        VALID.replace(
            "keywords: [Chronosphere,", 'examples: ["the", "🚀 ?!"]\n    keywords: [Chronosphere,'
        )
        + 'declines: ["what about it?"]\n'
    )
    warnings = [str(w) for w in parse_content(text, "qa.yaml").warnings]
    for field, said in (
        ("entries[7].examples[0]", "'the'"),
        ("entries[7].examples[1]", "'🚀 ?!'"),
        ("declines[0]", "'what about it?'"),
    ):
        assert any(field in w and said in w and "never" in w for w in warnings), (field, warnings)


def test_a_keyword_asking_an_uncovered_aspect_is_a_warning():
    """ "pricing" as a keyword of the Chronosphere entry makes that entry say pricing, which
    `not_covered` exists to keep out of the channel: the editor is told at the keyword's line.
    A name containing such a word is no such keyword. (A taught "chronosphere pricing?" is
    `check`'s, with every form the bot holds back: tests/core/test_examples_check.py.)"""
    text = VALID.replace("keywords: [Chronosphere,", "keywords: [pricing, Chronosphere,")
    warnings = [str(w) for w in parse_content(text, "qa.yaml").warnings]
    (warning,) = warnings
    assert "entries[7].keywords[0]: keyword 'pricing' asks about 'pricing'" in warning
    assert "answered with it in the channel" in warning
    named = VALID.replace("keywords: [Chronosphere,", "keywords: [pricing engine, Chronosphere,")
    assert parse_content(named, "qa.yaml").warnings == ()


def _with_synonyms(*lines: str) -> str:
    return VALID.replace("synonyms:\n", "synonyms:\n" + "".join(f"  {x}\n" for x in lines), 1)


def test_synonyms_that_cannot_do_what_they_say_are_warnings():
    """A trial editor's synonyms passed `check` as ok while doing nothing or not what they
    said: messages are rewritten a word at a time and once, so a two-word key never applies, a
    word rewritten to itself changes nothing, and one rewritten to another key stops there."""
    text = _with_synonyms("red hat: niantic", "xyz: xyz", "rh: redhat")
    warnings = [str(w) for w in parse_content(text, "qa.yaml").warnings]
    line = _line_of(text, "red hat: niantic")
    expected = [
        (f"qa.yaml:{line}: synonyms.red hat: ", "not one word", "never applies"),
        (f"qa.yaml:{line + 1}: synonyms.xyz: ", "rewritten to itself"),
        (f"qa.yaml:{line + 2}: synonyms.rh: ", "'redhat' is itself rewritten", "stops at"),
    ]
    for said in expected:
        assert any(all(s in w for s in said) for w in warnings), (said, warnings)
    # what the first warning says: Red Hat still means Q2, not Niantic's Q4
    reply = Responder(parse_content(text, "qa.yaml")).respond("what did red hat ship?")
    assert reply.number == 2
    assert parse_content(_with_synonyms("rh: red hat"), "qa.yaml").warnings == ()


def test_a_synonym_that_makes_two_entries_keywords_one_is_a_warning():
    """ "niantic: openshift" reads Q4's keyword Niantic as Q2's OpenShift: told at the keyword."""
    text = _with_synonyms("niantic: openshift")
    (warning,) = [str(w) for w in parse_content(text, "qa.yaml").warnings]
    assert f"qa.yaml:{_line_of(text, 'Niantic,')}: entries[3].keywords[2]: " in warning
    assert "counts as 'openshift'" in warning and "'ai-assisted-cluster-operations'" in warning
    # a synonym to a word of its own entry is what synonyms are for
    assert parse_content(_with_synonyms("niantic: scopely"), "qa.yaml").warnings == ()


def test_a_generic_term_that_is_an_entry_keyword_is_a_warning():
    text = VALID.replace("generic_terms: [kubernetes,", "generic_terms: [niantic, kubernetes,")
    (warning,) = [str(w) for w in parse_content(text, "qa.yaml").warnings]
    assert "entries[3].keywords[2]: keyword 'Niantic' is one of generic_terms" in warning


def test_a_synonym_key_that_yaml_reads_as_a_number_is_named_as_typed():
    text = _with_synonyms("12: twelve")
    error = _error(text)
    assert f"qa.yaml:{_line_of(text, '12: twelve')}: synonyms.12: 12 left of the colon" in error
    assert "quote it" in error
