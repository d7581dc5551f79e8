"""Tests and benchmarks never share a database, index, bucket or Redis database with
the platform `make run` serves (a bench once overwrote the platform's community
identity cache and took a curator's role away)."""

import importlib.util
import runpy
from urllib.parse import urlparse

from helpers import ROOT, TEST_CONFIG

NAMESPACE_KEYS = ("SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_PREFIX", "CONSORTIUM_S3_BUCKET")


def platform_config():
    """The platform's CONSORTIUM_* defaults with the keys invenio.cfg sets on top (upper
    case, as Flask reads the file)."""
    from consortium_tenants import config as module_defaults

    defaults = {key: getattr(module_defaults, key) for key in dir(module_defaults)
                if key.startswith("CONSORTIUM_")}
    instance = runpy.run_path(str(ROOT / "invenio.cfg"))
    return {**defaults, **{key: value for key, value in instance.items() if key.isupper()}}


def bench_config():
    spec = importlib.util.spec_from_file_location("bench_instance", ROOT / "bench/instance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BENCH_CONFIG


def redis_keys(config):
    return {key for key, value in config.items()
            if isinstance(value, str) and value.startswith("redis://")}


def redis_databases(config):
    """(host, port, db) of every Redis URL in CONFIG."""
    found = set()
    for key in redis_keys(config):
        url = urlparse(config[key])
        found.add((url.hostname, url.port, url.path.strip("/") or "0"))
    return found


def test_tests_and_benches_override_every_redis_url_of_the_platform():
    platform = platform_config()
    for name, config in (("tests", TEST_CONFIG), ("bench", bench_config())):
        missing = redis_keys(platform) - redis_keys(config)
        assert not missing, f"{name} would share the platform's Redis for {sorted(missing)}"


def test_platform_tests_and_benches_use_disjoint_redis_databases_and_namespaces():
    configs = {"platform": platform_config(), "tests": TEST_CONFIG, "bench": bench_config()}
    names = list(configs)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            shared = redis_databases(configs[first]) & redis_databases(configs[second])
            assert not shared, f"{first} and {second} share Redis databases {shared}"
            for key in NAMESPACE_KEYS:
                assert configs[first][key] != configs[second][key], (first, second, key)
    # the broker's key is derived at import time: both names must point at the same db
    for config in configs.values():
        assert config["BROKER_URL"] == config["CELERY_BROKER_URL"]
