"""Accepting a suggestion edits the editors' own file: only the new lines appear in the diff,
comments and hand formatting stay, the result validates as `check` does, and a file someone
changed meanwhile is not overwritten."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import yaml

from bot.core.content import ContentError, parse_content
from bot.core.content_edit import ChangedOnDiskError, ContentFile, EditError
from tests.conftest import ROOT

SMALL = """\
# editors' comment at the top
schema_version: 1
webinar:
  title: "A webinar"
  presenter: Someone
  date: 2025-12-04
  host: Host
  source_url: https://example.com/article
  recording_url: https://example.com/recording
takeaways:
  - One takeaway.
entries:
  - id: first
    number: 1
    question: What is first?
    answer: The first answer.
    keywords: [alpha,
      beta]   # hand-wrapped on purpose
    examples:
      - "first, in other words"
      - >-
        a folded example
        over two lines

  # a comment that belongs to the second entry
  - id: second
    number: 2
    question: What is second?
    answer: The second answer.
# trailing comment before the next section
generic_terms: [webinar]
"""


def check(text: str, path: str) -> None:
    parse_content(text, path)


def added_lines(diff: str) -> list[str]:
    assert not [
        line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")
    ], diff  # nothing removed or rewritten
    return [line[1:] for line in diff.splitlines() if line.startswith("+") and line[1:2] != "+"]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "qa.yaml"
    path.write_text(SMALL)
    return path


def test_an_example_on_the_real_content_adds_two_lines_and_nothing_else(tmp_path: Path):
    path = tmp_path / "qa.yaml"
    path.write_text((ROOT / "content" / "qa.yaml").read_text())
    edit = ContentFile(path)
    edit.add_example("supply-chain-security-gaps", 'what\'s missing in "supply chain" security?')
    assert added_lines(edit.diff()) == [
        "    examples:",
        '      - "what\'s missing in \\"supply chain\\" security?"',
    ]
    edit.save(check)
    entry = parse_content(path.read_text()).entry("supply-chain-security-gaps")
    assert entry.examples == ('what\'s missing in "supply chain" security?',)


def test_a_file_without_a_last_newline_is_marked_in_the_diff(tmp_path: Path):
    """A content file whose last line has no newline: the diff's last line had none either,
    so what was printed next ran on from it ("    # end of entrieswarning: …")."""
    path = tmp_path / "qa.yaml"
    path.write_text((ROOT / "content" / "qa.yaml").read_text().rstrip("\n") + "\n# end")
    edit = ContentFile(path)
    edit.add_decline("where is the printer")
    diff = edit.diff()
    assert diff.endswith("\n") and "# end\n\\ No newline at end of file\n" in diff
    assert added_lines(diff)[-1] == '  - "where is the printer"'


def test_appending_to_existing_examples_keeps_comments_and_wrapping(small: Path):
    edit = ContentFile(small)
    edit.add_example("first", "the first one?")
    edit.add_example("second", "and the second")
    edit.add_decline("what's for lunch")
    assert added_lines(edit.diff()) == [
        '      - "the first one?"',
        "    examples:",
        '      - "and the second"',
        "",
        "declines:",
        '  - "what\'s for lunch"',
    ]
    edit.save(check)
    text = small.read_text()
    assert "  # a comment that belongs to the second entry\n  - id: second" in text
    assert "keywords: [alpha,\n      beta]   # hand-wrapped on purpose" in text
    content = parse_content(text)
    assert content.entry("first").examples[-2:] == (
        "a folded example over two lines",
        "the first one?",
    )
    assert content.entry("second").examples == ("and the second",)


def test_a_phrase_already_used_or_an_unknown_entry_is_refused(small: Path):
    edit = ContentFile(small)
    with pytest.raises(EditError, match="already an example of 'first'"):
        edit.add_example("second", "  FIRST, in other   words ")
    with pytest.raises(EditError, match="no entry with id 'third'"):
        edit.add_example("third", "x")
    with pytest.raises(EditError, match="empty"):
        edit.add_decline("   ")
    assert not edit.changed


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(small: Path):
    edit = ContentFile(small)
    edit.add_example("second", "number two")
    small.write_text(SMALL.replace("The second answer.", "Edited by someone else."))
    with pytest.raises(ChangedOnDiskError, match="changed on disk"):
        edit.save(check)
    assert "Edited by someone else." in small.read_text()
    assert "number two" not in small.read_text()


def test_of_two_saves_at_once_from_the_same_reading_one_is_refused(small: Path):
    """Two `suggestions accept` at once, each from the file as it read it: before, both found
    the file unchanged (the check came before the validation and the replace), both replaced
    it, and the first one's phrasing was lost though both said it was added. Here the
    validation takes a moment, as parsing a real content file does; exactly one save goes
    through and the other is told the file changed."""
    edits = [ContentFile(small), ContentFile(small)]
    edits[0].add_example("first", "one, by the first editor")
    edits[1].add_example("second", "two, by the second editor")
    start = threading.Barrier(2)
    outcome: list[str] = []

    def slow_check(text: str, path: str) -> None:
        time.sleep(0.3)
        check(text, path)

    def save(edit: ContentFile) -> None:
        start.wait()
        try:
            edit.save(slow_check)
            outcome.append("saved")
        except ChangedOnDiskError:
            outcome.append("refused")

    threads = [threading.Thread(target=save, args=(edit,)) for edit in edits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome) == ["refused", "saved"]
    text = small.read_text()
    assert ("one, by the first editor" in text) != ("two, by the second editor" in text)


def test_an_invalid_result_is_not_written(small: Path):
    broken = SMALL.replace("number: 2", "number: 1")  # two entries numbered 1
    small.write_text(broken)
    edit = ContentFile(small)
    edit.add_example("first", "anything")
    with pytest.raises(ContentError):
        edit.save(check)
    assert small.read_text() == broken


def test_a_flow_style_list_is_reported_not_rewritten(small: Path):
    small.write_text(
        SMALL.replace("generic_terms: [webinar]", "generic_terms: [webinar]\ndeclines: [a, b]")
    )
    edit = ContentFile(small)
    line = SMALL.count("\n") + 1  # the line `declines:` was added as
    with pytest.raises(
        EditError, match=f":{line}: `declines` must be a block list.*nothing written"
    ):
        edit.add_decline("c")


def test_a_crlf_file_keeps_its_line_endings(small: Path):
    """The file was read with newlines translated and written back with LF throughout: a
    Windows editor's file came back with every line changed though the diff showed two."""
    results = []
    for newline in ("\n", "\r\n"):
        small.write_bytes(SMALL.replace("\n", newline).encode())
        edit = ContentFile(small)
        edit.add_example("second", "and the second")
        edit.add_decline("what's for lunch")
        edit.save(check)
        results.append(small.read_bytes())
    lf, crlf = results
    assert crlf.count(b"\r\n") == crlf.count(b"\n")  # no bare LF anywhere
    assert crlf.replace(b"\r\n", b"\n") == lf  # the same edit as in the LF file


def test_a_symlinked_file_is_edited_through_the_link(small: Path, tmp_path: Path):
    """The link was replaced by a regular file: the bot kept serving the target, which never
    got the phrasing, and later edits of the target were no longer what the link showed."""
    link = tmp_path / "link.yaml"
    link.symlink_to(small)
    edit = ContentFile(link)
    edit.add_example("second", "and the second")
    edit.save(check)
    assert link.is_symlink()
    assert parse_content(small.read_text()).entry("second").examples == ("and the second",)


KEPT = SMALL.replace(
    SMALL[SMALL.index("    answer: The first answer.") : SMALL.index("\n\n  # a comment")],
    "    keywords: [alpha, beta]\n    answer: |+\n      The first answer,\n      kept as typed.",
).replace("    answer: The second answer.\n", "    answer: >+\n      The second answer.\n\n")


@pytest.mark.parametrize("entry_id", ["first", "second"])
def test_an_entry_ending_in_a_keep_chomping_block_scalar_takes_an_example(
    tmp_path: Path, entry_id: str
):
    """`answer: |+` (or `>+`) keeps its trailing blank lines: they are the answer's own. The
    example was inserted before them, the answer lost them, and `accept` gave up with "the edit
    did not land where expected" and no cause. The example goes after them; the answer is kept."""
    path = tmp_path / "qa.yaml"
    path.write_text(KEPT)
    edit = ContentFile(path)
    edit.add_example(entry_id, "in other words")
    assert added_lines(edit.diff()) == ["    examples:", '      - "in other words"']
    edit.save(check)
    assert parse_content(path.read_text()).entry(entry_id).examples == ("in other words",)
    answers = [e["answer"] for e in yaml.safe_load(path.read_text())["entries"]]
    assert answers == ["The first answer,\nkept as typed.\n\n", "The second answer.\n\n"]
