"""Imports run one way, downward, so a reader can take any package and know it depends only on
what sits below it: the core on nothing of the bot's, the features on the core and the storage,
the adapters on the core, the process (serve) on all of them, the command on everything.

Every import counts, including the lazy ones inside functions: a lazy import that reaches up is
still a dependency, only a hidden one."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"

# a package may import its own modules and those of lower levels; equal levels are siblings
# that must not know each other (daily and usage; storage and config)
LEVELS = {
    "core": 0,
    "envfile": 0,  # the .env file: config, the command and serve's logs read it, none imported
    "config": 1,
    "storage": 1,
    "daily": 2,
    "usage": 2,
    "adapters": 3,
    "serve": 4,
    "cli": 5,
    "__main__": 6,
}


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "bot" else None


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bot":
                found += [(node.lineno, f"bot.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name == "bot" or name.startswith("bot.")]


def _upward_imports() -> list[str]:
    wrong = []
    for path in sorted(BOT.rglob("*.py")):
        relative = path.relative_to(BOT.parent).with_suffix("")
        own = _package(".".join(relative.parts))
        if own not in LEVELS:
            continue
        for line, name in _imports(path):
            other = _package(name)
            if other is None or other == own or other not in LEVELS:
                continue
            if LEVELS[other] >= LEVELS[own]:
                wrong.append(f"{relative}.py:{line}: bot.{own} imports {name}")
    return wrong


def test_every_package_of_the_bot_has_a_level() -> None:
    packages = {p.stem if p.is_file() else p.name for p in BOT.iterdir()}
    packages -= {"__init__", "__pycache__", "_content"}
    assert packages <= set(LEVELS), f"give these a level: {packages - set(LEVELS)}"


def test_imports_only_reach_down() -> None:
    assert _upward_imports() == []


def test_the_check_catches_an_import_that_reaches_up(tmp_path: Path, monkeypatch) -> None:
    """The rule is not vacuous: a core module importing the daily posts is reported."""
    fake = tmp_path / "bot"
    (fake / "core").mkdir(parents=True)
    (fake / "core" / "x.py").write_text("def f():\n    from bot.daily.store import Store\n")
    monkeypatch.setattr(__name__ + ".BOT", fake)
    assert _upward_imports() == ["bot/core/x.py:2: bot.core imports bot.daily.store"]
