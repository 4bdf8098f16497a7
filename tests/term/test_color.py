"""Issue 18 item 7: ``NO_COLOR`` and ``--color auto|always|never`` on the one-screen views
(``asx me``, ``asx today``, ``asx sla forecast``; R-CASE-10 handover and R-SLA queue screens)."""

from __future__ import annotations

import io

import pytest

from asx.io.term import use_color
from ptyrun import run_tty

ESC = "\x1b["


class _Tty(io.StringIO):
    def isatty(self):
        return True


class _App:
    def __init__(self, mode):
        self.config = {"color": mode}


def test_auto_colours_a_terminal_only_and_never_under_no_color():
    assert use_color(_App("auto"), _Tty(), environ={}) is True
    assert use_color(_App("auto"), io.StringIO(), environ={}) is False
    assert use_color(_App("auto"), _Tty(), environ={"NO_COLOR": "1"}) is False
    assert use_color(_App("auto"), _Tty(), environ={"NO_COLOR": ""}) is True   # no-color.org: empty = unset
    assert use_color(_App("auto"), _Tty(), environ={"TERM": "dumb"}) is False
    assert use_color(_App("never"), _Tty(), environ={}) is False
    assert use_color(_App("always"), io.StringIO(), environ={"NO_COLOR": "1"}) is True


@pytest.mark.parametrize("cmd", [["me"], ["today"]])
def test_no_color_on_a_terminal_prints_no_escape_sequence(sample, cmd):
    code, text, _ = run_tty(cmd)
    assert code == 0, text
    assert ESC in text                      # colour by default on a terminal
    code, text, _ = run_tty(cmd, env={"NO_COLOR": "1"})
    assert code == 0, text
    assert ESC not in text, text
    code, text, _ = run_tty(["--color", "never", *cmd])
    assert code == 0 and ESC not in text
    code, text, _ = run_tty(cmd, env={"ASX_COLOR": "never"})
    assert code == 0 and ESC not in text
    code, text, _ = run_tty(["--color", "always", *cmd], env={"NO_COLOR": "1"})  # the flag wins
    assert code == 0 and ESC in text


def test_color_always_colours_a_pipe_too(sample, asx):
    r = asx("--color always me -f table")
    assert r.exit_code == 0, r
    assert ESC in r.stdout
    r = asx("me -f table")
    assert r.exit_code == 0 and ESC not in r.stdout


def test_color_setting_in_asx_toml(sample):
    from pathlib import Path

    toml = Path("asx.toml")
    toml.write_text('color = "never"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    code, text, _ = run_tty(["me"])
    assert code == 0 and ESC not in text


def test_bad_color_is_a_usage_error(sample, asx):
    r = asx("--color purple me")
    assert r.exit_code == 2 and "purple" in r.stderr
