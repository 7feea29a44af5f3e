"""The bot proposes, an editor approves, the content file changes: a question the bot was unsure
about, whose asker picked an entry from "did you mean", is proposed as an example of that entry;
`suggestions accept` writes it into the content file (diff shown, `--dry-run` writes nothing),
and a bot built from the file answers that wording; rejected or accepted, it is not proposed
again. Real `kubecon-bot` processes on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import shlex
import subprocess
from pathlib import Path

import pytest

from bot.core.clock import utcnow
from bot.core.content import load_content
from bot.daily.store import Store
from bot.usage.log import UsageLog
from bot.usage.records import Asked
from bot.usage.suggestions import new_entries, phrasings, suggestion_id
from tests.conftest import ROOT, bot_cmd, clean_env, run_bot

UNSURE = "where are we with that neutral AI rubber stamp thing"
OTHER = "gpu cost stuff we talked about"
ENTRY, OTHER_ENTRY = "ai-conformance-program", "openai-logging-fix"


def unsure_then_picked(text: str, entry_id: str, key: str, at: dt.datetime) -> list[Asked]:
    """What the journal records: the unsure question (with its text and reply key), then the
    pick, filed under the key of the suggestions it answers."""
    return [
        Asked(at=at, platform="slack", outcome="suggested", reply_key=key, text=text),
        Asked(at=at, platform="slack", outcome="picked", reply_key=key, entry_id=entry_id),
    ]


def test_picks_become_suggestions_most_picked_first():
    content = load_content()
    now = utcnow()
    asked = [
        *unsure_then_picked(OTHER, OTHER_ENTRY, "a" * 16, now),
        *unsure_then_picked(UNSURE, ENTRY, "b" * 16, now),
        *unsure_then_picked(UNSURE.upper(), ENTRY, "c" * 16, now),  # the same wording again
        Asked(at=now, platform="slack", outcome="suggested", reply_key="d" * 16, text="no pick"),
        *unsure_then_picked("about an entry removed since", "no-such-entry", "e" * 16, now),
    ]
    first, second = phrasings(asked, content)
    assert (first.entry_id, first.picks) == (ENTRY, 2)
    assert (second.entry_id, second.text, second.picks) == (OTHER_ENTRY, OTHER, 1)
    assert phrasings(asked, content, decided={first.id}) == [second]


def test_a_wording_someone_took_to_an_entry_is_no_new_entry():
    """ "platform" picked for Q2 twice, and declined for three others who picked nothing: the
    list said both "Q2, 2× picked" and "new entry?, 3× unanswered" of one question. It is the
    entry's phrasing; a wording nobody took anywhere still needs a new entry."""
    from bot.core.responder import Responder

    now = utcnow()
    entry = "ai-assisted-cluster-operations"
    mesh = "service mesh rollout tips"
    asked = [
        *unsure_then_picked("platform", entry, "a" * 16, now),
        *unsure_then_picked("Platform?", entry, "b" * 16, now),
        *(Asked(at=now, platform="slack", outcome="declined", text="platform") for _ in range(3)),
        *(Asked(at=now, platform="slack", outcome="declined", text=mesh) for _ in range(3)),
    ]
    found = new_entries(asked, Responder(load_content()))
    assert [s.text for s in found] == [mesh]


def test_wordings_the_matcher_cannot_tell_apart_are_one_suggestion():
    """ "platform", "Platforms?" and "the platform" picked for one entry were three
    suggestions to review; the matcher knows them as one phrasing (their stems). One, under
    the first wording and its ID, with every pick; rejecting any wording rejects it."""
    content, now = load_content(), utcnow()
    wordings = ["platform stuff", "Platforms stuff?", "the platform stuff"]
    asked = [
        a
        for i, text in enumerate(wordings)
        for a in unsure_then_picked(text, ENTRY, str(i) * 16, now + dt.timedelta(seconds=i))
    ]
    [one] = phrasings(asked, content)
    assert (one.id, one.text, one.picks) == (suggestion_id(ENTRY, wordings[0]), wordings[0], 3)
    assert phrasings(asked, content, decided={suggestion_id(ENTRY, wordings[2])}) == []


@pytest.fixture
def recorded(db_url: str, tmp_path: Path) -> tuple[str, Path]:
    """A database holding two picked suggestions, and a copy of the content file to edit."""
    store = Store.open(db_url)
    now = utcnow() - dt.timedelta(hours=1)
    UsageLog(store.engine).record(
        [
            *unsure_then_picked(UNSURE, ENTRY, "b" * 16, now),
            *unsure_then_picked(OTHER, OTHER_ENTRY, "a" * 16, now),
        ]
    )
    store.close()
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    return db_url, content


def bot(*args: str, db: str, content: Path):
    return run_bot(
        "--content", str(content), *args, "--database", db, cwd=content.parent, env=clean_env()
    )


def test_accept_writes_the_phrasing_and_the_bot_answers_it(recorded: tuple[str, Path]):
    db, content = recorded
    sid, other = suggestion_id(ENTRY, UNSURE), suggestion_id(OTHER_ENTRY, OTHER)
    before = content.read_text()

    listed = bot("suggestions", db=db, content=content)
    assert listed.returncode == 0, listed.stderr
    assert f"{sid}  Q3" in listed.stdout and f"“{UNSURE}”" in listed.stdout
    asked = run_bot("--content", str(content), "ask", UNSURE, cwd=content.parent, env=clean_env())
    assert "Q3." not in asked.stdout.splitlines()[0]  # not answered with Q3 before

    dry = bot("suggestions", "accept", sid, "--dry-run", db=db, content=content)
    assert dry.returncode == 0, dry.stderr
    assert f'+      - "{UNSURE}"' in dry.stdout and "nothing written" in dry.stdout
    assert content.read_text() == before

    done = bot("suggestions", "accept", sid, db=db, content=content)
    assert done.returncode == 0, done.stderr
    assert "1 example(s) added" in done.stdout
    asked = run_bot("--content", str(content), "ask", UNSURE, cwd=content.parent, env=clean_env())
    assert asked.stdout.splitlines()[0].startswith("Q3.")  # the accepted wording is answered

    rejected = bot("suggestions", "reject", other, db=db, content=content)
    assert rejected.returncode == 0 and f"rejected: {other}" in rejected.stdout
    left = bot("suggestions", "list", db=db, content=content)
    assert "No pending suggestions" in left.stdout  # accepted and rejected: both decided


def test_unknown_ids_and_a_file_changed_meanwhile_are_refused(recorded: tuple[str, Path]):
    db, content = recorded
    unknown = bot("suggestions", "accept", "deadbeef", db=db, content=content)
    assert unknown.returncode == 1
    assert "deadbeef: no pending suggestion" in unknown.stderr and "Traceback" not in unknown.stderr
    content.write_text("schema_version: [")  # broken by someone meanwhile
    broken = bot("suggestions", "accept", suggestion_id(ENTRY, UNSURE), db=db, content=content)
    assert broken.returncode == 1 and f"{content}:2: invalid YAML" in broken.stderr
    assert "Traceback" not in broken.stderr


@pytest.mark.parametrize("action", ["show", "accept", "reject"])
def test_an_action_without_an_id_is_a_usage_error_that_changes_nothing(
    recorded: tuple[str, Path], action: str
):
    db, content = recorded
    before = content.read_text()
    done = bot("suggestions", action, db=db, content=content)
    assert done.returncode == 2 and done.stdout == ""
    assert f"suggestions {action}: which? Give one or more IDs" in done.stderr
    assert content.read_text() == before
    # nothing was decided either: both suggestions are still pending
    listed = bot("suggestions", db=db, content=content)
    assert suggestion_id(ENTRY, UNSURE) in listed.stdout
    assert suggestion_id(OTHER_ENTRY, OTHER) in listed.stdout
    stray = bot("suggestions", "list", suggestion_id(ENTRY, UNSURE), db=db, content=content)
    assert stray.returncode == 2 and "takes no ID" in stray.stderr

    # a flag the action has no use for was ignored in silence: `accept --json` wrote the file
    # and printed no JSON; `list --dry-run` read as if something could have been written
    some = suggestion_id(ENTRY, UNSURE)
    for args, says in (
        (("accept", some, "--json"), "--json is for list and show"),
        (("list", "--dry-run"), "--dry-run is for accept, reject and reopen"),
    ):
        refused = bot("suggestions", *args, db=db, content=content)
        assert refused.returncode == 2 and says in refused.stderr, args
    assert content.read_text() == before


MESHES = [
    "what about service mesh",
    "service mesh thoughts?",
    "any thoughts on service meshes",
]
NEW_ENTRY = """
  - id: service-mesh
    number: 11
    question: What did the webinar say about service mesh?
    answer: Nothing much; service meshes came up only in passing.
    keywords: [service mesh, service meshes, mesh]
"""
UPGRADES = [  # "upgrade" is in the content's not_covered: out of scope
    "how do I upgrade my cluster",
    "upgrading my cluster, how?",
    "cluster upgrade: how do i",
]


def test_questions_asked_again_and_again_need_a_new_entry_an_editor_writes(
    db_url: str, tmp_path: Path
):
    """Three declined wordings of one question: proposed as "needs a new entry", shown with its
    wordings, refused by `accept` (nothing written), and gone once an editor writes the entry."""
    store = Store.open(db_url)
    at = utcnow() - dt.timedelta(hours=1)
    UsageLog(store.engine).record(
        [Asked(at=at, platform="slack", outcome="declined", text=t) for t in MESHES]
        + [Asked(at=at, platform="slack", outcome="declined", text="where is lunch")]
    )
    store.close()
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    before = content.read_text()

    listed = bot("suggestions", "list", "--json", db=db_url, content=content)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["count"] == 1 and data["review"] == "kubecon-bot suggestions --days 90"
    (group,) = data["pending"]  # "where is lunch", asked once, is not proposed
    assert (group["kind"], group["text"], group["asked"]) == ("new-entry", MESHES[0], 3)
    assert group["examples"] == MESHES[1:] and group["entry_id"] is None
    sid = group["id"]
    assert (
        f"{sid}  new entry? 3× unanswered" in bot("suggestions", db=db_url, content=content).stdout
    )

    shown = bot("suggestions", "show", sid, db=db_url, content=content)
    assert shown.returncode == 0 and f"also: “{MESHES[2]}”" in shown.stdout
    refused = bot("suggestions", "accept", sid, db=db_url, content=content)
    assert refused.returncode == 1 and "needs a new entry" in refused.stderr
    assert "an editor writes the entry" in refused.stderr and "nothing written" in refused.stderr
    assert content.read_text() == before

    content.write_text(before.rstrip("\n") + "\n" + NEW_ENTRY)  # the editor writes it
    checked = run_bot("check", str(content), cwd=tmp_path, env=clean_env())
    assert checked.returncode == 0, checked.stderr
    written = bot("suggestions", "list", "--json", db=db_url, content=content)
    assert json.loads(written.stdout)["pending"] == []  # the bot answers them now


def test_a_rejected_new_entry_does_not_come_back(db_url: str, tmp_path: Path):
    store = Store.open(db_url)
    at = utcnow() - dt.timedelta(hours=1)
    UsageLog(store.engine).record(
        [Asked(at=at, platform="slack", outcome="declined", text=t) for t in MESHES]
    )
    store.close()
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    (group,) = json.loads(bot("suggestions", "list", "--json", db=db_url, content=content).stdout)[
        "pending"
    ]
    done = bot("suggestions", "reject", group["id"], db=db_url, content=content)
    assert done.returncode == 0, done.stderr
    # asked again, now most often in another wording: the same group, still decided
    store = Store.open(db_url)
    UsageLog(store.engine).record(
        [Asked(at=at, platform="slack", outcome="declined", text=MESHES[2])] * 3
    )
    store.close()
    left = bot("suggestions", "list", "--json", db=db_url, content=content)
    assert json.loads(left.stdout)["pending"] == []


def test_a_downvote_suggestion_is_accepted_with_the_check_warning_it_earns(
    db_url: str, tmp_path: Path
):
    """The asker of "what about SBOMs?" got Q5, voted 👎 and went on to Q7: accepting that
    teaches the bot Q7 for it, and says that the matcher alone would answer Q5 (the editor
    should be sure)."""
    question, wanted = "what about SBOMs?", "cloud-native-for-good"
    store = Store.open(db_url)
    at = utcnow() - dt.timedelta(hours=1)
    UsageLog(store.engine).record(
        [Asked(at=at, platform="slack", outcome="redirected", entry_id=wanted, text=question)]
    )
    store.close()
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    sid = suggestion_id(wanted, question)

    listed = bot("suggestions", db=db_url, content=content)
    assert f"{sid}  Q7         1× 👎 then Q7  “{question}”" in listed.stdout
    shown = bot("suggestions", "show", sid, db=db_url, content=content)
    assert "a phrasing of Q7. " in shown.stdout and "\n  1× 👎 then Q7, last " in shown.stdout
    done = bot("suggestions", "accept", sid, db=db_url, content=content)
    assert done.returncode == 0, done.stderr
    assert f'+      - "{question}"' in done.stdout and "1 example(s) added" in done.stdout
    assert f"{question!r} is taught for Q7, but without it the matcher answers Q5" in done.stderr
    asked = run_bot("--content", str(content), "ask", question, cwd=tmp_path, env=clean_env())
    assert asked.stdout.splitlines()[0].startswith("Q7.")


def test_content_path_in_dotenv_is_the_file_accept_edits(
    recorded: tuple[str, Path], tmp_path: Path
) -> None:
    """`run` serves the file `.env`'s CONTENT_PATH names; `check`, `ask` and `suggestions`
    used the bundled file instead, so an accepted phrasing went into a file no bot served
    and, being decided, was never proposed again."""
    db, content = recorded
    workdir = tmp_path / "deploy"
    workdir.mkdir()
    (workdir / ".env").write_text(
        f"CONTENT_PATH={content}\nDATABASE_URL={db}\nRECORDING_URL=https://example.org/rec\n"
    )
    env, sid = clean_env(), suggestion_id(ENTRY, UNSURE)

    checked = run_bot("check", cwd=workdir, env=env)
    assert checked.returncode == 0 and checked.stdout.startswith(f"{content}: ok")
    recording = run_bot("ask", "where is the recording", cwd=workdir, env=env)
    assert "https://example.org/rec" in recording.stdout
    done = run_bot("suggestions", "accept", sid, cwd=workdir, env=env)
    assert done.returncode == 0, done.stderr
    assert UNSURE in content.read_text()
    assert UNSURE not in (ROOT / "content" / "qa.yaml").read_text()


def test_ids_are_taken_as_printed_or_upper_cased_and_a_decided_one_says_so(
    recorded: tuple[str, Path],
):
    """An ID copied in capitals was "no pending suggestion", and so was one already accepted
    or rejected, which sent editors looking for a suggestion that had been dealt with."""
    db, content = recorded
    sid, other = suggestion_id(ENTRY, UNSURE), suggestion_id(OTHER_ENTRY, OTHER)
    shown = bot("suggestions", "show", sid.upper(), db=db, content=content)
    assert shown.returncode == 0 and UNSURE in shown.stdout, shown.stderr
    assert bot("suggestions", "reject", other, db=db, content=content).returncode == 0
    again = bot("suggestions", "reject", other, db=db, content=content)
    assert again.returncode == 1 and f"{other}: already rejected" in again.stderr


def test_an_entry_renamed_says_where_its_suggestions_went(recorded: tuple[str, Path]):
    """Renaming an entry's id hid its pending suggestions without a word (there is no entry to
    teach them to). The list says which id they were proposed for."""
    db, content = recorded
    content.write_text(content.read_text().replace(f"id: {ENTRY}", "id: renamed-entry"))
    listed = bot("suggestions", db=db, content=content)
    assert listed.returncode == 0, listed.stderr
    assert suggestion_id(ENTRY, UNSURE) not in listed.stdout
    assert f"phrasings proposed for “{ENTRY}”, which is no longer in the content" in listed.stdout


def test_an_id_hidden_by_record_questions_off_says_so(recorded: tuple[str, Path]):
    """With RECORD_QUESTIONS=false the suggestions from people's questions are hidden, and
    `show ID` said only "no pending suggestion" of one listed a moment before."""
    db, content = recorded
    sid = suggestion_id(ENTRY, UNSURE)
    env = clean_env(RECORD_QUESTIONS="false")
    command = ("--content", str(content), "suggestions", "show", sid, "--database", db)
    hidden = run_bot(*command, cwd=content.parent, env=env)
    assert hidden.returncode == 1 and "RECORD_QUESTIONS is off" in hidden.stderr
    shown = run_bot(*command, cwd=content.parent, env=clean_env())
    assert shown.returncode == 0 and "RECORD_QUESTIONS" not in shown.stderr


def test_options_may_come_before_the_ids(recorded: tuple[str, Path]):
    """ "accept --dry-run ID" failed with "unrecognized arguments: ID" (argparse takes a
    command's positionals at their first stretch) though "accept ID --dry-run" worked. Either
    order works now; an unknown option is still a usage error."""
    db, content = recorded
    sid = suggestion_id(ENTRY, UNSURE)
    before = content.read_text()
    dry = bot("suggestions", "accept", "--dry-run", sid.upper(), db=db, content=content)
    assert dry.returncode == 0, dry.stderr
    assert f'+      - "{UNSURE}"' in dry.stdout and content.read_text() == before
    shown = bot("suggestions", "show", "--json", sid, db=db, content=content)
    assert shown.returncode == 0 and json.loads(shown.stdout)[0]["id"] == sid
    wrong = bot("suggestions", "accept", "--dryrun", sid, db=db, content=content)
    assert wrong.returncode == 2 and "unrecognized arguments: --dryrun" in wrong.stderr
    assert content.read_text() == before


def test_a_rejection_can_be_taken_back(recorded: tuple[str, Path]):
    """A suggestion rejected by mistake was gone for good: `reopen` puts it back among the
    pending ones. An accepted one is in the content file, where an editor takes it out."""
    db, content = recorded
    sid, other = suggestion_id(ENTRY, UNSURE), suggestion_id(OTHER_ENTRY, OTHER)
    assert bot("suggestions", "reject", other, db=db, content=content).returncode == 0
    assert other not in bot("suggestions", db=db, content=content).stdout
    again = bot("suggestions", "reject", other, db=db, content=content)
    assert f"suggestions reopen {other}" in again.stderr  # says how to take it back
    dry = bot("suggestions", "reopen", other, "--dry-run", db=db, content=content)
    assert dry.returncode == 0 and f"would reopen: {other}" in dry.stdout
    assert other not in bot("suggestions", db=db, content=content).stdout
    done = bot("suggestions", "reopen", other.upper(), db=db, content=content)
    assert done.returncode == 0 and f"reopened: {other}" in done.stdout
    assert other in bot("suggestions", db=db, content=content).stdout
    pending = bot("suggestions", "reopen", sid, db=db, content=content)
    assert pending.returncode == 1 and f"{sid}: not rejected" in pending.stderr


def test_an_id_given_twice_is_acted_on_and_named_once(recorded: tuple[str, Path]):
    """`reject 565d7048 565d7048 73c41dca` said "rejected: 565d7048, 565d7048, 73c41dca", and
    `accept` of one ID given twice was refused as two suggestions that disagree. Every verb
    takes its IDs once, in the order given, however they are spelt."""
    db, content = recorded
    sid, other = suggestion_id(ENTRY, UNSURE), suggestion_id(OTHER_ENTRY, OTHER)
    dry = bot(
        "suggestions", "reject", other, other.upper(), sid, "--dry-run", db=db, content=content
    )
    assert dry.returncode == 0 and dry.stdout == f"would reject: {other}, {sid}\n", dry.stderr
    shown = bot("suggestions", "show", sid, sid, db=db, content=content)
    assert shown.returncode == 0 and shown.stdout.count(f"{sid}: “{UNSURE}”") == 1, shown.stderr
    accepted = bot("suggestions", "accept", sid, sid, db=db, content=content)
    assert accepted.returncode == 0 and "disagree" not in accepted.stderr, accepted.stderr
    assert "1 example(s) added" in accepted.stdout
    assert content.read_text().count(f'- "{UNSURE}"') == 1
    rejected = bot("suggestions", "reject", other, other, db=db, content=content)
    assert rejected.returncode == 0 and rejected.stdout == f"rejected: {other}\n"
    reopened = bot("suggestions", "reopen", other, other.upper(), db=db, content=content)
    assert reopened.returncode == 0 and reopened.stdout == f"reopened: {other}\n"
    unknown = bot("suggestions", "reject", "deadbeef", "deadbeef", db=db, content=content)
    assert unknown.returncode == 1 and unknown.stderr.count("deadbeef: no pending") == 1


def test_a_listing_cut_short_by_its_reader_is_no_error(recorded: tuple[str, Path]):
    """`kubecon-bot suggestions | head -1` printed "[Errno 32] Broken pipe" and exited 1."""
    db, content = recorded
    command = bot_cmd("--content", str(content), "suggestions", "--json", "--database", db)
    piped = subprocess.run(
        f"{shlex.join(command)} | head -c 1",
        shell=True,
        cwd=content.parent,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert piped.stdout == "{" and piped.stderr == "", piped.stderr


def picked_once(db_url: str, tmp_path: Path, question: str, entry: str) -> Path:
    """`question`, offered "did you mean" and picked for `entry` once, in the database; a copy
    of the content to accept it into."""
    store = Store.open(db_url)
    UsageLog(store.engine).record(unsure_then_picked(question, entry, "f" * 16, utcnow()))
    store.close()
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    return content


def test_list_flags_a_phrasing_of_one_word(db_url: str, tmp_path: Path):
    """ "platform", picked once from "did you mean": taught, Q2 is posted whenever someone
    types the word alone. `list` flags it, as `check` would once it is written."""
    question, entry = "platform", "ai-assisted-cluster-operations"
    content = picked_once(db_url, tmp_path, question, entry)
    listed = bot("suggestions", db=db_url, content=content).stdout
    flag = "⚠ one content word ('platform'): taught, Q2 is posted for it alone"
    assert f"“{question}”\n{'':10}{flag}" in listed, listed


def test_show_and_accept_warn_of_a_phrasing_the_bot_would_otherwise_hold_back(
    db_url: str, tmp_path: Path
):
    """ "how much does NKP cost" picked for Q10: taught, the bot posts Q10 for it, whose answer
    gives no price. `accept` showed only the diff, and `check` warned once it was written; the
    warning comes with the diff, before anything is saved (`show`, `--dry-run`, `accept`), and
    `list` flags it where it looked like any other suggestion."""
    question, entry = "how much does NKP cost", "easier-or-harder-adoption"
    content = picked_once(db_url, tmp_path, question, entry)
    sid = suggestion_id(entry, question)
    warned = f"{question!r} is taught for Q10, and so answered with it in the channel"
    listed = bot("suggestions", db=db_url, content=content).stdout  # flagged in the list too
    flag = "⚠ asks about 'cost', which not_covered lists and the answer does not say: taught,"
    assert f"“{question}”\n{'':10}{flag} Q10 is posted in the channel for it" in listed, listed
    for action in (["show", sid], ["accept", sid, "--dry-run"], ["accept", sid]):
        done = bot("suggestions", *action, db=db_url, content=content)
        assert done.returncode == 0, done.stderr
        assert f'+      - "{question}"' in done.stdout
        assert warned in done.stderr and "about 'cost', which not_covered lists" in done.stderr
    checked = run_bot("check", str(content), cwd=tmp_path, env=clean_env())
    assert warned in checked.stderr  # what `accept` said is what `check` says


def test_warnings_are_about_this_accept_not_an_edit_made_meanwhile(
    recorded: tuple[str, Path], capsys: pytest.CaptureFixture[str]
):
    """`accept` compared the edited file with the content it had loaded at its start, not with
    the file it edits: a phrasing someone else added in between (taught for Q10, a price it
    does not give) was warned of as though this accept had made it. The warnings are those
    this accept's own change brings."""
    import argparse

    from bot import cli
    from bot.core.content_edit import ContentFile
    from bot.core.responder import Responder
    from bot.usage import suggestions

    db, content = recorded
    loaded = load_content(content)  # what `accept` read at its start
    meanwhile = ContentFile(content)
    meanwhile.add_example("easier-or-harder-adoption", "how much does NKP cost")
    meanwhile.save(lambda *_: None)  # another editor's accept, between the two reads

    store = Store.open(db)
    usage = UsageLog(store.engine)
    since = utcnow() - dt.timedelta(days=1)
    sid = suggestion_id(ENTRY, UNSURE)
    [chosen] = [s for s in suggestions.since(usage, Responder(loaded), since) if s.id == sid]
    args = argparse.Namespace(action="accept", dry_run=True, ids=[sid])
    try:
        assert cli._accept(args, [chosen], content, usage, loaded) == 0
    finally:
        store.close()
    said = capsys.readouterr()
    assert f'+      - "{UNSURE}"' in said.out
    assert "how much does NKP cost" not in said.err, said.err


def record_picks(db_url: str, picks: list[tuple[str, str]]) -> None:
    """Each (question, entry) asked an hour ago, offered "did you mean", and the entry picked:
    one asker each, a second apart."""
    store = Store.open(db_url)
    at = utcnow() - dt.timedelta(hours=1)
    UsageLog(store.engine).record(
        [
            a
            for i, (text, entry) in enumerate(picks)
            for a in unsure_then_picked(text, entry, str(i) * 16, at + dt.timedelta(seconds=i))
        ]
    )
    store.close()


def test_suggestions_that_disagree_say_so_and_one_accepted_settles_the_others(
    db_url: str, tmp_path: Path
):
    """ "platform" picked for Q9 and Q1, "platforms?" for Q2: one phrasing to the matcher, so
    at most one can be taught. Accepting all of them failed with "'platforms?' is already an
    example of 'private-governed-ai'" though nothing was written, and after one was accepted
    the others stayed pending for ever. Now the list and `show` say they disagree, accepting
    them together is refused naming them, and accepting one leaves nothing pending."""
    picks = [("platform", "private-governed-ai"), ("platforms?", "ai-assisted-cluster-operations")]
    picks.append(("platform", "kubernetes-platform-for-ai"))
    record_picks(db_url, picks)
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    before = content.read_text()
    q9, q2, q1 = (suggestion_id(entry, text) for text, entry in picks)

    lines = bot("suggestions", db=db_url, content=content).stdout.splitlines()
    for sid, label in ((q9, "Q9"), (q2, "Q2"), (q1, "Q1")):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{sid}  {label} "))
        # under it (below the one-word flag "platform" earns)
        said = next(line for line in lines[at + 1 : at + 3] if "disagrees with " in line)
        assert "disagrees with " in said and said.endswith(": accept one")
        assert {q9, q2, q1} - {sid} == {i for i in (q9, q2, q1) if f"{i} (Q" in said}
    shown = bot("suggestions", "show", q2, db=db_url, content=content).stdout
    assert "disagrees with " in shown and f"{q9} (Q9)" in shown and f"{q1} (Q1)" in shown
    # shown together, they are shown: only accepting them together is refused
    both = bot("suggestions", "show", q9, q1, db=db_url, content=content)
    assert both.returncode == 0 and both.stderr == "", both.stderr
    assert f"{q9}: “platform”" in both.stdout and f"{q1}: “platform”" in both.stdout
    assert "show them one at a time" in both.stdout
    together = bot("suggestions", "accept", q9, q2, q1, "--dry-run", db=db_url, content=content)
    assert together.returncode == 1 and "already an example" not in together.stderr
    assert f"{q9} (Q9), {q2} (Q2), {q1} (Q1) disagree about one phrasing" in together.stderr
    assert "nothing written" in together.stderr and together.stdout == ""
    assert content.read_text() == before

    done = bot("suggestions", "accept", q2, db=db_url, content=content)
    assert done.returncode == 0, done.stderr
    left = bot("suggestions", "list", "--json", db=db_url, content=content)
    assert json.loads(left.stdout)["count"] == 0  # settled by that decision, not pending
    again = bot("suggestions", "accept", q9, db=db_url, content=content)
    assert again.returncode == 1 and f"{q9}: no pending suggestion" in again.stderr
    assert "another suggestion for it was accepted" in again.stderr  # why it may be gone


def test_a_suggestion_older_than_days_says_so_and_how_to_reach_it(db_url: str, tmp_path: Path):
    """A suggestion last used three days ago is pending, but not within `--days 2`: "no pending
    suggestion" sent the editor looking for one that exists. Now it says how old it is and
    which `--days` reaches it."""
    store = Store.open(db_url)
    at = utcnow() - dt.timedelta(days=3, hours=1)
    UsageLog(store.engine).record(unsure_then_picked(UNSURE, ENTRY, "c" * 16, at))
    store.close()
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    sid = suggestion_id(ENTRY, UNSURE)
    missed = bot("suggestions", "show", sid, "--days", "2", db=db_url, content=content)
    assert missed.returncode == 1 and "Traceback" not in missed.stderr
    said = f"{sid}: pending, but last used 3 days ago, outside the last 2: add --days 4"
    assert said in missed.stderr
    reached = bot("suggestions", "show", sid, "--days", "4", db=db_url, content=content)
    assert reached.returncode == 0 and f"{sid}: “{UNSURE}”" in reached.stdout


def test_rivals_one_of_which_most_people_chose_say_which_as_the_report_does(
    db_url: str, tmp_path: Path
):
    """ "platform" picked twice for Q2 and once for Q1: the two still disagree (one can be
    accepted), and both the list and the report say that people clearly chose Q2, by the one
    rule they share (more than half: `report.clear_choice`)."""
    picks = [("platform", "ai-assisted-cluster-operations")] * 2
    picks.append(("platform", "kubernetes-platform-for-ai"))
    record_picks(db_url, picks)
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    q2, q1 = (suggestion_id(entry, "platform") for _, entry in picks[1:])

    lines = bot("suggestions", db=db_url, content=content).stdout.splitlines()
    chosen = f"; people clearly chose {q2} (Q2): 2 of 3"
    for sid, label, rival in ((q2, "Q2", f"{q1} (Q1)"), (q1, "Q1", f"{q2} (Q2)")):
        at_line = next(i for i, line in enumerate(lines) if line.startswith(f"{sid}  {label} "))
        under = [line.strip() for line in lines[at_line + 1 : at_line + 3]]
        assert f"disagrees with {rival}: accept one{chosen}" in under
    reported = bot("report", db=db_url, content=content).stdout
    assert 'people picked Q2 from "did you mean" (2× of 3): accept the wording' in reported


def test_an_out_of_scope_group_is_not_proposed_as_a_new_entry(db_url: str, tmp_path: Path):
    """ "how do I upgrade my cluster", asked again and again: `report` says it asks about
    "upgrade", which the webinar never covers (out of scope), and `suggestions` listed it as
    "new entry? 4× unanswered", counted as pending. One verdict: out of scope, not proposed."""
    store = Store.open(db_url)
    at = utcnow() - dt.timedelta(hours=1)
    UsageLog(store.engine).record(
        [Asked(at=at, platform="slack", outcome="declined", text=t) for t in UPGRADES * 2]
    )
    store.close()
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())

    report = bot("report", db=db_url, content=content)
    assert report.returncode == 0, report.stderr
    assert "asks about “upgrade”, which the webinar never covers (not_covered): out of" in (
        report.stdout
    )
    listed = bot("suggestions", "list", "--json", db=db_url, content=content)
    assert json.loads(listed.stdout)["count"] == 0, listed.stdout
