"""`kubecon-bot report --html`, opened in a real headless Chromium: the charts render, every
figure they draw equals `report --json`, user text is shown as text, and the page loads
nothing from anywhere.

Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them). Without them the test
skips locally, but fails in CI, where a skipped browser test would hide a broken page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from bot.core.feedback import Ballot, Vote
from bot.daily.store import Store
from bot.usage.log import UsageLog
from bot.usage.records import Asked
from tests.conftest import clean_env, run_bot

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
SCRIPT = "<script>document.title='owned'</script>"


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are not installed (.ci/run installs them)")
        pytest.skip("chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,2200"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def recorded_usage(db: str) -> None:
    """Three days of use: answers, a repeat, did-you-means (one picked), declines (one carrying
    markup a page must not run, three asking for the printer), a 👎 then another entry, and
    votes."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    day = dt.timedelta(days=1)

    def asked(
        at: dt.datetime,
        outcome: str,
        entry: str | None = None,
        text: str | None = None,
        key: str | None = None,
    ) -> Asked:
        return Asked(
            at=at, platform="slack", outcome=outcome, entry_id=entry, text=text, reply_key=key
        )

    rows = [
        asked(now - 2 * day, "answered", "supply-chain-security-gaps"),
        asked(now - 2 * day, "answered", "openai-logging-fix"),
        asked(now - 2 * day, "declined", text="where's the printer?"),
        asked(now - day, "answered", "supply-chain-security-gaps"),
        asked(now - day, "repeat", "supply-chain-security-gaps"),
        asked(now - day, "suggested", text="platform engineering", key="a" * 16),
        asked(now - day, "picked", "kubernetes-platform-for-ai", key="a" * 16),
        asked(now, "declined", text=SCRIPT),
        asked(now, "declined", text="where is the printer"),
        asked(now, "declined", text="the printer, where is it?"),
        asked(now, "answered", "openai-logging-fix"),
        asked(now, "redirected", "cloud-native-for-good", text=f"{SCRIPT} what about SBOMs?"),
    ]
    store = Store.open(db)
    try:
        usage = UsageLog(store.engine)
        usage.record(rows)
        for n, (entry, vote) in enumerate(
            [
                ("supply-chain-security-gaps", Vote.UP),
                ("supply-chain-security-gaps", Vote.UP),
                ("openai-logging-fix", Vote.DOWN),
            ]
        ):
            ballot = Ballot(f"{n:016x}", entry, vote)
            usage.vote(ballot, f"voter{n}", platform="slack", channel_id="C1", now=now)
    finally:
        store.close()


def attrs(driver, selector: str, *names: str) -> list[dict]:
    """Each element's data-* attributes and its rendered height, as the browser lays it out."""
    return driver.execute_script(
        """
        return [...document.querySelectorAll(arguments[0])].map(el => {
          const out = {height: el.getBoundingClientRect().height};
          for (const n of arguments[1]) out[n] = el.getAttribute('data-' + n);
          return out;
        });""",
        selector,
        list(names),
    )


def unanswered_as_json(browser, unanswered: list[dict]) -> None:
    """The unanswered groups shown as `report --json` has them: their sizes, the entry people
    chose from "did you mean" (a majority of the picks) and the advice, word for word."""
    groups = attrs(browser, "tr[data-group-count]", "group-count", "chosen")
    assert [int(g["group-count"]) for g in groups] == [g["count"] for g in unanswered]
    assert [g["chosen"] or None for g in groups] == [g["chosen"] for g in unanswered]
    assert "Q1" in [g["chosen"] for g in unanswered]  # the one picked group
    advice = [a.text for a in browser.find_elements("css selector", "[data-advice]")]
    assert advice == [g["advice"] for g in unanswered]


def test_the_page_shows_what_report_json_says(tmp_path: Path, browser):
    db = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    recorded_usage(db)
    page = tmp_path / "report.html"
    done = run_bot(
        "report", "--database", db, "--days", "3", "--json", "--html", str(page),
        cwd=tmp_path, env=clean_env(),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)

    browser.get(page.as_uri())
    assert browser.title.startswith("kubecon-bot usage")  # the script in a question never ran
    assert not browser.execute_script("return document.querySelectorAll('main script').length")
    assert SCRIPT in browser.find_element("tag name", "main").text  # shown, as text
    loaded = browser.execute_script("return performance.getEntriesByType('resource').length")
    assert loaded == 0  # nothing fetched: no CDN, no font, no image

    tiles = {t["figure"]: t for t in attrs(browser, "[data-figure]", "figure")}
    shown = {k: browser.find_element("css selector", f'[data-figure="{k}"] b').text for k in tiles}
    assert shown["questions"] == str(data["questions"]) == "10"
    assert shown["match_rate"] == f"{100 * data['match_rate']:.1f}%"
    assert (shown["votes_up"], shown["votes_down"]) == ("2", "1")
    assert shown["suggestions"] == "3"  # pending: checked against `suggestions list` below

    bars = attrs(browser, "rect[data-outcome]", "date", "outcome", "count")
    drawn = {(b["date"], b["outcome"]): int(b["count"]) for b in bars}
    expected = {
        (d["date"], outcome): n for d in data["days"] for outcome, n in d["outcomes"].items()
    }
    assert drawn == expected and len(expected) >= 6
    assert all(b["height"] > 0 for b in bars)  # rendered, not just present in the markup

    points = attrs(browser, "circle[data-match-rate]", "date", "match-rate")
    assert {p["date"]: round(float(p["match-rate"]), 4) for p in points} == {
        d["date"]: round(d["match_rate"], 4) for d in data["days"] if d["match_rate"] is not None
    }

    asked = attrs(browser, "rect[data-asked]", "entry", "asked")
    assert {a["entry"]: int(a["asked"]) for a in asked} == {
        e["entry_id"]: e["asked"] for e in data["entries"]
    }
    ups = {u["entry"]: int(u["up"]) for u in attrs(browser, "rect[data-up]", "entry", "up")}
    assert ups == {e["entry_id"]: e["up"] for e in data["entries"] if e["up"] + e["down"]}

    unanswered_as_json(browser, data["unanswered"])

    # pending suggestions: what `suggestions list --json` says, and how to review them
    listed = run_bot(
        "suggestions", "list", "--json", "--database", db, "--days", "3",
        cwd=tmp_path, env=clean_env(),
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    proposed = json.loads(listed.stdout)
    section = browser.find_element("css selector", "section[data-suggestions]")
    assert section.get_attribute("data-suggestions") == str(proposed["count"]) == "3"
    assert section.find_element("css selector", "[data-pending]").text == "3"
    command = section.find_element("css selector", "[data-command]")
    assert command.text == proposed["review"] == "kubecon-bot suggestions --days 3"
    assert command.rect["height"] > 0  # rendered, not just present in the markup
    rows = attrs(browser, "tr[data-suggestion]", "suggestion", "kind", "entry", "evidence")
    assert [(r["suggestion"], r["kind"], r["entry"], int(r["evidence"])) for r in rows] == [
        (p["id"], p["kind"], p["entry_id"] or "", p["picks"] + p["redirects"] + p["asked"])
        for p in proposed["pending"]
    ]
    texts = [t.text for t in section.find_elements("css selector", "td[data-text]")]
    assert [t.splitlines()[0] for t in texts] == [f"“{p['text']}”" for p in proposed["pending"]]
    kinds = [p["kind"] for p in proposed["pending"]]
    assert kinds.count("phrasing") == 2 and kinds.count("new-entry") == 1

    if os.environ.get("KUBECON_SCREENSHOT"):  # refresh docs/report.png
        browser.save_screenshot(os.environ["KUBECON_SCREENSHOT"])


def test_long_words_wrap_and_suggestions_that_disagree_say_so(tmp_path: Path, browser):
    """A question with a 300-character token (a pasted hash, a log line) made the unanswered
    table wider than its card: the page scrolled sideways and every row ran past the edge.
    Suggestions proposing one phrasing for two entries were listed as independent, where
    `suggestions list` says they disagree. And a right-to-left question is isolated, so the
    quotes around it stay where they belong."""
    db = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    token = "sha256:" + "0f" * 100  # 207 characters, kept whole (texts are kept to 300)
    rows = [
        Asked(at=now, platform="slack", outcome="declined", text=f"is {token} safe?"),
        Asked(at=now, platform="slack", outcome="declined", text="ما هو كوبرنيتس"),
        Asked(at=now, platform="slack", outcome="declined", text="where is lunch"),
    ]
    for n, entry in enumerate(("kubernetes-platform-for-ai", "private-governed-ai")):
        key = f"{n:016x}"
        rows.append(Asked(now, "slack", "suggested", text="platform", reply_key=key))
        rows.append(Asked(now, "slack", "picked", entry_id=entry, reply_key=key))
    store = Store.open(db)
    UsageLog(store.engine).record(rows)
    store.close()
    page = tmp_path / "report.html"
    done = run_bot("report", "--database", db, "--html", str(page), cwd=tmp_path, env=clean_env())
    assert done.returncode == 0, done.stderr

    browser.get(page.as_uri())
    wide = browser.execute_script(
        "const d = document.documentElement; return [d.scrollWidth, d.clientWidth]"
    )
    assert wide[0] <= wide[1], wide  # no sideways scrolling
    past = browser.execute_script(
        """return [...document.querySelectorAll('section')]
             .filter(s => s.scrollWidth > s.clientWidth).length"""
    )
    assert past == 0  # nothing runs past its card
    assert token in browser.find_element("tag name", "main").text.replace("\n", "")

    rivals = browser.find_elements("css selector", "tr[data-suggestion]")
    ids = [r.get_attribute("data-suggestion") for r in rivals]
    assert len(ids) == 2
    for row, other in zip(rivals, reversed(ids), strict=True):
        why = row.find_element("css selector", "[data-why]").text
        assert f"disagrees with {other}: accept one of them" in why
    assert browser.find_elements("xpath", "//bdi[text()='ما هو كوبرنيتس']")
    # 5 questions on the day: the count axis reads 0, 3, 6, never "2.5" questions
    labels = browser.execute_script(
        "return document.querySelector('svg').querySelectorAll('text[text-anchor=end]')"
    )
    assert sorted((label.text for label in labels), key=int) == ["0", "3", "6"]


def test_an_unwritable_html_path_is_one_line(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    recorded_usage(db)
    target = tmp_path / "no" / "such" / "dir" / "r.html"
    done = run_bot("report", "--database", db, "--html", str(target), cwd=tmp_path, env=clean_env())
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"kubecon-bot report: cannot write {target}: No such file or directory"
    )
