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
from asx.masking import find_unmasked

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


def _raw_pii(db_path) -> set[str]:
    conn = sqlite3.connect(db_path)
    agents = {r[0] for r in conn.execute("SELECT name FROM agents UNION SELECT display_name FROM agents")}
    values = set()
    for table, col in PII_COLUMNS:
        try:
            for (v,) in conn.execute(f"SELECT DISTINCT {col} FROM {table} WHERE {col} IS NOT NULL"):
                v = str(v).strip()
                if len(v) >= 2 and v not in agents and "*" not in v:
                    values.add(v)
        except sqlite3.OperationalError:
            pass
    return values


def test_listing_commands_found():
    paths = {p for p, _ in _listing_commands()}
    assert ("agent", "list") in paths and ("config", "show") in paths


@pytest.mark.parametrize("path,args", _listing_commands(), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_no_personal_data_in_output(asx, sample, path, args):
    raw = _raw_pii(sample / "asx.db")
    for fmt in ("json", "csv"):
        r = asx([*path, *args, "-f", fmt])
        assert r.exit_code in (0, 1), r
        text = r.stdout + r.stderr
        leaked = sorted(v for v in raw if v in text)
        assert not leaked, f"asx {' '.join(path)} -f {fmt} shows personal data: {leaked[:5]}"
        assert find_unmasked(text) == [], f"asx {' '.join(path)} -f {fmt}: {find_unmasked(text)[:5]}"
