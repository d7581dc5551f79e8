"""The layers of consortium_tenants, as `.importlinter` states them, hold."""

import subprocess
import sys
from pathlib import Path

from helpers import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = Path(ROOT) / ".importlinter"


def lint_imports(config):
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(config)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_layer_contract_is_kept():
    result = lint_imports(CONTRACT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_a_feature_above_the_core_breaks_the_contract(tmp_path):
    """The check bites: with the core stated above the features, their imports of it fail."""
    features = ("storage | workflows | deposits | oai | stats | billing | dois | sso | oa | imports"
                " | iiif")
    core = "tenants : routing : origin : pages : page_helpers"
    text = CONTRACT.read_text()
    assert features in text and core in text
    swapped = tmp_path / ".importlinter"
    swapped.write_text(text.replace(features, "@").replace(core, features).replace("@", core))
    result = lint_imports(swapped)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "consortium_tenants.storage" in result.stdout
    assert "0 kept, 1 broken" in result.stdout
