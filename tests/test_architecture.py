"""The layer contracts of issue 15, checked with import-linter (``lint-imports``, pyproject.toml):
commands > built-in plugins > domain > core, io and storage; the storage layer imports no domain or
plugin module; no domain module imports click, asx.cli or asx.commands; the store plugins import only
asx.api and asx (hookimpl)."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _lint_imports() -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    return subprocess.run([exe, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_layer_contracts_are_kept():
    r = _lint_imports()
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout, r.stdout[-3000:]


@pytest.mark.parametrize("source,target,contract", [
    ("asx/store", "asx.cases.service", "the storage layer imports no domain or plugin module"),
    ("asx/cases", "click", "no domain module imports click"),
    ("asx/roster", "asx.commands.roster", "commands > built-in plugins > domain"),
    ("asx/daily", "asx.desk.data", "commands > built-in plugins > domain"),        # issue 20
    ("asx/commands", "textual.app", "only asx.desk imports textual"),              # issue 20: start-up
])
def test_a_forbidden_import_breaks_a_contract(source, target, contract):
    """A deliberate forbidden import (a probe module written into the package for the run) makes
    lint-imports fail and name the contract and the probe."""
    probe = REPO / source / f"_probe_{secrets.token_hex(4)}.py"
    probe.write_text(f"import {target}  # deliberate: must break a layer contract\n", encoding="utf-8")
    try:
        r = _lint_imports()
    finally:
        probe.unlink()
    assert r.returncode == 1, r.stdout[-2000:]
    assert contract in r.stdout and probe.stem in r.stdout, r.stdout[-3000:]
