"""Issue 18 item 8: `asx completion bash|zsh|fish` prints the script, and completion knows the data —
agent names (R-PPL-2), categories, statuses, case ids, KPI names (R-KPI-2), nightly job names, config
keys — through click's completion protocol (``_ASX_COMPLETE``, ``COMP_WORDS``, ``COMP_CWORD``)."""

from __future__ import annotations

import pytest

from asx.testing import invoke


def complete(words: str, shell: str = "bash") -> list[str]:
    """What the shell would offer after ``words`` (the last word is the one being completed)."""
    parts = words.split(" ")
    # bash and zsh pass the index of the word; fish passes the word itself (click's protocol)
    cword = parts[-1] if shell == "fish" else str(len(parts) - 1)
    env = {"_ASX_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    r = invoke([], env=env)
    assert r.exit_code == 0, r
    if shell == "bash":
        return [line.split(",", 1)[1] for line in r.stdout.splitlines() if line]
    return r.stdout.splitlines()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script(asx, shell):
    r = asx(["completion", shell])
    assert r.exit_code == 0
    assert "_ASX_COMPLETE" in r.stdout and f"{shell}_complete" in r.stdout


def test_agent_names(sample):
    assert set(complete("asx case list --agent 小")) == {"小雨", "小芳", "小七"}
    assert complete("asx --as 萌") == ["萌萌"]
    assert "萌萌" in complete("asx agent show ")
    assert "萌萌" in complete("asx roster leave ")


def test_categories_statuses_kpis_jobs_keys(sample):
    assert complete("asx case list --category q") == ["quality"]
    assert complete("asx case list --status open,wa") == ["open,waiting_buyer", "open,waiting_courier",
                                                          "open,waiting_warehouse"]
    assert "sla_attainment" in complete("asx kpi show --kpi sla")
    assert {"kpi-export", "refund-audit", "weekly-pack"} <= set(complete("asx nightly --only "))
    assert complete("asx config get store.") == ["store.name", "store.timezone"]


def test_case_ids_are_live_cases_starting_with_what_was_typed(sample, asx):
    ids = complete("asx case show 26")
    assert ids and all(i.startswith("26") for i in ids)
    closed = asx("case list --status closed -f json")
    import json

    closed_ids = {str(c["id"]) for c in json.loads(closed.stdout)}
    assert not closed_ids & set(complete("asx case show "))       # closed cases are not offered


def test_zsh_and_fish_speak_their_protocol(sample):
    out = complete("asx case list --agent 萌", shell="zsh")
    assert "萌萌" in out
    out = complete("asx case list --agent 萌", shell="fish")
    assert any(line.startswith("萌萌") or "萌萌" in line for line in out)


def test_outside_a_workspace_completion_offers_nothing_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert complete("asx case show 1") == []
    assert complete("asx case list --agent ") == []
    assert list(tmp_path.iterdir()) == []
    assert "quality" in complete("asx case list --category ")   # labels need no workspace
