"""A stand-in for the Dockerfile's base image, for machines that cannot reach Docker Hub.

The image test builds the repository's Dockerfile unchanged but for its `BASE` build argument.
Where `python:3.11-slim` is neither present nor pullable (this project's CI machines reach
Debian's mirror and PyPI, not Docker Hub), the base is built here instead: a Debian bookworm
root filesystem made by `debootstrap` from Debian's packages, with bookworm's Python 3.11 (the
Dockerfile's minor version), venv, `python` linked to `python3`, and `passwd` for the
Dockerfile's `useradd`. The host's CA bundle is copied in and pip told to use it, so a build
behind the same TLS-inspecting proxy as the host can still install from PyPI.

What this tests is what the Dockerfile adds (the virtualenv, the non-root user, the read-only
root filesystem, the HEALTHCHECK, the stop signal), not the official base image; the
interpreter's path differs (/usr/bin rather than /usr/local/bin), which the venv hides.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO

STANDIN = "kubecon-bot-test-base:bookworm"
SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
PACKAGES = "python3,python3-venv,python-is-python3,ca-certificates,passwd"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
BUILD_TIMEOUT_S = 1200  # a slow mirror; a deadline, not a timing assertion


class UnavailableError(Exception):
    """No stand-in can be built here; the message says why (for the test's skip)."""


def _docker(
    *args: str, stdin: IO[bytes] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["docker", *args], stdin=stdin, capture_output=True, timeout=timeout, check=False
    )


def standin_base() -> str:
    """The stand-in's tag, built on first use and kept in the local Docker engine."""
    if _docker("image", "inspect", STANDIN).returncode == 0:
        return STANDIN
    if shutil.which("debootstrap") is None:
        raise UnavailableError("debootstrap is not installed (Debian's package debootstrap)")
    if os.geteuid() != 0:
        raise UnavailableError("debootstrap needs root")
    with tempfile.TemporaryDirectory(prefix="kubecon-base-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        made = subprocess.run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={PACKAGES}",
                SUITE,
                str(rootfs),
                MIRROR,
            ],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
        if made.returncode != 0:
            raise UnavailableError(f"debootstrap failed: {(made.stderr or made.stdout)[-500:]}")
        if HOST_CA.is_file():
            shutil.copyfile(HOST_CA, rootfs / "etc/ssl/certs/ca-certificates.crt")
            (rootfs / "etc/pip.conf").write_text(f"[global]\ncert = {HOST_CA}\n")
        for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
            shutil.rmtree(rootfs / cache, ignore_errors=True)
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        imported = _docker(
            "import", "-c", "ENV LANG=C.UTF-8", "-c", 'CMD ["python3"]', "-", STANDIN,
            stdin=tar.stdout, timeout=BUILD_TIMEOUT_S,
        )  # fmt: skip
        tar.wait()
        if imported.returncode != 0:
            detail = imported.stderr.decode(errors="replace").strip()[-500:]
            raise UnavailableError(f"docker import failed: {detail}")
    return STANDIN
