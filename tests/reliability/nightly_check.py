"""What a complete nightly folder looks like: a manifest whose files all exist with their checksums,
and no file the manifest does not list (issue 9 §3)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def assert_complete(day: Path) -> dict:
    manifest = json.loads((day / "manifest.json").read_text(encoding="utf-8"))
    listed = {}
    for job in manifest["jobs"]:
        listed.update(job["files"])
    present = {p.name for p in day.iterdir()} - {"manifest.json"}
    assert present == set(listed), (sorted(present ^ set(listed)), day)
    for name, sha in listed.items():
        assert hashlib.sha256((day / name).read_bytes()).hexdigest() == sha, f"{day / name} differs from its manifest"
    return manifest
