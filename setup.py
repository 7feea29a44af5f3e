"""Only what pyproject.toml cannot express: the top-level content/ directory installed as the
data-only package `bot._content`, so a wheel carries the bundled content while content/qa.yaml
stays the one file editors edit. A build without content/ beside it (the image copies it to
/app/content itself) is the plain `bot*` package.

The package list lives here alone: a `[tool.setuptools.packages.find]` table in pyproject.toml
would override it, and the content would silently be left out of the wheel."""

from pathlib import Path

from setuptools import find_packages, setup

packages = find_packages(include=["bot", "bot.*"])
package_dir: dict[str, str] = {}
package_data = {"bot": ["**/*.ini", "**/*.mako", "**/*.yaml", "**/*.txt.gz"]}
content = Path(__file__).parent / "content"
if (content / "qa.yaml").is_file():
    for sub in ("", *sorted(p.name for p in content.iterdir() if p.is_dir())):
        name = "bot._content" + (f".{sub}" if sub else "")
        packages.append(name)
        package_dir[name] = f"content/{sub}".rstrip("/")
        package_data[name] = ["*.yaml"]
setup(packages=packages, package_dir=package_dir, package_data=package_data)
