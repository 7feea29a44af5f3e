"""With LOG_FORMAT=json (the image's default) every line `kubecon-bot run` writes when it stops
at start-up is one JSON object shaped as its log lines, as the README promises: the settings it
refuses, nothing to run, a subscription or database it cannot use. Plain text in the middle of
the JSON stream was dropped or mangled by log collectors that parse one object per line, and a
multi-line error came as several fragments. The real process each time, as an operator runs it.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import clean_env, run_bot, signalled_during_start_up

TOKEN = "xoxb-1111111111-2222222222-abcdefghijklmnop"
SHAPE = {"ts", "level", "logger", "msg"}  # bot.serve.logs.JsonFormatter


def records(stderr: str) -> list[dict[str, Any]]:
    """Every line of `stderr` as a JSON log record; AssertionError naming a line that is not."""
    out = []
    for line in stderr.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            raise AssertionError(f"not a JSON line: {line!r}\nin:\n{stderr}") from None
        assert isinstance(record, dict) and set(record) >= SHAPE, line
        out.append(record)
    assert out, "nothing was said"
    return out


def refusal(stderr: str) -> dict[str, Any]:
    """The one ERROR record of a run that stopped at start-up."""
    [error] = [r for r in records(stderr) if r["level"] == "ERROR"]
    return error


def test_a_refused_setting_is_one_json_line_without_the_token(tmp_path: Path) -> None:
    proc = run_bot("run", cwd=tmp_path, env=clean_env(LOG_FORMAT="json", SLACK_BOT_TOKEN=TOKEN))
    assert proc.returncode == 1
    error = refusal(proc.stderr)
    assert error["msg"].startswith(
        "kubecon-bot run: configuration error: SLACK_BOT_TOKEN needs SLACK_APP_TOKEN"
    )
    assert error["logger"] == "bot.serve.runner"
    assert TOKEN not in proc.stderr + proc.stdout


def test_several_refused_settings_are_one_record_one_line_each_in_its_message(
    tmp_path: Path,
) -> None:
    env = clean_env(LOG_FORMAT="json", SLACK_BOT_TOKEN=TOKEN, HEALTH_PORT="70000", PORT="x")
    proc = run_bot("run", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    lines = refusal(proc.stderr)["msg"].splitlines()
    assert [line.split(":")[2].strip() for line in lines] == ["PORT", "HEALTH_PORT"]
    assert all(line.startswith("kubecon-bot run: configuration error: ") for line in lines)


def test_nothing_to_run_and_a_bad_setting_beside_it_are_a_record_each(tmp_path: Path) -> None:
    env = clean_env(LOG_FORMAT="json", DIGEST_TZ="Mars/Olympus")
    proc = run_bot("run", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    tz, nothing = records(proc.stderr)
    assert tz["msg"].startswith("kubecon-bot run: configuration error: DIGEST_TZ:")
    assert nothing["msg"].startswith("kubecon-bot run: nothing to run")
    assert "SLACK_BOT_TOKEN" in nothing["msg"] and "kubecon-bot chat" in nothing["msg"]


def test_a_bad_daily_subscription_follows_the_json_start_up_lines_as_one(tmp_path: Path) -> None:
    env = clean_env(
        LOG_FORMAT="json",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET="s",
        SLACK_MODE="http",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        DAILY_SUBSCRIPTIONS="slack:C0123 25:00",
    )
    proc = run_bot("run", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    said = refusal(proc.stderr)["msg"]
    assert "DAILY_SUBSCRIPTIONS entry 1: “25:00” is not a time of day" in said


def test_a_database_from_a_newer_version_is_a_json_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    env = clean_env(DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    assert run_bot("subscriptions", "add", "slack", "C0123ABCD", cwd=tmp_path, env=env)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    proc = run_bot("run", cwd=tmp_path, env={**env, "HEALTH_PORT": "0", "LOG_FORMAT": "json"})
    assert proc.returncode == 1
    assert "schema is at revision 0099" in refusal(proc.stderr)["msg"]


def test_a_bad_log_level_is_a_json_line(tmp_path: Path) -> None:
    env = clean_env(LOG_FORMAT="json", SLACK_BOT_TOKEN=TOKEN, SLACK_APP_TOKEN="xapp-1-A-b")
    proc = run_bot("run", cwd=tmp_path, env={**env, "LOG_LEVEL": "LOUD"})
    assert proc.returncode == 1
    assert "LOG_LEVEL: unknown level 'LOUD'" in refusal(proc.stderr)["msg"]


def test_log_format_from_a_dotenv_file_holds_for_its_own_warnings_and_refusals(
    tmp_path: Path,
) -> None:
    """LOG_FORMAT is read before the other settings, wherever it is set: .env too."""
    (tmp_path / ".env").write_text(f"LOG_FORMAT=json\nnot a setting\nSLACK_BOT_TOKEN={TOKEN}\n")
    proc = run_bot("run", cwd=tmp_path, env=clean_env())
    assert proc.returncode == 1
    said = records(proc.stderr)
    assert [r["level"] for r in said] == ["WARNING", "ERROR"]
    assert "could not parse statement starting at line 2" in said[0]["msg"]
    assert "SLACK_BOT_TOKEN needs SLACK_APP_TOKEN" in said[1]["msg"]
    assert TOKEN not in proc.stderr


def test_a_wrong_log_format_is_said_in_plain_text(tmp_path: Path) -> None:
    proc = run_bot("run", cwd=tmp_path, env=clean_env(LOG_FORMAT="xml", SLACK_BOT_TOKEN=TOKEN))
    assert proc.returncode == 1
    assert proc.stderr.startswith("kubecon-bot run: configuration error: LOG_FORMAT: ")


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"HEALTH_PORT": "70000"}, "kubecon-bot healthcheck: HEALTH_PORT: must be"),
        ({"HEALTH_PORT": "9"}, "kubecon-bot healthcheck: http://127.0.0.1:9/healthz: "),
    ],
)
def test_healthcheck_says_why_in_one_json_line(
    tmp_path: Path, env: dict[str, str], says: str
) -> None:
    proc = run_bot("healthcheck", cwd=tmp_path, env=clean_env(LOG_FORMAT="json", **env))
    assert proc.returncode == 1
    assert refusal(proc.stderr)["msg"].startswith(says)


def test_a_stop_during_start_up_is_a_json_line(tmp_path: Path) -> None:
    env = clean_env(
        LOG_FORMAT="json", SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", HEALTH_PORT="0"
    )
    run = signalled_during_start_up(signal.SIGTERM, tmp_path, env)
    err = run.stderr
    assert run.returncode == 0, err[-2000:]
    said = "\n".join(line for line in err.splitlines() if not line.startswith("import time:"))
    [stopped] = records(said)
    assert stopped["level"] == "INFO"
    assert stopped["msg"] == (
        "kubecon-bot run: SIGTERM during start-up: stopped before anything was started"
    )
