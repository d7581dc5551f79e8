"""docker/docker-compose*.yml checked as `docker compose config` checks them before
anything starts (this machine's docker has no compose plugin): the variables
interpolated from docker/.env.example the way Compose does (docker/.env is a copy of
it), the YAML anchors merged, then the Compose Specification's JSON Schema
(docker/schema/, see its PROVENANCE); and what the schema cannot see: the services a
service depends on exist, the named volumes are declared, the build contexts and the
files mounted from the repository are there."""

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
SCHEMA = json.loads((DOCKER / "schema" / "compose-spec.json").read_text())
VALIDATOR = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
COMPOSE_FILES = sorted(DOCKER.glob("docker-compose*.yml"))

# Compose's interpolation (the specification's 12-interpolation.md): $$ is a dollar,
# $NAME and ${NAME}, ${NAME:-default} / ${NAME-default}, ${NAME:?error} / ${NAME?error},
# ${NAME:+replacement} / ${NAME+replacement}; a `$` before anything else stays.
VARIABLE = re.compile(r"\$(?:(?P<dollar>\$)|(?P<name>[_A-Za-z][_A-Za-z0-9]*)"
                      r"|\{(?P<braced>[_A-Za-z][_A-Za-z0-9]*)"
                      r"(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\})")


class Unresolved(Exception):
    """A variable Compose would refuse (:? / ?), or one nobody sets (Compose: a warning
    and an empty string; here a failure, so .env.example names every variable)."""


def env_file(path):
    """A .env file as Compose reads it: NAME=value lines, quotes around a value dropped."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def interpolate(node, env, where="."):
    """NODE (parsed YAML) with every string value interpolated from ENV (keys stay)."""
    if isinstance(node, dict):
        return {key: interpolate(value, env, f"{where}/{key}") for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(value, env, f"{where}/{n}") for n, value in enumerate(node)]
    if not isinstance(node, str):
        return node

    def one(match):
        if match["dollar"]:
            return "$"
        name, op, arg = match["name"] or match["braced"], match["op"], match["arg"]
        if arg and "$" in arg:
            raise Unresolved(f"{where}: nested interpolation is not checked here: {match[0]}")
        value = env.get(name)
        missing = value is None or (op is not None and op.startswith(":") and value == "")
        if op in (":-", "-"):
            return arg if missing else value
        if op in (":?", "?"):
            if missing:
                raise Unresolved(f"{where}: {name}: {arg}")
            return value
        if op in (":+", "+"):
            return "" if missing else arg
        if value is None:
            raise Unresolved(f"{where}: {name} is set nowhere (.env.example, a default)")
        return value

    return VARIABLE.sub(one, node)


def load(path, env=None):
    """The compose file as `docker compose config` validates it."""
    raw = yaml.safe_load(path.read_text())  # anchors and `<<` merge keys resolved
    return interpolate(raw, env_file(DOCKER / ".env.example") if env is None else env)


def problems(model):
    found = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
             for e in VALIDATOR.iter_errors(model)]
    services = model.get("services") or {}
    volumes = set(model.get("volumes") or {})
    ignored = [line.strip().rstrip("/") for line in (DOCKER / ".gitignore").read_text()
               .splitlines() if line.strip() and not line.startswith("#")]
    for name, service in services.items():
        depends = service.get("depends_on") or []
        for other in (depends if isinstance(depends, list) else list(depends)):
            if other not in services:
                found.append(f"services/{name}/depends_on: no service {other}")
        for mount in service.get("volumes") or []:
            source = (mount.split(":", 1)[0] if isinstance(mount, str)
                      else mount.get("source", ""))
            if not source:
                continue
            if not source.startswith((".", "/", "~")):
                if source not in volumes:
                    found.append(f"services/{name}/volumes: volume {source} is not declared")
            elif source.startswith(".") and Path(source).parts[0] not in ignored \
                    and not (DOCKER / source).exists():  # git-ignored: the operator's
                found.append(f"services/{name}/volumes: {source} is not in docker/")
        build = service.get("build")
        if build:
            context = DOCKER / (build if isinstance(build, str) else build.get("context", "."))
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile",
                                                                               "Dockerfile")
            if not (context / dockerfile).is_file():
                found.append(f"services/{name}/build: no {dockerfile} in {context}")
    return sorted(found)


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_the_compose_file_is_valid_compose(path):
    assert problems(load(path)) == []


def test_there_is_a_compose_file_to_check():
    assert [p.name for p in COMPOSE_FILES] == ["docker-compose.yml"]


def test_the_check_refuses_what_compose_refuses():
    """The check above can fail: a misspelt key, a wrong type, an unknown service or
    volume, a mandatory variable missing from .env.example."""
    model = load(DOCKER / "docker-compose.yml")
    assert problems(model) == []

    def broken(change):
        copied = copy.deepcopy(model)
        change(copied["services"])
        return problems(copied)

    assert any("depend_on" in p for p in broken(
        lambda s: s["worker"].update(depend_on=s["worker"].pop("depends_on"))))
    assert any("restart" in p for p in broken(lambda s: s["db"].update(restart=["always"])))
    assert broken(lambda s: s["frontend"].update(depends_on=["web"])) == [
        "services/frontend/depends_on: no service web"]
    assert broken(lambda s: s["iipimage"].update(volumes=["tiles:/srv/tiles:ro"])) == [
        "services/iipimage/volumes: volume tiles is not declared"]
    env = env_file(DOCKER / ".env.example")
    del env["POSTGRES_PASSWORD"]
    with pytest.raises(Unresolved, match="POSTGRES_PASSWORD"):
        load(DOCKER / "docker-compose.yml", env)
    assert interpolate({"a": "$${X} ${Y:-d} $Z ${W:+on}"}, {"Z": "z", "W": "w"}) == {
        "a": "${X} d z on"}
