"""Settings that guard privacy live in the database (issue 17 §3-4, R-SEC-2/5).

`privacy.*` is set by a supervisor with `asx config set` (stored in the database, recorded in the
access log); a value from asx.toml, the user file, `--config` or an `ASX_*` variable is refused with
one line naming where it comes from — so an agent cannot open reveals to themselves. `db backup`
and `db copy` give a full unmasked copy: supervisor only, recorded; backups are 0600. A SQLite
workspace says plainly that it trusts whoever can open its file.
"""

from __future__ import annotations

import os
import stat

import pytest

from asx.testing import ws_database, ws_db


def _log(sample):
    return [tuple(r) for r in ws_db(sample).execute("SELECT by, action, subject FROM access_log ORDER BY id")]


def test_agent_cannot_widen_reveal_roles_with_config_set(asx, sample):
    r = asx(["--as", "萌萌", "config", "set", "privacy.reveal_roles", '["supervisor","agent"]'])
    assert r.exit_code == 2 and "supervisor" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r
    r = asx(["--as", "萌萌", "case", "show", "1", "--reveal"])
    assert r.exit_code == 2 and r.stdout == "", r
    assert "privacy" not in (sample / "asx.toml").read_text(encoding="utf-8")


def test_supervisor_sets_privacy_in_the_database_recorded(asx, sample):
    before = len(_log(sample))
    r = asx(["--as", "李主管", "config", "set", "privacy.reveal_roles", '["supervisor","specialist"]'])
    assert r.exit_code == 0, r
    assert "privacy" not in (sample / "asx.toml").read_text(encoding="utf-8")
    r = asx(["config", "get", "privacy.reveal_roles", "--origin"])
    assert r.stdout.strip() == '["supervisor", "specialist"]\tdatabase', r
    assert _log(sample)[before:] == [("李主管", "setting", "privacy.reveal_roles")]


@pytest.mark.parametrize("how", ["env", "asx.toml", "--config"])
def test_local_override_of_reveal_roles_is_refused(asx, sample, monkeypatch, tmp_path, how):
    """An agent's own environment variable or config file cannot open reveals (R-SEC-5)."""
    args = []
    if how == "env":
        monkeypatch.setenv("ASX_PRIVACY__REVEAL_ROLES", '["agent"]')
        where = "env ASX_PRIVACY__REVEAL_ROLES"
    elif how == "asx.toml":
        with (sample / "asx.toml").open("a", encoding="utf-8") as f:
            f.write('\n[privacy]\nreveal_roles = ["agent"]\n')
        where = "asx.toml"
    else:
        own = tmp_path / "own.toml"
        own.write_text(f'database = "{ws_database(sample)}"\n[privacy]\nreveal_roles = ["agent"]\n',
                       encoding="utf-8")
        args = ["--config", str(own)]
        where = "own.toml"
    before = len(_log(sample))
    r = asx([*args, "--as", "萌萌", "case", "show", "1", "--reveal"])
    assert r.exit_code == 2 and r.stdout == "", r
    assert where in r.stderr and "database" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = asx([*args, "--as", "萌萌", "case", "export", "--reveal", "-f", "csv"])
    assert r.exit_code == 2 and r.stdout == "", r
    assert len(_log(sample)) == before


def test_backup_by_an_agent_is_refused(asx, sample, tmp_path):
    if ws_database(sample).startswith("postgresql"):
        pytest.skip("asx db backup copies SQLite files")
    r = asx(["--as", "萌萌", "db", "backup", str(tmp_path / "b.db")])
    assert r.exit_code == 2 and "supervisor" in r.stderr, r
    assert not (tmp_path / "b.db").exists()
    before = len(_log(sample))
    r = asx(["--as", "李主管", "db", "backup", str(tmp_path / "b.db")])
    assert r.exit_code == 0, r
    assert stat.S_IMODE(os.stat(tmp_path / "b.db").st_mode) == 0o600
    assert _log(sample)[before:] == [("李主管", "backup", "database")]


def test_copy_by_an_agent_is_refused(asx, sample, tmp_path):
    r = asx(["--as", "萌萌", "db", "copy", ws_database(sample), str(tmp_path / "c.db")])
    assert r.exit_code == 2 and "supervisor" in r.stderr, r
    assert not (tmp_path / "c.db").exists()
    before = len(_log(sample))
    r = asx(["--as", "李主管", "db", "copy", ws_database(sample), str(tmp_path / "c.db"), "-f", "json"])
    assert r.exit_code == 0, r
    assert _log(sample)[before:] == [("李主管", "copy", "database")]


@pytest.mark.sqlite_only("a single-machine file workspace")
def test_config_show_says_whom_a_sqlite_workspace_trusts(asx, sample):
    r = asx(["config", "show", "-f", "json"])
    assert r.exit_code == 0
    assert "trusts whoever can open" in r.stderr
    assert '"origin": "default"' in r.stdout
