"""Admins' corrections through the real front door, the usage journal's short memory and a real
database (SQLite and PostgreSQL), then out as suggestions an editor reviews and accepts with the
real `kubecon-bot suggestions` command: the phrasing lands in the entry's `examples:` or in
`declines:`, and the bot then answers (or declines) it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.core import corrections as fixes
from bot.core.app import BotApp, Incoming
from bot.core.clock import utcnow
from bot.core.corrections import CorrectionForm
from bot.core.feedback import Vote, ballot_token
from bot.core.replies import Kind, Reply
from bot.daily.store import Store
from bot.usage.corrections import Desk
from bot.usage.digest import Digest
from bot.usage.journal import Journal
from bot.usage.log import UsageLog
from bot.usage.suggestions import DECLINE, PHRASING, decline_id, since, suggestion_id
from tests.conftest import ROOT, clean_env, run_bot

QUESTION = "what about SBOMs?"  # answered with Q5; the admin says Q7
WANTED = "cloud-native-for-good"  # Q7
OFF_TOPIC = "what about the supply chain security of my car"  # answered with Q5: should not be
ADMIN = Incoming("slack", "", channel_id="C1", user_id="UADMIN", can_correct=True)


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def usage(store: Store) -> UsageLog:
    return UsageLog(store.engine)


@pytest.fixture
async def front_door(responder, usage: UsageLog):
    """The front door as `kubecon-bot run` composes it: the journal observes every message,
    and corrections read its memory and write beside the votes. Journals still running at the
    end (a test that failed half-way) are stopped before the database is dropped."""
    journals: list[Journal] = []

    async def build(clock: Clock, **journal_options) -> tuple[BotApp, Journal]:
        journal = Journal(usage, clock=clock, **journal_options)
        app = BotApp(
            responder,
            usage=usage,
            corrections=Desk(usage, journal.followups, clock),
            observers=[journal.observe],
        )
        await journal.start()
        journals.append(journal)
        return app, journal

    yield build
    for journal in journals:
        await journal.stop()


async def asked(app: BotApp, text: str, channel: str = "C1") -> tuple[Reply, str]:
    """A question answered in `channel`, and the payload of its 👍 button."""
    answer = await app.handle(Incoming("slack", text, channel_id=channel, user_id="U1"))
    assert answer.kind is Kind.ANSWER and answer.reply_key
    return answer, ballot_token(answer.reply_key, answer.entry_id or "", Vote.UP)


async def form_for(app: BotApp, text: str) -> CorrectionForm:
    """The correction form an admin opens on the bot's answer to `text`."""
    _, token = await asked(app, text)
    form = await app.correcting(ADMIN, token)
    assert isinstance(form, CorrectionForm)
    return form


async def test_the_form_holds_the_askers_words_for_ten_minutes_and_no_longer(
    front_door, responder, usage
):
    clock = Clock()
    app, journal = await front_door(clock)
    answer, token = await asked(app, QUESTION)
    form = await app.correcting(ADMIN, token)
    assert isinstance(form, CorrectionForm) and form.phrasing == QUESTION
    # the asker voted 👎 meanwhile: still theirs to prefill
    down = ballot_token(answer.reply_key or "", answer.entry_id or "", Vote.DOWN)
    await app.feedback(Incoming("slack", "", channel_id="C1", user_id="U1"), down)
    form = await app.correcting(ADMIN, token)
    assert isinstance(form, CorrectionForm) and form.phrasing == QUESTION
    clock.now += dt.timedelta(minutes=11)
    form = await app.correcting(ADMIN, token)
    assert isinstance(form, CorrectionForm) and form.phrasing == ""  # the admin types it
    await journal.stop()
    assert {a.text for a in usage.asked_since(clock.now - dt.timedelta(hours=1))} == {None}


async def test_with_recording_off_only_what_the_admin_typed_is_recorded(
    front_door, responder, usage
):
    clock = Clock()
    app, journal = await front_door(clock, keep_text=False)
    form = await form_for(app, QUESTION)
    assert form.phrasing == ""  # nothing was held
    told = await app.correct(ADMIN, form.answer, "7", "sbom questions")
    assert told.text.startswith("Recorded as a suggestion")
    await journal.stop()
    (correction,) = usage.corrections_since(clock.now - dt.timedelta(hours=1))
    assert (correction.text, correction.entry_id) == ("sbom questions", WANTED)
    assert {a.text for a in usage.asked_since(clock.now - dt.timedelta(hours=1))} == {None}


async def test_the_last_correction_of_an_answer_counts_and_retention_forgets_it(
    front_door, responder, usage
):
    clock = Clock()
    app, journal = await front_door(clock)
    form = await form_for(app, QUESTION)
    await app.correct(ADMIN, form.answer, "7", form.phrasing)
    await app.correct(ADMIN, form.answer, fixes.DECLINE, form.phrasing)  # changed their mind
    await journal.stop()
    start = clock.now - dt.timedelta(hours=1)
    (proposed,) = since(usage, responder, start)
    assert (proposed.kind, proposed.text, proposed.corrections) == (DECLINE, QUESTION, 1)
    assert proposed.instead_of == "supply-chain-security-gaps"
    # the editors' digest counts what `suggestions list` shows
    assert Digest(usage, lambda: responder).pending(clock.now + dt.timedelta(seconds=1)) == 1
    usage.prune(clock.now + dt.timedelta(seconds=1))
    assert usage.corrections_since(start) == []


async def test_correcting_to_the_answer_given_takes_the_earlier_correction_back(
    front_door, responder, usage
):
    """An admin corrected Q5 to Q7 by mistake, then used "Fix this answer" again and picked Q5:
    told "nothing to correct", while the Q7 suggestion stayed pending for the editors. The
    last word is that the answer was right: the earlier correction is taken back, and the admin
    told so; with none to take back, "nothing to correct" as before."""
    clock = Clock()
    app, journal = await front_door(clock)
    form = await form_for(app, QUESTION)
    await app.correct(ADMIN, form.answer, "7", form.phrasing)
    told = await app.correct(ADMIN, form.answer, "5", form.phrasing)
    assert told.text.startswith("Q5 is the answer I gave: your earlier correction (Q7) is taken")
    assert not told.public
    again = await app.correct(ADMIN, form.answer, "5", form.phrasing)
    assert again.text.startswith("Q5 is the answer I gave, so there is nothing to correct.")
    await journal.stop()
    assert since(usage, responder, clock.now - dt.timedelta(hours=1)) == []
    assert usage.corrections_since(clock.now - dt.timedelta(hours=1)) == []


def test_a_correction_stored_with_a_mention_is_read_back_without_it(usage, responder):
    """Corrections stored before kept text dropped mentions held them as typed: `suggestions`
    proposed "<@U1> what about SBOMs?" and `accept` wrote the mention into the content file."""
    at = utcnow()
    usage.correct(
        fixes.Correction(
            reply_key="k1",
            answered_id="supply-chain-security-gaps",
            entry_id=WANTED,
            text=f"<@U1> <!channel> {QUESTION}",
            at=at,
            platform="slack",
        )
    )
    assert [c.text for c in usage.corrections_since(at)] == [QUESTION]
    (proposed,) = since(usage, responder, at)
    assert proposed.text == QUESTION


def bot(*args: str, db: str, content: Path):
    return run_bot(
        "--content", str(content), *args, "--database", db, cwd=content.parent, env=clean_env()
    )


async def test_corrections_are_listed_and_accepted_into_examples_and_declines(
    db_url: str, tmp_path: Path, front_door, responder
):
    clock = Clock()
    app, journal = await front_door(clock)
    for channel, text, target in (("C1", QUESTION, "7"), ("C2", OFF_TOPIC, fixes.DECLINE)):
        _, token = await asked(app, text, channel)
        form = await app.correcting(ADMIN, token)
        assert isinstance(form, CorrectionForm) and form.phrasing == text
        told = await app.correct(ADMIN, form.answer, target, form.phrasing)
        assert told.text.startswith("Recorded as a suggestion")
    await journal.stop()
    content = tmp_path / "qa.yaml"
    content.write_text((ROOT / "content" / "qa.yaml").read_text())
    taught, declined = suggestion_id(WANTED, QUESTION), decline_id(OFF_TOPIC)

    listed = bot("suggestions", db=db_url, content=content)
    assert listed.returncode == 0, listed.stderr
    assert f"{taught}  Q7         1× admin correction of Q5  “{QUESTION}”" in listed.stdout
    assert f"{declined}  decline    1× admin correction of Q5  “{OFF_TOPIC}”" in listed.stdout
    as_json = json.loads(bot("suggestions", "list", "--json", db=db_url, content=content).stdout)
    assert {
        (s["id"], s["kind"], s["corrections"], s["instead_of_number"]) for s in as_json["pending"]
    } == {(taught, PHRASING, 1, 5), (declined, DECLINE, 1, 5)}
    shown = bot("suggestions", "show", declined, db=db_url, content=content)
    assert "should not be answered" in shown.stdout and "+declines:" in shown.stdout

    done = bot("suggestions", "accept", taught, declined, db=db_url, content=content)
    assert done.returncode == 0, done.stderr
    assert f'+      - "{QUESTION}"' in done.stdout and f'+  - "{OFF_TOPIC}"' in done.stdout
    assert "1 example(s) and 1 decline(s) added" in done.stdout
    text = content.read_text()
    assert f'    examples:\n      - "{QUESTION}"' in text
    assert text.endswith(f'\ndeclines:\n  - "{OFF_TOPIC}"\n')

    def first_line(question: str) -> str:
        out = run_bot("--content", str(content), "ask", question, cwd=tmp_path, env=clean_env())
        return out.stdout.splitlines()[0]

    assert first_line(QUESTION).startswith("Q7.")  # the correction, accepted, is answered
    assert not first_line(OFF_TOPIC).startswith("Q5.")  # and the decline no longer answered
    left = bot("suggestions", db=db_url, content=content)
    assert "No pending suggestions" in left.stdout
