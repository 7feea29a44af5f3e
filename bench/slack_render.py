"""Time of turning core replies into Slack messages (`bot.adapters.slack.render.render`).

    .venv/bin/python bench/slack_render.py [--rounds 300]

Six real replies (answers, takeaways, the list, did-you-mean), each rendered `rounds` times;
prints the median and p99 per render, beside encoding the same payload (the cheapest thing any
sender must do with it) with `json.dumps` and with orjson (what the bot sends with), measured in
the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import orjson

from bot.adapters.slack.render import render
from bot.core.content import load_content
from bot.core.responder import Responder

MESSAGES = [
    "what about SBOMs?",
    "ai operators",
    "takeaways",
    "list",
    "observability for AI",
    "pricing for nutanix",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds
    responder = Responder(load_content())
    replies = [responder.respond(m) for m in MESSAGES]
    renders, dumps, fast = [], [], []
    for _ in range(rounds):
        for reply in replies:
            t0 = time.perf_counter_ns()
            payload = render(reply, asker_id="U0000ASK")
            t1 = time.perf_counter_ns()
            json.dumps(payload).encode()
            t2 = time.perf_counter_ns()
            orjson.dumps(payload)
            t3 = time.perf_counter_ns()
            renders.append((t1 - t0) / 1000)
            dumps.append((t2 - t1) / 1000)
            fast.append((t3 - t2) / 1000)
    table = (("render", renders), ("json.dumps of it", dumps), ("orjson.dumps of it", fast))
    for name, values in table:
        ordered = sorted(values)
        p99 = ordered[int(0.99 * len(ordered)) - 1]
        print(f"{name:18} p50 {statistics.median(values):6.1f} µs   p99 {p99:6.1f} µs")


if __name__ == "__main__":
    main()
