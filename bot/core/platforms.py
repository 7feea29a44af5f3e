"""The chat platforms the bot can serve, each declared once, and the registry that lists them.

A `Platform` says everything the rest of the bot needs to know about a platform without loading
it: whether the settings enable it, which setting values are secrets, what its channel ids look
like, how its users address the bot, and how to build its service. The runner (which services to
start, what to mask in logs, what to say when nothing is configured), the command line (the
`--platform` names), the daily subscriptions (is this a channel id of that platform?), the
scheduler (the command a daily post tells people to type) and the health probe all read the same
declaration, so a new platform is a new package rather than an edit to each of them.

A declaration imports no chat SDK: the registry is read by commands that must start fast
(`subscriptions add`, `healthcheck`), and an unconfigured platform must cost nothing (a
Discord-only run never imports slack_bolt). `create_service` imports the adapter when called.

The registry is the platforms shipped with the bot plus those declared by installed packages in
the entry-point group `kubecon_bot.platforms` (`name = module:attribute`, the attribute being a
`Platform`). Both are loaded the same way; the built-ins are listed here, by module path, rather
than in pyproject.toml, so a source checkout or an editable install made before a platform was
added still has them. Naming them as strings keeps the core free of adapter imports.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.services import reason_of

if TYPE_CHECKING:  # annotations only: every command imports this module (`ask` too)
    from importlib.metadata import EntryPoint

    from pydantic import SecretStr

    from bot.core.app import BotApp
    from bot.core.services import Service

# The settings (bot.config.Settings) are handed through to each platform's own functions and
# never read here: the settings sit above the core (they name its defaults), not below it.
Settings = Any

GROUP = "kubecon_bot.platforms"

# How users address the bot unless a platform says otherwise: the product's slash command.
# Slack's SLACK_COMMAND defaults to it, Discord's command group is named after it, and replies
# built without a platform (the core's defaults, `kubecon-bot takeaway`) name it.
DEFAULT_INVOCATION = "/kubecon"

# The platforms that ship with the bot, as entry points (name, "module:attribute"): the
# adapters' light declaration modules, which import no SDK. Loaded exactly like a plugin's.
BUILT_IN = (
    ("slack", "bot.adapters.slack.platform:SLACK"),
    ("discord", "bot.adapters.discord.platform:DISCORD"),
)

# A platform's name is typed by operators (DAILY_SUBSCRIPTIONS "slack:C0123"), stored in the
# database and used as a metric label: short, lower case, no separator characters.
_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")


class PlatformError(Exception):
    """A platform declaration that cannot be used: a plugin that fails to load, one that is
    not a `Platform`, two platforms with one name. One line, naming the plugin and where it
    comes from, for the operator who installed it."""


class ServiceFactory(Protocol):
    """Builds a platform's service for `kubecon-bot run`. `shared` is what the composition root
    shares between platforms, by keyword (today `database`: the bot's
    `bot.storage.database.Database`, connected when first used); a factory takes what it needs
    and accepts the rest (`**_`), so more can be shared without breaking a plugin."""

    def __call__(self, settings: Settings, bot_app: BotApp, /, **shared: Any) -> Service: ...


# A Discord id (snowflake: a user, server, channel or application) is an unsigned 64-bit number,
# never 0. Only that is checked, not a length: the ids of tests and fakes are small.
SNOWFLAKE_MAX = 2**64 - 1
SNOWFLAKE_RULE = f"a Discord id is a positive number no larger than {SNOWFLAKE_MAX}"


def is_snowflake(number: int) -> bool:
    """Whether `number` can be a Discord id: `0`, `-5` or 26 digits passed every check and
    failed only when Discord was asked about them (every daily post, the command sync)."""
    return 0 < number <= SNOWFLAKE_MAX


def snowflake_problem(digits: str) -> str | None:
    """A `ChannelShape.beyond` for Discord: why a run of digits is no Discord id, or None."""
    return None if is_snowflake(int(digits)) else SNOWFLAKE_RULE


def _no_secrets(settings: Settings) -> list[str]:
    return []


def _any_channel(channel_id: str) -> str | None:
    return None


def _default_invocation(settings: Settings) -> str:
    return DEFAULT_INVOCATION


def _no_web_port(settings: Settings) -> int | None:
    return None


@dataclass(frozen=True)
class Platform:
    """One chat platform, as the rest of the bot sees it.

    - `name`: its id in settings, the database, logs and metrics (`slack`); `label` is how
      messages to people name it (`Slack`).
    - `enabled(settings)`: whether `kubecon-bot run` serves it (its token is set).
    - `create_service(settings, bot_app, **shared)`: its `bot.core.services.Service`, importing
      the adapter only now. When the service is also a `Poster`, the daily takeaways go
      through it.
    - `how_to_enable`: what to set, for the message `run` prints when nothing is configured
      (one line; a second line, after a newline, is indented under the first).
    - `secrets(settings)`: setting values to mask in every log line.
    - `channel_problem(channel_id)`: why an id cannot be one of its channels (one line), or
      None; checked wherever an id enters (chat, configuration, the CLI), because a malformed
      one would only fail at every daily post.
    - `invocation(settings)`: how its users address the bot (`/kubecon`), for help texts and
      the daily post's "Ask `/kubecon 3`".
    - `web_port(settings)`: the port of its own HTTP server, when it serves one (Slack HTTP
      mode): the health endpoints share it, so `kubecon-bot healthcheck` probes there.
    """

    name: str
    label: str
    enabled: Callable[[Settings], bool]
    create_service: ServiceFactory
    how_to_enable: str
    secrets: Callable[[Settings], list[str]] = _no_secrets
    channel_problem: Callable[[str], str | None] = _any_channel
    invocation: Callable[[Settings], str] = _default_invocation
    web_port: Callable[[Settings], int | None] = _no_web_port

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(
                f"platform name {self.name!r}: use lower-case letters, digits, '-' or '_', "
                "starting with a letter (at most 32)"
            )


@dataclass(frozen=True)
class ChannelShape:
    """A `channel_problem` from a pattern a channel id must match in full, and the sentence
    that tells people what one looks like (with an example they can compare with). `beyond`
    checks what a pattern cannot say (a number's range) in an id that matches it."""

    label: str
    pattern: str
    expected: str
    beyond: Callable[[str], str | None] = _any_channel

    def __call__(self, channel_id: str) -> str | None:
        if not re.fullmatch(self.pattern, channel_id):
            upper = channel_id.upper()
            if (
                upper != channel_id
                and any(map(str.isdigit, upper))
                and re.fullmatch(self.pattern, upper)
            ):  # an id (it has digits; "general" is a name) in lower case: say the one meant
                return (
                    f"{channel_id!r} is not a {self.label} channel id: {self.label} channel ids "
                    f"are in capitals; did you mean {upper!r}?"
                )
            return f"{channel_id!r} is not a {self.label} channel id: {self.expected}"
        problem = self.beyond(channel_id)
        return f"{channel_id!r} is not a {self.label} channel id: {problem}" if problem else None


def revealed(*values: SecretStr | None) -> list[str]:
    """The set values among `values`, for `Platform.secrets`."""
    return [v.get_secret_value() for v in values if v is not None]


class Platforms(Mapping[str, Platform]):
    """The registry: every known platform by name, built-ins first, then plugins by name.
    The readers' questions are methods here, so each asks them the same way."""

    def __init__(self, platforms: Iterable[Platform]) -> None:
        self._by_name: dict[str, Platform] = {}
        for platform in platforms:
            if platform.name in self._by_name:
                raise PlatformError(f"two platforms are named {platform.name!r}")
            self._by_name[platform.name] = platform

    def __getitem__(self, name: str) -> Platform:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def __repr__(self) -> str:
        return f"Platforms({', '.join(self._by_name)})"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def unknown(self, name: str) -> str | None:
        """Why `name` is not a platform (one line listing the known ones), or None if it is."""
        if name in self._by_name:
            return None
        return f"platform must be one of {', '.join(self._by_name)}, not {name!r}"

    def channel_problem(self, name: str, channel_id: str) -> str | None:
        """Why `channel_id` cannot be a channel of platform `name`; None when it can, or when
        the platform is not declared here (a message from the terminal)."""
        platform = self._by_name.get(name)
        return platform.channel_problem(channel_id) if platform else None

    def enabled(self, settings: Settings) -> list[Platform]:
        """The platforms `kubecon-bot run` serves with these settings, in registry order."""
        return [p for p in self._by_name.values() if p.enabled(settings)]

    def secrets(self, settings: Settings) -> list[str]:
        """Every platform's secret values that are set, enabled or not: a token set for a
        platform that is off must not reach a log line either."""
        return [value for p in self._by_name.values() for value in p.secrets(settings)]

    def invocations(self, settings: Settings) -> dict[str, str]:
        """How each platform's users address the bot, by platform name."""
        return {name: p.invocation(settings) for name, p in self._by_name.items()}

    def web_port(self, settings: Settings) -> int | None:
        """The port an enabled platform serves HTTP on (the health endpoints join it), else
        None: then they have a server of their own (HEALTH_PORT)."""
        server = self.web_server(settings)
        return server[1] if server is not None else None

    def web_server(self, settings: Settings) -> tuple[Platform, int] | None:
        """The enabled platform that serves HTTP, and its port (`web_port`), for messages that
        name it; None when none does."""
        for platform in self.enabled(settings):
            port = platform.web_port(settings)
            if port is not None:
                return platform, port
        return None


def _origin(entry_point: EntryPoint) -> str:
    """Where a declaration comes from, for error messages: the module path and its package."""
    dist = entry_point.dist
    if dist is not None:
        return f"{entry_point.value}, {dist.name} {dist.version}"
    built_in = (entry_point.name, entry_point.value) in BUILT_IN
    return f"{entry_point.value}, built in" if built_in else entry_point.value


def _load(entry_point: EntryPoint) -> Platform:
    where = _origin(entry_point)
    try:
        declared = entry_point.load()
    except Exception as err:  # anything a broken plugin raises is its own one-line problem
        raise PlatformError(
            f"platform plugin {entry_point.name!r} ({where}) cannot be loaded: {reason_of(err)}"
        ) from err
    if not isinstance(declared, Platform):
        raise PlatformError(
            f"platform plugin {entry_point.name!r} ({where}) is a {type(declared).__name__}, "
            "not a bot.core.platforms.Platform"
        )
    return declared


def discover(entry_points: Iterable[EntryPoint] | None = None) -> Platforms:
    """The built-in platforms, then those declared in `entry_points` (default: every installed
    package's `kubecon_bot.platforms` entry points), sorted by entry-point name so the order
    does not depend on the order packages were installed in. PlatformError for a plugin that
    cannot be loaded or reuses a name."""
    from importlib.metadata import EntryPoint
    from importlib.metadata import entry_points as installed_entry_points

    built_in = [EntryPoint(name, value, GROUP) for name, value in BUILT_IN]
    found = installed_entry_points(group=GROUP) if entry_points is None else entry_points
    declared: dict[str, tuple[Platform, str]] = {}
    for entry_point in (*built_in, *sorted(found, key=lambda ep: (ep.name, ep.value))):
        platform = _load(entry_point)
        where = _origin(entry_point)
        if platform.name in declared:
            first, first_where = declared[platform.name]
            if first is platform:
                continue  # one declaration found twice (a package on two sys.path entries)
            raise PlatformError(
                f"two platforms are named {platform.name!r}: ({first_where}) and ({where}); "
                "uninstall one of the packages"
            )
        declared[platform.name] = (platform, where)
    return Platforms(platform for platform, _ in declared.values())


@functools.cache
def installed() -> Platforms:
    """The registry of this installation, discovered once per process."""
    return discover()
