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


def test_warnings_of_keywords_and_of_taught_phrasings_come_in_file_order(tmp_path):
    """A keyword's warning (Q8's, late in the file) came before an example's (Q3's) because
    loading's warnings were printed first, then the taught phrasings': one list, by line."""
    path = edited(tmp_path, [("ai-conformance-program", SBOMS)])
    text = path.read_text().replace(
        "keywords: [Chronosphere,", "keywords: [on the way, Chronosphere,"
    )
    path.write_text(text)
    done = check(path)
    lines = [int(w.split(":")[2]) for w in done.stderr.splitlines()]
    assert len(lines) == 2 and lines == sorted(lines), done.stderr


def test_the_bundled_content_has_no_such_warning():
    done = check(ROOT / "content" / "qa.yaml")
    assert done.returncode == 0 and "is taught for" not in done.stderr


ADOPTION = "easier-or-harder-adoption"  # Q10: Devtron, Nutanix (NKP), Tailscale
HELD_BACK = {
    "what is nutanix": "for a definition",
    "is tailscale open source": "for a fact no view holds",
    "how much does NKP cost": "about 'cost', which not_covered lists",
}


def test_an_example_in_a_form_the_bot_holds_back_is_a_warning(tmp_path):
    """A definition, an availability question, a price: asked of Q10's subject, the bot offers
    Q10 privately at most, since its answer says none of that. Taught, each is posted in the
    channel (the editors' verdict), so `check` names each at its line and says why; a pick
    that only resolved the matcher's doubt is what examples are for, and says nothing."""
    taught = [(ADOPTION, text) for text in HELD_BACK] + [("ai-conformance-program", UNSURE)]
    path = edited(tmp_path, taught)
    done = check(path)
    assert done.returncode == 0 and ": ok (" in done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == len(HELD_BACK), done.stderr
    for (text, why), warning in zip(HELD_BACK.items(), lines, strict=True):
        assert warning.startswith(f"warning: {path}:{line_of(path, text)}: entries[9].examples[")
        assert f"{text!r} is taught for Q10, and so answered with it in the channel" in warning
        assert f"it asks {why}" in warning and "the bot would not post Q10 for it" in warning
    for text in HELD_BACK:  # what the warning says: taught, it is answered
        asked = run_bot("--content", str(path), "ask", text, cwd=tmp_path, env=clean_env())
        assert asked.stdout.startswith("Q10."), asked.stdout


def test_an_example_of_one_word_is_a_warning(tmp_path):
    """A single picked word ("platform", which several entries speak of) proposed as an
    example: taught, every message of that word alone is answered with the entry in the
    channel. `check` says so at its line; a phrasing of a few words says nothing."""
    path = edited(tmp_path, [("ai-assisted-cluster-operations", "platform?")])
    done = check(path)
    assert done.returncode == 0 and ": ok (" in done.stdout
    (warning,) = done.stderr.splitlines()
    assert warning.startswith(f"warning: {path}:{line_of(path, 'platform?')}: entries[1].examples[")
    assert "'platform?' is taught for Q2, and its only content word is 'platform'" in warning


def test_a_decline_that_swallows_a_keyword_is_a_warning(tmp_path):
    """ "what about SBOMs" is `sbom` to the matcher: as a decline it also declines "sbom", a
    keyword of Q5, which `ask sbom` answered. `check` said ok; it names the decline's line and
    what it blocks."""
    path = tmp_path / "qa.yaml"
    path.write_text(QA + 'declines:\n  - "what about SBOMs"\n')
    done = check(path)
    assert done.returncode == 0 and ": ok (" in done.stdout
    warning, answered = done.stderr.splitlines()
    line = len(QA.splitlines()) + 2
    assert warning.startswith(f"warning: {path}:{line}: declines[0]: decline 'what about SBOMs'")
    assert "also declines a message of Q5's keyword 'SBOM'" in warning
    assert "is answered with Q5 (supply-chain-security-gaps) in the channel" in answered
    asked = run_bot("--content", str(path), "ask", "--json", "sbom", cwd=tmp_path, env=clean_env())
    assert '"kind": "decline"' in asked.stdout  # what the warning is about
    path.write_text(QA + 'declines:\n  - "what about SBOMs on my fridge"\n')
    assert check(path).stderr == ""  # saying what makes it off-topic blocks nothing


def test_a_decline_the_bot_answers_untaught_is_a_warning(tmp_path):
    """ "easier or harder to adopt?" as a decline passed `check`, and then the bot declined six
    ways of asking Q10 (its near-repeats). A decline the bot would answer in the channel is
    named with that entry: right for a wrong answer, a loss for an on-topic question. One the
    bot declines or is unsure of anyway earns no warning."""
    path = tmp_path / "qa.yaml"
    path.write_text(
        QA + 'declines:\n  - "easier or harder to adopt?"\n  - "where is the printer"\n'
    )
    done = check(path)
    assert done.returncode == 0 and ": ok (" in done.stdout
    (warning,) = done.stderr.splitlines()
    line = len(QA.splitlines()) + 2
    assert warning.startswith(f"warning: {path}:{line}: declines[0]: decline 'easier or harder")
    assert "is answered with Q10 (easier-or-harder-adoption) in the channel when untaught" in (
        warning
    )
