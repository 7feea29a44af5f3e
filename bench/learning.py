"""Does the loop learn? Measure it on blind sets (a script, not a test).

    .venv/bin/python bench/learning.py [FILE …]   (default: bench/eval/fresh.yaml, fresh2.yaml,
                                                   chat.yaml … chat6.yaml, each on its own,
                                                   then pooled)

Each labelled set is split in two, deterministically (a case goes to the first half when the
first byte of the SHA-256 of its text is even), so the halves never change between runs and
nobody chooses them. Then, as users and an editor would:

1. the first half is replayed through the front door (`BotApp` with a real `UsageLog` on
   SQLite and the usage journal, each case a different user in their own channel):
   * offered "did you mean" with the right entry among the options, the asker picks it;
   * answered in the channel with the wrong entry, the asker votes 👎, and every second one
     (in file order) then asks for the right entry by its number from the list;
   * a 👎'd answer nobody went on from (the other half, and must-decline messages answered in
     the channel) is corrected by an admin ("Fix this answer", `BotApp.correcting` and
     `BotApp.correct` as the adapters call them): the right entry, or "should not be
     answered", with the phrasing the form is prefilled with;
   * nothing else: a decline teaches nothing here;
2. every pending suggestion is read from the database (`bot.usage.suggestions.since`, what
   `kubecon-bot suggestions list` shows) and every phrasing and decline accepted through the
   real content editor (`suggestions.write`, saved only if it validates) into a temporary copy
   of content/qa.yaml; "needs a new entry" suggestions cannot be accepted and are only counted;
3. the copy is loaded again, as the bot reloads it, and the **second half** is scored before
   and after: accuracy, wrong answers posted in the channel (`bench/wrong_public.py`'s rule),
   and declines (must-decline cases still declined). The first half is scored too, to show
   the loop closed on the wordings it was taught.

A last line gives the ceiling of the loop as built: every answerable case of the first half
taught as an example of its entry (as if every asker had picked or corrected, and the editor
accepted everything), and the second half scored against that.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from wrong_public import wrong_in_public

from bot.core.app import BotApp, Incoming
from bot.core.content import Content, load_content, parse_content
from bot.core.content_edit import ContentFile, EditError
from bot.core.corrections import DECLINE
from bot.core.evaluation import Case, evaluate, load_cases
from bot.core.feedback import Vote, ballot_token
from bot.core.replies import Kind, Reply
from bot.core.responder import Responder
from bot.storage.database import Database
from bot.usage import suggestions
from bot.usage.corrections import Desk
from bot.usage.journal import Journal
from bot.usage.log import UsageLog
from bot.usage.suggestions import ACCEPTED

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    ROOT / "bench/eval" / name
    for name in (
        "fresh.yaml",
        "fresh2.yaml",
        "chat.yaml",
        "chat2.yaml",
        "chat3.yaml",
        "chat4.yaml",
        "chat5.yaml",
        "chat6.yaml",
    )
]
CONTENT = ROOT / "content" / "qa.yaml"


def halves(cases: list[Case]) -> tuple[list[Case], list[Case]]:
    """(replayed, scored): by the parity of the first byte of each text's SHA-256."""
    first = [c for c in cases if hashlib.sha256(c.text.encode()).digest()[0] % 2 == 0]
    return first, [c for c in cases if c not in first]


@dataclass
class Replay:
    """What the simulated users did."""

    questions: int = 0
    picked: int = 0  # the right entry picked from "did you mean"
    downvoted: int = 0  # 👎 on a wrong answer in the channel
    asked_by_number: int = 0  # …then the right entry asked for by its number
    corrected: int = 0  # …or corrected by an admin: to the right entry
    corrected_declines: int = 0  # …or corrected by an admin: should not be answered
    unhelped: int = 0  # answerable, but declined or offered only other entries: nothing learnt
    accepted: list[str] = field(default_factory=list)  # phrasings written into the content
    refused: list[str] = field(default_factory=list)  # the content editor refused them
    new_entries: int = 0  # "needs a new entry" suggestions (an editor would write those)


def entry_for(case: Case, content: Content) -> str | None:
    """The entry id the case asks for (None: must decline, or the takeaways)."""
    if case.expect is None or not case.expect.isdigit():
        return None
    entry = content.entry_by_number(int(case.expect))
    return entry.id if entry else None


async def replay(cases: list[Case], content: Content, usage: UsageLog) -> Replay:
    """The first half through the front door, as its askers would use the bot."""
    done = Replay()
    journal = Journal(usage)
    corrections = Desk(usage, journal.followups)
    app = BotApp(Responder(content), usage=usage, corrections=corrections)
    app.observers.append(journal.observe)
    await journal.start()
    wrong_answers = 0
    for n, case in enumerate(cases):
        who = {"workspace_id": "T1", "channel_id": f"C{n}", "user_id": f"U{n}"}
        wanted = entry_for(case, content)
        reply = await app.handle(Incoming("slack", case.text, **who))
        done.questions += 1
        clicked = Incoming("slack", "", source="button", **who)
        if reply.kind is Kind.SUGGESTIONS and wanted in {o.entry_id for o in reply.options}:
            await app.choose(clicked, wanted or "", reply.reply_key)
            done.picked += 1
        elif reply.kind is Kind.ANSWER and reply.public and reply.entry_id != wanted:
            token = ballot_token(reply.reply_key or "", reply.entry_id or "", Vote.DOWN)
            await app.feedback(clicked, token)
            done.downvoted += 1
            wrong_answers += wanted is not None
            if wanted is not None and wrong_answers % 2 == 1:
                number = content.entry(wanted).number  # type: ignore[union-attr]
                await app.handle(Incoming("slack", str(number), **who))
                done.asked_by_number += 1
            else:  # nobody went on: an admin who saw the 👎 fixes the answer
                await correct(app, token, wanted, who["channel_id"])
                done.corrected += wanted is not None
                done.corrected_declines += wanted is None
        elif wanted is not None and reply.kind in (Kind.DECLINE, Kind.SUGGESTIONS):
            done.unhelped += 1
    await journal.stop()
    return done


async def correct(app: BotApp, token: str, wanted: str | None, channel: str) -> None:
    """An admin's "Fix this answer" on the answer whose 👍/👎 carry `token`: the right entry
    (`wanted`), or should not be answered; the phrasing the form offers (the asker's words)."""
    admin = Incoming("slack", "", channel_id=channel, user_id="UADMIN", can_correct=True)
    form = await app.correcting(admin, token)
    if isinstance(form, Reply):
        raise RuntimeError(f"no correction form: {form.text}")
    told = await app.correct(admin, form.answer, wanted or DECLINE, form.phrasing)
    if not told.text.startswith("Recorded"):
        raise RuntimeError(f"correction not recorded: {told.text}")


def accept_all(usage: UsageLog, content: Content, path: Path, done: Replay) -> Content:
    """Every pending phrasing and decline into the content file at `path`, through the
    content editor, as `kubecon-bot suggestions accept` would; the reloaded content."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    found = suggestions.since(usage, Responder(content), since)
    edit = ContentFile(path)
    for s in found:
        if not s.acceptable:
            done.new_entries += 1
            continue
        try:
            suggestions.write(edit, s)
        except EditError as err:
            done.refused.append(f"{s.text!r}: {err}")
            continue
        done.accepted.append(s.id)
    edit.save(parse_content)
    usage.decide(done.accepted, ACCEPTED, dt.datetime.now(dt.UTC))
    return load_content(path)


def teach_every(cases: list[Case], content: Content, path: Path) -> Content:
    """The ceiling of this loop: every answerable case taught as an example of its entry, as
    if each asker had picked or corrected it and the editor accepted them all."""
    edit = ContentFile(path)
    for case in cases:
        wanted = entry_for(case, content)
        if wanted is not None:
            try:
                edit.add_example(wanted, case.text)
            except EditError:  # the same wording twice in the set
                continue
    edit.save(parse_content)
    return load_content(path)


def score(content: Content, cases: list[Case]) -> dict[str, float | int]:
    responder = Responder(content)
    report = evaluate(responder, cases)
    (ok, n), (dok, dn) = report.overall, report.declined
    wrong = sum(wrong_in_public(responder, c.text, c.expect) for c in cases)
    return {"ok": ok, "n": n, "declined_ok": dok, "declined_n": dn, "wrong": wrong}


def line(label: str, before: dict, after: dict) -> str:
    def acc(s: dict) -> str:
        return f"{s['ok'] / s['n']:.3f} ({s['ok']}/{s['n']})"

    return (
        f"  {label:<14} accuracy {acc(before)} → {acc(after)}   "
        f"wrong in public {before['wrong']} → {after['wrong']}   "
        f"declines {before['declined_ok']}/{before['declined_n']} → "
        f"{after['declined_ok']}/{after['declined_n']}"
    )


async def measure(name: str, sets: list[Path]) -> None:
    content = load_content(CONTENT)
    first: list[Case] = []
    second: list[Case] = []
    for path in sets:
        a, b = halves(load_cases(path, content))
        first += a
        second += b
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "qa.yaml"
        copy.write_text(CONTENT.read_text(encoding="utf-8"), encoding="utf-8")
        store = Database.open(f"sqlite:///{Path(tmp) / 'bot.sqlite3'}")
        try:
            usage = UsageLog(store.engine)
            done = await replay(first, content, usage)
            taught = accept_all(usage, content, copy, done)
        finally:
            store.close()
        ceiling = Path(tmp) / "ceiling.yaml"
        ceiling.write_text(CONTENT.read_text(encoding="utf-8"), encoding="utf-8")
        everything = teach_every(first, content, ceiling)
    print(f"{name}: replayed {len(first)}, scored {len(second)}")
    print(
        f"  users: {done.picked} picked from did-you-mean, {done.downvoted} voted 👎 on a wrong "
        f"public answer, {done.asked_by_number} of them then asked for the right entry by "
        f"number; {done.unhelped} answerable but declined or offered other entries (nothing "
        "to learn from)"
    )
    print(
        f"  admins: {done.corrected} wrong answers corrected to the right entry, "
        f"{done.corrected_declines} as should not be answered"
    )
    print(
        f"  editor: {len(done.accepted)} phrasings and declines accepted, {len(done.refused)} "
        "refused by the "
        f"editor, {done.new_entries} 'needs a new entry' (not acceptable)"
    )
    for why in done.refused:
        print(f"    refused {why}")
    print(line("second half", score(content, second), score(taught, second)))
    print(line("first half", score(content, first), score(taught, first)))
    print("  ceiling, every answerable first-half case taught to its entry:")
    print(line("second half", score(content, second), score(everything, second)))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "files", nargs="*", type=Path, help="labelled sets (default: the blind sets)"
    )
    sets = parser.parse_args().files or SETS
    for path in sets:
        await measure(path.name, [path])
    if len(sets) > 1:
        await measure("all pooled", sets)


if __name__ == "__main__":
    asyncio.run(main())
