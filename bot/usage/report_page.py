"""`kubecon-bot report --html FILE`: the usage report as one self-contained page for editors.

The page is drawn from the very dict `report --json` prints (`report.as_json`), and its pending
suggestions from the one `suggestions list --json` prints (`suggestions.as_json`), so they can
never disagree. It is one file with no script, no font, no stylesheet and no image from
anywhere (a Content-Security-Policy of `default-src 'none'` says so to the browser): editors
open it from a mail or a shared drive, often offline, and it must show the same thing there.
Charts are inline SVG built here; a charting library would bring script or a CDN for four
simple shapes. Every string that came from a user (unanswered questions) is HTML-escaped.

Each chart mark carries its figures as data-* attributes (and a tooltip), so a browser test can
read what the page shows and compare it with the JSON.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

OUTCOMES = (  # stacking order, bottom up, with their colours and legend names
    ("answered", "#2e7d32", "answered"),
    ("repeat", "#81c784", "pointed to an earlier answer"),
    ("suggested", "#f9a825", '"did you mean"'),
    ("declined", "#c62828", "declined"),
)
ASKED, UP, DOWN = "#90a4ae", "#2e7d32", "#c62828"
WIDTH, HEIGHT, PAD = 720, 200, 36  # chart area in SVG units

CSP = "default-src 'none'; style-src 'unsafe-inline'"
STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
 background:#f6f7f9;color:#1d2330}
main{max-width:820px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted{color:#5b6475}.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.tile{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:10px 14px;min-width:130px}
.tile b{display:block;font-size:22px}
section{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:12px 16px}
svg{display:block;max-width:100%;height:auto}svg text{font-size:11px;fill:#5b6475}
.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:5px;border-radius:2px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 4px;
 border-top:1px solid #eef0f3;vertical-align:top}th{font-weight:600;border-top:0}
td{overflow-wrap:anywhere}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ex{color:#5b6475;font-size:13px}
code{background:#eef0f3;border-radius:4px;padding:1px 5px;font-size:14px}
"""


def render(
    data: Mapping[str, Any], *, days: int, suggestions: Mapping[str, Any] | None = None
) -> str:
    """The page for `data`, a dict as `bot.usage.report.as_json` returns it, with the pending
    `suggestions` as `bot.usage.suggestions.as_json` returns them (`suggestions list --json`)."""
    title = f"kubecon-bot usage, last {days} day{'s' if days != 1 else ''}"
    period = f"{data['since'][:16].replace('T', ' ')} to {data['until'][:16].replace('T', ' ')} UTC"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{_e(title)}</h1><div class=muted>{_e(period)}</div>",
        _tiles(data, suggestions),
        "<h2>Questions per day</h2><section>",
        _legend(),
        _per_day(data["days"]),
        "</section><h2>Match rate over time</h2><section>",
        _match_rate(data["days"]),
        "</section><h2>Most asked entries, and how helpful people found them</h2><section>",
        _helpfulness(data["entries"]),
        "</section><h2>Unanswered questions, grouped by similarity</h2><section>",
        _unanswered(data),
        "</section>",
        _suggestions(suggestions) if suggestions is not None else "",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _tiles(data: Mapping[str, Any], suggestions: Mapping[str, Any] | None = None) -> str:
    votes = data["votes"]
    tiles = [
        ("questions", str(data["questions"]), "questions"),
        ("match_rate", _pct(data["match_rate"]), "answered"),
        ("votes_up", str(votes.get("up", 0)), "voted helpful"),
        ("votes_down", str(votes.get("down", 0)), "voted not helpful"),
        ("texts_recorded", str(data["texts_recorded"]), "unanswered texts recorded"),
    ]
    if suggestions is not None:
        tiles.append(("suggestions", str(suggestions["count"]), "pending suggestions"))
    cells = "".join(
        f'<div class=tile data-figure="{key}"><b>{_e(value)}</b>{_e(label)}</div>'
        for key, value, label in tiles
    )
    return f"<div class=tiles>{cells}</div>"


def _legend(keys: Iterable[tuple[str, str]] = ((c, n) for _, c, n in OUTCOMES)) -> str:
    spans = "".join(
        f'<span><i style="background:{colour}"></i>{_e(name)}</span>' for colour, name in keys
    )
    return f"<div class=legend>{spans}</div>"


def _svg(label: str, body: Iterable[str], height: int = HEIGHT + PAD) -> str:
    return (
        f'<svg role="img" aria-label="{_e(label)}" viewBox="0 0 {WIDTH + PAD} {height}" '
        f'data-chart="{_e(label)}">' + "".join(body) + "</svg>"
    )


def _axis(top: float, fmt: str = "{:g}") -> list[str]:
    """Horizontal grid lines at 0, half and `top`, labelled on the left."""
    out = []
    for frac in (0.0, 0.5, 1.0):
        y = HEIGHT - frac * HEIGHT + 8
        out.append(
            f'<line x1="{PAD}" x2="{WIDTH + PAD}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eef0f3"/>'
        )
        out.append(
            f'<text x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end">{fmt.format(top * frac)}</text>'
        )
    return out


def _day_labels(days: Sequence[Mapping[str, Any]], step: float) -> list[str]:
    every = max(1, round(len(days) / 8))
    return [
        f'<text x="{PAD + (i + 0.5) * step:.1f}" y="{HEIGHT + 26}" text-anchor="middle">'
        f"{_e(d['date'][5:])}</text>"
        for i, d in enumerate(days)
        if i % every == 0
    ]


def _per_day(days: Sequence[Mapping[str, Any]]) -> str:
    most = max((d["questions"] for d in days), default=0)
    top = max(2, most + most % 2)  # even: the middle grid line is a whole count, never "1.5"
    step = WIDTH / max(len(days), 1)
    marks = _axis(top)
    for i, day in enumerate(days):
        y = HEIGHT + 8.0
        for outcome, colour, name in OUTCOMES:
            count = day["outcomes"].get(outcome, 0)
            if not count:
                continue
            h = count / top * HEIGHT
            y -= h
            marks.append(
                f'<rect x="{PAD + i * step + step * 0.15:.1f}" y="{y:.1f}" '
                f'width="{step * 0.7:.1f}" height="{h:.1f}" fill="{colour}" '
                f'data-date="{_e(day["date"])}" data-outcome="{outcome}" data-count="{count}">'
                f"<title>{_e(day['date'])}: {count} {_e(name)}</title></rect>"
            )
    marks += _day_labels(days, step)
    return _svg("questions per day", marks)


def _match_rate(days: Sequence[Mapping[str, Any]]) -> str:
    step = WIDTH / max(len(days), 1)
    marks = _axis(100, "{:g}%")
    points = []
    for i, day in enumerate(days):
        rate = day["match_rate"]
        if rate is None:
            continue  # no questions that day: no point, rather than a misleading zero
        x, y = PAD + (i + 0.5) * step, HEIGHT + 8 - rate * HEIGHT
        points.append(f"{x:.1f},{y:.1f}")
        marks.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1565c0" '
            f'data-date="{_e(day["date"])}" data-match-rate="{rate:.4f}">'
            f"<title>{_e(day['date'])}: {_pct(rate)} answered</title></circle>"
        )
    if len(points) > 1:
        marks.insert(
            len(marks) - len(points),
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#1565c0" '
            'stroke-width="2"/>',
        )
    marks += _day_labels(days, step)
    return _svg("match rate over time", marks)


def _helpfulness(entries: Sequence[Mapping[str, Any]]) -> str:
    if not entries:
        return "<p class=muted>No answers yet.</p>"
    row, label_w, figures_w = 26, 270, 280
    top = max(e["asked"] for e in entries) or 1
    top_votes = max(e["up"] + e["down"] for e in entries) or 1
    bar_w = WIDTH + PAD - label_w - figures_w
    marks = []
    for i, e in enumerate(entries):
        y = i * row + 4
        number = f"Q{e['number']}" if e["number"] is not None else "?"
        helpful = "no votes" if e["helpful"] is None else f"{_pct(e['helpful'])} helpful"
        question = e["question"] if len(e["question"]) <= 40 else e["question"][:39] + "…"
        marks.append(f'<text x="0" y="{y + 14}">{_e(number)} {_e(question)}</text>')
        asked_w = e["asked"] / top * bar_w
        marks.append(
            f'<rect x="{label_w}" y="{y}" width="{asked_w:.1f}" height="10" fill="{ASKED}" '
            f'data-entry="{_e(e["entry_id"])}" data-asked="{e["asked"]}">'
            f"<title>{_e(number)}: asked {e['asked']}×</title></rect>"
        )
        votes = e["up"] + e["down"]
        if votes:
            up_w = e["up"] / top_votes * bar_w
            down_w = e["down"] / top_votes * bar_w
            marks.append(
                f'<rect x="{label_w}" y="{y + 12}" width="{up_w:.1f}" height="8" fill="{UP}" '
                f'data-entry="{_e(e["entry_id"])}" data-up="{e["up"]}">'
                f"<title>{_e(number)}: {e['up']} voted helpful</title></rect>"
                f'<rect x="{label_w + up_w:.1f}" y="{y + 12}" width="{down_w:.1f}" height="8" '
                f'fill="{DOWN}" data-entry="{_e(e["entry_id"])}" data-down="{e["down"]}">'
                f"<title>{_e(number)}: {e['down']} voted not helpful</title></rect>"
            )
        marks.append(
            f'<text x="{WIDTH + PAD}" y="{y + 14}" text-anchor="end">'
            f"{e['asked']} asked · {e['up']} up, {e['down']} down · {_e(helpful)}</text>"
        )
    legend = _legend([(ASKED, "times asked"), (UP, "voted helpful"), (DOWN, "not helpful")])
    return legend + _svg("helpfulness per entry", marks, height=len(entries) * row + 8)


def _unanswered(data: Mapping[str, Any]) -> str:
    groups = data["unanswered"]
    if not groups:
        unanswered = data["outcomes"].get("suggested", 0) + data["outcomes"].get("declined", 0)
        if unanswered and not data["texts_recorded"]:
            return (
                f"<p class=muted>{unanswered} unanswered, but their text is not recorded "
                "(RECORD_QUESTIONS).</p>"
            )
        return "<p class=muted>None.</p>"
    rows = ["<table><tr><th class=n>times</th><th>question, other wordings, advice</th></tr>"]
    for g in groups:
        rows.append(
            f'<tr data-group-count="{g["count"]}" data-chosen="{_e(g["chosen"] or "")}">'
            f"<td class=n>{g['count']}×</td><td>{_quoted(g['text'])}{_also(g['examples'])}"
            f"<div class=ex data-advice>{_e(g['advice'])}</div></td></tr>"
        )
    rows.append("</table>")
    more = data.get("groups", len(groups)) - len(groups)
    if more > 0:
        rows.append(
            f"<p class=muted data-more-groups={more}>… and {more} more group(s): "
            f"<code>kubecon-bot report --top {data['groups']}</code> shows them all.</p>"
        )
    return "".join(rows)


def _quoted(text: str) -> str:
    """A user's words in quotes, escaped and isolated (`<bdi>`): right-to-left text inside
    cannot move the quotes or what follows."""
    return f"“<bdi>{_e(text)}</bdi>”"


def _also(texts: Sequence[str]) -> str:
    """A group's or suggestion's other wordings, a line each."""
    return "".join(f"<div class=ex>also: {_quoted(t)}</div>" for t in texts)


def _suggestions(proposed: Mapping[str, Any]) -> str:
    """What the bot proposes from use, and the command that reviews it: an editor reading the
    page should leave knowing there is something to approve and how."""
    count, command = proposed["count"], proposed["review"]
    if not count:  # nothing to review: no command to run
        return (
            f'<h2>Pending suggestions</h2><section data-suggestions="{count}">'
            "<p>No pending suggestions: nothing to review.</p></section>"
        )
    head = (
        f'<h2>Pending suggestions</h2><section data-suggestions="{count}">'
        f"<p><b data-pending>{count}</b> pending "
        f"suggestion{'' if count == 1 else 's'}: review them with "
        f"<code data-command>{_e(command)}</code></p>"
    )
    rows = ["<table><tr><th>id</th><th>entry</th><th>phrasing, and why</th></tr>"]
    for s in proposed["pending"]:
        if s["kind"] == "new-entry":
            entry = "new entry?"
            why = f"asked {s['asked']}× and not answered: an editor writes the entry"
            if s["closest_number"] is not None:
                why += f" (closest: Q{s['closest_number']})"
        else:
            entry = "decline" if s["kind"] == "decline" else f"Q{s['number']}"
            instead = f" of Q{s['instead_of_number']}" if s["instead_of_number"] else ""
            why = ", ".join(
                [f"{s['picks']}× picked from “did you mean”"] * bool(s["picks"])
                + [f"{s['redirects']}× voted not helpful on another answer, then this one"]
                * bool(s["redirects"])
                + [f"{s['corrections']}× an admin's correction{instead}"] * bool(s["corrections"])
            )
        if s["rivals"]:  # as `suggestions list` says: the bot gives a phrasing one verdict
            named = ", ".join(s["rivals"])
            why += f"; disagrees with {named}: accept one of them, which settles the others"
        rows.append(
            f'<tr data-suggestion="{_e(s["id"])}" data-kind="{_e(s["kind"])}" '
            f'data-entry="{_e(s["entry_id"] or "")}" '
            f'data-evidence="{s["picks"] + s["redirects"] + s["corrections"] + s["asked"]}">'
            f"<td><code>{_e(s['id'])}</code></td><td>{_e(entry)}</td>"
            f"<td data-text>{_quoted(s['text'])}{_also(s['examples'])}"
            f"<div class=ex data-why>{_e(why)}</div></td></tr>"
        )
    rows.append("</table>")
    return head + "".join(rows) + "</section>"
