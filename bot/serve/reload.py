"""Content reload without a restart (SIGHUP, or the file changing on disk).

A new file is validated completely before anything is swapped: a typo in qa.yaml must never take
the bot down or leave it half-updated. The swap is one attribute assignment on the event loop
thread, so a message is answered wholly from the old content or wholly from the new.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from bot.core.app import BotApp
from bot.core.content import DEFAULT_CONTENT_PATH, ContentError, load_content
from bot.core.responder import Responder
from bot.serve.metrics import Metrics, ReloadResult

log = logging.getLogger(__name__)

POLL_INTERVAL_S = 5.0


class ContentReloader:
    def __init__(
        self,
        bot_app: BotApp,
        path: str | Path | None = None,
        recording_url: str | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.bot_app = bot_app
        self.path = Path(path) if path else DEFAULT_CONTENT_PATH
        self.recording_url = recording_url
        self.metrics = metrics
        self._stamp = self._stat()
        self._missing = False  # the file was gone at the last poll (reported once, not per poll)
        self._lock = asyncio.Lock()

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None  # mid-save (editors replace the file) or gone: keep serving, look again
        return st.st_mtime_ns, st.st_size

    async def reload(self) -> bool:
        """Load and validate the file; swap it in if it differs. True if swapped."""
        async with self._lock:
            self._stamp = self._stat()
            try:
                content = await asyncio.to_thread(load_content, self.path, self.recording_url)
                responder = await asyncio.to_thread(Responder, content)
            except ContentError as err:
                self._count(ReloadResult.ERROR)
                log.error(  # one line, as every log line: the file's problems joined
                    "content reload failed, still serving version %s: %s",
                    self.bot_app.responder.content.version,
                    "; ".join(str(err).splitlines()),
                )
                return False
            old = self.bot_app.responder.content.version
            if content.version == old:
                self._count(ReloadResult.UNCHANGED)
                # said, not only counted: an operator who sent SIGHUP looks for a sign of it
                log.info(
                    "content re-read: unchanged, still serving version %s",
                    old,
                    extra={"path": str(self.path)},
                )
                return False
            self.bot_app.responder = responder
            self._count(ReloadResult.SWAPPED)
            if self.metrics:
                self.metrics.content(content.version, len(content.entries))
            for warning in content.warnings:
                log.warning("content: %s", warning)
            log.info(
                "content reloaded: version %s -> %s (%d entries)",
                old,
                content.version,
                len(content.entries),
                extra={"path": str(self.path)},
            )
            return True

    async def watch(self, interval: float = POLL_INTERVAL_S) -> None:
        """Poll the file's mtime and size; reload when they change. Runs until cancelled."""
        while True:
            await asyncio.sleep(interval)
            await self.poll()

    async def poll(self) -> bool:
        """One look at the file; True if new content was swapped in.

        A deleted file keeps the last good content serving (a bot must not go dumb because a
        deploy or an editor removed a file), and says so once, not at every poll: an operator
        who deleted it by mistake learns it from the log. When it is back, it is reloaded."""
        stamp = self._stat()
        if stamp is None:
            if not self._missing:
                self._missing = True
                log.warning(
                    "content file %s is gone: still serving version %s until it returns",
                    self.path,
                    self.bot_app.responder.content.version,
                )
            return False
        if self._missing:
            self._missing = False
            log.info("content file %s is back: reloading it", self.path)
            return await self.reload()
        return stamp != self._stamp and await self.reload()

    def _count(self, result: ReloadResult) -> None:
        if self.metrics:
            self.metrics.content_reloads.labels(result).inc()
