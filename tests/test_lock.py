"""Pipfile.lock serves every Python 3.11 a Debian 12 machine may run the platform on.

The lock is made on one Python (3.11.7); pip then installs it with --no-deps, so a
requirement that only applies on another Python is silently absent there. Debian 12's own
python3 is 3.11.2: redis-py needs async-timeout below 3.11.3 (make run failed at the asset
build with "No module named 'async_timeout'"), and soupsieve 3+ refuses Python < 3.11.5 (the
lock's marker made pip skip it, leaving beautifulsoup4's CSS selectors without it).
"""

import json
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = json.loads((Path(__file__).parent.parent / "Pipfile.lock").read_text())
PYTHONS = ["3.11.2", "3.11.4", "3.11.7", "3.11.14"]


def environment(python):
    env = default_environment()
    env.update(python_full_version=python, python_version="3.11", extra="")
    return env


def locked(section):
    return {canonicalize_name(name): entry for name, entry in LOCK[section].items()}


def applies(entry, env):
    markers = entry.get("markers")
    return not markers or Requirement(f"x; {markers}").marker.evaluate(env)


def top_level(env):
    """The Pipfile's packages meant for that Python (an entry may carry its own markers)."""
    pipfile = tomllib.loads((Path(__file__).parent.parent / "Pipfile").read_text())
    return {canonicalize_name(name) for section in ("packages", "dev-packages")
            for name, spec in pipfile[section].items()
            if not isinstance(spec, dict) or applies(spec, env)}


@pytest.mark.parametrize("python", PYTHONS)
def test_the_lock_serves(python):
    """Everything the Pipfile's packages need on that Python is locked for that Python.

    Walks the requirements (as the installed packages declare them) from the Pipfile's
    packages, evaluating their markers for that Python: each one needed must be in the lock
    with a marker that lets pip install it there.
    """
    env = environment(python)
    lock = {**locked("develop"), **locked("default")}
    absent, refused = set(), set()
    seen, todo = set(), list(top_level(env))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in lock:
            absent.add(name)
            continue
        if not applies(lock[name], env):
            refused.add(name)
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate(env):
                todo.append(canonicalize_name(req.name))
    assert not absent, f"Python {python} needs {sorted(absent)}, which Pipfile.lock lacks"
    assert not refused, f"Pipfile.lock's markers refuse {sorted(refused)} on Python {python}"
