"""Money fields mean one thing everywhere (issue 18 item 4, R-FIN-1): a ``*_fen`` field is an integer
number of fen in every machine format (json, jsonl, csv, tsv) of every listing and export, and in the
nightly files; ``*_yuan`` fields, where there are any, hold yuan text. Tables for people show yuan."""

from __future__ import annotations

import csv
import io
import json
import re

import click
import pytest

from asx.io.output import Column, OutputSpec, emit

FEN = re.compile(r"^-?\d+$")
YUAN = re.compile(r"^-?\d+\.\d\d$")


def _walk(group, ctx, path):
    if isinstance(group, click.Group):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            yield from _walk(cmd, click.Context(cmd, parent=ctx, info_name=name), path + [name])
    else:
        yield path, group


def listings():
    """Every command with the shared output options and no required argument."""
    from asx.cli import cli

    ctx = click.Context(cli, info_name="asx")
    for path, cmd in _walk(cli, ctx, []):
        names = {o for p in cmd.params for o in getattr(p, "opts", [])}
        if "--format" in names and not any(p.required for p in cmd.params):
            yield path


#: listings that need an argument, with one from the sample
WITH_ARGS = [["case", "show", "7"], ["ledger", "show", "1"], ["audit", "refunds", "inbox/alipay-ledger-202611.csv"],
             ["customer", "show", "爱吃猫的鱼516"]]


def _check_json_value(where, obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.endswith("_fen") and v is not None:
                assert isinstance(v, int) and not isinstance(v, bool), f"{where}: {k} = {v!r} is not integer fen"
            if k.endswith("_yuan") and v is not None:
                assert isinstance(v, str) and YUAN.match(v), f"{where}: {k} = {v!r} is not yuan text"
            _check_json_value(where, v)
    elif isinstance(obj, list):
        for v in obj:
            _check_json_value(where, v)


def _check_csv(where, text, delimiter=","):
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    for r in rows:
        for k, v in r.items():
            if k and k.endswith("_fen") and v not in ("", None):
                assert FEN.match(v), f"{where}: {k} = {v!r} is not integer fen"
            if k and k.endswith("_yuan") and v not in ("", None):
                assert YUAN.match(v), f"{where}: {k} = {v!r} is not yuan text"
    return rows


def test_every_listing_has_integer_fen(sample, asx):
    """Walks the JSON and CSV output of every listing of the sample store (R-FIN-1)."""
    seen_fen = set()
    paths = WITH_ARGS + list(listings())  # audit refunds first: it records the run `audit runs` lists
    assert len(paths) > 20
    for path in paths:
        where = " ".join(path)
        rj = asx([*path, "-f", "json"])
        if rj.exit_code not in (0, 1):  # some listings need data of their own (e.g. a month); skip those
            continue
        try:
            data = json.loads(rj.stdout) if rj.stdout.strip() else []
        except json.JSONDecodeError:
            continue
        _check_json_value(where, data)
        rc = asx([*path, "-f", "csv"])
        if rc.exit_code in (0, 1) and rc.stdout.strip():
            rows = _check_csv(where, rc.stdout)
            seen_fen |= {k for r in rows for k in r if k and k.endswith("_fen") and r[k]}
    # the listings that had yuan under *_fen before issue 18 are among those checked
    assert {"amount_fen", "item_price_fen", "compensated_fen", "paid_fen", "order_fen"} <= seen_fen


def test_the_named_offenders(sample, asx):
    """ledger list, audit refunds CSV and review export: integer fen (they gave "5.00", 10.00, yuan)."""
    led = json.loads(asx("ledger list -f json").stdout)
    assert led and all(isinstance(r["amount_fen"], int) for r in led)
    by_id = {r["id"]: r for r in led}
    shown = asx(f"ledger list -f table --columns id,amount_fen").stdout
    assert f"{by_id[1]['amount_fen'] // 100}.{by_id[1]['amount_fen'] % 100:02d}" in shown  # people read yuan
    rv = json.loads(asx("review export -f json").stdout)
    assert rv and all(isinstance(r["item_price_fen"], int) for r in rv if r["item_price_fen"] is not None)
    r = asx("audit refunds inbox/alipay-ledger-202611.csv -f csv")
    rows = _check_csv("audit refunds", r.stdout)
    assert any(row["amount_fen"] for row in rows)


def test_nightly_files_have_integer_fen(sample, asx):
    r = asx("nightly --date 2026-11-19")
    assert r.exit_code in (0, 1), r
    files = [p for p in (sample / "exports").rglob("*") if p.is_file()]
    assert files
    for p in files:
        text = p.read_text(encoding="utf-8-sig")
        if p.suffix == ".csv":
            _check_csv(p.name, text)
        elif p.suffix == ".json":
            _check_json_value(p.name, json.loads(text))
        elif p.suffix == ".jsonl":
            for line in text.splitlines():
                _check_json_value(p.name, json.loads(line))


def test_nightly_csv_bom_setting(sample, asx):
    """Excel on Windows opens UTF-8 CSV as UTF-8 only with a BOM: on by default (nightly.csv_bom)."""
    assert asx("nightly --date 2026-11-19").exit_code in (0, 1)
    csvs = sorted((sample / "exports").rglob("*.csv"))
    assert csvs and all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in csvs)
    assert not any(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in (sample / "exports").rglob("*.json"))
    assert asx("config set nightly.csv_bom false").exit_code == 0
    assert asx("nightly --date 2026-11-19").exit_code in (0, 1)
    csvs = sorted((sample / "exports").rglob("*.csv"))
    assert csvs and not any(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in csvs)


def test_money_column_formats(capsys):
    cols = [Column("amount_fen", "amount", "金额")]
    emit(None, OutputSpec(format="json"), iter([{"amount_fen": 12900}]), cols)
    assert json.loads(capsys.readouterr().out) == [{"amount_fen": 12900}]
    emit(None, OutputSpec(format="csv"), iter([{"amount_fen": -500}]), cols)
    assert capsys.readouterr().out.splitlines() == ["amount_fen", "-500"]
    emit(None, OutputSpec(format="table"), iter([{"amount_fen": 12900}]), cols)
    assert "129.00" in capsys.readouterr().out
