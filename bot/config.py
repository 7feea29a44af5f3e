"""Settings, from the environment (and a `.env` file) only: secrets never come from flags or files
in the repository, and one validated object means one clear line per misconfiguration.

Every variable is listed in the README's configuration table (a test keeps it complete).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from pathlib import Path
from typing import Literal, TypeVar, get_args
from urllib.parse import urlsplit

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.platforms import DEFAULT_INVOCATION, SNOWFLAKE_RULE, is_snowflake
from bot.envfile import (
    ENV_FILE,
    EnvFileError,
    commented,
    misspelt,
    name_the_file,
    repeated,
)

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite:///kubecon-bot.sqlite3"
_SLACK_USER = re.compile(r"[UW][A-Z0-9]+")  # a member id: Slack's profile menu "Copy member ID"
# RFC 1123, and "_", which Docker Compose service names have ("mock_slack") and resolve with
_HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")
# The longest USAGE_RETENTION_DAYS, and so the longest period `report --days` and `suggestions
# --days` can usefully cover (nothing older is kept). A century still says "keep it all", and
# "now minus that many days" stays far inside what a datetime holds (year 1, some 739,000 days
# back): a larger number was a date overflow on every prune, or a traceback from the report.
MAX_DAYS = 36_500


# OAuth & Permissions shows the User OAuth Token (xoxp-) next to the Bot User OAuth Token the docs
# say to copy: the bot's own token is needed, and a user token would post as that person.
_USER_TOKEN = (
    "that is a user token (xoxp-…); copy the Bot User OAuth Token (xoxb-…) from OAuth & "
    "Permissions, on the same page (docs/slack.md)"
)


def _listed(value: str | None) -> list[str]:
    """The items of a list variable, separated by commas and/or spaces ("0,1", "U1 U2")."""
    return (value or "").replace(",", " ").split()


def _is_host(value: str) -> bool:
    """An IP address, or a name of letters, digits, hyphens and underscores in dot-separated
    labels."""
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        pass
    labels = value.removesuffix(".").split(".")
    return len(value) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in labels)


def _url_problem(value: str, schemes: tuple[str, ...], example: str) -> str | None:
    """Why `value` cannot be a base URL the SDKs reach: a scheme they do not speak, no host,
    or a user:password part. These were found only as retries "as if the network were down"
    or an SDK traceback. The message never repeats the URL: it may hold a password."""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    try:
        _ = parts and parts.port  # a port that is no number, or out of range, raises here
    except ValueError:
        return "the port must be a number from 1 to 65535, e.g. " + example
    if parts is None or parts.scheme.lower() not in schemes or not _is_host(parts.hostname or ""):
        wanted = " or ".join(f"{scheme}://" for scheme in schemes)
        article = "an" if wanted.startswith("h") else "a"  # an http://, a ws://
        return f"must be {article} {wanted} URL with a host, e.g. {example}"
    if parts.username is not None or parts.password is not None:
        return (
            "must not carry a user name or password (user:password@…): the bot signs its "
            "requests with its token"
        )
    return None


def _api_url(schemes: tuple[str, ...], example: str) -> classmethod:
    """A field validator refusing what `_url_problem` finds, for one kind of URL."""

    def check(cls: type, value: str | None) -> str | None:
        problem = value and _url_problem(value, schemes, example)
        if problem:
            raise ValueError(problem)
        return value

    return classmethod(check)


class ConfigError(Exception):
    """Settings that stop start-up; the message is one line per problem, naming the variable."""


class _FromEnvironment(BaseSettings):
    """An empty variable is an unset one (`env_ignore_empty`): a .env template's `NAME=` or a
    Kubernetes secret key with no value must not turn a platform on (`DISCORD_TOKEN=`) or
    replace a default with nothing (`DATABASE_URL=`)."""

    model_config = SettingsConfigDict(
        env_file=ENV_FILE,
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _yes_or_no_as_typed(cls, value: object, info: ValidationInfo) -> object:
        """`RECORD_QUESTIONS=' yes '` was refused as no yes or no: the whitespace around a
        yes-or-no is dropped, as it is around a token or a number."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, str) and field is not None and _typed(field, bool):
            return value.strip()
        return value


def _without_whitespace(value: object) -> object:
    """A token or secret as pasted, without the newline `echo … > file` and `kubectl create
    secret --from-file` keep (no token or secret contains whitespace): with it, the signing
    secret verified no request. Nothing left is unset, as an empty variable is.

    What is left must be one unbroken run of visible ASCII, as every Slack and Discord token
    and secret is: a line break inside one (pasted across two lines) reached the SDK, which
    failed in an HTTP header with a traceback, or was retried as a network error. Named by
    kind, never shown: the message must not carry any part of the secret."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if "..." in value:  # no token or secret has three dots in a row; `.env.example`'s do
        raise ValueError(
            "is a placeholder (as in .env.example): paste the real one, or leave the line "
            "commented out"
        )
    odd = next((c for c in value if not "!" <= c <= "~"), None)
    if odd is not None:
        raise ValueError(
            f"contains {_kind_of(odd)} inside it: copy it again, as one line "
            "(no token or secret has whitespace or other invisible characters)"
        )
    return value or None


def _kind_of(char: str) -> str:
    """What an operator would call `char`, a character no token or secret has."""
    if char in "\r\n\v\f\x85\u2028\u2029":
        return "a line break"
    if char == " ":
        return "a space"
    if char == "\t":
        return "a tab"
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return "a control character"
    return "a non-ASCII character"


# where the Discord ids the settings take are copied from, for the messages refusing one
_APPLICATION_ID = "Developer Portal → General Information → Application ID"
_SERVER_ID = "a server's menu → Copy Server ID, with Developer Mode on"


def _snowflake(value: int | None, where: str) -> int | None:
    """A Discord id setting that no server or application can have (`-5`, 26 digits) passed
    start-up and failed later, when Discord was asked about it."""
    if value is not None and not is_snowflake(value):
        raise ValueError(f"not a Discord id: {SNOWFLAKE_RULE} ({where})")
    return value


class DatabaseSettings(_FromEnvironment):
    """What the database commands (`report`, `subscriptions`, `takeaway`) read: a report must
    not fail because the Slack settings are incomplete, so they do not read them."""

    database_url: str = Field(DEFAULT_DATABASE_URL, alias="DATABASE_URL")


# how every Slack token starts: bot, user, app-level, configuration and refresh tokens
_SLACK_PREFIXES = ("xoxb-", "xoxp-", "xapp-", "xoxe-", "xoxa-", "xoxr-")


def database_named(settings: DatabaseSettings) -> str:
    """How a message names the database `settings` chose: the variable, when it was set; the
    default, when not (an operator looked for a DATABASE_URL they never set)."""
    if "database_url" in settings.model_fields_set:
        return "DATABASE_URL"
    return "the default database (DATABASE_URL is not set)"


class DiscordAppSettings(_FromEnvironment):
    """What `discord-invite-url` reads: the application id, or a token that carries it."""

    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")
    discord_application_id: int | None = Field(
        None, alias="DISCORD_APPLICATION_ID", description=f"a Discord id: {_APPLICATION_ID}"
    )

    _discord_token_as_pasted = field_validator("discord_token", mode="before")(_without_whitespace)

    @field_validator("discord_token")
    @classmethod
    def _not_a_slack_token(cls, value: SecretStr | None) -> SecretStr | None:
        """A Slack token pasted into DISCORD_TOKEN (the two .env lines sit side by side): said
        at once, naming the kind and never the value, rather than as Discord refusing it."""
        if value is not None and value.get_secret_value().startswith(_SLACK_PREFIXES):
            raise ValueError(
                "is a Slack token (xoxb-/xapp-…): the Discord bot token is on the Developer "
                "Portal's Bot page (docs/discord.md)"
            )
        return value

    @field_validator("discord_application_id")
    @classmethod
    def _application_snowflake(cls, value: int | None) -> int | None:
        return _snowflake(value, _APPLICATION_ID)


class DigestSettings(_FromEnvironment):
    """The editors' digest (what `run` posts, and `digest --preview` shows). Kept as text here
    and checked by bot.daily.digest_schedule with the channel-id and schedule rules the daily
    posts use (this module sits below bot.daily), one line naming the variable."""

    digest_channel: str = Field("", alias="DIGEST_CHANNEL")
    digest_day: str = Field("monday", alias="DIGEST_DAY")
    digest_time: str = Field("09:00", alias="DIGEST_TIME")
    digest_tz: str = Field("UTC", alias="DIGEST_TZ")


class SubscriptionSettings(_FromEnvironment):
    """The configured daily posts: `run` subscribes them, and `subscriptions list/remove`
    read them too, so a channel configured before the bot's first start is shown, not
    missing."""

    subscriptions_file: Path | None = Field(None, alias="SUBSCRIPTIONS_FILE")
    daily_subscriptions: str = Field("", alias="DAILY_SUBSCRIPTIONS")


class UsageSettings(_FromEnvironment):
    """Whether question text is kept, and for how long records are, read by every command that
    records or shows them (`run`, `chat --record`, `report`, `suggestions`, `digest`): a privacy
    switch one of them ignored would be no switch at all, and `chat --record`, which prunes as
    `run` does, forgot a year's records after 90 days whatever USAGE_RETENTION_DAYS said. A
    value that is not a yes or no, or no number of days, is refused, not read as one."""

    record_questions: bool = Field(
        True,
        alias="RECORD_QUESTIONS",
        description="whether the text of questions is kept, for report and suggestions",
    )
    usage_retention_days: int = Field(
        90,
        alias="USAGE_RETENTION_DAYS",
        ge=1,
        le=MAX_DAYS,
        description="how many days question records and votes are kept",
    )


class Settings(
    DatabaseSettings, DiscordAppSettings, DigestSettings, SubscriptionSettings, UsageSettings
):
    """Everything `kubecon-bot run` reads, checked for consistency between platforms."""

    # content
    content_path: Path | None = Field(None, alias="CONTENT_PATH")
    recording_url: str | None = Field(None, alias="RECORDING_URL")

    # Slack
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_mode: Literal["socket", "http"] | None = Field(None, alias="SLACK_MODE")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    slack_command: str = Field(DEFAULT_INVOCATION, alias="SLACK_COMMAND")
    slack_admin_user_ids: str = Field("", alias="SLACK_ADMIN_USER_IDS")
    port: int = Field(
        3000,
        alias="PORT",
        ge=1,
        le=65535,
        description="the TCP port Slack's HTTP mode listens on; not 0, a free port: Slack's "
        "Request URL must name a fixed one",
    )

    # Discord (DISCORD_TOKEN and DISCORD_APPLICATION_ID come from DiscordAppSettings)
    discord_api_url: str | None = Field(None, alias="DISCORD_API_URL")
    discord_gateway_url: str | None = Field(None, alias="DISCORD_GATEWAY_URL")
    discord_guild_id: int | None = Field(
        None, alias="DISCORD_GUILD_ID", description=f"a Discord id: {_SERVER_ID}"
    )
    # how long discord.py waits for the next guild after READY before "ready" (its default 2 s)
    discord_guild_ready_timeout: float = Field(
        2.0,
        alias="DISCORD_GUILD_READY_TIMEOUT",
        ge=0,
        description="how many seconds discord.py waits for more servers after READY",
    )
    shard_count: int | None = Field(
        None,
        alias="SHARD_COUNT",
        ge=1,
        description="the total number of Discord shards, across all processes",
    )
    shard_ids: str | None = Field(None, alias="SHARD_IDS")

    # operations
    health_port: int = Field(
        8080,
        alias="HEALTH_PORT",
        ge=0,
        le=65535,
        description="the TCP port of /healthz, /readyz and /metrics; 0 picks a free one",
    )
    log_format: Literal["text", "json"] = Field("text", alias="LOG_FORMAT")
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    # the interface the HTTP servers bind (Slack HTTP mode, health); 0.0.0.0 in the image
    host: str = Field("127.0.0.1", alias="HOST")
    log_message_text: bool = Field(
        False,
        alias="LOG_MESSAGE_TEXT",
        description="whether what users typed is added to the per-message log line",
    )

    @field_validator("slack_mode", "log_format", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        """`SLACK_MODE=Socket` was refused: a choice of words is read in any case."""
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("slack_command")
    @classmethod
    def _slash(cls, value: str) -> str:
        if not value.startswith("/") or " " in value:
            raise ValueError("must look like /kubecon")
        return value

    _slack_secrets_as_pasted = field_validator(
        "slack_bot_token", "slack_app_token", "slack_signing_secret", mode="before"
    )(_without_whitespace)

    @field_validator("slack_signing_secret")
    @classmethod
    def _a_secret_not_a_token(cls, value: SecretStr | None) -> SecretStr | None:
        """The signing secret is 32 hex digits from Basic Information; a token pasted there
        verified no request (every slash command refused as unsigned)."""
        if value is not None and value.get_secret_value().startswith(_SLACK_PREFIXES):
            raise ValueError(
                "is a token (xoxb-/xapp-…), not the signing secret: copy the Signing Secret "
                "from the app's Basic Information page (docs/slack.md)"
            )
        return value

    @field_validator("slack_bot_token", "slack_app_token")
    @classmethod
    def _slack_token_kind(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        """The two Slack tokens look alike and are easily swapped: a bot token starts xoxb-,
        an app-level token xapp-. Said at once, naming the variable (never the value), rather
        than after three failed attempts to reach Slack."""
        if value is None:
            return value
        want = "xoxb-" if info.field_name == "slack_bot_token" else "xapp-"
        token = value.get_secret_value()
        if token.startswith("xoxp-") and want == "xoxb-":
            raise ValueError(_USER_TOKEN)
        if not token.startswith(want):
            other = {"xoxb-": "the bot token", "xapp-": "the app-level token"}.get(token[:5])
            hint = f": that is {other}" if other else ""
            raise ValueError(f"must start with {want}{hint} (docs/slack.md)")
        return value

    _slack_api_url = field_validator("slack_api_url")(
        _api_url(("http", "https"), "https://slack.com/api/")
    )
    _discord_api_url = field_validator("discord_api_url")(
        _api_url(("http", "https"), "https://discord.com/api/v10")
    )
    _discord_gateway_url = field_validator("discord_gateway_url")(
        _api_url(("ws", "wss"), "wss://gateway.discord.gg")
    )

    @field_validator("discord_guild_id")
    @classmethod
    def _guild_snowflake(cls, value: int | None) -> int | None:
        return _snowflake(value, _SERVER_ID)

    @field_validator("host")
    @classmethod
    def _bindable(cls, value: str) -> str:
        """HOST=not..a.host was found by the resolver when the servers bound it: an uncaught
        "encoding with 'idna' codec failed" (a URL or a port here fails the same way)."""
        if not _is_host(value):
            raise ValueError(
                f"{value!r} is not a host name or IP address to listen on, "
                "e.g. 127.0.0.1, 0.0.0.0 (every interface) or localhost; no port, no scheme"
            )
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shard_numbers(cls, value: str | None) -> str | None:
        if not all(part.isdigit() for part in _listed(value)):
            raise ValueError("must be shard numbers separated by commas, e.g. 0,1")
        return value

    @property
    def shard_id_list(self) -> list[int]:
        """SHARD_IDS as numbers (empty: every shard of SHARD_COUNT)."""
        return [int(part) for part in _listed(self.shard_ids)]

    @field_validator("slack_admin_user_ids")
    @classmethod
    def _slack_user_ids(cls, value: str) -> str:
        """A name or an email here would make nobody an admin, silently."""
        listed = _listed(value)
        wrong = [i for i, part in enumerate(listed, 1) if not _SLACK_USER.fullmatch(part)]
        if wrong:  # by position: what was pasted there may be a token, never to be echoed
            upper = listed[wrong[0] - 1].upper()
            meant = (  # an id typed in lower case, which can be no token: said as meant
                f"; they are in capitals: did you mean {upper}?"
                if _SLACK_USER.fullmatch(upper)
                else ""
            )
            raise ValueError(
                f"item {wrong[0]} of {len(listed)} is not a Slack member id: U or W then capitals "
                f"and digits, e.g. U0123ABCD (a member's profile → ⋮ → Copy member ID){meant}"
            )
        return value

    @property
    def slack_admin_ids(self) -> frozenset[str]:
        """SLACK_ADMIN_USER_IDS as a set of member ids."""
        return frozenset(_listed(self.slack_admin_user_ids))

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.shard_id_list and self.shard_count is None:
            raise ValueError(
                "SHARD_IDS needs SHARD_COUNT (the total number of shards): without it this "
                "process would run every shard, as every other process would"
            )
        beyond = [n for n in self.shard_id_list if self.shard_count and n >= self.shard_count]
        if beyond:
            raise ValueError(
                f"SHARD_IDS: shard {beyond[0]} does not exist with SHARD_COUNT="
                f"{self.shard_count} (shards are numbered 0 to {(self.shard_count or 1) - 1})"
            )
        if self.slack_bot_token is None:
            # half a Slack set-up is a mistake to name, not "no chat platform is configured"
            given = [
                name
                for name, value in (
                    ("SLACK_APP_TOKEN", self.slack_app_token),
                    ("SLACK_SIGNING_SECRET", self.slack_signing_secret),
                )
                if value is not None
            ]
            if given:
                raise ValueError(
                    f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} set but "
                    "SLACK_BOT_TOKEN is not: Slack needs the bot token (xoxb-…) too "
                    "(docs/slack.md)"
                )
        else:
            if not (self.slack_mode or self.slack_app_token or self.slack_signing_secret):
                raise ValueError(
                    "SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or "
                    "SLACK_SIGNING_SECRET (HTTP mode) (docs/slack.md)"
                )
            mode = self.effective_slack_mode
            if mode == "socket" and self.slack_app_token is None:
                raise ValueError(
                    "SLACK_APP_TOKEN is required for Socket Mode (or set SLACK_MODE=http)"
                )
            if mode == "http" and self.slack_signing_secret is None:
                raise ValueError("SLACK_SIGNING_SECRET is required when SLACK_MODE=http")
        return self

    @property
    def effective_slack_mode(self) -> Literal["socket", "http"]:
        if self.slack_mode:
            return self.slack_mode
        return "socket" if self.slack_app_token is not None else "http"

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None


S = TypeVar("S", bound=_FromEnvironment)

# What pydantic's bool parsing takes (in any case), and so what a yes-or-no setting accepts.
YES_OR_NO = "true or false, or yes/no, on/off, 1/0, t/f, y/n, in any case"
_NOT_A_YES_OR_NO = frozenset({"bool_parsing", "bool_type"})
# pydantic's errors for a number setting: not a number, not a whole one, or out of its bounds
_NOT_IN_RANGE = frozenset(
    {
        *("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"),
        *("greater_than_equal", "greater_than", "less_than_equal", "less_than", "finite_number"),
    }
)
# The longest value a message repeats: no yes/no or number is longer, but a token pasted into
# the wrong variable is, and a message must never show a secret.
_SHOWN_UP_TO = 20


def _field(kind: type[BaseSettings], name: str) -> FieldInfo | None:
    """The field a variable sets (an error's location is the variable's name, the alias)."""
    return next((f for f in kind.model_fields.values() if f.alias == name), None)


def _typed(field: FieldInfo, wanted: type) -> bool:
    """Whether the field holds a `wanted` (or `wanted | None`): decides how its errors read."""
    return field.annotation is wanted or wanted in get_args(field.annotation)


def _bound(field: FieldInfo, kind: str) -> object | None:
    """The field's `ge` or `le` (annotated_types metadata, as Field(ge=…) makes); the settings
    use no `gt` or `lt` (a test keeps it so, by listing every bounded setting's message)."""
    return next((getattr(m, kind) for m in field.metadata if hasattr(m, kind)), None)


def _number_range(field: FieldInfo) -> str:
    """What a number setting takes, from its own bounds (they cannot drift from the message):
    "a whole number from 1 to 65535", "a number of at least 0"."""
    noun = "a whole number" if _typed(field, int) else "a number"
    low, high = _bound(field, "ge"), _bound(field, "le")
    if low is not None and high is not None:
        return f"{noun} from {low} to {high}"
    if low is not None:
        return f"{noun} of at least {low}"
    if high is not None:
        return f"{noun} of at most {high}"
    return noun


def _given(value: object) -> str:
    """The value as the operator typed it: quoted when whitespace or control characters would
    otherwise hide in it, and only its length when it is too long to be what was meant."""
    text = str(value)
    if len(text) > _SHOWN_UP_TO:
        return f"a value of {len(text)} characters (not shown)"
    return text if text and text.strip() == text and text.isprintable() else repr(text)


def _wanted(field: FieldInfo, error: ErrorDetails) -> str | None:
    """What the setting takes, when `error` is pydantic's complaint about the kind of value
    ("Input should be a valid boolean", "… greater than or equal to 1"), which says neither
    what the setting is nor all it takes; None for any other error, whose
    message (our validators') already says it."""
    if error["type"] in _NOT_A_YES_OR_NO and _typed(field, bool):
        return YES_OR_NO
    if error["type"] in _NOT_IN_RANGE and (_typed(field, int) or _typed(field, float)):
        return _number_range(field)
    if error["type"] == "literal_error":  # "Input should be 'socket' or 'http'": what was given?
        return f"one of {error.get('ctx', {}).get('expected', 'the values documented')}"
    return None


def _problem(kind: type[BaseSettings], error: ErrorDetails) -> str:
    """One refused variable as one line: `NAME: what is wrong`. pydantic's messages for a value
    of the wrong kind are rewritten here, for every setting of that kind at once, from the
    field's type and `description`: "must be … (what it is); got VALUE"."""
    name = ".".join(str(part) for part in error["loc"])
    field = _field(kind, name)
    wanted = _wanted(field, error) if field is not None else None
    if wanted is None:
        message = error["msg"].removeprefix("Value error, ")
    else:
        about = f" ({field.description})" if field and field.description else ""
        message = f"must be {wanted}{about}; got {_given(error['input'])}"
    if _quoted(error.get("input")):
        message += f"; {QUOTED}"
    return f"{name}: {message}" if error["loc"] else message


# said of a refused value in quotes: a .env file read by the bot drops them, and so does
# Compose's `env_file` (v2); `docker run --env-file` and a Kubernetes manifest's `value:` keep them
QUOTED = (
    "the value is in quotes, which `docker run --env-file` keeps as part of it (the bot's own "
    ".env reading and Compose's `env_file` drop them): remove them"
)


def _quoted(value: object) -> bool:
    """`value` (a refused setting's, secret or not: only its ends are looked at) is wrapped in
    one kind of quote, as `NAME="value"` in an env file read by Docker gives it."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    return (
        isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'"
    )


# every variable a setting is read from, for telling a misspelt one in .env (`misspelt`)
_ALIASES = frozenset(f.alias for f in Settings.model_fields.values() if f.alias)


def in_url(host: str) -> str:
    """HOST as a URL writes it: an IPv6 address in brackets ("http://[::]:8080", where
    "http://:::8080" was logged)."""
    return f"[{host}]" if ":" in host else host


def load_settings(kind: type[S] = Settings, **overrides: object) -> S:  # type: ignore[assignment]
    """Settings from the environment; raise ConfigError with one line per bad variable.

    `kind` picks the subset a command uses (DatabaseSettings…): a command fails only for the
    variables it reads."""
    try:
        name_the_file()
    except EnvFileError as err:
        raise ConfigError(str(err)) from None
    for line in [*misspelt(_ALIASES), *repeated(), *commented()]:
        log.warning("%s", line)
    try:
        return kind(**overrides)  # type: ignore[arg-type]
    except ValidationError as err:
        lines = [_problem(kind, e) for e in err.errors(include_url=False)]
        raise ConfigError("\n".join(lines)) from None
