"""A database made by an earlier release, upgraded by this one: it must work afterwards, not
only say it migrated. Revision 0003 was edited in place once (its column `vote_key` renamed
`reply_key`), so databases migrated past it before that kept the old name; revision 0009
renames it. The database such a release left is made here by migrating to 0008 and putting the
old name back, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from bot.storage.database import _engine, migrate
from tests.conftest import clean_env, run_bot


def test_a_database_from_before_the_reply_key_rename_records_and_reports(
    db_url: str, tmp_path: Path
) -> None:
    """Upgrading such a database said "migrated from 0004 to 0008", then every question
    record failed and `report` crashed: "no such column: questions.reply_key"."""
    engine = _engine(db_url)
    try:
        migrate(engine, "0008")
        with engine.begin() as conn:  # as the release before the edit named it
            for table in ("questions", "votes"):
                conn.execute(sa.text(f"ALTER TABLE {table} RENAME COLUMN reply_key TO vote_key"))
    finally:
        engine.dispose()

    env = clean_env(DATABASE_URL=db_url)
    asked = run_bot("chat", "--record", cwd=tmp_path, env=env, stdin="what about SBOMs?\n")
    assert asked.returncode == 0, asked.stderr
    assert "Traceback" not in asked.stderr and "no such column" not in asked.stderr
    report = run_bot("report", "--json", cwd=tmp_path, env=env)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["questions"] == 1, report.stdout
