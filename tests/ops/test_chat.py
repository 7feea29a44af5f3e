"""`kubecon-bot chat` fed through a pipe, as a script or a first-time user would."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import select
import subprocess
import time
from pathlib import Path

from bot.core.clock import utcnow
from bot.daily.store import Store
from bot.usage.log import UsageLog
from bot.usage.records import Asked
from tests.conftest import bot_cmd, clean_env, run_bot


def test_chat_answers_lists_and_quits(tmp_path: Path) -> None:
    proc = run_bot(
        "chat",
        cwd=tmp_path,
        env=clean_env(),
        stdin="what about SBOMs?\n\nlist\n3\nquit\nwhat about SBOMs?\n",
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("Q5. ")  # no banner, no prompt when piped
    assert "you>" not in out
    assert "Questions I can answer" in out
    assert "\n  10. " in out
    assert "Q3. Why is the Kubernetes AI Conformance Program" in out
    assert out.count("Q5. ") == 1  # answered once: nothing after quit
    assert "Watch the recording: https://" in out
    assert proc.stderr == ""


def test_chat_help_uses_bare_words_and_end_of_input_ends_the_session(tmp_path: Path) -> None:
    proc = run_bot("chat", cwd=tmp_path, env=clean_env(), stdin="help")
    assert proc.returncode == 0
    assert "\n  list: the 10 questions I can answer" in proc.stdout
    assert "\n  quit: leave the chat (or Ctrl-D)" in proc.stdout  # the chat's own word
    assert "/kubecon" not in proc.stdout


def test_chat_serves_the_content_it_is_given(tmp_path: Path, content_file: Path) -> None:
    text = content_file.read_text(encoding="utf-8").replace("Tom Fenton", "A. Presenter")
    content_file.write_text(text, encoding="utf-8")
    proc = run_bot(
        "chat", cwd=tmp_path, env=clean_env(CONTENT_PATH=str(content_file)), stdin="help\n"
    )
    assert "(A. Presenter)" in proc.stdout


def read_until(fd: int, marker: str, timeout: float = 30.0) -> str:
    out = ""
    deadline = time.monotonic() + timeout
    while marker not in out:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, f"timed out waiting for {marker!r}; got {out!r}"
        try:
            out += os.read(fd, 65536).decode(errors="replace")
        except OSError:  # the terminal closed
            break
    return out


def test_chat_in_a_terminal_greets_prompts_and_keeps_history(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = clean_env(XDG_STATE_HOME=str(tmp_path / "state"), TERM="dumb")
    proc = subprocess.Popen(
        bot_cmd("chat"), cwd=tmp_path, env=env, stdin=follower, stdout=follower, stderr=follower
    )
    os.close(follower)
    try:
        greeting = read_until(leader, "you> ")
        assert "Type a question in your own words" in greeting
        os.write(leader, b"3\n")
        assert "Q3. Why is the Kubernetes AI Conformance Program" in read_until(leader, "you> ")
        os.write(leader, b"exit\n")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    history = (tmp_path / "state" / "kubecon-bot" / "history").read_text()
    assert "3" in history.splitlines()


def test_chat_record_fills_the_database_report_and_suggestions_read(tmp_path: Path) -> None:
    """An editor tries the learning loop without Slack: questions are recorded as `run` records
    them, and a number typed after a "did you mean" is a pick, which `suggestions` proposes as
    a phrasing for that entry. Without --record nothing is written."""
    url = f"sqlite:///{tmp_path / 'try.sqlite3'}"
    env = clean_env(DATABASE_URL=url)
    unsure = "standardization for ML workloads on k8s: why important??"
    talk = f"{unsure}\n1\nwhat about SBOMs?\nthe printer on floor 3 is jammed\n"
    run_bot("chat", cwd=tmp_path, env=env, stdin=talk)
    assert not (tmp_path / "try.sqlite3").exists()
    proc = run_bot("chat", "--record", cwd=tmp_path, env=env, stdin=talk)
    assert proc.returncode == 0, proc.stderr
    assert "Did you mean" in proc.stdout and "\nQ1. " in proc.stdout  # "1" picked Q1
    # the same words `run` logs for its database: the file, in full
    assert f"recorded in SQLite at {(tmp_path / 'try.sqlite3').resolve()}" in proc.stderr
    report = run_bot("report", cwd=tmp_path, env=env)
    assert "Questions: 3 (terminal 3)" in report.stdout, report.stdout + report.stderr
    assert 'people picked Q1 from "did you mean" (1×)' in report.stdout
    suggested = run_bot("suggestions", cwd=tmp_path, env=env)
    assert f"Q1         1× picked  “{unsure}”" in suggested.stdout, suggested.stdout
    # a script reads one suggestion as `list --json` prints each
    (pending,) = json.loads(run_bot("suggestions", "--json", cwd=tmp_path, env=env).stdout)[
        "pending"
    ]
    shown = run_bot("suggestions", "--json", "show", pending["id"], cwd=tmp_path, env=env)
    assert json.loads(shown.stdout) == [pending]


def test_a_pick_typed_as_q1_is_a_pick(tmp_path: Path) -> None:
    """After "did you mean", "Q1" (how the options are labelled) was answered but not taken as
    a pick, as "1" and "#1" were: the learning loop never heard of it."""
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}")
    talk = "standardization for ML workloads on k8s: why important??\nQ1\n"
    assert run_bot("chat", "--record", cwd=tmp_path, env=env, stdin=talk).returncode == 0
    suggested = run_bot("suggestions", cwd=tmp_path, env=env)
    assert "Q1         1× picked" in suggested.stdout, suggested.stdout


def test_yes_to_one_option_is_a_pick_and_to_several_asks_which(tmp_path: Path) -> None:
    """ "Did you mean 8?" "yes (please)": the one option offered, picked as its button would
    be (and recorded as a pick). To several options "yes" says nothing of which: the chat
    asks for the number, and nothing is answered or picked. "Nope" is none of them."""
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'y.db'}")
    one = "ai observability future according to tom"
    several = "standardization for ML workloads on k8s: why important??"
    talk = f"{one}\nyes please\n{several}\nyep\n{one}\nnope\n"
    proc = run_bot("chat", "--record", cwd=tmp_path, env=env, stdin=talk)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("Did you mean") == 3 and proc.stdout.count("\nQ8. ") == 1
    assert proc.stdout.count("  (or type yes)") == 2  # said of one option only
    # "nope": none of them, and the chat says what to do instead of declining "nope"
    assert proc.stdout.rstrip().endswith(
        "OK: ask it another way, or type `list` to see the questions."
    )
    assert "Which one? Type its number (1 or 3), or rephrase." in proc.stdout
    assert "\nQ1. " not in proc.stdout and "\nQ3. " not in proc.stdout
    suggested = run_bot("suggestions", cwd=tmp_path, env=env)
    assert "Q8         1× picked" in suggested.stdout, suggested.stdout
    assert "Q1 " not in suggested.stdout and "Q3 " not in suggested.stdout


def test_every_word_the_banner_offers_does_what_it_says() -> None:
    """The banner is a first-time user's whole manual: each `word` it names, typed as is, is a
    command the chat knows (no decline), and the commands help lists are all in it."""
    import re

    from bot.adapters.terminal.chat import banner
    from bot.core.app import BotApp
    from bot.core.content import load_content
    from bot.core.replies import Kind
    from bot.core.responder import Responder

    bot_app = BotApp(Responder(load_content()))
    offered = re.findall(r"`(\w+)`", banner(bot_app))
    assert {"list", "takeaways", "recording", "help", "quit"} <= set(offered), offered
    for word in set(offered) - {"quit"}:  # quit is the chat loop's, not the responder's
        reply = bot_app.responder.respond(word, "")
        assert reply.kind is not Kind.DECLINE and reply.kind is not Kind.SUGGESTIONS, word


def test_chat_record_with_nothing_asked_says_nothing_was_recorded(tmp_path: Path) -> None:
    """`chat --record </dev/null` said "recorded in …: see kubecon-bot report": nothing had
    been asked, and the report it pointed at was empty."""
    url = f"sqlite:///{tmp_path / 'try.sqlite3'}"
    proc = run_bot("chat", "--record", cwd=tmp_path, env=clean_env(DATABASE_URL=url), stdin="")
    assert proc.returncode == 0, proc.stderr
    where = (tmp_path / "try.sqlite3").resolve()
    assert proc.stderr == f"nothing was asked: nothing recorded in SQLite at {where}\n"


def test_chat_record_keeps_a_line_the_terminal_cannot_decode(tmp_path: Path) -> None:
    """A byte that is not UTF-8 arrives as a lone surrogate, which no database takes: it lost
    every record of the session, and the chat still said "recorded"."""
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}")
    talk = b"how do I exit vim\n\xff bad\nhow do I upgrade my cluster\n"
    proc = subprocess.run(
        bot_cmd("chat", "--record"),
        cwd=tmp_path,
        env=env,
        input=talk,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0 and b"not saved" not in proc.stderr, proc.stderr
    report = run_bot("report", cwd=tmp_path, env=env).stdout
    assert "Questions: 3 (terminal 3)" in report and "“\ufffd bad”" in report, report


def test_chat_record_says_how_many_records_were_not_saved(tmp_path: Path) -> None:
    """A database that refuses the rows themselves (here a trigger): the chat says how many
    were lost and fails, instead of "recorded in"."""
    url = f"sqlite:///{tmp_path / 'b.db'}"
    store = Store.open(url)
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON questions "
            "BEGIN SELECT RAISE(ABORT, 'refused by policy'); END"
        )
    store.close()
    talk = "how do I exit vim\nwhat about SBOMs?\n"
    proc = run_bot("chat", "--record", cwd=tmp_path, env=clean_env(DATABASE_URL=url), stdin=talk)
    assert proc.returncode == 1 and "recorded in" not in proc.stderr, proc.stderr
    assert "kubecon-bot chat: 2 question record(s) not saved (see above)" in proc.stderr
    assert "refused by policy" in proc.stderr


def test_mentions_never_reach_the_content_through_suggestions(tmp_path: Path) -> None:
    """A mention is platform markup, not a phrasing: accepted, it was written into the
    content's examples (and shown in the report)."""
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}")
    talk = "<!channel> observability tools\n8\n<@U123> tell me about GPUs\n1\n"
    assert run_bot("chat", "--record", cwd=tmp_path, env=env, stdin=talk).returncode == 0
    listed = run_bot("suggestions", cwd=tmp_path, env=env).stdout
    ids = [line.split()[0] for line in listed.splitlines() if "picked" in line]
    accepted = run_bot("suggestions", "accept", *ids, "--dry-run", cwd=tmp_path, env=env)
    added = [line for line in accepted.stdout.splitlines() if line.startswith("+      - ")]
    assert sorted(added) == ['+      - "observability tools"', '+      - "tell me about GPUs"']
    assert "<@U123>" not in accepted.stdout and "<!channel>" not in accepted.stdout
    report = run_bot("report", cwd=tmp_path, env=env).stdout
    assert "<@U123>" not in report and "<!channel>" not in report


def test_record_questions_false_keeps_and_shows_no_text_anywhere(tmp_path: Path) -> None:
    """RECORD_QUESTIONS=false was read by `run` only: `chat --record` stored texts, and the
    report, its page, the digest and the suggestions showed them, those stored before the
    switch too. Now none is stored, and none is shown."""
    url = f"sqlite:///{tmp_path / 'b.db'}"
    before = "where is the printer on floor 3\ntell me about GPUs\n1\n"
    run_bot("chat", "--record", cwd=tmp_path, env=clean_env(DATABASE_URL=url), stdin=before)
    off = clean_env(DATABASE_URL=url, RECORD_QUESTIONS="false")
    after = "how do I upgrade my cluster\nobservability tools\n8\n"
    assert run_bot("chat", "--record", cwd=tmp_path, env=off, stdin=after).returncode == 0
    store = Store.open(url)
    with store.engine.connect() as conn:
        texts = [t for (t,) in conn.exec_driver_sql("SELECT text FROM questions")]
    store.close()
    assert texts[:2] == ["where is the printer on floor 3", "tell me about GPUs"]
    assert texts[2:] == [None] * 4  # a pick never keeps text; the questions after the switch
    page = tmp_path / "report.html"
    shown = [
        run_bot(*command, cwd=tmp_path, env=off)
        for command in (
            ("report",),
            ("report", "--json"),
            ("report", "--html", str(page)),
            ("digest", "--preview"),
            ("suggestions", "--json"),
        )
    ]
    assert all(p.returncode == 0 for p in shown), [p.stderr for p in shown]
    everything = "".join(p.stdout for p in shown) + page.read_text(encoding="utf-8")
    for text in ("printer", "GPUs", "upgrade my cluster", "observability tools"):
        assert text not in everything
    assert "not recorded (RECORD_QUESTIONS)" in shown[0].stdout


def test_a_record_questions_that_is_not_yes_or_no_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    env = clean_env(DATABASE_URL=url, RECORD_QUESTIONS="maybe")
    proc = run_bot("chat", "--record", cwd=tmp_path, env=env, stdin="platform\n")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "kubecon-bot chat: RECORD_QUESTIONS: " in proc.stderr
    assert not (tmp_path / "b.db").exists()  # refused before anything was created
    Store.open(url).close()
    for command in (("report",), ("digest", "--preview"), ("suggestions",)):
        refused = run_bot(*command, cwd=tmp_path, env=env)
        assert refused.returncode == 1, command
        assert f"kubecon-bot {command[0]}: RECORD_QUESTIONS: " in refused.stderr


def test_chat_record_keeps_records_as_long_as_usage_retention_days_says(tmp_path: Path) -> None:
    """`chat --record` forgets records older than the retention, as `run` does, but it never
    read USAGE_RETENTION_DAYS: a deployment keeping a year lost everything past 90 days when an
    editor tried the loop against its database, as the docs suggest. It keeps them as `run`
    would, and refuses a value `run` refuses."""
    url = f"sqlite:///{tmp_path / 'b.db'}"
    old = utcnow() - dt.timedelta(days=120)
    store = Store.open(url)
    UsageLog(store.engine).record(
        [Asked(at=old, platform="slack", outcome="declined", text="kept for a year")]
    )
    store.close()

    def kept() -> list[str]:
        store = Store.open(url)
        try:
            return [a.text or "" for a in UsageLog(store.engine).asked_since(old)]
        finally:
            store.close()

    year = clean_env(DATABASE_URL=url, USAGE_RETENTION_DAYS="365")
    assert run_bot("chat", "--record", cwd=tmp_path, env=year, stdin="hi\n").returncode == 0
    assert "kept for a year" in kept()
    bad = clean_env(DATABASE_URL=url, USAGE_RETENTION_DAYS="abc")
    refused = run_bot("chat", "--record", cwd=tmp_path, env=bad, stdin="hi\n")
    assert refused.returncode == 1 and "USAGE_RETENTION_DAYS" in refused.stderr
    assert "Traceback" not in refused.stderr
    default = clean_env(DATABASE_URL=url)  # 90 days, as `run` keeps them
    assert run_bot("chat", "--record", cwd=tmp_path, env=default, stdin="hi\n").returncode == 0
    assert "kept for a year" not in kept()
