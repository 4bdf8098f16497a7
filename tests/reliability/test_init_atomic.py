"""Issue 21 (workspace states): ``asx init --sample`` is all-or-nothing. The workspace is built in a
temporary folder beside the target and moved into place at the end; a failure or Ctrl-C in the middle
of the build leaves nothing behind (no folder, no hidden temporary folder, no database, no statement
with buyer data in inbox/ — R-SEC-4), and a rerun works."""

from __future__ import annotations

import sys
import types

from asx import hookimpl
from asx.testing import invoke, plugin_registered

ENV = {"ASX_NOW": "2026-11-20T10:00:00+08:00"}


def _failing_plugin(order: int, exc: BaseException):
    """A plugin whose sample step (at ``order``, after the built-in steps before it) raises ``exc``."""
    mod = types.ModuleType(f"asx_test_failing_sample_{order}")

    def step(app, sample):
        assert app.store.scalar("SELECT count(*) FROM agents") > 0  # really mid-build: data was written
        raise exc

    @hookimpl
    def register_sample(register):
        register(order, "boom", step)

    mod.register_sample = register_sample
    sys.modules[mod.__name__] = mod
    return mod


def test_failure_mid_build_leaves_nothing_and_rerun_works(tmp_path):
    target = tmp_path / "new" / "shop"   # its parent is made for the build, and removed again
    with plugin_registered(_failing_plugin(65, RuntimeError("disk full")), "boom"):
        r = invoke(["init", str(target), "--sample"], env=ENV)
    assert r.exit_code != 0
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [], "a temporary folder or a made parent was left behind"
    r = invoke(["init", str(target), "--sample"], env=ENV)
    assert r.exit_code == 0, r
    assert (target / "asx.toml").is_file()   # (asx.db too on SQLite; on PostgreSQL the database is on the server)
    assert list((target / "inbox").iterdir())
    assert [p.name for p in target.parent.iterdir()] == ["shop"]
    r = invoke(["case", "list", "-f", "json"], cwd=target, env=ENV)
    assert r.exit_code == 0 and r.stdout.strip() not in ("", "[]")


def test_ctrl_c_in_an_existing_folder_leaves_only_what_was_there(tmp_path):
    here = tmp_path / "here"
    here.mkdir()
    (here / "notes.txt").write_text("mine")
    with plugin_registered(_failing_plugin(25, KeyboardInterrupt()), "boom"):
        r = invoke(["init", "--sample"], cwd=here, env=ENV)
    assert r.exit_code == 130
    assert sorted(p.name for p in here.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]
    r = invoke(["init"], cwd=here, env=ENV)   # init now works here (it refused a half-built folder before)
    assert r.exit_code == 0, r
    assert sorted(p.name for p in here.iterdir() if p.name != "asx.db") == ["asx.toml", "notes.txt"]


def test_leftover_of_a_killed_init_is_removed(tmp_path):
    stale = tmp_path / ".shop.asx-init-999999999"   # no such process
    (stale / "inbox").mkdir(parents=True)
    r = invoke(["init", str(tmp_path / "shop")], env=ENV)
    assert r.exit_code == 0, r
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop"]
