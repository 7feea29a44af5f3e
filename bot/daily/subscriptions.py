"""Daily-post subscriptions from chat (`subscribe`, `unsubscribe`, `subscription`) and from
configuration (SUBSCRIPTIONS_FILE, DAILY_SUBSCRIPTIONS), on top of bot.storage.database.

The chat commands answer with a private notice: a confirmation with the next post time, or
what was wrong; nothing is stored when the input is bad.

Which platform names exist and what their channel ids look like come from the platform
registry (bot.core.platforms) handed to `Subscriptions` and to the configuration readers
(default: this installation's), checked where an id enters, because a malformed one can never
be posted to: accepted, it would only fail at every daily post.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.core.clock import utcnow
from bot.core.content import ContentError, _node_at, load_yaml
from bot.core.intents import command_of
from bot.core.platforms import DEFAULT_INVOCATION, Platforms, installed
from bot.core.replies import Reply, notice
from bot.daily.timing import (
    CHAT_EXAMPLE,
    ScheduleError,
    When,
    describe,
    next_post,
    parse_when,
)

if TYPE_CHECKING:  # the chat front door must not pull in SQLAlchemy for every process
    from bot.daily.store import Store, Subscription

log = logging.getLogger(__name__)

CONFIG = "config"  # bot.daily.store.CONFIG

UNAVAILABLE = (
    "Daily takeaway subscriptions are temporarily unavailable (the bot cannot reach its "
    "database). Nothing was changed: please try again in a few minutes."
)


# Where a configured daily subscription is changed ("set in the configuration" alone left the
# operator to find which setting it was; the store records only that it is configured).
CONFIGURED_IN = "DAILY_SUBSCRIPTIONS or SUBSCRIPTIONS_FILE"


def set_in_configuration(when: When, whose: str = "the") -> str:
    """Where a configured subscription is set, and its time (`when`), for chat and the CLI
    alike: said of one in the database, and of one `run` has not subscribed yet."""
    return f"set in {whose} configuration ({CONFIGURED_IN}), at {when}"


class ConfigSubscriptionError(ValueError):
    """A configured subscription that cannot be used; names the file/variable and entry."""


@dataclass
class Subscriptions:
    """The chat side of subscriptions; `clock` is injectable for tests. `platforms`: whose
    channel-id rules a `subscribe` is checked against (the runner hands its registry)."""

    store: Store
    clock: Callable[[], dt.datetime] = utcnow
    platforms: Platforms = field(default_factory=installed)

    async def handle(
        self,
        platform: str,
        channel_id: str,
        text: str,
        *,
        can_manage: bool,
        workspace_id: str = "",
        invocation: str = DEFAULT_INVOCATION,
    ) -> Reply:
        """The private answer to a subscription command. The database may be away (the bot
        answers questions without it): then the user is told to try again later."""
        try:
            return await self._handle(
                platform,
                channel_id,
                text,
                can_manage=can_manage,
                workspace_id=workspace_id,
                invocation=invocation,
            )
        except Exception as err:
            from sqlalchemy.exc import SQLAlchemyError  # loaded already: the store uses it

            if not isinstance(err, SQLAlchemyError):
                raise
            log.warning(
                "subscription command not handled platform=%s channel=%s: database "
                "unavailable (%s)",
                platform,
                channel_id,
                type(getattr(err, "orig", None) or err).__name__,
            )
            return notice(UNAVAILABLE)

    async def _handle(
        self,
        platform: str,
        channel_id: str,
        text: str,
        *,
        can_manage: bool,
        workspace_id: str,
        invocation: str,
    ) -> Reply:
        from bot.daily.store import ConfiguredError  # loaded already: `self.store` is one

        parsed = command_of(text)
        if parsed is None:
            return notice(f"Try `{invocation} subscribe [HH:MM] [timezone]`.")
        word, args = parsed
        if not can_manage:
            return notice(
                "Only people who can manage this channel can change or view its daily "
                "takeaway subscription."
            )
        if not channel_id:
            return notice("Daily takeaways are posted in a channel: run this in one.")
        now = self.clock()
        if word == "subscribe":
            problem = self.platforms.channel_problem(platform, channel_id)
            if problem:
                return notice(f"{problem}. Nothing was changed.")
            # what is not asked for (the time, the timezone, or both) stays as the channel's
            # subscription has it, paused or not
            current = await asyncio.to_thread(self.store.get, platform, channel_id)
            try:
                when = parse_when(
                    args, f"{invocation} {CHAT_EXAMPLE}", current.when if current else None
                )
            except ScheduleError as err:
                return notice(f"{err} Nothing was changed.")
            try:
                sub, new = await asyncio.to_thread(
                    self.store.subscribe,
                    platform,
                    channel_id,
                    when,
                    now=now,
                    workspace_id=workspace_id,
                )
            except ConfiguredError as err:
                return notice(_configured(err.sub, "change"))
            if sub.source == CONFIG:  # resumed at its configured time: still the operator's
                return notice(await asyncio.to_thread(self.status, sub, now))
            if not args and current is not None and not current.paused:  # a bare `subscribe`
                return notice(
                    f"Already subscribed. {await asyncio.to_thread(self.status, sub, now)}"
                )
            resumed = current is not None and current.paused
            first = "Subscribed" if new else "Resumed" if resumed else "Updated"
            return notice(
                f"{first}: this channel gets a takeaway of the day from the webinar every day at "
                f"{when}. Next post: {await asyncio.to_thread(self._next, sub, now)}. "
                f"`{invocation} unsubscribe` stops it."
            )
        current = await asyncio.to_thread(self.store.get, platform, channel_id)
        if word == "unsubscribe":
            if args:
                return notice(
                    f"`{invocation} unsubscribe` takes no arguments. Nothing was changed."
                )
            try:
                ended = await asyncio.to_thread(
                    self.store.unsubscribe, platform, channel_id, now=now
                )
            except ConfiguredError as err:
                return notice(_configured(err.sub, "remove"))
            if not ended:
                return notice("This channel has no daily takeaway subscription.")
            return notice("Unsubscribed: no more daily takeaways in this channel.")
        if current is None:
            return notice(
                "This channel has no daily takeaway subscription. "
                f"`{invocation} subscribe [HH:MM] [timezone]` starts one (default 09:00 UTC)."
            )
        return notice(await asyncio.to_thread(self.status, current, now))

    def status(self, sub: Subscription, now: dt.datetime) -> str:
        origin = " (set in the bot's configuration)" if sub.source == CONFIG else ""
        if sub.paused:
            return (
                f"Daily takeaways here are paused{origin}: {sub.paused_reason}. "
                "Subscribe again to resume."
            )
        return f"This channel gets a takeaway every day at {sub.when}{origin}. " + (
            f"Next post: {self._next(sub, now)}."
        )

    def _next(self, sub: Subscription, now: dt.datetime) -> str:
        day = now.astimezone(sub.when.zone).date()
        delivery = self.store.delivery(sub.id, day)
        done = day if delivery is not None else None
        return describe(next_post(now, sub.when, sub.since, done), sub.when.tz)


def _configured(sub: Subscription, change: str) -> str:
    """Chat's refusal to `change` (or remove) what the configuration owns."""
    where = set_in_configuration(sub.when, "the bot's")
    return (
        f"This channel's daily takeaway is {where}: ask the bot's operator to {change} it "
        "there. Nothing was changed."
    )


# --- configuration (GitOps) ----------------------------------------------------------------------


def _as_written(raw: dict[object, object], node: yaml.Node | None) -> dict[object, object]:
    """The entry's values, each plain scalar that YAML 1.1 turned into something else read
    back as the text the operator wrote: `time: 17:30` is the base-60 integer 1050 and
    `time: 0700` the octal 448, which the bot served as 10:50 and 04:48."""
    if not isinstance(node, yaml.MappingNode):
        return raw
    written = dict(raw)
    for key_node, value_node in node.value:
        key, value = key_node.value, raw.get(key_node.value)
        if isinstance(value_node, yaml.ScalarNode) and not isinstance(value, str | None):
            written[key] = value_node.value
    return written


# A whole schedule as each source writes it, for "Give one time, e.g. …": chat's syntax
# (`subscribe 09:00 …`) told an operator nothing about what to write in the file or variable.
FILE_EXAMPLE = "time: '09:00', tz: Europe/Berlin"
ENV_EXAMPLE = "slack:C0123 09:00 Europe/Berlin"


def _entry(
    raw: object, node: yaml.Node | None, where: str, platforms: Platforms
) -> tuple[str, str, When]:
    if not isinstance(raw, dict):
        raise ConfigSubscriptionError(f"{where}: expected a mapping with platform and channel")
    unknown = set(raw) - {"platform", "channel", "time", "tz"}
    if unknown:
        raise ConfigSubscriptionError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    raw = _as_written(raw, node)
    platform = str(raw.get("platform", ""))
    platform, channel = _target(platform, str(raw.get("channel", "")), where, platforms)
    when = _when(f"{raw.get('time', '')} {raw.get('tz', '')}", where, FILE_EXAMPLE)
    return platform, channel, when


def _target(platform: str, channel: str, where: str, platforms: Platforms) -> tuple[str, str]:
    platform, channel = platform.strip().lower(), channel.strip()
    unknown = platforms.unknown(platform)
    if unknown:
        raise ConfigSubscriptionError(f"{where}: {unknown}")
    if not channel:
        raise ConfigSubscriptionError(f"{where}: channel is required")
    problem = platforms.channel_problem(platform, channel)
    if problem:
        raise ConfigSubscriptionError(f"{where}: channel {problem}")
    return platform, channel


def _when(text: str, where: str, example: str) -> When:
    try:
        return parse_when(text, example)
    except ScheduleError as err:
        raise ConfigSubscriptionError(f"{where}: {err}") from None


def _listed_again(
    seen: dict[tuple[str, str], tuple[When, str]], key: tuple[str, str], when: When, ref: str
) -> str | None:
    """A channel listed a second time with another time, in the file and the variable alike:
    the later one silently won, and an operator who added a channel again with a new time and
    forgot the old entry could not tell which time the bot used. Twice alike is harmless."""
    earlier, first = seen.setdefault(key, (when, ref))
    if earlier == when:
        return None
    return (
        f"{key[0]}:{key[1]} is listed again with another time (first at {first}): "
        "list each channel once"
    )


def load_file(path: Path, platforms: Platforms | None = None) -> list[tuple[str, str, When]]:
    """A YAML list of {platform, channel, time, tz} (time and tz optional). Problems are said
    as the content file's are, `FILE:LINE: …`, and all of them at once (one per entry): a
    GitOps change is fixed in one round, not one `run` per mistake."""
    platforms = installed() if platforms is None else platforms
    try:
        text = path.read_text(encoding="utf-8")
        root, data = load_yaml(text, str(path))
    except OSError as err:
        # the variable that named it, and where a relative path was looked for from here
        raise ConfigSubscriptionError(
            f"SUBSCRIPTIONS_FILE: cannot read {path.resolve()}: {err.strerror}"
        ) from None
    except UnicodeDecodeError:
        raise ConfigSubscriptionError(f"{path}: not UTF-8 text") from None
    except ContentError as err:  # the YAML itself: FILE:LINE: invalid YAML: …
        raise ConfigSubscriptionError(str(err)) from None
    if data is None and not text.strip():
        # a truncated file, or a ConfigMap key left empty: read as no channels, it removed
        # every configured subscription with one WARNING. Nothing, meant, is written `[]`
        # (or with the entries commented out)
        raise ConfigSubscriptionError(
            f"SUBSCRIPTIONS_FILE: {path.resolve()} is empty: write [] to subscribe no channels "
            "from it (every configured subscription would be removed)"
        )
    if data is None:
        return []
    if isinstance(data, dict) and "subscriptions" in data:
        root, _ = _node_at(root, ["subscriptions"])
        data = data["subscriptions"]
    if not isinstance(data, list):
        raise ConfigSubscriptionError(f"{path}: expected a list of subscriptions")
    items = root.value if isinstance(root, yaml.SequenceNode) else []
    found, problems = [], []
    seen: dict[tuple[str, str], tuple[When, str]] = {}
    for i, raw in enumerate(data):
        node = items[i] if i < len(items) else None
        line = node.start_mark.line + 1 if node is not None else None
        where = f"{path}{f':{line}' if line else ''}: entry {i + 1}"
        try:
            platform, channel, when = _entry(raw, node, where, platforms)
        except ConfigSubscriptionError as err:
            problems.append(str(err))
            continue
        ref = f"line {line}" if line else f"entry {i + 1}"
        again = _listed_again(seen, (platform, channel), when, ref)
        if again:
            problems.append(f"{where}: {again}")
        found.append((platform, channel, when))
    if problems:
        raise ConfigSubscriptionError("\n".join(problems))
    return found


def _separator_problem(part: str, platforms: Platforms) -> str | None:
    """Two entries run together: "a, b" (a comma, which was blamed on the timezone, whose
    echo dropped it) or "a b" (the second platform:channel was read as a timezone). The docs
    and the example say ";"."""
    if "," in part:
        fixed = "; ".join(p.strip() for p in part.split(","))
        return f'entries are separated by ";" (or newlines), not ",": {fixed}'
    for word in part.split()[1:]:
        name, colon, _ = word.partition(":")
        if colon and platforms.unknown(name.lower()) is None:
            return f'"{word}" starts another entry: separate entries with ";" (or newlines)'
    return None


def parse_env(value: str, platforms: Platforms | None = None) -> list[tuple[str, str, When]]:
    """DAILY_SUBSCRIPTIONS: entries separated by ";" or newlines, each
    `platform:channel [HH:MM] [timezone]`, e.g. "slack:C0123 09:00 Europe/Berlin; discord:42".
    Every mistake is said at once, as in the file, and by the file's rules."""
    platforms = installed() if platforms is None else platforms
    out, problems = [], []
    seen: dict[tuple[str, str], tuple[When, str]] = {}
    for i, part in enumerate(p.strip() for p in value.replace("\n", ";").split(";")):
        if not part:
            continue
        where = f"DAILY_SUBSCRIPTIONS entry {i + 1}"
        try:
            platform, channel, when = _env_entry(part, where, platforms)
        except ConfigSubscriptionError as err:
            problems.append(str(err))
            continue
        again = _listed_again(seen, (platform, channel), when, f"entry {i + 1}")
        if again:
            problems.append(f"{where}: {again}")
        out.append((platform, channel, when))
    if problems:
        raise ConfigSubscriptionError("\n".join(problems))
    return out


def _env_entry(part: str, where: str, platforms: Platforms) -> tuple[str, str, When]:
    """One `platform:channel [HH:MM] [timezone]` of DAILY_SUBSCRIPTIONS."""
    run_together = _separator_problem(part, platforms)
    if run_together:
        raise ConfigSubscriptionError(f"{where}: {run_together}")
    target, _, when = part.partition(" ")
    platform, colon, channel = target.partition(":")
    if not colon:
        raise ConfigSubscriptionError(f"{where}: {target!r}: write platform:channel (slack:C0123)")
    platform, channel = _target(platform, channel, where, platforms)
    return platform, channel, _when(when, where, ENV_EXAMPLE)


def configured(
    file: Path | None, env: str | None, platforms: Platforms | None = None
) -> list[tuple[str, str, When]]:
    """Subscriptions from the file and the variable; the variable wins for a channel in both.
    `platforms`: the names and channel rules to check them against (default: installed)."""
    platforms = installed() if platforms is None else platforms
    from_file = load_file(file, platforms) if file else []
    merged: dict[tuple[str, str], When] = {}
    for platform, channel, when in from_file + parse_env(env or "", platforms):
        merged[(platform, channel)] = when
    return [(p, c, w) for (p, c), w in merged.items()]
