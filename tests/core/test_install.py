"""A normal install (a wheel, not `pip install -e`) carries the bundled content: built and
installed here into a fresh virtual environment, then asked from a directory that is not the
repository, as a user who ran `pip install kubecon-bot` would."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

from bot.core.clock import utcnow
from bot.daily.store import Store
from bot.usage.log import UsageLog
from bot.usage.suggestions import suggestion_id
from tests.conftest import ROOT, clean_env
from tests.usage.test_suggestions import ENTRY, UNSURE, unsure_then_picked


def _done(*cmd: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = clean_env()
    env.pop("PYTHONPATH", None)  # nothing but the new environment decides what is installed
    return subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _run(*cmd: str | Path, cwd: Path) -> str:
    done = _done(*cmd, cwd=cwd)
    assert done.returncode == 0, f"{cmd}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_a_wheel_installed_in_a_fresh_virtualenv_answers_from_the_bundled_content(
    tmp_path: Path,
) -> None:
    # built from the files git tracks, copied: pip builds in the source tree, and a build/ left
    # there by an earlier build would slip into the wheel and hide a packaging mistake
    src = tmp_path / "src"
    for name in _run("git", "ls-files", cwd=ROOT).splitlines():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, src, cwd=tmp_path)
    (wheel,) = wheels.glob("kubecon_bot-*.whl")

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    # The dependencies come from this test environment, offline: its site-packages directories
    # go on the new environment's path. A .pth in them (our editable install's) is not read
    # from there, so `bot` can only be the wheel's.
    (fresh_site,) = (venv / "lib").glob("python*/site-packages")
    (fresh_site / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(python, "-c", "import bot; print(bot.__file__)", cwd=elsewhere)
    assert Path(where.strip()).is_relative_to(venv), where

    out = _run(venv / "bin" / "kubecon-bot", "ask", "what about SBOMs", cwd=elsewhere)
    assert out.startswith("Q5. ")
    assert "Watch the recording: https://" in out
    # a real word near a content word reads the English word list: it travels in the wheel too
    read = "import bot.core.english as e; print(e.WORDS_FILE, len(e.english_words()))"
    where, count = _run(python, "-c", read, cwd=elsewhere).split()
    assert Path(where).is_relative_to(venv) and int(count) > 10_000
    check = _run(venv / "bin" / "kubecon-bot", "check", cwd=elsewhere)
    assert os.sep + "bot" + os.sep + "_content" + os.sep + "qa.yaml: ok" in check
    _accepting_into_the_package_is_refused(venv, elsewhere)


def _accepting_into_the_package_is_refused(venv: Path, elsewhere: Path) -> None:
    """`suggestions accept` with no --content or CONTENT_PATH edits the content served, which
    after `pip install .` is the copy inside site-packages: written there, it was lost at the
    next upgrade. It is refused, saying how to edit a copy, and nothing changes."""
    database = f"sqlite:///{elsewhere / 'used.sqlite3'}"
    store = Store.open(database)
    UsageLog(store.engine).record(unsure_then_picked(UNSURE, ENTRY, "c" * 16, utcnow()))
    store.close()
    (packaged,) = (venv / "lib").glob("python*/site-packages/bot/_content/qa.yaml")
    before = packaged.read_text(encoding="utf-8")
    accept = (venv / "bin" / "kubecon-bot", "suggestions", "accept", suggestion_id(ENTRY, UNSURE))
    done = _done(*accept, "--database", database, cwd=elsewhere)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "is the copy packaged inside the installed kubecon-bot" in done.stderr
    assert "point CONTENT_PATH (or --content) at the copy" in done.stderr
    assert "Traceback" not in done.stderr
    assert packaged.read_text(encoding="utf-8") == before


def test_the_image_build_stage_copies_what_the_package_needs(tmp_path: Path) -> None:
    """The Dockerfile's build stage installs from the files it copies alone (no .git, no
    content/): they must give the same package, data files included (the English word list,
    the migrations' template). Checked here by building a wheel from exactly those files, since
    a machine without Docker skips the image test."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    build_stage = dockerfile.split("\nFROM ")[1]  # the first stage: comments come before it
    src = tmp_path / "src"
    tracked = _run("git", "ls-files", cwd=ROOT).splitlines()
    for line in build_stage.splitlines():
        if not line.startswith("COPY "):
            continue
        *sources, _dest = line.split()[1:]
        for source in sources:
            for name in tracked:
                if name == source or name.startswith(source.rstrip("/") + "/"):
                    (src / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(ROOT / name, src / name)
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, src, cwd=tmp_path)
    (wheel,) = wheels.glob("kubecon_bot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bot/core/english_words.txt.gz" in names
    assert "bot/storage/migrations/script.py.mako" in names
