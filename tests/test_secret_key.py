"""The application refuses to start without a secret key of its own (it signs sessions,
CSRF tokens and OAI-PMH resumption tokens); scripts/env.sh generates one per machine."""

import subprocess

from helpers import instance_env, invenio_command


def start(secret_key):
    """`invenio routes` (creates the UI application, needs no service) with SECRET_KEY."""
    env = {key: value for key, value in instance_env().items() if key != "INVENIO_SECRET_KEY"}
    if secret_key is not None:
        env["INVENIO_SECRET_KEY"] = secret_key
    return subprocess.run(invenio_command("routes"), env=env, capture_output=True, text=True,
                          timeout=300)


def test_app_without_secret_key_refuses_to_start_naming_the_variable():
    result = start(None)
    assert result.returncode != 0
    assert "SECRET_KEY is not set: set the environment variable INVENIO_SECRET_KEY" \
        in result.stderr


def test_app_with_the_placeholder_of_docker_env_example_refuses_to_start():
    result = start("CHANGE_ME")
    assert result.returncode != 0
    assert "INVENIO_SECRET_KEY" in result.stderr


def test_app_with_a_secret_key_starts():
    result = start("a-long-random-key-of-this-deployment-0123456789")
    assert result.returncode == 0, result.stderr
    assert "/oai2d" in result.stdout
