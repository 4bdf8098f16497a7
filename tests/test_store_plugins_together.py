"""Every store plugin of plugins_contrib/ registered at once (those installed; others skipped):
no hook conflicts, the sample store builds for each kind, listings work, `asx plugins` names them."""

from __future__ import annotations

import importlib
import json
import re
from contextlib import ExitStack
from pathlib import Path

import pytest

from asx.testing import invoke

CONTRIB = Path(__file__).resolve().parents[1] / "plugins_contrib"


def _packages() -> list[tuple[str, str]]:
    """(entry-point name, module) of every plugin package in plugins_contrib/."""
    out = []
    for pp in sorted(CONTRIB.glob("*/pyproject.toml")):
        text = pp.read_text(encoding="utf-8")
        block = text.split("[project.entry-points.asx]", 1)
        if len(block) == 2:
            for name, module in re.findall(r'^\s*([\w-]+)\s*=\s*"([\w.]+)"', block[1].split("\n[", 1)[0], re.M):
                out.append((name, module))
    return out


def _installed():
    mods = []
    for name, module in _packages():
        try:
            mods.append((name, importlib.import_module(module)))
        except ImportError:
            continue
    return mods


@pytest.fixture
def all_plugins():
    from contextlib import ExitStack

    from asx.testing import plugin_registered

    mods = _installed()
    if not mods:
        pytest.skip("no store plugin installed (pip install -r plugins_contrib/requirements.txt)")
    with ExitStack() as stack:
        for name, mod in mods:
            stack.enter_context(plugin_registered(mod, name))
        yield [n for n, _ in mods]


def test_packages_found():
    names = [n for n, _ in _packages()]
    assert "tmall" in names and "bakery" in names


def test_no_conflicting_registrations(all_plugins):
    from asx.cases import model
    from asx.testing import plugin_host

    host = plugin_host()
    host.migrations()                            # raises on a (component, number) registered twice
    cats = model.categories(host)
    assert {"missing_item", "quality"} <= set(cats)
    settings = host.settings()
    keys = [a[0] if a else kw["key"] for a, kw in settings]
    dup = {k for k in keys if keys.count(k) > 1}
    assert not dup, f"settings registered twice: {dup}"
    for name in all_plugins:                     # every plugin's settings live under plugins.<name>.
        # (plugins.enabled is the core's: the workspace's list of plugins, issue 16 item 12)
        assert all(not k.startswith("plugins.") or k == "plugins.enabled" or k.split(".")[1] in all_plugins
                   for k in keys)
    r = invoke("--help")                         # every plugin's commands load side by side
    assert r.exit_code == 0, r
    for name in set(all_plugins) & {"tmall", "bakery"}:
        assert invoke([name, "--help"]).exit_code == 0


@pytest.mark.parametrize("kind", [None, "all"])
def test_sample_and_listings_with_every_plugin(all_plugins, tmp_path, monkeypatch, kind):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    kinds = ["tmall"] if kind is None else all_plugins
    for k in kinds:
        ws = tmp_path / f"shop-{k}"
        r = invoke(["init", str(ws), "--sample", "--store", k])
        assert r.exit_code == 0, r
        monkeypatch.chdir(ws)
        for cmd in ("case list -f json", "review list -f json", "agent list -f json", "plugins -f json"):
            r = invoke(cmd)
            assert r.exit_code == 0, (k, cmd, r)
        names = {p["name"] for p in json.loads(invoke("plugins -f json").stdout)}
        assert set(all_plugins) <= names
        r = invoke("config example")
        assert r.exit_code == 0 and all(f"[plugins.{n}]" in r.stdout or n not in ("tmall", "bakery")
                                        for n in all_plugins)


# Each plugin's own listings and reports, and the KPIs (its indicators among them) by every grouping:
# the plugins' SQL runs on the backend under test (issue 10: `pytest --backend postgresql`).
PLUGIN_REPORTS = {
    "bakery": ["bakery customers", "bakery measures", "bakery order list"],
    "onsite": ["onsite quality --month 2026-11", "onsite repeats", "onsite units", "onsite visits"],
    "membership": ["member list", "member cases"],
    "tmall": ["tmall flags", "tmall refunds", "tmall remind", "tmall accounts"],
}
PLUGIN_KPIS = {"bakery": "bakery_order_timeliness", "onsite": "onsite_on_time"}


def test_reports_and_kpis_of_every_plugin(all_plugins, tmp_path, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    for k in all_plugins:
        ws = tmp_path / f"shop-{k}"
        assert invoke(["init", str(ws), "--sample", "--store", k]).exit_code == 0
        monkeypatch.chdir(ws)
        for cmd in PLUGIN_REPORTS.get(k, []):
            r = invoke(cmd + " -f json")
            assert r.exit_code == 0, (k, cmd, r)
            json.loads(r.stdout)
        for by in ("agent", "team", "store", "category", "day"):
            r = invoke(f"kpi show -p 2026-11 --by {by} -f json")
            assert r.exit_code == 0, (k, by, r)
            doc = json.loads(r.stdout)
            assert doc["rows"], (k, by)
            if k in PLUGIN_KPIS and not (k == "onsite" and by == "day"):   # onsite_on_time has no `day` group
                r = invoke(f"kpi show -p 2026-11 --by {by} -f json --kpi {PLUGIN_KPIS[k]}")
                assert r.exit_code == 0, (k, by, r)
                assert json.loads(r.stdout)["rows"], (k, by)
        if k == "onsite":                        # the quality report adds up the parts of every visit
            rows = json.loads(invoke("onsite quality --month 2026-11 -f json").stdout)["rows"]
            assert rows and all(r["visits"] >= r["units"] >= 1 for r in rows)
            assert any(r["parts_used"] for r in rows)
        if k == "bakery":                        # seed 004 figures are ratios for the team
            rows = json.loads(invoke("kpi show -p 2026-11 --by team -f json --kpi bakery_order_timeliness,"
                                     "bakery_order_completion").stdout)["rows"]
            assert len(rows) == 1 and 0 <= rows[0]["bakery_order_completion"] <= 1
