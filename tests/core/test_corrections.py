"""Admin corrections at the front door, written once for every platform: who may correct, which
answer and which entry, what is recorded and what the admin is told. The adapters' tests drive
the same calls through Slack and Discord."""

from __future__ import annotations

import pytest

from bot.core import corrections as fixes
from bot.core.app import APOLOGY, BotApp, Incoming
from bot.core.corrections import Correction, CorrectionForm
from bot.core.feedback import Vote, ballot_token
from bot.core.replies import Reply

KEY = "0123456789abcdef"
ANSWERED = "supply-chain-security-gaps"  # Q5
TOKEN = ballot_token(KEY, ANSWERED, Vote.UP)
WHERE = {"channel_id": "C1", "source": "shortcut"}
ADMIN = Incoming("slack", "", user_id="UADMIN", can_correct=True, **WHERE)
SOMEONE = Incoming("slack", "", user_id="U2", **WHERE)


class Desk:
    """In memory: what the bot still holds of each answer's question, and what was recorded."""

    def __init__(self, held: dict[str, str] | None = None, *, broken: bool = False) -> None:
        self.held = held or {}
        self.recorded: list[Correction] = []
        self.broken = broken

    def question(self, reply_key: str) -> str | None:
        return self.held.get(reply_key)

    def record(self, correction: Correction) -> None:
        if self.broken:
            raise OSError("database is away")
        self.recorded.append(correction)

    def withdraw(self, reply_key: str) -> Correction | None:
        if self.broken:
            raise OSError("database is away")
        found = [c for c in self.recorded if c.reply_key == reply_key]
        self.recorded = [c for c in self.recorded if c.reply_key != reply_key]
        return found[-1] if found else None


class Failures:
    def __init__(self) -> None:
        self.counted: list[tuple[str, str]] = []

    def __call__(self, platform: str, reason: str) -> None:
        self.counted.append((platform, reason))


def app_with(responder, desk: Desk | None, failures: Failures | None = None) -> BotApp:
    return BotApp(responder, corrections=desk, count_failure=failures)


async def test_an_admin_gets_the_form_with_every_entry_and_the_askers_words(responder, content):
    app = app_with(responder, Desk({KEY: "what about SBOMs?"}))
    form = await app.correcting(ADMIN, TOKEN)
    assert isinstance(form, CorrectionForm)
    assert form.title.startswith("Q5. ")
    assert [c.number for c in form.choices] == sorted(e.number for e in content.entries)
    assert form.choices[0].question == content.entry_by_number(1).question
    assert form.phrasing == "what about SBOMs?"
    assert fixes.parse_answer(form.answer) == (KEY, ANSWERED)


async def test_once_the_question_is_forgotten_the_phrasing_is_left_to_the_admin(responder):
    form = await app_with(responder, Desk()).correcting(ADMIN, TOKEN)
    assert isinstance(form, CorrectionForm) and form.phrasing == ""


@pytest.mark.parametrize("token", ["", "up:<!channel>", "kubecon:pick:q5"])
async def test_a_message_that_is_not_one_of_its_answers_cannot_be_corrected(responder, token):
    said = await app_with(responder, Desk()).correcting(ADMIN, token)
    assert isinstance(said, Reply) and not said.public
    assert said.text == fixes.NOT_AN_ANSWER


async def test_anyone_else_is_refused_politely_and_nothing_is_recorded(responder):
    desk = Desk({KEY: "what about SBOMs?"})
    app = app_with(responder, desk)
    refused = await app.correcting(SOMEONE, TOKEN)
    assert isinstance(refused, Reply) and not refused.public
    assert refused.text.startswith("Only the bot's admins can correct answers")
    # a form submitted by someone who is not an admin (forged, or rights taken away meanwhile)
    again = await app.correct(SOMEONE, fixes.answer_of(KEY, ANSWERED), "7", "sboms")
    assert again.text == refused.text and desk.recorded == []


async def test_without_usage_records_corrections_are_not_offered(responder):
    said = await app_with(responder, None).correcting(ADMIN, TOKEN)
    assert isinstance(said, Reply) and said.text == fixes.NOT_RECORDED


@pytest.mark.parametrize("target", ["7", "Q7", "#7", "cloud-native-for-good"])
async def test_a_correction_to_another_entry_is_recorded_and_the_admin_told(responder, target):
    desk = Desk()
    app = app_with(responder, desk)
    told = await app.correct(ADMIN, fixes.answer_of(KEY, ANSWERED), target, "  what about\nSBOMs? ")
    (recorded,) = desk.recorded
    assert (recorded.reply_key, recorded.answered_id, recorded.entry_id) == (
        KEY,
        ANSWERED,
        "cloud-native-for-good",
    )
    assert (recorded.text, recorded.platform, recorded.channel_id) == (
        "what about SBOMs?",
        "slack",
        "C1",
    )
    assert not told.public and told.outcome == "correction"
    assert told.text.startswith("Recorded as a suggestion: “what about SBOMs?” should get Q7")
    assert "(I answered Q5)" in told.text
    assert "`kubecon-bot suggestions list`" in told.text and "Q7's `examples:`" in told.text


async def test_should_not_be_answered_is_recorded_as_a_decline(responder):
    desk = Desk()
    told = await app_with(responder, desk).correct(
        ADMIN, fixes.answer_of(KEY, ANSWERED), fixes.DECLINE, "sbom pricing"
    )
    (recorded,) = desk.recorded
    assert recorded.entry_id is None and recorded.text == "sbom pricing"
    assert "“sbom pricing” should not be answered (I answered Q5)" in told.text
    assert "`declines:`" in told.text


@pytest.mark.parametrize(
    ("target", "phrasing", "said"),
    [
        ("42", "sboms", "There is no entry “42”: give its number from the list, or 0"),
        # chat's "no" and "agreed", not Q1 and Q3
        ("-1", "sboms", "There is no entry “-1”: give its number from the list, or 0"),
        ("+3", "sboms", "There is no entry “+3”"),
        ("no-such-entry", "sboms", "There is no entry “no-such-entry”"),
        ("7", "   ", "The phrasing is empty"),
        ("5", "sboms", "Q5 is the answer I gave, so there is nothing to correct."),
    ],
)
async def test_a_correction_that_says_nothing_usable_is_explained(
    responder, target: str, phrasing: str, said: str
):
    desk = Desk()
    told = await app_with(responder, desk).correct(
        ADMIN, fixes.answer_of(KEY, ANSWERED), target, phrasing
    )
    assert told.text.startswith(said) and not told.public
    assert desk.recorded == []


async def test_a_forged_form_reference_is_refused(responder):
    desk = Desk()
    told = await app_with(responder, desk).correct(ADMIN, "<!channel>:q5", "7", "sboms")
    assert told.text == "That form is not one of mine." and desk.recorded == []


async def test_a_correction_that_cannot_be_stored_goes_down_the_one_error_path(responder):
    failures = Failures()
    app = app_with(responder, Desk(broken=True), failures)
    told = await app.correct(ADMIN, fixes.answer_of(KEY, ANSWERED), "7", "sboms")
    assert told.text == APOLOGY and not told.public
    assert failures.counted == [("slack", "database")]


async def test_a_fault_while_opening_the_form_goes_down_the_one_error_path(responder):
    class Broken(Desk):
        def question(self, reply_key: str) -> str | None:
            raise RuntimeError("boom")

    failures = Failures()
    said = await app_with(responder, Broken(), failures).correcting(ADMIN, TOKEN)
    assert isinstance(said, Reply) and said.text == APOLOGY
    assert failures.counted == [("slack", "internal")]
