"""R-SEC-1/2 privacy scan: no command's output on the sample workspace shows personal data.

Every listing command (any command with the shared output options and no required
argument), plus the commands in EXTRA with example arguments, is run on the sample
workspace in json and csv; the output is scanned for every raw personal value stored in
the database (buyer ids, contacts, phones, order buyers) and for unmasked phones/e-mails.
New commands are picked up automatically.
"""

from __future__ import annotations

import sqlite3

import click
import pytest

from asx.cli import cli
from asx.io.masking import find_unmasked
from asx.testing import backend, on_test_backend, ws_db

PII_COLUMNS = [("cases", "buyer"), ("cases", "buyer_contact"), ("reviews", "buyer"), ("reviews", "phone"),
               ("orders", "buyer")]

# commands that need arguments: path -> args (skipped when the command does not exist)
EXTRA = {
    ("case", "show"): ["1"],
    ("review", "show"): ["1"],
    ("ledger", "show"): ["1"],
    ("agent", "show"): ["萌萌"],
}
SKIP = {("nightly",), ("init",), ("config", "example")}


def _leaves():
    def walk(group, ctx, path):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            p = path + (name,)
            if isinstance(cmd, click.Group):
                yield from walk(cmd, click.Context(cmd, parent=ctx, info_name=name), p)
            else:
                yield p, cmd

    yield from walk(cli, click.Context(cli, info_name="asx"), ())


def _listing_commands():
    out = []
    for path, cmd in _leaves():
        if path in SKIP:
            continue
        has_format = any(p.name == "fmt" for p in cmd.params)
        required = [p for p in cmd.params if isinstance(p, click.Argument) and p.required]
        if path in EXTRA:
            out.append((path, EXTRA[path]))
        elif has_format and not required:
            out.append((path, []))
    return out


def _raw_pii(ws) -> set[str]:
    conn = ws_db(ws)
    agents = {r[0] for r in conn.execute("SELECT name FROM agents UNION SELECT display_name FROM agents")}
    values = set()
    for table, col in PII_COLUMNS:
        try:
            for (v,) in conn.execute(f"SELECT DISTINCT {col} FROM {table} WHERE {col} IS NOT NULL"):
                v = str(v).strip()
                if len(v) >= 2 and v not in agents and "*" not in v:
                    values.add(v)
        except sqlite3.DatabaseError:  # no such table (a plugin not installed)
            pass
    return values


def test_listing_commands_found():
    paths = {p for p, _ in _listing_commands()}
    assert ("agent", "list") in paths and ("config", "show") in paths


@pytest.mark.parametrize("path,args", _listing_commands(), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_no_personal_data_in_output(asx, sample, path, args):
    raw = _raw_pii(sample)
    for fmt in ("json", "csv"):
        r = asx([*path, *args, "-f", fmt])
        assert r.exit_code in (0, 1), r
        text = r.stdout + r.stderr
        leaked = sorted(v for v in raw if v in text)
        assert not leaked, f"asx {' '.join(path)} -f {fmt} shows personal data: {leaked[:5]}"
        assert find_unmasked(text) == [], f"asx {' '.join(path)} -f {fmt}: {find_unmasked(text)[:5]}"


# --- issue 9 §5: every export the sample workspace can produce --------------------------------

def _raw_pii_all(ws) -> set[str]:
    """The listed PII columns plus the buyer ids kept in daily records (served_ids/ordered_ids)."""
    import json

    values = _raw_pii(ws)
    conn = ws_db(ws)
    try:
        for a, b in conn.execute("SELECT served_ids, ordered_ids FROM daily_records"):
            for blob in (a, b):
                for v in json.loads(blob or "[]"):
                    if len(str(v)) >= 2 and "*" not in str(v):
                        values.add(str(v))
    except sqlite3.DatabaseError:  # no such table (a plugin not installed)
        pass
    return values


def _scan_file(path, raw) -> list[str]:
    if path.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        text = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    else:
        text = path.read_bytes().decode("utf-8-sig", "replace")
    leaked = sorted(v for v in raw if v in text)
    return [f"{path.name}: {v}" for v in leaked] + [f"{path.name}: {v}" for v in find_unmasked(text)]


EXPORTS = [
    ["case", "export", "-f", "csv", "-o", "{d}/cases.csv"],
    ["case", "export", "-f", "json", "-o", "{d}/cases.json"],
    ["case", "export", "-f", "csv", "--excel", "-o", "{d}/cases-excel.csv"],
    ["review", "export", "-f", "csv", "-o", "{d}/reviews.csv"],
    ["review", "export", "-f", "jsonl", "-o", "{d}/reviews.jsonl"],
    *[["kpi", "export", "-p", "2026-10", "--by", by, "-f", f, "-o", f"{{d}}/kpi-{by}.{f}"]
      for by in ("agent", "team", "store", "category", "day") for f in ("csv", "tsv", "json", "jsonl")],
    ["kpi", "export", "-p", "2026-10", "--xlsx", "-o", "{d}/kpi.xlsx"],
    ["kpi", "export", "-p", "2026-11", "--xlsx", "-o", "{d}/kpi-11.xlsx"],
    ["report", "weekly", "--week", "2026-W46", "-f", "md", "-o", "{d}/weekly.md"],
    ["report", "weekly", "--week", "2026-W46", "-f", "html", "-o", "{d}/weekly.html"],
    ["report", "weekly", "--week", "2026-W47", "-f", "html", "-o", "{d}/weekly47.html"],
    ["roster", "export", "--ics", "-o", "{d}/roster.ics"],
    ["roster", "export", "--ics", "-o", "{d}/ics"],
    ["nightly", "--date", "2026-11-19"],
]


def test_every_export_is_masked(asx, sample, tmp_path):
    """R-SEC-2: case/review/kpi exports (every format), weekly report md/html, roster ics and the
    nightly exports folder carry no raw personal value and no unmasked phone/e-mail."""
    raw = _raw_pii_all(sample)
    assert len(raw) > 20  # the sample does hold personal data to find
    d = tmp_path / "out"
    d.mkdir()
    ran = 0
    for args in EXPORTS:
        r = asx([a.format(d=d) for a in args])
        assert r.exit_code in (0, 1), (args, r)
        assert not [v for v in raw if v in r.stdout + r.stderr], (args, "stdout/stderr")
        ran += 1
    files = [p for p in d.rglob("*") if p.is_file()] + \
        [p for p in (sample / "exports").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(files) >= 40, sorted(p.name for p in files)
    found = [x for p in files for x in _scan_file(p, raw)]
    print(f"privacy: {ran} export commands, {len(files)} files scanned, {len(found)} unmasked values")
    assert found == [], found[:10]


def test_reveal_needs_supervisor_and_is_recorded(asx, sample):
    """R-SEC-1/2: a reveal by an agent is refused; a supervisor's reveal and unmasked export are
    in the access log."""
    conn = ws_db(sample)
    sup = conn.execute("SELECT name FROM agents WHERE role = 'supervisor' AND active = 1").fetchone()[0]
    agent = conn.execute("SELECT name FROM agents WHERE role = 'agent' AND active = 1").fetchone()[0]
    before = conn.execute("SELECT count(*) FROM access_log").fetchone()[0]
    r = asx(["--as", agent, "case", "export", "--reveal", "-f", "csv"])
    assert r.exit_code == 2 and r.stdout == "", r
    assert conn.execute("SELECT count(*) FROM access_log").fetchone()[0] == before
    raw = _raw_pii(sample)
    for cmd, action in ((["case", "export", "--reveal", "-f", "csv"], "export"),
                        (["review", "export", "--reveal", "-f", "csv"], "export"),
                        (["case", "show", "1", "--reveal", "-f", "json"], "reveal")):
        n = conn.execute("SELECT count(*) FROM access_log").fetchone()[0]
        r = asx(["--as", sup, *cmd])
        assert r.exit_code == 0, (cmd, r)
        assert any(v in r.stdout for v in raw), cmd  # revealed for real
        rows = conn.execute("SELECT by, action, subject FROM access_log ORDER BY id").fetchall()[n:]
        assert rows and all(b == sup for b, _, _ in rows), (cmd, rows)
        assert any(action in a for _, a, _ in rows), (cmd, rows)


def test_purge_pseudonymises_old_buyers_and_keeps_kpis(tmp_path, monkeypatch):
    """R-SEC-4 on a generated store: buyers of cases closed before the date become pseudonymous
    keys, contacts are gone, and the KPI export of those months is byte-identical apart from its
    generation time."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from gen import build_store

    from asx.testing import invoke

    ws = tmp_path / "shop"
    build_store(ws, cases=3000, seed=5, agents=8, now="2026-11-20T10:00:00+08:00",
                start="2026-06-01T00:00:00+08:00", statement=False)
    monkeypatch.chdir(ws)
    env = {"ASX_NOW": "2026-11-20T10:00:00+08:00", "ASX_AGENT": "李主管"}
    if backend() == "postgresql":  # the generator writes SQLite: move the store to the server first
        on_test_backend(ws)
    months = ("2026-06", "2026-07", "2026-08")

    def kpis(tag):
        out = {}
        for m in months:
            for fmt in ("csv", "json"):
                p = tmp_path / f"{tag}-{m}.{fmt}"
                r = invoke(["kpi", "export", "-p", m, "-f", fmt, "-o", str(p)], env=env)
                assert r.exit_code == 0, r
                text = p.read_text(encoding="utf-8")
                meta = p.with_name(p.name + ".meta.json")
                if meta.exists():
                    text += meta.read_text(encoding="utf-8")
                import re

                out[(m, fmt)] = re.sub(r'"generated_at": "[^"]*"', "", text)
        return out

    before = kpis("before")
    conn = ws_db(ws)
    cut = 1788192000  # 2026-09-01 00:00 in the store's timezone (+08:00)
    old = conn.execute(f"SELECT count(*) FROM cases WHERE closed_at < {cut}").fetchone()[0]
    assert old > 500
    r = invoke(["db", "purge", "--before", "2026-09-01", "--yes"], env=env)
    assert r.exit_code == 0, r
    left = conn.execute(f"SELECT count(*) FROM cases WHERE closed_at < {cut} AND "
                        "(buyer NOT LIKE 'anon-%' OR buyer_contact IS NOT NULL)").fetchone()[0]
    assert left == 0
    # newer cases keep their buyers
    assert conn.execute("SELECT count(*) FROM cases WHERE closed_at IS NULL AND buyer LIKE 'anon-%'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM access_log WHERE action LIKE '%purge%'").fetchone()[0] >= 1
    after = kpis("after")
    assert before == after
    assert invoke(["db", "check"], env=env).exit_code == 0
