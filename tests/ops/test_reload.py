"""Editing qa.yaml while the bot runs: good edits go live, broken ones change nothing."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import signal
import weakref
from pathlib import Path

import aiohttp
import pytest

from bot.core.app import BotApp, Incoming
from bot.serve.metrics import Metrics
from bot.serve.reload import ContentReloader
from bot.serve.runner import Runner
from tests.e2e.running import running_bot
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN
from tests.slack.fakeslack import FakeSlack
from tests.waiting import eventually

from .conftest import FakeService, settings

UNCHANGED = 'kubecon_bot_content_reloads_total{result="unchanged"}'
NEW_ANSWER = "Edited while running: supply chain security needs signed SBOMs."


def edit_answer(path: Path) -> None:
    """Replace the first line of Q5's answer, keeping the YAML valid."""
    text = path.read_text(encoding="utf-8")
    marker = "The most significant gaps that I see"
    assert marker in text
    path.write_text(text.replace(marker, NEW_ANSWER + " " + marker, 1), encoding="utf-8")


def break_file(path: Path) -> int:
    """Blank the first answer (a schema error); returns the line the error is on."""
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.lstrip().startswith("answer:"))
    indent = lines[n][: len(lines[n]) - len(lines[n].lstrip())]
    lines[n] = f'{indent}answer: ""'
    # drop the old answer's continuation lines (a block scalar), if any
    while n + 1 < len(lines) and lines[n + 1].startswith(indent + " "):
        del lines[n + 1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n + 1


async def ask(bot_app: BotApp, text: str = "what about SBOMs?") -> str:
    reply = await bot_app.handle(Incoming(platform="terminal", text=text))
    return reply.body or ""


async def new_answer_served(bot_app: BotApp) -> None:
    """Until the edited answer is served (up to 10 s: patience, not a timing assertion)."""
    for _ in range(500):
        if (await ask(bot_app)).startswith(NEW_ANSWER):
            return
        await asyncio.sleep(0.02)
    assert (await ask(bot_app)).startswith(NEW_ANSWER)


async def test_a_good_edit_is_swapped_in(bot_app: BotApp, content_file: Path) -> None:
    metrics = Metrics(process=False)
    reloader = ContentReloader(bot_app, content_file, metrics=metrics)
    old = bot_app.responder.content.version
    edit_answer(content_file)
    assert await reloader.reload() is True
    assert bot_app.responder.content.version != old
    assert (await ask(bot_app)).startswith(NEW_ANSWER)
    assert (
        'kubecon_bot_content_reloads_total{result="swapped"} 1.0' in metrics.exposition().decode()
    )


async def test_a_broken_edit_keeps_the_old_content_and_names_file_and_line(
    bot_app: BotApp, content_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reloader = ContentReloader(bot_app, content_file)
    before = await ask(bot_app)
    line = break_file(content_file)
    with caplog.at_level(logging.ERROR):
        assert await reloader.reload() is False
    assert await ask(bot_app) == before
    assert f"{content_file}:{line}: entries[0].answer: must not be empty" in caplog.text
    # one line, as every log line is (a log read a line per event lost the file's problems)
    (failed,) = [r.getMessage() for r in caplog.records if "reload failed" in r.getMessage()]
    assert "\n" not in failed and failed.startswith("content reload failed, still serving")


async def test_a_changed_file_is_picked_up_without_a_signal(
    bot_app: BotApp, content_file: Path
) -> None:
    reloader = ContentReloader(bot_app, content_file)
    watcher = asyncio.create_task(reloader.watch(interval=0.05))
    try:
        edit_answer(content_file)
        os.utime(content_file, ns=(1, 1))  # a different mtime, even on coarse clocks
        await new_answer_served(bot_app)
    finally:
        watcher.cancel()


async def test_sighup_reloads_a_running_bot(bot_app: BotApp, content_file: Path) -> None:
    service = FakeService()
    metrics = Metrics(process=False)
    reloader = ContentReloader(bot_app, content_file)
    runner = Runner(
        settings(HEALTH_PORT=0), bot_app, [[service]], metrics, reloader=reloader, poll_interval=0
    )
    task = asyncio.create_task(runner.run())
    try:
        await eventually(lambda: service.ready, "the service to be ready")
        edit_answer(content_file)
        signal.raise_signal(signal.SIGHUP)
        await new_answer_served(bot_app)
    finally:
        runner.request_stop()
        await asyncio.wait_for(task, 10)


@pytest.mark.timeout(60)
async def test_sighup_with_unchanged_content_says_so_in_the_log(
    content_file: Path, tmp_path: Path
) -> None:
    """An operator who sent SIGHUP and saw nothing in the log could not tell it was received:
    only `content_reloads_total{result="unchanged"}` went up. The real process, one INFO line."""
    slack = await FakeSlack().start()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "CONTENT_PATH": str(content_file),
        "LOG_FORMAT": "json",
    }
    try:
        async with running_bot(settings, tmp_path) as bot, aiohttp.ClientSession() as session:
            bot.send_signal(signal.SIGHUP)
            reloaded = False
            for _ in range(500):  # until the reload is done: it is counted (10 s of patience)
                async with session.get(f"{bot.url}/metrics") as resp:
                    reloaded = f"{UNCHANGED} 1.0" in await resp.text()
                if reloaded:
                    break
                await asyncio.sleep(0.02)
            log = await bot.stop()
    finally:
        await slack.stop()
    assert reloaded, "SIGHUP was not counted as an unchanged reload"
    records = [json.loads(line) for line in log.splitlines()]
    [said] = [r for r in records if r["logger"] == "bot.serve.reload"]
    assert said["level"] == "INFO"
    assert said["msg"].startswith("content re-read: unchanged, still serving version ")
    assert said["path"] == str(content_file)


async def test_a_deleted_file_keeps_serving_is_logged_once_and_reloads_when_back(
    bot_app: BotApp, content_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reloader = ContentReloader(bot_app, content_file)
    saved = content_file.read_text(encoding="utf-8")
    before = await ask(bot_app)
    content_file.unlink()
    with caplog.at_level(logging.INFO, logger="bot.serve.reload"):
        for _ in range(3):  # three polls while it is gone
            assert await reloader.poll() is False
        assert await ask(bot_app) == before  # still serving the last good content
        gone = [r for r in caplog.records if "is gone" in r.getMessage()]
        assert len(gone) == 1 and gone[0].levelno == logging.WARNING
        assert str(content_file) in gone[0].getMessage()

        content_file.write_text(saved, encoding="utf-8")
        edit_answer(content_file)
        assert await reloader.poll() is True
        assert await reloader.poll() is False  # back and unchanged: nothing more to say
    assert (await ask(bot_app)).startswith(NEW_ANSWER)
    assert sum("is back" in r.getMessage() for r in caplog.records) == 1
    assert sum("is gone" in r.getMessage() for r in caplog.records) == 1


async def test_the_watcher_reports_a_deleted_file(
    bot_app: BotApp, content_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The same through `watch`, the loop `kubecon-bot run` starts (no SIGHUP needed)."""
    reloader = ContentReloader(bot_app, content_file)
    with caplog.at_level(logging.WARNING, logger="bot.serve.reload"):
        watcher = asyncio.create_task(reloader.watch(interval=0.01))
        try:
            content_file.unlink()
            for _ in range(500):  # up to 10 s: patience, not a timing assertion
                if "is gone" in caplog.text:
                    break
                await asyncio.sleep(0.02)
        finally:
            watcher.cancel()
    assert f"content file {content_file} is gone: still serving version" in caplog.text


async def test_a_reload_frees_the_previous_content_while_the_start_up_heap_is_frozen(
    bot_app: BotApp, content_file: Path
) -> None:
    """The runner freezes what start-up built (bot.serve.runner.heap_settled), so a
    collection never looks at the content served at start again: once replaced it must go by
    reference counting alone, or every edit would leave its predecessor in memory for good."""
    service = FakeService()
    reloader = ContentReloader(bot_app, content_file)
    runner = Runner(
        settings(HEALTH_PORT=0),
        bot_app,
        [[service]],
        Metrics(process=False),
        reloader=reloader,
        poll_interval=0,
    )
    task = asyncio.create_task(runner.run())
    try:
        await eventually(lambda: service.ready, "the service to be ready")
        await eventually(lambda: gc.get_freeze_count() > 0, "the start-up heap to be frozen")
        first = weakref.ref(bot_app.responder)
        first_index = weakref.ref(bot_app.responder.matcher)
        edit_answer(content_file)
        assert await reloader.reload()
        gc.collect()
        assert first() is None and first_index() is None
        assert (await ask(bot_app)).startswith(NEW_ANSWER)
    finally:
        runner.request_stop()
        await asyncio.wait_for(task, 10)
    assert gc.get_freeze_count() == 0  # stopped: nothing stays frozen
