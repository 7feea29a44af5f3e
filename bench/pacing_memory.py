"""Memory of the conversation rules with many distinct users (a script, not a test).

    .venv/bin/python bench/pacing_memory.py [--users 100000] [--bursts 5]

Issue 14.8: five bursts of 20,000 questions from unique users in unique channels grew RSS by
~76 MB, because the rate-limit and cooldown maps only forgot entries at a 50,000 cap. The
front door (the real BotApp, matcher included) answers every message; a simulated clock puts
the bursts `--gap` seconds apart, as traffic spread over time would be. Printed: RSS before,
after each burst, and the entries each map holds.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
from pathlib import Path

from bot.core.app import BotApp, Incoming
from bot.core.content import load_content
from bot.core.pacing import Cooldown, RateLimit
from bot.core.responder import Responder

QUESTIONS = ("what about SBOMs?", "list", "takeaways", "how does devtron help?", "recording")


def rss_mb() -> float:
    """Current resident set size (not the peak), from /proc."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--gap", type=float, default=660.0, help="seconds between bursts")
    args = parser.parse_args()
    clock = Clock()
    app = BotApp(
        Responder(load_content()),
        cooldown=Cooldown(clock=clock),
        rate_limit=RateLimit(clock=clock),
    )
    gc.collect()
    print(f"RSS before            : {rss_mb():6.1f} MB")
    per_burst = args.users // args.bursts
    n = 0
    for burst in range(args.bursts):
        for _ in range(per_burst):
            n += 1
            clock.now += 0.001  # a burst of 20,000 questions in 20 s
            incoming = Incoming("slack", QUESTIONS[n % len(QUESTIONS)], f"C{n}", f"U{n}")
            reply = await app.handle(incoming)
            app.posted(incoming, reply, f"https://example.slack.com/archives/C{n}/p{n}")
        gc.collect()
        print(
            f"after burst {burst + 1} ({n:>6} users): {rss_mb():6.1f} MB, "
            f"rate-limit entries {len(app.rate_limit):>6}, cooldown entries {len(app.cooldown):>6}"
        )
        clock.now += args.gap
    print(f"RSS after {n} unique users: {rss_mb():.1f} MB")


if __name__ == "__main__":
    asyncio.run(main())
