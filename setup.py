"""Only the package list, which pyproject.toml cannot express: `bot*` found on disk plus
`bot._content`, the top-level content/ directory (mapped in pyproject.toml's package-dir).
Everything else about the build is in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["bot", "bot.*"]), "bot._content"])
