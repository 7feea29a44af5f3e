"""`kubecon-bot check` warns about a taught phrasing the matcher would route to another entry,
at the example's file:line, without failing the file: the editor may mean it."""

from __future__ import annotations

from pathlib import Path

from bot.core.content_edit import ContentFile
from tests.conftest import ROOT, clean_env, run_bot

QA = (ROOT / "content" / "qa.yaml").read_text()
UNSURE = "where are we with that neutral AI rubber stamp thing"  # a "did you mean" pick
SBOMS = "what about SBOMs?"  # the matcher alone answers Q5 (supply chain) outright


def edited(tmp_path: Path, examples: list[tuple[str, str]]) -> Path:
    """A copy of the content with these phrasings taught, written as an editor would; the
    file is not checked on save, as a hand edit would not be."""
    path = tmp_path / "qa.yaml"
    path.write_text(QA)
    edit = ContentFile(path)
    for entry_id, phrase in examples:
        edit.add_example(entry_id, phrase)
    path.write_text(edit.text)
    return path


def line_of(path: Path, phrase: str) -> int:
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if f'- "{phrase}"' in line)


def check(path: Path):
    return run_bot("check", str(path), cwd=path.parent, env=clean_env())


def test_an_example_the_matcher_alone_answers_with_another_entry_is_a_warning(tmp_path):
    path = edited(tmp_path, [("ai-conformance-program", UNSURE), ("ai-conformance-program", SBOMS)])
    done = check(path)
    assert done.returncode == 0 and ": ok (" in done.stdout
    (warning,) = done.stderr.splitlines()  # the unsure phrasing is what examples are for
    assert warning.startswith(f"warning: {path}:{line_of(path, SBOMS)}: entries[2].examples[1]: ")
    assert f"{SBOMS!r} is taught for Q3, but without it the matcher answers Q5" in warning
    assert "supply-chain-security-gaps" in warning and "right entry?" in warning


def test_the_bundled_content_has_no_such_warning():
    done = check(ROOT / "content" / "qa.yaml")
    assert done.returncode == 0 and "is taught for" not in done.stderr
