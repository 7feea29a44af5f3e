"""The operators' kit in deploy/: Prometheus alert rules and the Grafana dashboard.

An alert on a metric the bot does not export never fires, and a panel on one stays empty, with
nothing to say so. So every metric name they use is checked against what the bot's own registry
(bot/metrics.py) exposes at test time, with the suffixes Prometheus adds (_total, _bucket, …).
The expressions are parsed superficially (balanced brackets, names outside labels, strings and
ranges); when `promtool` is installed (Debian: `apt-get install prometheus`) it checks the rule
file for real and runs the alerts' unit tests in deploy/prometheus/alerts.test.yaml.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bot.serve.health import DatabaseProbe
from bot.serve.metrics import Metrics, ServiceReadiness

from .conftest import REPO

ALERTS = REPO / "deploy" / "prometheus" / "alerts.yaml"
ALERT_TESTS = REPO / "deploy" / "prometheus" / "alerts.test.yaml"
DASHBOARD = REPO / "deploy" / "grafana" / "kubecon-bot.json"

SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "gauge": ("",),
    "info": ("_info",),
}
# PromQL words that look like names but are not series
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "atan2", "inf", "nan"}  # fmt: skip
LABEL_LISTS = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
NAME = re.compile(r"(?<![\w.$:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w(])(?!\s*\()")
DURATION = re.compile(r"^(\d+(ms|s|m|h|d|w|y))+$")


def exported_names() -> set[str]:
    """Every series name the bot's registry exposes, as Prometheus stores them: the metrics,
    the readiness gauge the runner adds for its services, and the database's gauge (a real
    SQLite database in memory, probed at each scrape as `run` probes its own)."""
    metrics = Metrics()
    metrics.registry.register(ServiceReadiness(()))
    metrics.registry.register(DatabaseProbe("sqlite://"))
    names: set[str] = set()
    for family in text_string_to_metric_families(metrics.exposition().decode()):
        base = family.name.removesuffix("_total")
        names.update(base + suffix for suffix in SUFFIXES.get(family.type, ("",)))
    return names


def check_brackets(expr: str) -> None:
    """Balanced (), [] and {} outside string literals, or AssertionError naming the problem."""
    pairs, stack = {")": "(", "]": "[", "}": "{"}, []
    for i, c in enumerate(_strip_strings(expr)):
        if c in "([{":
            stack.append(c)
        elif c in pairs:
            assert stack and stack.pop() == pairs[c], f"unbalanced {c!r} at {i} in {expr!r}"
    assert not stack, f"unclosed {stack[-1]!r} in {expr!r}"


def metric_names(expr: str) -> set[str]:
    """The series names an expression selects: identifiers left once strings, Grafana
    variables, label matchers {…}, ranges […], label lists by (…) and function calls are out."""
    text = _strip_strings(expr)
    text = re.sub(r"\$\{?\w+\}?", " ", text)  # $job, $__rate_interval, ${datasource}
    text = re.sub(r"\{[^{}]*\}", " ", text)
    text = re.sub(r"\[[^\[\]]*\]", " ", text)
    text = LABEL_LISTS.sub(" ", text)
    return {n for n in NAME.findall(text) if n.lower() not in KEYWORDS}


def _strip_strings(expr: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)


def alert_rules() -> Iterator[dict[str, Any]]:
    doc = yaml.safe_load(ALERTS.read_text())
    for group in doc["groups"]:
        yield from group["rules"]


def dashboard_exprs() -> Iterator[tuple[str, str]]:
    dashboard = json.loads(DASHBOARD.read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            yield panel["title"], target["expr"]
    for variable in dashboard["templating"]["list"]:
        query = variable.get("query")
        if variable["type"] == "query":
            text = query["query"] if isinstance(query, dict) else query
            # label_values(METRIC, LABEL): the label is not a series
            yield f"${variable['name']}", re.sub(r",\s*\w+\s*\)\s*$", ")", text)


# --- the checker itself --------------------------------------------------------------------


def test_the_checker_finds_series_names_and_nothing_else() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, platform) (rate(kubecon_bot_x_bucket{job=~"$job",'
        ' outcome="a(b"}[$__rate_interval]))) / on (instance) group_left up offset 5m > 1e-3'
    )
    assert metric_names(expr) == {"kubecon_bot_x_bucket", "up"}
    check_brackets(expr)
    with pytest.raises(AssertionError, match="unclosed"):
        check_brackets("sum(rate(x[5m])")
    with pytest.raises(AssertionError, match="unbalanced"):
        check_brackets("sum(x{a='b')}")


def test_exported_names_come_from_the_registry_with_their_suffixes() -> None:
    names = exported_names()
    assert {
        "kubecon_bot_messages_total",
        "kubecon_bot_match_latency_seconds_bucket",
        "kubecon_bot_match_latency_seconds_count",
        "kubecon_bot_service_ready",
    } <= names
    assert "kubecon_bot_messages" not in names  # a counter is stored with _total


# --- alert rules ----------------------------------------------------------------------------


def test_alert_rules_have_the_prometheus_rule_file_shape() -> None:
    doc = yaml.safe_load(ALERTS.read_text())
    assert set(doc) == {"groups"}
    names = []
    for group in doc["groups"]:
        assert set(group) <= {"name", "interval", "rules", "limit"}, group.keys()
        assert group["name"] and group["rules"]
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            names.append(rule["alert"])
            assert isinstance(rule["expr"], str) and rule["expr"].strip()
            if "for" in rule:
                assert DURATION.match(str(rule["for"])), rule["for"]
            assert rule["labels"]["severity"] in {"critical", "warning", "info"}
            assert rule["annotations"]["summary"] and rule["annotations"]["description"]
    assert len(names) == len(set(names)), "alert names must be unique"


def test_alerts_cover_what_operators_are_promised() -> None:
    exprs = {rule["alert"]: rule["expr"] for rule in alert_rules()}
    used = {name: metric_names(expr) for name, expr in exprs.items()}
    wanted = {
        "kubecon_bot_service_ready": "a service not ready",
        "kubecon_bot_replies_failed_total": "replies failing",
        "kubecon_bot_daily_posts_total": "daily posts failing or given up",
        "kubecon_bot_usage_records_lost_total": "usage records lost",
    }
    for metric, what in wanted.items():
        assert any(metric in names for names in used.values()), f"no alert on {what}"
    not_ready = next(r for r in alert_rules() if "kubecon_bot_service_ready" in r["expr"])
    assert not_ready["for"] == "5m"


@pytest.mark.parametrize("rule", list(alert_rules()), ids=lambda r: r["alert"])
def test_alert_expressions_use_only_metrics_the_bot_exports(rule: dict[str, Any]) -> None:
    check_brackets(rule["expr"])
    names = metric_names(rule["expr"])
    assert names, f"{rule['alert']}: no metric found in {rule['expr']!r}"
    assert names <= exported_names(), f"{rule['alert']}: not exported: {names - exported_names()}"


SELECTOR = re.compile(r"\b(kubecon_bot_\w+)\{([^{}]*)\}")
MATCHER = re.compile(r'(\w+)\s*(=~|=)\s*"([^"]*)"')


def selected(expr: str) -> Iterator[tuple[str, str, str]]:
    """(series, label, value) for each label value an expression selects (`=`, or `=~` with
    plain alternatives)."""
    for name, matchers in SELECTOR.findall(expr):
        for label, op, value in MATCHER.findall(matchers):
            for one in value.split("|") if op == "=~" else [value]:
                yield name, label, one


@pytest.mark.parametrize(
    "rule", [r for r in alert_rules() if any(selected(r["expr"]))], ids=lambda r: r["alert"]
)
def test_what_an_alert_selects_is_exported_at_zero_before_its_first_event(
    rule: dict[str, Any],
) -> None:
    """`increase()` over a series that appears with its first event (at 1) sees no increase:
    the first rejected content edit or given-up daily post never fired its alert. A platform's
    series are there at 0 from the start of a run, as `kubecon-bot run` makes them."""
    metrics = Metrics(process=False)
    metrics.expect(["slack"], posting=["slack"])
    zeros = {
        (sample.name, label, value)
        for family in text_string_to_metric_families(metrics.exposition().decode())
        for sample in family.samples
        if sample.value == 0
        for label, value in sample.labels.items()
    }
    wanted = set(selected(rule["expr"]))
    assert wanted - zeros == set(), rule["expr"]


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_accepts_the_rules_and_their_unit_tests_pass() -> None:
    for args in (["check", "rules", str(ALERTS)], ["test", "rules", str(ALERT_TESTS)]):
        done = subprocess.run(
            ["promtool", *args], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr


# --- Grafana dashboard ----------------------------------------------------------------------


def test_dashboard_is_importable_grafana_json() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["title"] and dashboard["uid"]
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in dashboard["panels"]:
        assert {"type", "title", "gridPos", "targets", "datasource"} <= set(panel), panel["title"]
        assert set(panel["gridPos"]) == {"x", "y", "w", "h"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel["title"]
        refs = [t["refId"] for t in panel["targets"]]
        assert refs and len(refs) == len(set(refs)), panel["title"]
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    used = set(re.findall(r"\$\{?(\w+)", DASHBOARD.read_text())) - {"__rate_interval", "__range"}
    assert used <= variables, f"undefined dashboard variables: {used - variables}"


def test_dashboard_shows_what_operators_are_promised() -> None:
    titles = {title: metric_names(expr) for title, expr in dashboard_exprs()}
    for title, metric in {
        "Messages by outcome": "kubecon_bot_messages_total",
        "Match latency": "kubecon_bot_match_latency_seconds_bucket",
        "Replies failed": "kubecon_bot_replies_failed_total",
        "Daily posts": "kubecon_bot_daily_posts_total",
        "Content version": "kubecon_bot_content_info",
    }.items():
        assert metric in titles[title], f"panel {title!r} does not show {metric}"


@pytest.mark.parametrize(("where", "expr"), list(dashboard_exprs()), ids=lambda v: v[:40])
def test_dashboard_queries_use_only_metrics_the_bot_exports(where: str, expr: str) -> None:
    check_brackets(expr)
    names = metric_names(expr)
    assert names, f"{where}: no metric found in {expr!r}"
    assert names <= exported_names(), f"{where}: not exported: {names - exported_names()}"
