"""Fixtures for the core tests live in asx.testing (shared with the store plugins' tests)."""

from pathlib import Path

from asx.testing import *  # noqa: F401,F403
from asx.testing import invoke  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
