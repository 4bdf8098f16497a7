"""R-SEC-1 in free text (issue 21 "Privacy in free text"): a buyer's name, nick, phone, address, ID or
bank-card number written into a summary, note, handover or review is masked when it is written (the
raw text kept in ``<field>_raw`` for a recorded reveal); person names by the nightly job
``mask-names``; import messages mask the cell values they quote; ``asx me -f json`` masks the
handover note. Clock fixed by ASX_NOW."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from asx.testing import ws_db

NOW = "2026-11-20T10:00:00+08:00"
SUMMARY = "欧阳娜娜说寄到杭州市西湖区文三路100号的杯子破了，身份证330106199001011234，电话13912345678"
SECRETS = ("欧阳娜娜", "文三路100号", "330106199001011234", "13912345678")


@pytest.fixture
def ws(workspace, asx, monkeypatch):
    monkeypatch.setenv("ASX_NOW", NOW)
    assert asx("agent add 萌萌 --role agent").exit_code == 0
    return workspace


def _clear(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def _add_case(asx) -> int:
    r = asx(["case", "add", "--category", "quality", "--order", "3900000000000001", "--buyer", "tb_欧阳娜娜",
             "--phone", "13912345678", "--summary", SUMMARY, "--at", "2026-11-20T09:00:00+08:00"])
    assert r.exit_code == 0, r
    return ws_db(Path.cwd()).execute("SELECT max(id) FROM cases").fetchone()[0]


def test_case_summary_and_note_masked_at_write_raw_kept_for_reveal(ws, asx):
    cid = _add_case(asx)
    assert asx(["case", "note", str(cid), "已电话联系欧阳娜娜，新地址文三路100号3单元502室"]).exit_code == 0
    db = ws_db(ws)
    summary, raw = db.execute("SELECT summary, summary_raw FROM cases WHERE id = ?", (cid,)).fetchone()
    assert _clear(summary) == [] and raw == SUMMARY
    assert "欧***" in summary and "杭州市" in summary and "1234" in summary   # like the fields they came from
    note, note_raw = db.execute("SELECT note, note_raw FROM case_events WHERE case_id = ? AND action = 'note'",
                                (cid,)).fetchone()
    assert _clear(note) == [] and "欧阳娜娜" in note_raw
    for cmd in (["case", "list", "-f", "json"], ["case", "show", str(cid), "-f", "json"], ["case", "export", "-f", "csv"],
                ["case", "show", str(cid)]):
        r = asx(cmd)
        assert r.exit_code == 0 and _clear(r.stdout) == [], (cmd, r.stdout)
        assert "summary_raw" not in r.stdout and "note_raw" not in r.stdout
    before = db.execute("SELECT count(*) FROM access_log WHERE action = 'reveal'").fetchone()[0]
    r = asx(["case", "show", str(cid), "--reveal", "-f", "json"])
    assert r.exit_code == 0, r
    shown = json.loads(r.stdout)
    assert shown["summary"] == SUMMARY and any("欧阳娜娜" in (h["note"] or "") for h in shown["history"])
    assert ws_db(ws).execute("SELECT count(*) FROM access_log WHERE action = 'reveal'").fetchone()[0] == before + 1
    r = asx(["case", "export", "--reveal", "-f", "csv"])
    assert r.exit_code == 0 and "欧阳娜娜说寄到杭州市西湖区文三路100号" in r.stdout
    r = asx(["--as", "萌萌", "case", "show", str(cid), "--reveal"])
    assert r.exit_code == 2      # reveal stays a supervisor's (R-SEC-1)


def test_review_text_masked_at_write(ws, asx):
    r = asx(["review", "add", "--tid", "T1", "--created", "2026-11-19T09:00", "--result", "negative",
             "--buyer", "tb_小王", "--phone", "13912345678", "--content",
             "我是tb_小王，寄到浙江省杭州市余杭区五常大道168号的货坏了，卡号6222 0212 3456 7890"])
    assert r.exit_code == 0, r
    content, raw = ws_db(ws).execute("SELECT content, content_raw FROM reviews").fetchone()
    assert "tb_小王" not in content and "五常大道168号" not in content and "6222 0212 3456" not in content
    assert "五常大道168号" in raw
    for cmd in (["review", "list", "-f", "json"], ["review", "export", "-f", "csv"]):
        out = asx(cmd).stdout
        assert "五常大道168号" not in out and "tb_小王" not in out and "content_raw" not in out
    rid = ws_db(ws).execute("SELECT id FROM reviews").fetchone()[0]
    r = asx(["review", "show", str(rid), "--reveal", "-f", "json"])
    assert r.exit_code == 0 and "五常大道168号" in r.stdout, r


def test_bulk_import_masks_summaries(ws, asx, tmp_path):
    f = tmp_path / "cases.csv"
    f.write_text("order,buyer,phone,category,opened_at,summary\n"
                 f"3900000000000009,欧阳娜娜,13912345678,quality,2026-11-19 09:00,{SUMMARY.replace('，', ' ')}\n"
                 "3900000000000010,tb_阿花,13800001111,quality,2026-11-19 10:00,tb_阿花 说地址是翠苑小区5幢302室\n",
                 encoding="utf-8")
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 0, r
    rows = ws_db(ws).execute("SELECT summary, summary_raw FROM cases ORDER BY id").fetchall()
    assert all(_clear(s) == [] and "翠苑小区5幢302室" not in s and "tb_阿花" not in s for s, _ in rows), rows
    assert rows[1][1].startswith("tb_阿花")


def test_nightly_masks_person_names_keeps_staff_and_is_idempotent(ws, asx):
    r = asx(["case", "add", "--category", "service", "--order", "3900000000000002", "--buyer", "tb_x",
             "--summary", "买家说张伟接的电话态度不好，萌萌已道歉", "--at", "2026-11-19T09:00:00+08:00"])
    assert r.exit_code == 0, r
    assert asx(["case", "handover", "write", "王芳的退款明天再跟进"]).exit_code == 0
    r = asx("nightly --only mask-names")
    assert r.exit_code == 0, r
    db = ws_db(ws)
    summary, raw = db.execute("SELECT summary, summary_raw FROM cases").fetchone()
    assert "张伟" not in summary and "张*" in summary and "萌萌" in summary     # a registered agent stays
    assert raw == "买家说张伟接的电话态度不好，萌萌已道歉"
    text, text_raw = db.execute("SELECT text, text_raw FROM handover_notes").fetchone()
    assert "王芳" not in text and text_raw.startswith("王芳")
    r2 = asx("nightly --only mask-names")
    assert r2.exit_code == 0
    assert ws_db(ws).execute("SELECT summary FROM cases").fetchone()[0] == summary


def test_purge_removes_the_raw_texts(ws, asx):
    cid = _add_case(asx)
    assert asx(["case", "note", str(cid), "欧阳娜娜 again"]).exit_code == 0
    assert asx(["case", "resolve", str(cid), "--resolution", "refund"]).exit_code in (0, 2)
    db = ws_db(ws)
    db.execute("UPDATE cases SET closed_at = 1700000000, status = 'closed' WHERE id = ?", (cid,))
    db.commit()
    assert asx("db purge --before 2024-01-01 --yes").exit_code == 0
    db = ws_db(ws)
    assert db.execute("SELECT summary_raw FROM cases WHERE id = ?", (cid,)).fetchone()[0] is None
    assert db.execute("SELECT count(*) FROM case_events WHERE note_raw IS NOT NULL").fetchone()[0] == 0


def test_me_json_masks_the_handover_phone(ws, asx):
    # a note written before masking at write time (migration 0110) holds the phone in clear
    db = ws_db(ws)
    db.execute("INSERT INTO handover_notes (at, by, text) VALUES (?, '李主管', '回电 13912345678 欧阳娜娜')",
               (1795132800,))  # 2026-11-20 08:00 +08:00
    db.commit()
    r = asx(["--as", "萌萌", "me", "-f", "json"])
    assert r.exit_code == 0, r
    assert "13912345678" not in r.stdout and "139****5678" in r.stdout
    assert "_raw" not in r.stdout


def test_import_messages_mask_the_values_they_echo(ws, asx, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("order,buyer,category,opened_at,summary\n"
                 "3900000000000003,tb_a,13912345678,2026-11-19 09:00,x\n"
                 "3900000000000004,tb_a,quality,欧阳娜娜 13912345678,x\n", encoding="utf-8")
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 2
    assert "13912345678" not in r.stderr and "欧阳娜娜" not in r.stderr, r.stderr
    assert "unknown category '139****5678'" in r.stderr
    g = tmp_path / "reviews.csv"
    g.write_text("tid,nick,result,created,content\nT9,tb_a,bad,欧阳娜娜 13912345678,x\n", encoding="utf-8")
    r = asx(["review", "import", str(g)])
    assert r.exit_code == 2 and "13912345678" not in r.stderr and "欧阳娜娜" not in r.stderr, r.stderr


def test_masking_precision_and_recall_floor():
    """The labelled set (tests/privacy/data/free_text_labelled.jsonl, 200 sentences) scored by
    benchmarks/masking.py: write-time masking never hides what is not buyer data, and with the
    segmenter (nightly) nearly every item is hidden."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        import masking as bench
    finally:
        sys.path.pop(0)
    sentences = bench.load()
    assert len(sentences) == 200
    scores = {name: bench.score(sentences, fn) for name, fn in bench.modes().items()}
    assert scores["write"]["precision"] >= 0.95 and scores["write"]["recall"] >= 0.70, scores["write"]
    assert scores["names"]["precision"] >= 0.90 and scores["names"]["recall"] >= 0.95, scores["names"]
