"""Issue 18 item 5: the words around the data in Chinese — errors, the nightly log, the fines ladder
(R-KPI-4), the review report (R-REV-7), yes/no, ``init --lang zh`` — and English stays as it was."""

from __future__ import annotations

import csv
import io


def test_fines_ladder_in_chinese_words(sample, asx):
    """R-KPI-4: 1st complaint 50 yuan, 2nd 100, 3rd dismissal review — "罚款 50 元", not "fine 50 yuan"."""
    r = asx("--lang zh eval complaints -f table")
    assert r.exit_code == 0, r
    assert "罚款 50 元" in r.stdout and "辞退审查" in r.stdout
    assert "fine 50 yuan" not in r.stdout and "dismissal review" not in r.stdout
    r = asx("eval complaints -f table")                                      # English as before
    assert "fine 50 yuan" in r.stdout and "dismissal review" in r.stdout
    r = asx("--lang zh eval complaints -f json")                             # machine formats keep the text
    assert "fine 50 yuan" in r.stdout


def test_yes_no_and_csv_headers(sample, asx):
    r = asx("--lang zh agent list -f table")
    assert "是" in r.stdout and " yes" not in r.stdout
    r = asx("--lang zh agent list -f csv")
    head = next(csv.reader(io.StringIO(r.stdout)))
    assert head[:3] == ["姓名", "显示名", "角色"]
    assert "yes" in r.stdout                                                 # values stay codes in CSV
    r = asx("agent list -f csv")
    assert next(csv.reader(io.StringIO(r.stdout)))[:3] == ["name", "display_name", "role"]


def test_chinese_case_export_imports_back(sample, asx, tmp_path):
    """A CSV written under --lang zh has Chinese headers; `case import` reads them (its aliases)."""
    zh, en = tmp_path / "zh.csv", tmp_path / "en.csv"
    assert asx(["--lang", "zh", "case", "export", "-o", str(zh)]).exit_code == 0
    assert asx(["case", "export", "-o", str(en)]).exit_code == 0
    assert zh.read_text(encoding="utf-8").startswith("编号,状态,类别,")
    a = asx(["case", "import", str(zh), "--dry-run", "--skip-bad"])
    b = asx(["case", "import", str(en), "--dry-run", "--skip-bad"])
    assert a.exit_code == b.exit_code == 0, (a, b)
    assert a.stderr.replace("zh.csv", "X") == b.stderr.replace("en.csv", "X")   # read the same


def test_me_and_today_headings(sample, asx):
    """R-CASE-10 handover note, R-SLA queue, R-KPI-1 records: headings in Chinese."""
    r = asx("--lang zh me -f table")
    assert "交接留言" in r.stdout and "我的到期队列" in r.stdout and "我的日报" in r.stdout
    assert "Handover note" not in r.stdout
    r = asx("--lang zh today -f table")
    assert "到期案件" in r.stdout and "服务投诉处罚" in r.stdout and "罚款共 50 元" in r.stdout
    assert "Cases due" not in r.stdout
    r = asx("today -f table")
    assert "Cases due" in r.stdout and "fines 50 yuan" in r.stdout


def test_review_report_sections(sample, asx):
    r = asx("--lang zh review report --week 2026-W46 -f table")
    assert r.exit_code == 0, r
    for word in ("收到", "合计", "修改率", "卡住", "已过承诺时间"):
        assert word in r.stdout
    r = asx("--lang zh review report --week 2026-W46 -f json")
    assert '"section": "received"' in r.stdout                               # codes for scripts


def test_errors_in_chinese(sample, asx):
    r = asx("--lang zh case show 99999")
    assert r.exit_code == 2 and r.stderr.strip() == "错误：没有 #99999 号案件"
    r = asx("--lang zh agent show nobody")
    assert r.exit_code == 2 and r.stderr.strip() == "错误：没有名为 'nobody' 的客服"
    r = asx("--lang zh case list --status bogus")
    assert r.exit_code == 2 and r.stderr.startswith("错误：未知的") and "\n" not in r.stderr.strip()
    r = asx("case show 99999")
    assert r.stderr.strip() == "Error: no case #99999"


def test_nightly_log_in_chinese(sample, asx):
    r = asx("--lang zh nightly --only overdue --only review-queue")
    assert r.exit_code == 0, r
    assert "完成" in r.stderr and "待处理中差评" in r.stderr and ": ok" not in r.stderr
    r = asx("nightly --only overdue")
    assert ": ok" in r.stderr


def test_init_lang_zh_makes_a_chinese_workspace(tmp_path, asx, monkeypatch):
    ws = tmp_path / "zh"
    r = asx(["init", str(ws), "--lang", "zh", "--me", "李主管"])
    assert r.exit_code == 0, r
    assert 'lang = "zh"' in (ws / "asx.toml").read_text(encoding="utf-8")
    monkeypatch.chdir(ws)
    assert asx("agent add 李主管 --role supervisor").exit_code == 0
    r = asx("agent list -f table")
    assert "姓名" in r.stdout and "售后主管" in r.stdout
    r = asx("--lang en agent list -f table")
    assert "name" in r.stdout and "supervisor" in r.stdout
    ws2 = tmp_path / "zh2"
    assert asx(["--lang", "zh", "init", str(ws2)]).exit_code == 0
    assert 'lang = "zh"' in (ws2 / "asx.toml").read_text(encoding="utf-8")


def test_audit_findings_in_chinese(sample, asx):
    """R-FIN-2/3 findings of the refund audit: the finding in Chinese in a table, the English text in CSV."""
    stmt = next((sample / "inbox").glob("*.csv"))
    r = asx(["--lang", "zh", "audit", "refunds", str(stmt), "--no-record", "-f", "table"])
    assert r.exit_code == 1, r
    assert "的支出没有台账记录" in r.stdout and "has no ledger entry" not in r.stdout
    assert "'_' 两侧有空格；退款备注格式为" in r.stdout                   # a phrase inside a phrase
    r = asx(["--lang", "zh", "audit", "refunds", str(stmt), "--no-record", "-f", "csv"])
    assert "has no ledger entry" in r.stdout
    r = asx("--lang zh audit rules -f table")
    assert "支出没有备注" in r.stdout


def test_translate_phrases_lists_and_nested_values():
    from asx.core.labels import LabelSet

    ls = LabelSet()
    ls.add("text", "a", "due now", "现在到期")
    ls.add("text", "b", "off shift", "不在班")
    ls.add("text", "c", "due {at}", "截止 {at}")
    ls.add("text", "d", "note {note}: {why}", "备注 {note}：{why}")
    ls.add("text", "e", "spaces around '_'; the form is <c>_<a>", "'_' 两侧有空格；格式为 <c>_<a>")
    assert ls.translate("due now; off shift", "zh") == "现在到期；不在班"        # a list, not "due {at}"
    assert ls.translate("due 11-19 10:20", "zh") == "截止 11-19 10:20"
    assert ls.translate("note 'x _ y': spaces around '_'; the form is <c>_<a>", "zh") == \
        "备注 'x _ y'：'_' 两侧有空格；格式为 <c>_<a>"
    assert ls.translate("something else", "zh") == "something else"
    assert ls.translate("due now", "en") == "due now"
    assert ls.text("c", "zh", at="10:00") == "截止 10:00"


def test_translate_keeps_short_phrases_to_numbers_and_names_verbatim():
    """Issue 18 item 5: a phrase of little more than its values ("{a} of {b}") must not swallow any
    sentence holding the word "of", and what the user typed (a name) is never translated."""
    from asx.core.labels import LabelSet

    ls = LabelSet()
    ls.add("text", "of", "{a} of {b}", "{b} 条中 {a} 条")
    ls.add("text", "nobody", "nobody", "无人")
    ls.add("text", "e", "{opt} {value}: no agent of that name (see `asx agent list`)",
           "{opt} {value}：没有这个名字的人员（见 `asx agent list`）")
    assert ls.translate("3 of 10", "zh") == "10 条中 3 条"
    assert ls.translate("no record #3 of 萌萌 to revoke", "zh") == "no record #3 of 萌萌 to revoke"
    assert ls.translate("--agent nobody: no agent of that name (see `asx agent list`)", "zh") == \
        "--agent nobody：没有这个名字的人员（见 `asx agent list`）"


def test_unknown_agent_filter_in_chinese(sample, asx):
    r = asx("--lang zh case list --agent nobody")
    assert r.exit_code == 2 and r.stderr.strip() == "错误：--agent nobody：没有这个名字的人员（见 `asx agent list`）"


def test_every_phrase_code_once_and_every_english_phrase_once():
    """A second entry with the same code silently replaces the first (one label per code), and two codes
    with the same English text but different Chinese make the translation depend on registration order:
    neither may happen."""
    from collections import Counter

    from asx.plugins._texts import TEXTS

    codes = Counter(code for code, _en, _zh in TEXTS)
    assert [c for c, n in codes.items() if n > 1] == []
    chinese: dict[str, set[str]] = {}
    for _code, en, zh in TEXTS:
        chinese.setdefault(en, set()).add(zh)
    assert {en: zhs for en, zhs in chinese.items() if len(zhs) > 1} == {}
