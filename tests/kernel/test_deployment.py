"""The lock file stays in step with pyproject.toml, so the container and the systemd install
get what the tests ran with; the image never receives the developer's .env.

A dependency added to pyproject.toml without regenerating requirements.lock (README,
"Deployment") fails here instead of in a cluster's first `docker build`.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import requires

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)")


def locked() -> dict[str, list[str]]:
    """Package -> pinned versions (one per marker branch), each followed by hashes."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins: dict[str, list[str]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} is pinned without a hash"
            pins.setdefault(canonicalize_name(match.group(1)), []).append(match.group(2))
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def test_every_run_time_dependency_is_locked_in_a_version_pyproject_allows() -> None:
    pins = locked()
    for requirement in declared():
        versions = pins.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is missing from requirements.lock: regenerate it"
        assert any(requirement.specifier.contains(v, prereleases=True) for v in versions), (
            f"requirements.lock pins {requirement.name} {versions}, pyproject wants "
            f"{requirement.specifier}: regenerate it")


def test_the_extras_we_ask_for_are_locked_too() -> None:
    """E.g. python-telegram-bot[webhooks] brings tornado, [job-queue] APScheduler."""
    pins = locked()
    environment: dict[str, str] = dict(default_environment())
    for requirement in declared():
        for extra in requirement.extras:
            for line in requires(requirement.name) or []:
                needed = Requirement(line)
                if needed.marker and needed.marker.evaluate({**environment, "extra": extra}) \
                        and not needed.marker.evaluate({**environment, "extra": ""}):
                    assert canonicalize_name(needed.name) in pins, (
                        f"{requirement.name}[{extra}] needs {needed.name}, which "
                        "requirements.lock lacks: regenerate it")


def test_the_image_is_built_from_the_lock_and_never_sees_the_env_file() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes" in dockerfile and "requirements.lock" in dockerfile
    user = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert user and user[-1].split(":")[0] not in ("0", "root"), user
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored


def test_the_image_copies_every_package_the_project_installs() -> None:
    """A new top-level package in pyproject.toml needs its COPY line in the Dockerfile."""
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    include = setup["setuptools"]["packages"]["find"]["include"]
    packages = [pattern.rstrip("*") for pattern in include]
    copied = set(re.findall(r"^COPY\s+(\w+)\s", (ROOT / "Dockerfile").read_text(encoding="utf-8"),
                            flags=re.MULTILINE))
    assert set(packages) <= copied, f"Dockerfile lacks COPY for {set(packages) - copied}"
