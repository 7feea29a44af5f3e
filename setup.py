"""Only what pyproject.toml cannot express: the top-level content/ directory installed as the
data-only package `bot._content`, so a wheel carries the bundled content while content/qa.yaml
stays the one file editors edit. A build without content/ beside it (the image copies it to
/app/content itself) is the plain `bot*` package."""

from pathlib import Path

from setuptools import find_packages, setup

if (Path(__file__).parent / "content" / "qa.yaml").is_file():
    setup(
        packages=[*find_packages(include=["bot", "bot.*"]), "bot._content"],
        package_dir={"bot._content": "content"},
        package_data={"bot._content": ["*.yaml", "**/*.yaml"]},
    )
else:
    setup()
