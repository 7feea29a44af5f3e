"""Installing a platform plugin for a test the way pip would leave it: the package, and beside
it a `NAME-VERSION.dist-info` whose entry_points.txt declares `kubecon_bot.platforms`. Putting
the directory on PYTHONPATH makes the bot discover it (importlib.metadata reads dist-info
directories on sys.path); nothing in the bot is edited.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.core.platforms import GROUP

FAKECHAT_SOURCE = Path(__file__).parent / "fakechat"


def install(site: Path, dist: str, entry_points: dict[str, str], files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under `site`, and the distribution `dist` 0.1
    declaring `entry_points` (name -> "module:attribute") in the platform group."""
    for relative, text in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    info = site / f"{dist}-0.1.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    lines = "".join(f"{name} = {value}\n" for name, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[{GROUP}]\n{lines}", encoding="utf-8")
    return site


def install_fakechat(site: Path) -> Path:
    """tests/e2e/fakechat as the installed distribution `fakechat`."""
    shutil.copytree(
        FAKECHAT_SOURCE, site / "fakechat", ignore=shutil.ignore_patterns("__pycache__")
    )
    return install(site, "fakechat", {"fakechat": "fakechat:FAKECHAT"}, {})


def on_path(site: Path, env: dict[str, str]) -> dict[str, str]:
    """`env` with `site` first on PYTHONPATH."""
    rest = env.get("PYTHONPATH")
    return {**env, "PYTHONPATH": os.pathsep.join(p for p in (str(site), rest) if p)}
