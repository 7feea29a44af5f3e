"""The content schema's rules in detail: what a value becomes, which values are refused, and that
checking it needs no schema library (so `kubecon-bot ask` starts fast, issue 11)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from bot.core.content import ContentError, _http_url, _URLError, parse_content
from tests.conftest import ROOT

VALID = (ROOT / "content" / "qa.yaml").read_text(encoding="utf-8")


def _problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_content(text, "qa.yaml")
    return [f"{p.field}: {p.message}" for p in info.value.problems]


def test_texts_are_stripped_and_synonyms_lowercased():
    text = VALID.replace("  presenter: Tom Fenton\n", "  presenter: '  Tom Fenton\u00a0 '\n")
    text = text.replace("  k8s: kubernetes\n", "  K8S: ' Kubernetes '\n")
    model = parse_content(text).model
    assert model.webinar.presenter == "Tom Fenton"
    assert model.synonyms["k8s"] == "kubernetes"


def test_numbers_and_dates_written_as_strings_are_accepted_as_before():
    text = VALID.replace("number: 3\n", "number: '3'\n").replace(
        "date: 2025-12-04", "date: '2025-12-04'"
    )
    content = parse_content(text)
    assert content.entry_by_number(3) is not None
    assert content.webinar.date == dt.date(2025, 12, 4)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("number: 3\n", "number: 2.5\n"), "entries[2].number: Input should be a valid integer"),
        (("number: 3\n", "number: three\n"), "entries[2].number: Input should be a valid integer"),
        (("number: 3\n", "number: 0\n"), "entries[2].number: Input should be greater than"),
        (("schema_version: 1", "schema_version: 2"), "schema_version: 2 is a layout this kubecon"),
        (("  presenter: Tom Fenton", "  presenter: 5"), "webinar.presenter: Input should be a val"),
        (("date: 2025-12-04", "date: '2025-13-04'"), "webinar.date: Input should be a valid date"),
        (("date: 2025-12-04", "date: soon"), "webinar.date: Input should be a valid date"),
        (
            ("id: ai-conformance-program", "id: AI Conformance"),
            "entries[2].id: should be lower-case letters and digits, words joined by hyphens",
        ),
        (("generic_terms: [", "generic_terms: ['', "), "generic_terms[0]: must not be empty"),
        (
            ("generic_terms: [kubernetes,", "generic_terms: kubernetes #"),
            "generic_terms: Input should be a valid list",
        ),
        (("  k8s: kubernetes\n", "  k8s: ''\n"), "synonyms.k8s: must not be empty"),
        (("webinar:\n", "webinar: []\nx:\n"), "webinar: Input should be a valid dictionary"),
        (("source_url: https:", "source_url: ftp:"), "webinar.source_url: URL scheme should be"),
    ],
)
def test_a_wrong_value_is_named_with_its_field(edit, expected):
    broken = VALID.replace(*edit, 1)
    assert broken != VALID
    assert any(p.startswith(expected) for p in _problems(broken)), _problems(broken)


def test_a_misspelt_key_names_the_key_meant():
    """`entires:` for `entries:`: the editor is told which key was meant, at the misspelt
    line; a key like no known one is only said to be unknown."""
    problems = _problems(VALID.replace("\nentries:", "\nentires:", 1))
    assert any(p.startswith("entires: unknown key (did you mean 'entries'?)") for p in problems)
    problems = _problems(VALID.replace("    number: 3\n", "    number: 3\n    colour: red\n"))
    assert (
        "entries[2].colour: unknown key (check its spelling) (entry 3, id 'ai-conformance-program')"
        in problems
    ), problems


def test_true_is_no_number():
    """`number: true` was read as 1 and reported as "duplicate number True" beside the entry
    numbered 1, which is not what is wrong with it."""
    problems = _problems(VALID.replace("number: 3\n", "number: true\n", 1))
    assert problems == [
        "entries[2].number: Input should be a valid integer, not true or false"
        " (id 'ai-conformance-program')"
    ]


def test_a_problem_in_an_entry_names_the_entry_by_its_number_and_id():
    """ "entries[2]" counts from 0: the editor looking for it reads "number: 3", so the entry
    is named as they know it. A number or id that is itself the problem, or missing, is not
    used to name it."""
    problems = _problems(VALID.replace("    number: 3\n", "    number: 3\n    tags: [x]\n", 1))
    assert problems == [
        "entries[2].tags: unknown key (check its spelling) (entry 3, id 'ai-conformance-program')"
    ]
    problems = _problems(VALID.replace("    number: 3\n", "", 1))
    assert problems == [
        "entries[2].number: required field is missing (id 'ai-conformance-program')"
    ]


def test_an_empty_synonym_is_named_as_such():
    """An empty spelling (the key) was reported as `synonyms..[key]`."""
    problems = _problems(VALID.replace("  k8s: kubernetes\n", "  '': kubernetes\n", 1))
    assert problems == ["synonyms: a spelling (left of the colon) must not be empty"]


@pytest.mark.parametrize("date", ["2025-13-04", "2025-02-30", "2025-12-04 25:00:00"])
def test_an_impossible_date_is_a_problem_with_its_line_not_a_traceback(date):
    broken = VALID.replace("date: 2025-12-04", f"date: {date}")
    problems = _problems(broken)
    assert problems[0].startswith("webinar.date: Input should be a valid date"), problems


def test_an_empty_list_of_entries_is_refused():
    head = VALID[: VALID.index("entries:")]
    assert "entries: List should have at least 1 item after validation, not 0" in _problems(
        head + "entries: []\n"
    )


# What pydantic's HttpUrl made of these (it validated the URLs before), kept as a table.
URLS = [
    ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
    ("HTTPS://Example.ORG", "https://example.org/"),
    ("https://example.org:443/a", "https://example.org/a"),
    ("http://example.org:8080", "http://example.org:8080/"),
    ("https://ex.org/a b?q=1 2#f g", "https://ex.org/a%20b?q=1%202#f%20g"),
    ("https://bücher.de/ü", "https://xn--bcher-kva.de/%C3%BC"),
    (" https://x.org/ ", "https://x.org/"),
    ("https:x.org", "https://x.org/"),
    ("https://x.org\\a\\b", "https://x.org/a/b"),
    ("https://x.org/a/../b/./c", "https://x.org/b/c"),
    ("https://x.org?q", "https://x.org/?q"),
    ("http://user:pw@x.org", "http://user:pw@x.org/"),
    ("http://[::1]/", "http://[::1]/"),
    ("https://1.2.3.4", "https://1.2.3.4/"),
    ("https://1.2", "https://1.0.0.2/"),
]
BAD_URLS = [
    ("notaurl", "Input should be a valid URL, relative URL without a base"),
    ("htp:/", "URL scheme should be 'http' or 'https'"),
    ("ftp://x", "URL scheme should be 'http' or 'https'"),
    ("javascript:alert(1)", "URL scheme should be 'http' or 'https'"),
    ("https://", "Input should be a valid URL, empty host"),
    ("https://exa mple.org", "Input should be a valid URL, invalid international domain name"),
    ("https://example.org:99999", "Input should be a valid URL, invalid port number"),
    ("https://256.1.1.1", "Input should be a valid URL, invalid IPv4 address"),
    ("https://x.org/" + "a" * 2100, "URL should have at most 2083 characters"),
    # `.env.example`'s RECORDING_URL, uncommented: every answer linked "https://.../"
    ("https://...", "the host has no name in it (is it a placeholder?): give the real address"),
]


@pytest.mark.parametrize(("url", "normalised"), URLS)
def test_urls_are_normalised_as_a_browser_does(url, normalised):
    assert _http_url(url) == normalised
    assert _http_url(normalised) == normalised


@pytest.mark.parametrize(("url", "message"), BAD_URLS)
def test_a_bad_url_says_why(url, message):
    with pytest.raises(_URLError) as info:
        _http_url(url)
    assert str(info.value) == message


def test_a_bad_recording_url_is_blamed_on_the_variable():
    with pytest.raises(ContentError) as info:
        parse_content(VALID, "qa.yaml", recording_url="notaurl")
    assert str(info.value) == (
        "RECORDING_URL: 'notaurl': Input should be a valid URL, relative URL without a base"
    )


@pytest.mark.parametrize("argv", [["ask", "sbom"], ["list"], ["check"]])
def test_content_commands_load_no_schema_platform_or_database_library(argv):
    """Behaviour-neutral, but it keeps the start-up fast: importing pydantic and building the
    content models was more than half of `ask`'s start-up (bench/cold_start.py)."""
    code = (
        f"import sys; from bot.cli import main; main({argv!r});"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'pydantic_core', "
        "'pydantic_settings', 'sqlalchemy', 'alembic', 'psycopg', 'slack_bolt', 'slack_sdk', "
        "'discord', 'aiohttp', 'ruamel'});"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert out.strip().endswith("HEAVY []")
