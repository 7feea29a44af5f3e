"""`suggestions accept` when something outside the bot says no, as an editor's machine can: a
database that refuses the decision, a content file owned by the bot's user, a folder the editor
cannot write. The file and the database never disagree (no phrasing written whose decision was
lost, no decision recorded for a file left unchanged), the editor reads one line saying what
to fix, and the file the bot reads stays readable by it. Real `kubecon-bot` processes."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.storage.database import database_url
from bot.usage.suggestions import suggestion_id
from tests.conftest import bot_cmd, clean_env
from tests.usage.test_suggestions import ENTRY, UNSURE, bot, recorded  # noqa: F401

NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def refuse_decisions(db_url: str) -> None:
    """Make the database refuse every editor's decision, as a read-only database or a role
    without rights does: a trigger that fails the insert, on SQLite or PostgreSQL."""
    engine = sa.create_engine(database_url(db_url))
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON suggestion_decisions "
                    "BEGIN SELECT RAISE(ABORT, 'decisions are read-only here'); END"
                )
            )
        else:
            conn.execute(
                sa.text(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'decisions are read-only here'; END $$"
                )
            )
            conn.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON suggestion_decisions "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    engine.dispose()


def test_a_database_that_refuses_the_decision_leaves_the_file_as_it_was(
    recorded: tuple[str, Path],  # noqa: F811
) -> None:
    """The decision used to be recorded after the file was saved: a database the editor could
    not write printed a traceback with the phrasing already written, and `accept` again said
    "no pending suggestion", so nobody could tell what had happened. Now the database is asked
    first: one line naming it and its reason, nothing written, the suggestion still pending."""
    db, content = recorded
    refuse_decisions(db)
    before = content.read_text()
    sid = suggestion_id(ENTRY, UNSURE)

    refused = bot("suggestions", "accept", sid, db=db, content=content)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    [said] = refused.stderr.splitlines()
    assert said.startswith("kubecon-bot suggestions: the decision could not be recorded in ")
    assert "decisions are read-only here" in said and said.endswith("; nothing written")
    assert content.read_text() == before
    assert sid in bot("suggestions", "list", db=db, content=content).stdout  # still pending

    rejected = bot("suggestions", "reject", sid, db=db, content=content)
    assert rejected.returncode == 1 and "Traceback" not in rejected.stderr
    assert "decisions are read-only here" in rejected.stderr


def as_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root: only root can give a file to another user")


def test_accept_keeps_the_files_owner_and_group(recorded: tuple[str, Path]) -> None:  # noqa: F811
    """The file is replaced by a new one, which belonged to whoever ran `accept`: a content
    file owned by the bot's user and readable only through its group became root's, and the
    bot could no longer read it. Its mode, owner and group are kept now."""
    as_root()
    db, content = recorded
    os.chown(content, NOBODY, NOBODY)
    content.chmod(0o640)
    done = bot("suggestions", "accept", suggestion_id(ENTRY, UNSURE), db=db, content=content)
    assert done.returncode == 0, done.stderr
    assert UNSURE in content.read_text()
    after = content.stat()
    assert (after.st_uid, after.st_gid, after.st_mode & 0o777) == (NOBODY, NOBODY, 0o640)
    assert "warning" not in done.stderr


@pytest.fixture
def editors_tree(
    recorded: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
) -> Iterator[tuple[str, Path, Path]]:
    """The recorded database and content file moved where an unprivileged editor ("nobody")
    can reach them: a database folder it may write, a content folder it may only read."""
    as_root()
    db, content = recorded
    shared = Path("/tmp") / f"kubecon-editor-{tmp_path.name}"
    shutil.rmtree(shared, ignore_errors=True)
    (shared / "data").mkdir(parents=True)
    (shared / "content").mkdir()
    database = shared / "data" / "bot.sqlite3"
    shutil.copy(db.removeprefix("sqlite:///"), database)
    shutil.copy(content, shared / "content" / "qa.yaml")
    shared.chmod(0o755)
    (shared / "data").chmod(0o777)
    database.chmod(0o666)
    (shared / "content").chmod(0o755)
    (shared / "content" / "qa.yaml").chmod(0o666)
    probe = subprocess.run(
        [*AS_NOBODY, *bot_cmd("list")],
        cwd=shared,
        env=clean_env(),
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        shutil.rmtree(shared)
        pytest.skip(f"this interpreter cannot run as another user: {probe.stderr[-200:]!r}")
    yield f"sqlite:///{database}", shared / "content" / "qa.yaml", shared
    shutil.rmtree(shared)


def as_nobody(*args: str, db: str, content: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AS_NOBODY, *bot_cmd("--content", str(content), *args, "--database", db)],
        cwd=content.parent,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # its file's rights


@SQLITE_ONLY
def test_a_folder_the_editor_cannot_write_is_named(
    editors_tree: tuple[str, Path, Path],
) -> None:
    """The file is replaced as a whole, so its folder must be writable: the error named a
    temporary file the editor never heard of ("[Errno 13] Permission denied:
    '/…/.qa.yaml.9clcsz3q'"). Now it names the folder; nothing is written or recorded."""
    db, content, _ = editors_tree
    before = content.read_text()
    sid = suggestion_id(ENTRY, UNSURE)
    refused = as_nobody("suggestions", "accept", sid, db=db, content=content)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"cannot write {content}: its folder {content.parent} is not writable" in refused.stderr
    assert ".qa.yaml." not in refused.stderr
    assert content.read_text() == before
    assert sid in as_nobody("suggestions", "list", db=db, content=content).stdout  # pending


@SQLITE_ONLY
def test_an_owner_the_editor_cannot_keep_is_warned_of(
    editors_tree: tuple[str, Path, Path],
) -> None:
    """An editor who may write the file and its folder, but does not own the file: the new file
    is the editor's, and only root could give it back, so `accept` says so."""
    db, content, _ = editors_tree
    content.parent.chmod(0o777)
    done = as_nobody("suggestions", "accept", suggestion_id(ENTRY, UNSURE), db=db, content=content)
    assert done.returncode == 0, done.stderr
    assert UNSURE in content.read_text()
    assert f"warning: {content}: written, but its owner 0 is now {NOBODY}" in done.stderr
