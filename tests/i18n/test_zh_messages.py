"""Issue 18 item 5: under ``--lang zh`` the *messages* on stderr are Chinese too — the ``asx: …`` status
lines of writes and imports, import rejects, warnings, the common user errors and click's own usage errors
(exit 2 kept). Data stays as it is: codes, names, paths, options, ids and what is quoted. English output
is unchanged (the same commands without ``--lang zh`` print the English sentences)."""

from __future__ import annotations

import re

import pytest

#: a CSV of cases: two good rows and one with an unknown category (R-CASE-1 categories)
CASES_CSV = ("order,buyer,category,opened_at,summary\n"
             "4100000000000000001,买家甲,quality,2026-11-19T09:00:00+08:00,杯子裂了\n"
             "4100000000000000002,买家乙,bogus,2026-11-19T09:05:00+08:00,少发一件\n"
             "4100000000000000003,买家丙,logistics,2026-11-19T09:10:00+08:00,快递没到\n")

#: (command, exit code): representative failing and succeeding commands on the sample workspace
#: (2026-11-20 10:00 +08:00); {csv} is CASES_CSV written to a file, {tmp} a fresh folder
COMMANDS = [
    ("case show 99999", 2),                                  # no such case
    ("case list --status bogus", 2),                         # unknown code
    ("case show", 2),                                        # click: missing argument
    ("case shw 1", 2),                                       # click: no such command (+ hint)
    ("nosuch", 2),                                           # click: no such command at the root
    ("case list --bogus", 2),                                # click: no such option
    ("case list -f xml", 2),                                 # click: invalid choice
    ("case list --limit many", 2),                           # click: not an integer
    ("case list --agent", 2),                                # click: option needs a value
    ("case respond 1", 2),                                   # R-CASE-6: a closed case cannot be responded
    ("case import {tmp}/nothere.csv", 2),                    # no such file
    ("case import {csv}", 2),                                # all or nothing: the reject is named
    ("case import {csv} --dry-run --skip-bad", 0),           # dry-run summary + reject line
    ("case import {csv} --skip-bad", 0),                     # imported, rejects file written
    ("case respond 228", 0),                                 # R-SLA: status line with the next due
    ("case note 235 已联系买家", 0),                           # R-CASE-9 note
    ("case add --order 4100000000000000009 --buyer 买家丁 --category quality --summary 杯子裂了", 0),
    ("agent show nobody", 2),
    ("case list --agent nobody", 2),                         # issue 18 item 12
    ("case add --buyer 买家戊", 2),                           # a command's own usage error
    ("ledger show 99999", 2),
    ("config set nosuch.key 1", 2),
    ("config set lang zh", 0),                               # asx: lang = … in asx.toml
    ("kpi show --period bogus", 2),
    ("db backup {tmp}/backup.db", None),                     # 0 on SQLite; on PostgreSQL: use pg_dump (2)
    ("init {tmp}/shop2", 0),                                 # asx: initialised …
    ("audit refunds inbox/alipay-ledger-202611.csv", None),  # R-FIN-1..4 summary (exit 1 on the sample's errors)
    ("agent add 小新 --role agent", 0),                        # R-PPL-1
    ("case assign 228 --to 萌萌", 2),                          # R-CASE-9: a reason is needed
    ("review next", 0),                                      # R-REV-4/5 footer lines
    ("sla forecast --at 2026-13-01", 2),                     # a time that is not one
    ("roster show --from 2026-02-30", 2),                    # a day that is not one
]

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


def english_runs(text: str) -> list[str]:
    """Runs of 3+ consecutive English words in ``text``, outside `backticks`, quotes, option names, codes,
    paths and command lines (``asx case show …``)."""
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", " ", text)
    runs, run = [], []
    for tok in re.findall(rf"[^\s{_CJK}(),;\[\]]+|[{_CJK}(),;\[\]]", text):
        m = re.fullmatch(r"([A-Za-z]+)([.:!?]?)", tok)
        if m and not (not run and m.group(1) == "asx"):
            run.append(m.group(1))
            if not m.group(2):
                continue
        if len(run) >= 3:
            runs.append(" ".join(run))
        run = []
    if len(run) >= 3:
        runs.append(" ".join(run))
    return runs


def test_english_runs_finds_sentences():
    assert english_runs("asx: imported 3 cases from x.csv") == []       # 2 words, a number between
    assert english_runs("错误：cannot respond a case that is closed (R-CASE-6)") == ["cannot respond a case that is closed"]
    assert english_runs("运行 'asx case show -h' 查看帮助，见 `asx agent list`；选项 --dry-run") == []
    assert english_runs("错误：No such command") == ["No such command"]


def _run(asx, tmp_path, cmd: str, lang: str | None):
    csv_file = tmp_path / "cases.csv"
    csv_file.write_text(CASES_CSV, encoding="utf-8")
    folder = tmp_path / lang if lang else tmp_path / "en"
    folder.mkdir(exist_ok=True)
    args = cmd.format(csv=csv_file, tmp=folder).split()
    return asx((["--lang", lang] if lang else []) + args)


@pytest.mark.parametrize("cmd,code", COMMANDS, ids=[c for c, _ in COMMANDS])
def test_messages_in_chinese(sample, asx, tmp_path, cmd, code):
    r = _run(asx, tmp_path, cmd, "zh")
    if code is not None:
        assert r.exit_code == code, r
    assert r.stderr.strip(), r                                           # every one says something
    assert english_runs(r.stderr) == [], r.stderr
    assert "asx: " not in r.stderr and "Error: " not in r.stderr, r.stderr   # no line left in English
    assert "Traceback" not in r.stderr


def test_english_stays_english(sample, asx, tmp_path):
    """The same commands without --lang zh: the English sentences as before."""
    assert _run(asx, tmp_path, "case show", None).stderr.endswith("Error: Missing argument 'CASE_ID'.\n")
    assert "Try 'asx case show " in _run(asx, tmp_path, "case show", None).stderr
    r = _run(asx, tmp_path, "case import {csv}", None)
    assert r.exit_code == 2 and "line 3: unknown category 'bogus'" in r.stderr and "nothing imported" in r.stderr
    assert _run(asx, tmp_path, "case respond 228", None).stderr.startswith("asx: case #228 respond: open; next due ")
    assert _run(asx, tmp_path, "case respond 1", None).stderr.startswith("Error: cannot respond a case that is closed")


def test_a_commands_own_usage_error_in_chinese(sample, asx, tmp_path):
    """A usage error a command raises itself (not click's wording) goes through the phrases too."""
    r = _run(asx, tmp_path, "case add --buyer 买家戊", "zh")
    assert r.exit_code == 2 and r.stderr.strip().endswith("错误：必须给出 --category（或 --json -）"), r.stderr
    r = _run(asx, tmp_path, "case add --buyer 买家戊", None)
    assert r.stderr.strip().endswith("Error: --category is required (or --json -)"), r.stderr


@pytest.mark.parametrize("cmd,words", [
    ("sla forecast --at 2026-13-01", "时间 '2026-13-01' 无效"),
    ("roster show --from 2026-02-30", "--from '2026-02-30' 不是日期"),
])
def test_bad_times_and_days_in_chinese(sample, asx, tmp_path, cmd, words):
    """A time or day that is not one: the Chinese sentence, the value as typed (exit 2)."""
    r = _run(asx, tmp_path, cmd, "zh")
    assert r.exit_code == 2 and words in r.stderr, r


def test_audit_findings_and_what_to_do_in_chinese(sample, asx):
    """R-FIN-1..4 under --lang zh: each finding of the sample's statement and what to do about it reads in
    Chinese in the table (machine formats keep the English text, translated by the same phrases)."""
    import glob
    import json

    from asx.core.app import App

    files = sorted(glob.glob("inbox/*.csv"))
    r = asx(["audit", "refunds", *files, "-f", "json"])
    assert r.exit_code == 1, r                                   # the sample's statement has faults
    rows = json.loads(r.stdout)
    app = App()
    try:
        for row in rows:
            for key in ("message", "action"):
                zh = str(app.labels.translate(row[key], "zh"))
                assert re.search(r"[\u4e00-\u9fff]", zh.replace("删除中评_萌萌", "")), (key, zh)
                assert english_runs(zh) == [], (key, zh)
    finally:
        app.close()
    assert {row["rule"] for row in rows} >= {"no-ledger-entry", "duplicate-payout", "note-malformed", "unsigned"}
