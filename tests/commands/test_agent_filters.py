"""A listing filter naming an unknown agent is bad input (exit 2, one line), as `--as nobody` is — not an
empty listing that reads as "nothing to do" (issue 18 item 12; R-PPL-2)."""

from __future__ import annotations

import pytest

FILTERS = [
    "case list --agent nobody", "case due --agent nobody", "ledger list --agent nobody",
    "log list --agent nobody", "review list --owner nobody", "review next --agent nobody",
    "roster show --agent nobody", "roster leaves --agent nobody", "roster changes --agent nobody",
    "agent discipline list --agent nobody",
]


@pytest.mark.parametrize("cmd", FILTERS)
def test_unknown_agent_filter_is_exit_2(sample, asx, cmd):
    r = asx(cmd)
    assert r.exit_code == 2, r
    assert "nobody: no agent of that name" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_known_agent_and_special_values_still_work(sample, asx):
    assert asx("case list --agent 萌萌 -f json").exit_code == 0
    assert asx("review list --owner none -f json").exit_code == 0
    assert asx("review next --agent all -f json").exit_code in (0, 1)
