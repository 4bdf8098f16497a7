"""The generated CLI reference is current (regenerate: python docs/gen_cli.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    spec = importlib.util.spec_from_file_location("gen_cli", REPO / "docs" / "gen_cli.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == mod.render(), \
        "docs/cli.md is stale: run python docs/gen_cli.py"


def test_readme_has_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "<!-- main-command -->" in text and "<!-- test-command -->" in text
    assert "pytest" in text
