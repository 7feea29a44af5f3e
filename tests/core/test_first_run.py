"""What a new user meets first on the command line: the example eval set, errors as
`file:line: problem` (all of them), settings blamed on the variable, and output that shows what
the chat would (real `kubecon-bot` processes)."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, clean_env, run_bot

EXAMPLES = ROOT / "content" / "eval" / "examples.yaml"
VALID = (ROOT / "content" / "qa.yaml").read_text(encoding="utf-8")


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_bot(*args, cwd=ROOT, env=clean_env(**env))


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    return result.stderr


# --- eval ---------------------------------------------------------------------------------------


def test_the_readme_example_set_is_in_the_repository_and_scores():
    result = run("eval", "content/eval/examples.yaml")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[:3]}
    assert float(rows["overall"][1]) >= 0.9, result.stdout
    assert rows["answerable"][2] != "(0/0)" and rows["declined"][2] != "(0/0)"
    assert "kubecon-bot eval content/eval/examples.yaml" in (ROOT / "README.md").read_text()


def test_eval_on_a_missing_file_is_one_line():
    error = one_line_error(run("eval", "no/such/set.yaml"))
    assert error == "no/such/set.yaml: cannot read: No such file or directory\n"


def test_a_missing_content_file_says_which_setting_named_it(tmp_path: Path):
    """ "/nope.yaml: cannot read" left the operator to find where that path came from."""
    missing = str(tmp_path / "nope.yaml")
    from_env = one_line_error(run("report", CONTENT_PATH=missing))
    assert from_env == f"{missing}: cannot read (CONTENT_PATH): No such file or directory\n"
    flag = one_line_error(run_bot("--content", missing, "ask", "hi", cwd=ROOT, env=clean_env()))
    assert flag == f"{missing}: cannot read (--content): No such file or directory\n"
    started = run_bot(
        "run",
        cwd=tmp_path,
        env=clean_env(CONTENT_PATH=missing, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1"),
    )
    assert started.returncode == 1
    assert f"{missing}: cannot read (CONTENT_PATH): No such file or directory" in started.stderr


def test_eval_on_broken_yaml_names_the_line(tmp_path: Path):
    path = tmp_path / "set.yaml"
    path.write_text("phrases: {5: Antithesis}\ncases: [\n")
    error = one_line_error(run("eval", str(path)))
    assert error.startswith(f"{path}:3: invalid YAML")


def test_eval_on_a_wrongly_shaped_file_says_what_is_expected(tmp_path: Path):
    path = tmp_path / "set.yaml"
    path.write_text("- {q: sbom, expect: 5}\n")
    error = one_line_error(run("eval", str(path)))
    assert error == f"{path}:1: expected a mapping with `phrases` and a list of `cases`\n"


def test_eval_reports_every_problem_of_the_set_with_its_line(tmp_path: Path):
    path = tmp_path / "set.yaml"
    path.write_text(
        "phrases:\n"  # 1
        "  5: Antithesis\n"  # 2
        "  7: not in the answer\n"  # 3
        "cases:\n"  # 4
        "  - {q: sbom, expect: 5}\n"  # 5
        "  - {q: logging fix, expect: 6}\n"  # 6: no phrase for 6
        "  - {q: tl;dr, expect: 42}\n"  # 7: no entry 42
        "  - {q: x, expect: 5, note: y}\n"  # 8
    )
    lines = one_line_error(run("eval", str(path))).splitlines()
    assert lines == [
        f"{path}:3: phrases.7: 'not in the answer' is not in the answer of entry 7",
        f"{path}:6: cases[1].expect: label 6 has no phrase under `phrases`: "
        "nothing to judge the answer by",
        f"{path}:7: cases[2].expect: 42 is not an entry number 1-10 or T (or null: must decline)",
        f"{path}:8: cases[3].note: unknown key (expected q, expect)",
    ]


def test_eval_says_n_a_for_a_group_without_cases(tmp_path: Path):
    path = tmp_path / "set.yaml"
    path.write_text("phrases: {5: Antithesis}\ncases:\n  - {q: what about SBOMs, expect: 5}\n")
    result = run("eval", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2].split() == ["declined", "n/a", "(0/0)"]


# --- check: every problem, as a compiler reports them ---------------------------------------------


def test_check_reports_every_problem_of_a_file_not_only_the_first(tmp_path: Path):
    text = VALID.replace("  presenter: Tom Fenton\n", "  presenter: Tom Fenton\n  presenter: X\n")
    text = text.replace("number: 7", "number: 0")  # a schema error
    text = text.replace("id: ai-observability-sre", "id: supply-chain-security-gaps")  # a dup
    path = tmp_path / "qa.yaml"
    path.write_text(text)
    lines = one_line_error(run("check", str(path))).splitlines()
    assert len(lines) == 3, lines
    assert "duplicate key 'presenter'" in lines[0]
    assert "entries[6].number:" in lines[1]
    assert "entries[7].id: duplicate id 'supply-chain-security-gaps'" in lines[2]
    assert all(line.startswith(f"{path}:") for line in lines)


def test_a_bad_recording_url_is_blamed_on_the_variable():
    error = one_line_error(run("ask", "what about SBOMs", RECORDING_URL="notaurl"))
    assert error.startswith("RECORDING_URL: 'notaurl': ")
    assert "qa.yaml" not in error and len(error.splitlines()) == 1


# --- discord-invite-url ---------------------------------------------------------------------------


def test_invite_url_with_a_malformed_token_says_it_is_malformed():
    error = one_line_error(run("discord-invite-url", DISCORD_TOKEN="not-a-token!!"))
    assert error.startswith("kubecon-bot discord-invite-url: DISCORD_TOKEN is malformed")
    assert "not-a-token" not in error  # a secret, even a broken one, is not echoed


def test_invite_url_from_a_well_formed_token():
    head = base64.b64encode(b"123456789012345678").decode().rstrip("=")
    result = run("discord-invite-url", DISCORD_TOKEN=f"{head}.abc.def")
    assert result.returncode == 0 and "client_id=123456789012345678" in result.stdout


# --- takeaway: the post as the channel gets it --------------------------------------------------


def test_takeaway_prints_the_post_with_both_links_and_the_credit():
    out = run("takeaway", "--date", "2099-01-01").stdout
    assert out.startswith("Takeaway of the day\n")
    assert "Watch the recording: https://" in out
    assert "Read the article: https://virtualizationreview.com/articles/2026/02/26/" in out
    assert out.rstrip().endswith("Tom Fenton · December 4, 2025")


# --- ask: JSON carries what the user sees; hints name real commands -------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "needle"),
    [
        ("takeaways", "takeaways", "foundational platform for AI"),
        ("list", "list", "10. Companies like Devtron"),
        ("help", "help", "kubecon-bot list: the 10 questions"),
        ("recording", "recording", "Watch the recording: https://"),
        ("what about SBOMs", "answer", "Antithesis"),
        ("platform", "suggestions", "Did you mean"),
        ("how do I exit vim", "decline", "Sorry"),
    ],
)
def test_ask_json_carries_the_text_the_user_sees_for_every_kind(text, kind, needle):
    obj = json.loads(run("ask", "--json", text).stdout)
    assert obj["kind"] == kind
    assert needle in obj["text"]
    assert obj["text"] == run("ask", text).stdout.rstrip("\n")


def test_ask_json_takeaways_is_a_list():
    obj = json.loads(run("ask", "--json", "tl;dr").stdout)
    assert len(obj["takeaways"]) == 3 and obj["takeaways"][0].startswith("Kubernetes is")
    assert json.loads(run("ask", "--json", "sbom").stdout)["takeaways"] is None


def test_hints_name_the_list_command_not_a_question():
    out = run("ask", "how do I exit vim").stdout
    assert "`kubecon-bot list`" in out and "kubecon-bot ask list" not in out


def test_a_one_shot_did_you_mean_says_how_to_ask_for_an_option():
    out = run("ask", "platform").stdout
    assert "Pick one" not in out
    first = out.splitlines()[1].split(".")[0].strip()
    assert f'`kubecon-bot ask "#{first}"`' in out
    assert out.splitlines()[1].startswith(f"  {first}. ")
