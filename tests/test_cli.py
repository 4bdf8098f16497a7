"""The root command: global options, lazy loading, one-line errors, every command's --help."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from asx.cli import cli


def _walk(group: click.Group, ctx: click.Context, path=()):
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield path + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _walk(cmd, click.Context(cmd, parent=ctx, info_name=name), path + (name,))


def all_commands():
    ctx = click.Context(cli, info_name="asx")
    return list(_walk(cli, ctx))


def test_every_command_has_help_text(asx):
    cmds = all_commands()
    assert len(cmds) >= 10
    for path, cmd in cmds:
        assert (cmd.help or "").strip(), f"asx {' '.join(path)} has no help text"
        r = asx([*path, "--help"])
        assert r.exit_code == 0, (path, r)
        assert "Usage:" in r.stdout


def test_version(asx):
    r = asx("--version")
    assert r.exit_code == 0
    assert "asx" in r.stdout


def test_help_names_the_variables(asx):
    r = asx("--help")
    for var in ("ASX_CONFIG", "ASX_DB", "ASX_AGENT", "ASX_LANG"):
        assert var in r.stdout


def test_unknown_command_is_usage_error(asx):
    r = asx("frobnicate")
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_outside_a_workspace_is_one_clear_line(asx, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = asx("agent list")
    assert r.exit_code == 2
    assert "not an asx workspace" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_dash_C_runs_elsewhere(asx, workspace, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = asx(["-C", str(workspace), "agent", "list", "-f", "json"])
    assert r.exit_code == 0, r
    assert [a["name"] for a in json.loads(r.stdout)] == ["李主管"]
    r = asx(["-C", str(tmp_path / "nope"), "agent", "list"])
    assert r.exit_code == 2


def test_help_does_not_import_sqlite_utils_or_ortools():
    code = ("import sys\nfrom asx.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "bad = [m for m in ('sqlite_utils', 'ortools', 'tabulate', 'openpyxl', 'numpy', 'textual') if m in sys.modules]\n"
            "print('LOADED', bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "LOADED []" in out, out


def test_internal_error_is_short_with_debug_hint(asx, workspace, monkeypatch):
    import asx.store.agents as agents

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(agents, "list_agents", boom)
    r = asx("agent list")
    assert r.exit_code == 3
    assert "kaboom" in r.stderr and "ASX_DEBUG=1" in r.stderr
    assert "Traceback" not in r.stderr


def test_real_entry_point(script_runner, workspace):
    r = script_runner.run(["asx", "agent", "list", "-f", "json"], cwd=str(workspace))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["role"] == "supervisor"
    r = script_runner.run(["asx", "agent", "add", "x"], cwd=str(workspace))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


def test_python_dash_m(workspace):
    r = subprocess.run([sys.executable, "-m", "asx", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "asx" in r.stdout
