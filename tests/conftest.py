"""The fixtures of the core tests (``asx``, ``workspace``, ``sample`` …) come from asx's pytest plugin
(asx.testing.plugin, entry point ``pytest11``), the same the store plugins' tests use."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
