"""Made-up content for the matcher's rule tests: a rule is pinned on words no real content has,
so a test says what the rule does, not what the webinar happens to contain."""

from __future__ import annotations

from bot.core.content import Content, parse_content

WEBINAR = """
webinar:
  title: Test Talk
  presenter: Ann Example
  date: 2025-01-01
  host: Example Host
  source_url: https://example.com/article
  recording_url: https://example.com/recording
takeaways: [Platforms matter.]
"""


def made_up_content(rest: str, name: str = "made-up.yaml") -> Content:
    """The made-up webinar, then `rest` (its generic terms and entries), parsed as a content
    file named `name`."""
    return parse_content(WEBINAR + rest.lstrip("\n"), name)
