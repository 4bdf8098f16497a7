from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "statements"
#: Real samples live in <repo>/../shared (also in CI, which copies shared/ beside the clone).
SHARED = REPO / ".." / "shared" / "fixtures" / "statements"


@pytest.fixture
def fx() -> Path:
    return FIXTURES


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real statement samples not found at {SHARED.resolve()} (<repo>/../shared)")
    return SHARED
