"""The deployment files, parsed: every variable they set is one the bot reads, every command
they run exists, and the ports they probe are the ports the bot serves health on."""

from __future__ import annotations

import io
import json
import re
import shlex
import tomllib
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
import yaml

from bot.cli import build_parser
from bot.serve.health import port_for
from tests.conftest import ALIASES

from .conftest import REPO, settings

K8S = REPO / "deploy" / "kubernetes"
# variables for Python and pip in the image, not for the bot
IMAGE_ONLY = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PIP_NO_CACHE_DIR",
              "PIP_DISABLE_PIP_VERSION_CHECK"}  # fmt: skip


def subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices)  # type: ignore[arg-type]


def console_scripts() -> dict[str, str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]


def assert_runs_the_bot(argv: list[str]) -> None:
    """`kubecon-bot SUBCOMMAND …`: a console script we ship, pointing at a real function."""
    scripts = console_scripts()
    assert argv[0] in scripts, f"{argv[0]} is not a console script in pyproject.toml"
    module, func = scripts[argv[0]].split(":")
    assert callable(getattr(import_module(module), func))
    assert argv[1] in subcommands(), f"kubecon-bot has no {argv[1]!r} subcommand"


# --- Dockerfile -----------------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def final_stage() -> list[tuple[str, str]]:
    steps = dockerfile()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in final_stage():
        if word == "ENV":
            for item in shlex.split(rest):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def test_image_sets_only_variables_the_bot_reads() -> None:
    unknown = set(image_env()) - ALIASES - IMAGE_ONLY
    assert not unknown, f"the image sets variables the bot does not read: {unknown}"


def test_image_entry_point_and_health_check_exist() -> None:
    steps = dict(final_stage())
    entry, cmd = json.loads(steps["ENTRYPOINT"]), json.loads(steps["CMD"])
    assert_runs_the_bot(entry + cmd)
    check = steps["HEALTHCHECK"]
    assert_runs_the_bot(json.loads(check.split("CMD", 1)[1]))


def test_image_runs_as_non_root_and_bakes_in_the_content_it_points_at() -> None:
    steps = final_stage()
    user = [rest for word, rest in steps if word == "USER"][-1]
    assert user.split(":")[0] not in ("0", "root")
    content_path = image_env()["CONTENT_PATH"]
    copies = [rest.split() for word, rest in steps if word == "COPY" and "--from" not in rest]
    for source, target in copies:
        if content_path.startswith(target.rstrip("/") + "/"):
            baked = REPO / source / content_path.removeprefix(target.rstrip("/") + "/")
            assert baked.is_file()
            break
    else:
        pytest.fail(f"nothing is copied to {content_path}")
    built = [rest.split() for word, rest in dockerfile() if word == "COPY" and "--from" not in rest]
    for *sources, _ in built:
        for source in sources:
            assert (REPO / source).exists(), f"COPY {source}: not in the repository"
    assert settings_from(image_env()).host == "0.0.0.0"


def settings_from(env: dict[str, str]) -> Any:
    return settings(**{k: v for k, v in env.items() if k in ALIASES})


# --- docker compose -------------------------------------------------------------------------------


def interpolate(value: object) -> str:
    """Compose's ${VAR:-default}, taking the default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))


def test_compose_sets_only_variables_the_bot_reads_and_waits_for_a_healthy_database() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    env = {k: interpolate(v) for k, v in bot["environment"].items()}
    assert set(env) <= ALIASES, set(env) - ALIASES
    assert bot["env_file"] == ".env"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert_runs_the_bot(bot["healthcheck"]["test"][1:])
    assert db["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"], "the database must live in a named volume"
    s = settings_from({**image_env(), **env})
    assert s.database_url.startswith("postgresql+psycopg://")
    published = {int(p.rsplit(":", 1)[1]) for p in bot["ports"]}
    assert port_for(s) in published


def test_env_example_lists_every_variable_and_nothing_else() -> None:
    """Every variable the bot reads, and those docker-compose.yml itself reads from .env
    (`${POSTGRES_PASSWORD:-…}`, which the operations guide tells operators to set there)."""
    text = (REPO / ".env.example").read_text()
    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.M))
    compose = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (REPO / "docker-compose.yml").read_text()))
    expected = ALIASES | compose
    assert names == expected, {"missing": expected - names, "unknown": names - expected}


def test_readme_documents_every_variable_and_nothing_else() -> None:
    text = (REPO / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", text, flags=re.M))
    assert documented == ALIASES, {"missing": ALIASES - documented, "unknown": documented - ALIASES}


# --- Kubernetes -----------------------------------------------------------------------------------


def manifests() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in manifests() if d["kind"] == kind}


def containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, deployment in by_kind("Deployment").items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            yield name, container


def container_env(container: dict[str, Any]) -> dict[str, str]:
    """What the container would see, using the example Secret's values."""
    config_maps, secrets = by_kind("ConfigMap"), by_kind("Secret")
    env: dict[str, str] = dict(image_env())
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(config_maps[source["configMapRef"]["name"]]["data"])
        else:
            env.update(secrets[source["secretRef"]["name"]]["stringData"])
    for var in container.get("env", []):
        if "value" in var:
            env[var["name"]] = var["value"]
        else:
            ref = var["valueFrom"]["secretKeyRef"]
            env[var["name"]] = secrets[ref["name"]]["stringData"][ref["key"]]
    return env


def test_manifests_set_only_variables_the_bot_reads() -> None:
    for kind in ("ConfigMap", "Secret"):
        for name, doc in by_kind(kind).items():
            keys = set(doc.get("data") or doc.get("stringData") or {})
            assert keys <= ALIASES, f"{kind} {name}: {keys - ALIASES}"
    for name, container in containers():
        names = {var["name"] for var in container.get("env", [])}
        assert names <= ALIASES, f"Deployment {name}: {names - ALIASES}"


def test_deployments_probe_the_port_the_bot_serves_health_on() -> None:
    for name, container in containers():
        assert_runs_the_bot(["kubecon-bot", *container["args"]])
        s = settings_from(container_env(container))  # also: the example config is valid
        assert s.slack_enabled or s.discord_enabled, name
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        for probe, path in (
            ("livenessProbe", "/healthz"),
            ("readinessProbe", "/readyz"),
            ("startupProbe", "/healthz"),
        ):
            get = container[probe]["httpGet"]
            assert get["path"] == path, f"{name} {probe}"
            assert ports[get["port"]] == port_for(s), f"{name} {probe} probes the wrong port"


def test_deployments_run_locked_down() -> None:
    for name, deployment in by_kind("Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["terminationGracePeriodSeconds"] > 10  # the bot exits within 10 s
        for container in pod["containers"]:
            sc = container["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False
            assert container["resources"]["limits"]["memory"]
            assert container["resources"]["requests"]["cpu"]


def test_connection_owners_never_run_twice() -> None:
    """Socket Mode and the Discord gateway: one connection per token (and shard)."""
    for name, container in containers():
        s = settings_from(container_env(container))
        deployment = by_kind("Deployment")[name]
        owns_a_connection = s.discord_enabled or (
            s.slack_enabled and s.effective_slack_mode == "socket"
        )
        if owns_a_connection:
            assert deployment["spec"]["replicas"] == 1, name
            assert deployment["spec"]["strategy"]["type"] == "Recreate", name


def test_the_http_mode_service_targets_the_slack_port() -> None:
    service = by_kind("Service")["kubecon-bot-slack-http"]
    deployment = by_kind("Deployment")["kubecon-bot-slack-http"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    target = service["spec"]["ports"][0]["targetPort"]
    assert target in {p["name"] for p in container["ports"]}
    s = settings_from(container_env(container))
    assert s.effective_slack_mode == "http"
    assert {p["name"]: p["containerPort"] for p in container["ports"]}[target] == s.port


def test_kustomization_lists_existing_files() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (K8S / resource).is_file(), resource


def test_pods_behind_a_service_keep_serving_while_they_are_taken_out_of_it() -> None:
    """Kubernetes sends SIGTERM and removes the pod from the Service's endpoints at the same
    time, not one after the other; the bot closes its port at SIGTERM once no reply is in
    flight, so requests routed to it in the meantime were refused ("connection refused" on a
    slash command, which Slack does not retry). A preStop pause keeps it serving until the
    endpoints have caught up, and the grace period covers that pause and the bot's 10 s."""
    selectors = [s["spec"]["selector"] for s in by_kind("Service").values()]
    for name, deployment in by_kind("Deployment").items():
        pod = deployment["spec"]["template"]
        if not any(sel.items() <= pod["metadata"]["labels"].items() for sel in selectors):
            continue
        for container in pod["spec"]["containers"]:
            pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
            assert pause >= 5, name
            assert pod["spec"]["terminationGracePeriodSeconds"] > pause + 10, name


def test_env_example_reads_the_same_to_docker_and_to_the_bot() -> None:
    """`docker run --env-file` keeps every character after = (quotes, and a comment after the
    value): uncommenting `DAILY_SUBSCRIPTIONS="slack:…; discord:…"` from .env.example made the
    platform `"slack`. Each line, uncommented, must give Docker and python-dotenv (which the
    bot reads `.env` with) the same value."""
    from dotenv import dotenv_values

    lines = [
        line.removeprefix("# ")
        for line in (REPO / ".env.example").read_text().splitlines()
        if re.match(r"^# [A-Z][A-Z0-9_]*=", line)
    ]
    for line in lines:
        name, _, as_docker = line.partition("=")
        as_dotenv = dotenv_values(stream=io.StringIO(line + "\n"))[name] or ""
        assert as_docker == as_dotenv, line
