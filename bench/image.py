"""The container image as deployed (a script, not a test: it needs a Docker engine).

    docker build -t kubecon-bot:test .
    .venv/bin/python bench/image.py [--tag kubecon-bot:test]

Runs the image the way deploy/kubernetes runs it (read-only root filesystem, its non-root user,
a volume for /data) in Slack HTTP mode against a fake Slack on 127.0.0.1 (host network), and
prints: image size against its base image, start to /readyz, the user it runs as, an answered
slash command, the image's own health check, `kubecon-bot report` inside the container, memory,
and `docker stop` (SIGTERM) to exit with the exit code.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from tests.slack.fakeslack import FakeSlack, form, sign, slash_command

TOKEN = "xoxb-image-0000-token"
SECRET = "image-signing-secret"


def docker(*args: str, check: bool = True) -> str:
    done = subprocess.run(["docker", *args], capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise SystemExit(f"docker {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def size_mb(image: str) -> float:
    return int(docker("image", "inspect", image, "--format", "{{.Size}}")) / 1e6


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def main(tag: str, base_image: str) -> None:
    own, parent = size_mb(tag), size_mb(base_image)
    print(f"image {tag}: {own:.0f} MB ({own - parent:.0f} MB over {base_image}, {parent:.0f} MB)")

    slack = await FakeSlack().start()
    port, name, volume = free_port(), f"kubecon-bench-{uuid.uuid4().hex[:6]}", "kubecon-bench-data"
    env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_MODE": "http",
        "SLACK_API_URL": slack.api_url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
    }
    flags = [f"--env={k}={v}" for k, v in env.items()]
    started = time.perf_counter()
    docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "host",
        "--read-only",
        "--tmpfs",
        "/tmp",
        "-v",
        f"{volume}:/data",
        *flags,
        tag,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            while True:
                try:
                    async with http.get(f"{url}/readyz") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                if time.perf_counter() - started > 60:
                    raise SystemExit("not ready in 60 s:\n" + docker("logs", name, check=False))
                await asyncio.sleep(0.05)
            ready = time.perf_counter() - started
            print(f"docker run to /readyz 200 : {ready:.2f} s")
            print(
                f"runs as                  : uid {docker('exec', name, 'id', '-u')}, "
                f"root filesystem read-only: "
                f"{docker('inspect', name, '--format', '{{.HostConfig.ReadonlyRootfs}}')}"
            )

            body = form(slash_command("what about SBOMs?", slack.response_url("a")))
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, SECRET)}
            async with http.post(f"{url}/slack/events", data=body, headers=headers) as resp:
                status = resp.status
            await slack.wait_for(lambda: bool(slack.responses("a")))
            answer = slack.responses("a")[0]
            answered = "Antithesis" in json.dumps(answer)
            print(
                f"slash command            : HTTP {status}, {answer['response_type']} reply, "
                f"{'the SBOM answer' if answered else 'NOT the expected answer'}"
            )
        health = subprocess.run(
            ["docker", "exec", name, "kubecon-bot", "healthcheck"],
            capture_output=True,
            text=True,
            check=False,
        )
        print(f"image health check       : exit {health.returncode} ({health.stdout.strip()})")
        await asyncio.sleep(1)  # the journal writes in the background
        report = docker("exec", name, "kubecon-bot", "report", "--json")
        print(f"report in the container  : {json.loads(report)['questions']} question(s)")
        print(
            f"memory (docker stats)    : "
            f"{docker('stats', '--no-stream', '--format', '{{.MemUsage}}', name)}"
        )
        stopping = time.perf_counter()
        docker("stop", "--time", "10", name)
        stopped = time.perf_counter() - stopping
        code = docker("inspect", name, "--format", "{{.State.ExitCode}}")
        print(f"docker stop (SIGTERM)    : {stopped:.2f} s, exit code {code}")
    finally:
        docker("rm", "-f", name, check=False)
        docker("volume", "rm", volume, check=False)
        await slack.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="kubecon-bot:test")
    parser.add_argument("--base", default="python:3.11-slim", help="the Dockerfile's FROM")
    args = parser.parse_args()
    asyncio.run(main(args.tag, args.base))
