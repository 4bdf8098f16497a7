"""Import cases from CSV, XLSX, JSON or JSONL (issue 3 §3 `import`; formats.md general rules).

* XLSX (a team's own case spreadsheet, issue 18): the sheet with the header (the active one
  first), read by python-calamine through :class:`asx.io.tabular.XlsxSource`; the same aliases,
  rejects and idempotence as CSV. A long number stored as a number cell has lost its digits and is
  rejected (``3.30830E+18``), never stored.

* Decoding: UTF-8 (with or without BOM), else GB18030, decided on the first megabyte and said
  in the summary; a later undecodable byte fails the import (nothing is written).
* The header row is found by its content (the first row naming a known column), so preamble
  lines are skipped. Column names are the ``asx case add`` flag names (``order``, ``buyer``,
  ``phone``, ``category`` …, ``opened_at``) or their Chinese aliases (订单编号, 买家, 手机, 类别 …);
  spaces, full-width brackets and case are ignored. Cells are stripped of spaces/TABs and of
  Excel guards (``="…"``, leading ``'``).
* Lifecycle columns (``first_response_at``, ``solution_at``, ``resolved_at``, ``feedback_at``,
  ``closed_at``, ``status``, ``resolution``, ``party``, ``csat``, ``amount``) migrate a
  spreadsheet's history: each timestamp becomes a history event; SLA rows are computed.
* Idempotent: each row has an external key (``--key`` columns, default order + category +
  opened time) stored in ``cases.ext_key``; rows whose key exists are skipped.
* All or nothing: the whole import is one transaction. Bad rows (with line and reason) go to a
  rejects CSV; any bad row fails the import unless ``skip_bad``. A killed import leaves nothing
  but its ``imports`` row in state ``running``, which the next import (or ``asx db check``) marks
  ``interrupted``; running it again imports everything.
* Speed (issue 3): rows are lists (a field is one index, no dict per row), validated in Python
  with cached label look-ups; due times come from the fast :class:`asx.cases.sla.ServiceClock`
  (one day look-up per case); rows go in per chunk as multi-row ``INSERT … VALUES`` statements
  (a third of executemany's per-row cost), ids assigned in the transaction. A file without
  lifecycle columns writes narrow case and SLA rows and its opening events set-based
  (``INSERT … SELECT`` from the cases). A large import into a smaller table drops the secondary
  indexes and builds each once at the end. SQLite-only settings (cache, foreign keys) are in
  :func:`asx.store.cases.sqlite_bulk_session`; the cyclic GC pauses during the import. A chunk
  that hits an existing key is rolled back to its savepoint and filtered against the database.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import os
import re
import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from asx.core.errors import UserError, json_problem
from asx.io.tabular import (
    Columns,
    Reject,
    RejectsWriter,
    TextSource,
    XlsxSource,
    clean_cell,
    encoding_label,
    is_mangled_clean,
    open_text_stream,
)
from asx.store.cases import sla_summary
from asx.core.timeutil import MAX_YEAR, MIN_YEAR, date_to_epoch, epoch_to_date, to_epoch

FIELDS = ("order", "buyer", "phone", "category", "severity", "channel", "summary", "store", "agent", "opened_at",
          "first_response_at", "solution_at", "resolved_at", "feedback_at", "closed_at", "status", "resolution",
          "party", "csat", "amount", "about")
#: How the rejects file masks a field (every other field is masked as free text): R-SEC-1.
REJECT_MASKS = {"order": "account", "buyer": "name", "phone": "phone"}
ALIASES = {
    "order": ["订单编号", "订单号", "订单", "order_no", "tid"],
    "buyer": ["买家", "买家会员名", "买家旺旺", "旺旺", "旺旺号", "buyer_id", "nick"],
    "phone": ["手机", "电话", "联系电话", "联系手机", "联系方式", "contact", "buyer_contact"],
    "category": ["类别", "问题类型", "分类", "类型"],
    "severity": ["级别", "严重程度", "紧急程度", "优先级"],
    "channel": ["渠道", "来源"],
    "summary": ["摘要", "问题描述", "描述", "内容", "备注"],
    "store": ["店铺", "店铺名称"],
    "agent": ["客服", "处理人", "负责人"],
    "opened_at": ["创建时间", "登记时间", "时间", "opened", "日期"],
    "first_response_at": ["首次响应时间", "首次回复时间"],
    "solution_at": ["方案时间"],
    "resolved_at": ["解决时间", "处理完成时间"],
    "feedback_at": ["反馈时间"],
    "closed_at": ["关闭时间", "结案时间"],
    "status": ["状态", "处理状态"],
    "resolution": ["处理结果", "解决方式", "处理方式"],
    "party": ["责任方"],
    "csat": ["满意度", "评分"],
    "amount": ["金额", "补偿金额", "退款金额"],
    "about": ["被投诉人", "投诉对象", "责任客服"],   # R-KPI-4: the agent a complaint is about
}
REQUIRED = ("category", "opened_at")
TIME_FIELDS = ("opened_at", "first_response_at", "solution_at", "resolved_at", "feedback_at", "closed_at")
_SPACE = re.compile(r"\s")
LIFECYCLE = ("first_response_at", "solution_at", "resolved_at", "feedback_at", "closed_at", "status", "resolution",
             "party", "csat", "amount")


#: the columns of a case file (header cells are matched by :func:`asx.io.tabular.header_key`)
COLUMNS = Columns({f: ALIASES.get(f, ()) for f in FIELDS})


#: a text cell that neither starts nor ends with one of these is returned by _clean as it is
_EDGE_TAIL = " \t\r\n\u3000"
_EDGE_HEAD = _EDGE_TAIL + "='`"


def _clean(v) -> str | None:
    """:func:`asx.io.tabular.clean_cell`, None for an empty cell."""
    return None if v is None else clean_cell(v) or None


@dataclass
class ImportResult:
    source: str
    encoding: str = "utf-8"
    read: int = 0
    added: int = 0
    skipped: int = 0
    bad: int = 0
    dry_run: bool = False
    rejects: str | None = None
    seconds: float = 0.0
    errors: list = field(default_factory=list)

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        s = (f"asx: {verb} {self.added} case(s) from {self.source} ({self.encoding}); {self.skipped} already "
             f"present, {self.bad} bad")
        if self.rejects and self.bad and not self.dry_run:
            s += f" (see {self.rejects})"
        return s


# --- reading -----------------------------------------------------------------------------------------

def _is_header(cells: list[str]) -> bool:
    names = COLUMNS.names_of(cells)
    return sum(1 for n in names if n) >= 2 or "category" in names


def _rows_csv(source: TextSource, on_header=None):
    """(line number, row, problem) after the header found by content.

    ``on_header(layout)`` gets the :func:`_layout` of the header first. Each row is the list of
    cells cut to the header's width plus one trailing ``None`` (where the layout points fields the
    file lacks), so a field is one list index: no dict per row (issue 3 speed)."""
    found = source.find_header(_is_header)
    if found is None:
        raise UserError("no header row found: expected columns such as order, category, opened_at "
                        "(or 订单编号, 类别, 创建时间)")
    header = COLUMNS.names_of(found[1])
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        raise UserError(f"missing column(s): {', '.join(missing)} (header must name {', '.join(REQUIRED)})")
    width = len(header)
    if on_header is not None:
        on_header(_layout(header, width))
    pad = [None] * (width + 1)
    for line, row in source.rows():
        n = len(row)
        if not row or (n == 1 and not row[0].strip()):
            continue
        if row[0].startswith("#"):
            continue
        extra = False
        if n == width:
            row.append(None)
        elif n < width:
            row.extend(pad[n:])
        else:
            extra = any(c.strip() for c in row[width:])
            del row[width:]
            row.append(None)
        yield line, row, extra


def _layout(names: list, width: int) -> dict[str, int]:
    """Field -> cell index of a header (the last column naming a field wins, as a dict would);
    a field the header lacks points at index ``width``: the ``None`` every row ends with."""
    ix = {f: width for f in FIELDS}
    for i, n in enumerate(names):
        if n:
            ix[n] = i
    return ix


#: the layout of JSON records, which :func:`_rows_json` turns into rows in FIELDS order
JSON_LAYOUT = {f: i for i, f in enumerate(FIELDS)}


def _rows_json(stream, fmt):
    def conv(obj):
        row = [None] * (len(FIELDS) + 1)
        for k, v in obj.items():
            n = COLUMNS.name_of(k)
            if n:
                row[JSON_LAYOUT[n]] = None if v is None else str(v)
        return row

    if fmt == "json":
        from asx.io.tabular import parse_json

        data = parse_json(stream.read())
        if isinstance(data, dict):
            data = data.get("rows") or data.get("cases") or [data]
        if not isinstance(data, list):  # a scalar (5, null, true) or a string (issue 21)
            raise UserError("JSON must be an array of case objects (or one object)")
        for n, obj in enumerate(data, 1):
            if not isinstance(obj, dict):
                yield n, None, "not an object"
                continue
            yield n, conv(obj), False
    else:
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except RecursionError:
                yield n, None, "not valid JSON (nested too deeply)"
                continue
            except ValueError as exc:  # JSONDecodeError, or an integer of over 4,300 digits
                yield n, None, f"not valid JSON ({json_problem(exc)})"
                continue
            if not isinstance(obj, dict):
                yield n, None, "not an object"
                continue
            yield n, conv(obj), False


# --- validating ----------------------------------------------------------------------------------------

class BadRow(Exception):
    """A row that cannot be imported; the message is the reason. The cell values it quotes are masked
    (it goes to stderr, nightly.log and the rejects file: issue 21, R-SEC-1)."""

    def __init__(self, message: str = ""):
        from asx.io.freetext import mask_message

        super().__init__(mask_message(str(message)))


class RowBuilder:
    """Turns one raw record into insert tuples; everything cached that can be."""

    def __init__(self, app, key_cols: list[str], now: int, by: str):
        from asx.core import labels
        from asx.cases import model, service, sla
        from asx.store import agents as agents_store

        self.app = app
        self.tz = app.tz
        self.now = now
        self.by = by
        self.key_cols = key_cols
        lab = app.labels.lookup
        self.maps = {k: dict(lab.get(kind, {})) for k, kind in (("category", "category"), ("severity", "severity"),
                                                                 ("channel", "channel"), ("status", "case_status"),
                                                                 ("resolution", "resolution"), ("party", "party"))}
        self.cache = {k: {} for k in self.maps}
        self.agents = {a["name"] for a in agents_store.list_agents(app.store, include_retired=True)}
        self.rules = service.rules(app)
        self.clock = sla.ServiceClock(app.calendar)
        self.store_name = app.config.get("store.name")
        self.sla_targets = sla
        self.statuses = set(model.STATUSES)
        self.labels = labels
        self.targets_cache: dict = {}
        self.days: dict = {}
        self.dates: dict = {}
        self.set_layout(JSON_LAYOUT)
        # R-SLA-1 per-shift rules: the agent's roster shift at opening, one cached lookup per file
        self.shift_of = sla.ShiftLookup(app.store, app.calendar.tz) if self.rules.uses_shift else None
        self.lifecycle = True

    def code(self, kind: str, text: str | None, default: str | None = None) -> str | None:
        if text is None:
            if default is None:
                return None
            return default
        c = self.cache[kind].get(text)
        if c is None:
            c = self.maps[kind].get(self.labels._norm(text))
            if c is None:
                choices = ", ".join(sorted(set(self.maps[kind].values())))
                raise BadRow(f"unknown {kind} {text!r} (one of: {choices})")
            self.cache[kind][text] = c
        return c

    def when(self, name: str, text: str | None) -> int | None:
        if text is None:
            return None
        n = len(text)
        if (n == 16 or n == 19) and text[10] in " T" and text[13] == ":" and (n == 16 or text[16] == ":"):
            # fast path for "YYYY-MM-DD HH:MM[:SS]" (local time): the day's midnight (cached) plus
            # the seconds, on days without a UTC-offset change; anything else takes the full parser
            hms = text[11:13] + text[14:16] + (text[17:19] if n == 19 else "00")
            day = self.days.get(text[:10])
            if day is None:
                day = self.days[text[:10]] = self._midnight(text[:10])
            if day is not False and hms.isascii() and hms.isdigit():
                h, m, sec = int(hms[:2]), int(hms[2:4]), int(hms[4:])
                if h < 24 and m < 60 and sec < 60:
                    t = day + h * 3600 + m * 60 + sec
                    if t > self.now + 60:
                        raise BadRow(f"{name} {text!r} lies in the future")
                    return t
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            try:
                from asx.core.timeutil import parse_time

                if not text[:1].isdigit():
                    raise UserError("")
                dt = parse_time(text, self.tz)
            except UserError:
                raise BadRow(f"bad {name} {text!r} (use 2026-11-03 09:00 or ISO 8601)") from None
        if not MIN_YEAR <= dt.year <= MAX_YEAR:  # 0001/9999 overflow the due-time arithmetic (issue 21)
            raise BadRow(f"{name} out of range: year {dt.year} (years {MIN_YEAR}–{MAX_YEAR})")
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=self.tz)
        t = to_epoch(dt)
        if t > self.now + 60:
            raise BadRow(f"{name} {text!r} lies in the future")
        return t

    def _midnight(self, text: str):
        """Epoch of local midnight of an ISO date if that day is exactly 86,400 s long, else False."""
        from datetime import date, timedelta

        try:
            d = date.fromisoformat(text)
        except ValueError:
            return False
        if not MIN_YEAR <= d.year <= MAX_YEAR:
            return False  # the slow path says what is wrong
        a = date_to_epoch(d, self.tz)
        b = date_to_epoch(d + timedelta(days=1), self.tz)
        return a if b - a == 86400 else False

    def _fast_code(self, kind: str, raw, default=None):
        """Label code of a raw cell (cached on the raw text, so most rows cost one dict look-up)."""
        c = self.cache[kind].get(raw)
        if c is None:
            c = self.code(kind, _clean(raw), default)
            self.cache[kind][raw] = c
        return c

    def set_layout(self, ix: dict[str, int]) -> None:
        """Where each field is in the rows :meth:`build` gets (see :func:`_layout`)."""
        self.ix = ix
        self.cols = tuple(ix[f] for f in FIELDS)
        self.i_about = ix["about"]
        self.key_ix = None if self.key_cols is None else [(c, ix[c]) for c in self.key_cols]

    def record(self, row) -> dict:
        """The row as {field: raw text} (for the rejects file)."""
        return {f: row[i] for f, i in zip(FIELDS, self.cols)} if row is not None else {}

    def _plan(self, cat, sev, ch, shift):
        """The SLA targets of a kind of case: ``[(name, target, service seconds or None)]`` and, for
        cases without lifecycle columns, the ones counted from the opening (all but feedback) as
        ``(names, targets, seconds)`` tuples."""
        key = (cat, sev, ch, shift)
        plan = self.targets_cache.get(key)
        if plan is None:
            targets = self.rules.for_case({"category": cat, "severity": sev, "channel": ch, "shift": shift})
            # service seconds for the fast path; calendar and working-day targets go through clock.due
            full = [(name, tgt, None if tgt.working_days is not None or tgt.clock != "service" else tgt.minutes * 60)
                    for name, tgt in targets.items()]
            opening = [p for p in full if p[0] != "feedback"]
            plan = self.targets_cache[key] = (full, tuple(p[0] for p in opening), tuple(p[1] for p in opening),
                                              tuple(p[2] for p in opening))
        return plan

    def _shift(self, agent, opened, text):
        """The agent's roster shift at ``opened`` (R-SLA-1): from the day already parsed when the
        day is a plain 24-hour one, else the general look-up."""
        if agent is None:
            return None
        day = self.days.get(text[:10]) if text else None
        if day and 0 <= opened - day < 86400:
            d = self.dates.get(day)
            if d is None:
                d = self.dates[day] = epoch_to_date(day, self.tz)
            return self.shift_of.local(agent, d, (opened - day) // 60)
        return self.shift_of(agent, opened)

    def build(self, row):
        """(ext_key, case tuple, event tuples, sla tuples) of one row (laid out by
        :meth:`set_layout`), or :class:`BadRow`. Events None (a file without lifecycle columns):
        only the opening event ``(opened_at, agent or importer, "open", None, "new", "imported",
        None)``, the case tuple in ``IMPORT_OPEN_CASE_COLS`` order and the SLA tuples in
        ``OPEN_SLA_FIELDS`` order (without the case id, as the full tuples)."""
        (i_order, i_buyer, i_phone, i_cat, i_sev, i_ch, i_summary, i_store, i_agent, i_opened, *_) = self.cols
        cache = self.cache
        raw = row[i_cat]
        cat = cache["category"].get(raw)
        if cat is None:
            cat = self._fast_code("category", raw)
            if cat is None:
                raise BadRow("category is empty")
        raw = row[i_sev]
        sev = cache["severity"].get(raw) or self._fast_code("severity", raw, "normal")
        raw = row[i_ch]
        ch = cache["channel"].get(raw) or self._fast_code("channel", raw, "wangwang")
        order = row[i_order]
        if order is not None:
            if not order or order[0] in _EDGE_HEAD or order[-1] in _EDGE_TAIL:
                order = _clean(order)
            if order is not None:
                if ("E" in order or "e" in order) and is_mangled_clean(order):
                    raise BadRow(f"order number {order!r} was mangled by a spreadsheet (scientific notation); "
                                 "re-export the column as text")
                if _SPACE.search(order):
                    raise BadRow(f"bad order number {order!r}")
        raw = row[i_opened]
        otext = raw.strip() if raw else None
        opened = self.when("opened_at", otext)
        if opened is None:
            raise BadRow("opened_at is empty")
        agent = row[i_agent]
        if agent is not None:
            agent = agent.strip() or None
            if agent is not None and agent not in self.agents:
                raise BadRow(f"unknown agent {agent!r} (register with `asx agent add`)")
        who = agent or self.by
        shift = self._shift(agent, opened, otext) if self.shift_of is not None else None
        plan = self.targets_cache.get((cat, sev, ch, shift)) or self._plan(cat, sev, ch, shift)
        clock = self.clock
        now = self.now
        sla_rows = []
        nd = ndt = None
        if not self.lifecycle:
            # no lifecycle columns: every target (but feedback, which starts at resolution) is open
            last, cur = opened, "new"
            fr = so = rs = fb = cl = resolution = party = amount_fen = cs_int = fr_svc = rs_svc = None
            events = None  # just the opening event: _flush writes those set-based from the cases
            _, names, tgts, secs = plan
            dues = clock.add_each(opened, secs)
            for name, tgt, due in zip(names, tgts, dues):
                if due is None:  # in working days
                    due = clock.due(opened, tgt)
                sla_rows.append((name, due, "breached" if now > due else "pending"))
                if nd is None or due < nd:
                    nd, ndt = due, name
        else:
            events, cur, last, fr, so, rs, fb, cl, resolution, party, amount_fen, cs_int = \
                self._lifecycle(row, opened, who)
            fr_svc = rs_svc = None
            for name, tgt, _ in plan[0]:
                if name == "feedback":
                    start = rs
                    if start is None:
                        continue
                    m = fb
                else:
                    start = opened
                    m = fr if name == "first_response" else rs if name == "resolution" else \
                        (so if so is not None else rs) if name == "solution" else None
                due = clock.due(start, tgt)
                if m is not None:
                    svc = clock.service_seconds(start, m) // 60
                    sla_rows.append((name, due, m, "met" if m <= due else "breached", svc, (m - start) // 60))
                    if name == "first_response":
                        fr_svc = svc  # mirrored on the case (migration 0015)
                    elif name == "resolution":
                        rs_svc = svc
                else:
                    sla_rows.append((name, due, None, "breached" if now > due else "pending", None, None))
                    if cur != "closed" and (nd is None or due < nd):
                        nd, ndt = due, name
        about = row[self.i_about]  # R-KPI-4: whom a complaint is about (empty: settled later)
        if about is not None:
            about = about.strip() or None
            if about is not None and about not in self.agents:
                raise BadRow(f"unknown agent {about!r} in column about (register with `asx agent add`)")
        key = f"{order or ''}|{cat}|{opened}" if self.key_ix is None else self._key(row)
        st = row[i_store]
        # `x and _clean(x)` without the call for a cell that needs no cleaning (most of them)
        buyer = row[i_buyer]
        if buyer and (buyer[0] in _EDGE_HEAD or buyer[-1] in _EDGE_TAIL):
            buyer = _clean(buyer)
        phone = row[i_phone]
        if phone and (phone[0] in _EDGE_HEAD or phone[-1] in _EDGE_TAIL):
            phone = _clean(phone)
        summary = row[i_summary]
        if summary and (summary[0] in _EDGE_HEAD or summary[-1] in _EDGE_TAIL):
            summary = _clean(summary)
        if events is None:  # the columns of IMPORT_OPEN_CASE_COLS (the lifecycle ones keep their defaults)
            case = ((st and _clean(st)) or self.store_name, ch, order, buyer, phone, cat, sev, summary, cur, agent,
                    opened, key, nd, ndt, last, self.by,
                    *sla_summary(sla_rows, 0, 1, 2), about)  # stored in step with case_sla (migration 0056, issue 7)
        else:
            case = ((st and _clean(st)) or self.store_name, ch, order, buyer, phone, cat, sev, summary, cur, agent,
                    opened, fr, so, rs, fb, cl, resolution, party, amount_fen, cs_int, 1 if fr is not None else 0, key,
                    nd, ndt, last, self.by, fr_svc, rs_svc,
                    *sla_summary(sla_rows, 0, 1, 3), about)  # stored in step with case_sla (migration 0056, issue 7)
        return key, case, events, sla_rows

    def _lifecycle(self, row, opened, who):
        """History events and lifecycle fields of a row with lifecycle columns (first_response_at …)."""
        ix = self.ix
        events = [(opened, who, "open", None, "new", "imported", None)]
        last = opened
        cur = "new"
        fr = self.when("first_response_at", _clean(row[ix["first_response_at"]]))
        so = self.when("solution_at", _clean(row[ix["solution_at"]]))
        rs = self.when("resolved_at", _clean(row[ix["resolved_at"]]))
        fb = self.when("feedback_at", _clean(row[ix["feedback_at"]]))
        cl = self.when("closed_at", _clean(row[ix["closed_at"]]))
        status = self.code("status", _clean(row[ix["status"]]))
        resolution = self.code("resolution", _clean(row[ix["resolution"]]))
        party = self.code("party", _clean(row[ix["party"]]))
        amount_fen = cs_int = None
        for name, t in (("first_response_at", fr), ("solution_at", so), ("resolved_at", rs),
                        ("feedback_at", fb), ("closed_at", cl)):
            if t is not None and t < opened:
                raise BadRow(f"{name} precedes opened_at")
        if rs is not None and fr is not None and rs < fr:
            raise BadRow("resolved_at precedes first_response_at")
        if cl is not None and (rs is None or cl < rs):
            raise BadRow("closed_at needs a resolved_at before it")
        if fb is not None and (rs is None or fb < rs):
            raise BadRow("feedback_at needs a resolved_at before it")
        if resolution is not None and rs is None:
            raise BadRow("resolution given without resolved_at")
        derived = "closed" if cl else "resolved" if rs else "open" if fr else "new"
        if status is not None and status != derived:
            raise BadRow(f"status {status} does not match the timestamps (they say {derived}); "
                         "give the matching *_at column")
        if fr is not None:
            events.append((fr, who, "respond", "new", "open", "imported", None))
            cur, last = "open", fr
        if so is not None:
            events.append((so, who, "respond", cur, None, "imported", '{"solution": true}'))
        if rs is not None:
            data = json.dumps({"resolution": resolution, "party": party}, sort_keys=True) \
                if resolution or party else None
            events.append((rs, who, "resolve", cur, "resolved", "imported", data))
            cur, last = "resolved", rs
            if fr is None:
                fr = rs
        if fb is not None:
            events.append((fb, who, "respond", "resolved", None, "imported", '{"feedback": true}'))
        if cl is not None:
            events.append((cl, who, "close", "resolved", "closed", "imported", None))
            cur, last = "closed", cl
        amount = _clean(row[ix["amount"]])
        if amount is not None:
            from asx.core.money import AmountError, parse_yuan

            try:
                amount_fen = parse_yuan(amount, signed=True)
            except AmountError as exc:
                raise BadRow(str(exc)) from None
        csat = _clean(row[ix["csat"]])
        if csat is not None:
            if csat not in ("1", "2", "3", "4", "5"):
                raise BadRow(f"csat {csat!r} is not 1..5")
            cs_int = int(csat)
            events.append((max(e[0] for e in events), who, "rate", cur, None, "imported",
                           json.dumps({"score": cs_int})))
        return events, cur, last, fr, so, rs, fb, cl, resolution, party, amount_fen, cs_int

    def _key(self, row) -> str:
        parts = []
        for c, i in self.key_ix:
            v = _clean(row[i])
            if v is None:
                raise BadRow(f"key column {c} is empty")
            parts.append(v)
        return "|".join(parts)


# --- the import ---------------------------------------------------------------------------------------

def _count_lines(path: str) -> int:
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return max(1, n)


def import_file(app, path: str, *, fmt: str | None = None, key: str | None = None, dry_run: bool = False,
                skip_bad: bool = False, rejects: str | None = None, progress=None, chunk: int = 5000,
                by: str | None = None, reveal: bool = False) -> ImportResult:
    """Import cases from ``path`` (``-`` = stdin); see the module docstring."""
    import time

    from asx.store import cases as case_store
    from asx.core.timeutil import to_epoch

    t0 = time.perf_counter()
    who = app.actor()["name"] if by is None else by
    if fmt is None:
        suffix = Path(path).suffix.lower().lstrip(".") if path != "-" else "csv"
        fmt = "xlsx" if suffix in ("xlsx", "xlsm") else suffix if suffix in ("csv", "json", "jsonl") else "csv"
        if suffix == "tsv":
            raise UserError("TSV is not supported; use CSV, JSON or JSONL")
    key_cols = None
    if key:
        key_cols = [COLUMNS.name_of(k) for k in key.split(",")]
        if None in key_cols:
            raise UserError(f"--key {key}: unknown column(s); use column names such as order, opened_at")
    now = to_epoch(app.now())
    if path != "-" and not Path(path).is_file():
        raise UserError(f"{path}: no such file")
    # the bar's total (issue 18 item 9): lines of the file, counted in one fast pass; stdin and a
    # workbook have no total
    progress = progress if callable(progress) and path != "-" and fmt != "xlsx" else None
    total_lines = _count_lines(path) if progress else 1
    if fmt == "xlsx":
        if path == "-":
            raise UserError("an XLSX workbook is read from a file, not from standard input")
        stream = XlsxSource(Path(path))
        enc, source = "xlsx", path
    else:
        stream, enc, source = open_text_stream(path)
    res = ImportResult(source=source, encoding=encoding_label(enc), dry_run=dry_run)
    if rejects is None:
        rejects = (path if path != "-" else "cases") + ".rejects.csv"
    if dry_run:  # a dry run writes nothing, a rejects file neither (issue 21)
        rejects = None
    res.rejects = rejects
    builder = RowBuilder(app, key_cols, now, who)

    def on_header(layout):
        builder.set_layout(layout)
        width = max(layout.values())
        builder.lifecycle = any(layout[n] != width for n in LIFECYCLE)

    rows = _rows_csv(stream, on_header) if fmt == "xlsx" else \
        _rows_csv(TextSource(stream, source, enc), on_header) if fmt == "csv" else _rows_json(stream, fmt)
    store = app.store
    # the rejects file: 0600, atomic, buyer data masked unless a supervisor's recorded --reveal (R-SEC-1)
    bad_rows = RejectsWriter(rejects, fields=FIELDS, mask=REJECT_MASKS, reveal=reveal)
    import_id = None
    if not dry_run:
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest() if path != "-" and \
            os.path.getsize(path) < (64 << 20) else None
        import_id = case_store.start_import(store, kind="cases", source=source, sha256=sha, at=now, by=who)

    def reject(line, reason, row):
        res.bad += 1
        if len(res.errors) < 5:
            # a huge bad cell must not turn the one-line error into megabytes (the rejects file has it all)
            res.errors.append(f"line {line}: {reason if len(reason) <= 160 else reason[:150] + '…'}")
        rec = builder.record(row)
        bad_rows.add(Reject(source, line, reason), [rec.get(f) or "" for f in FIELDS])

    ok = False
    # The rows' tuples hold no reference cycles: the cyclic garbage collector would only keep
    # re-scanning the live ones (a sixth of the time of building them); it runs again afterwards.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        with case_store.sqlite_bulk_session(store), store.tx():
            check_db = case_store.has_ext_keys(store)
            next_id = case_store.max_id(store) + 1
            # A large import into a smaller table inserts without the plain secondary indexes and
            # builds each once at the end (sorted) — one transaction, so a failure restores them.
            rebuild = None
            if not dry_run and _estimate_rows(path) >= max(BULK_ROWS, next_id - 1):
                rebuild = case_store.drop_secondary_indexes(store) + case_store.drop_mirror_triggers(store)
            batch: list = []
            batch_keys: dict[str, int] = {}
            try:
                for line, row, problem in rows:
                    res.read += 1
                    if row is None or problem:
                        reject(line, problem if isinstance(problem, str) else "more cells than header columns",
                               row)
                        continue
                    try:
                        k, case, events, slas = builder.build(row)
                    except BadRow as exc:
                        reject(line, str(exc), row)
                        continue
                    if k in batch_keys:
                        res.skipped += 1
                        continue
                    batch_keys[k] = 1
                    batch.append((k, case, events, slas))
                    if len(batch) >= chunk:
                        next_id = _flush(store, batch, batch_keys, next_id, res, check_db, dry_run or
                                         (res.bad and not skip_bad), who)
                        batch, batch_keys = [], {}
                        if progress:
                            progress(min(0.95, res.read / total_lines))
            except UnicodeDecodeError as exc:
                raise UserError(f"{source}: not valid {res.encoding} after row {res.read} ({exc.reason}); "
                                "nothing imported") from None
            except csv.Error as exc:
                raise UserError(f"{source}: bad CSV after row {res.read} ({exc}); nothing imported") from None
            if batch:
                next_id = _flush(store, batch, batch_keys, next_id, res, check_db, dry_run or
                                 (res.bad and not skip_bad), who)
            if res.bad and not skip_bad:
                first = "; ".join(res.errors[:3])
                where = f"Bad rows are in {rejects}" if rejects else "Bad rows listed (dry run: no rejects file)"
                raise UserError(f"{res.bad} bad row(s) ({first}); nothing imported. {where}; "
                                "fix them or use --skip-bad")
            if dry_run:
                raise _DryRun()
            if rebuild:
                if progress:
                    progress(0.96)
                case_store.create_indexes(store, rebuild)
            case_store.finish_import(store, import_id, at=to_epoch(app.now()), status="done", read=res.read,
                             added=res.added, skipped=res.skipped, bad=res.bad)
        ok = True
    except _DryRun:
        ok = True
    finally:
        if gc_was_on:
            gc.enable()
        stream.close()
        failure = sys.exc_info()[0]
        if failure is None or issubclass(failure, Exception):
            bad_rows.close()  # an import refused for its bad rows keeps them in the rejects file
        else:  # Ctrl-C: nothing left behind
            bad_rows.discard()
        if import_id is not None and not ok:
            with store.tx():
                case_store.finish_import(store, import_id, at=to_epoch(app.now()), status="failed", read=res.read,
                                 added=0, skipped=res.skipped, bad=res.bad)
    res.seconds = time.perf_counter() - t0
    return res


#: from this many rows (and at least as many as the table holds) an import rebuilds the indexes
BULK_ROWS = 100_000


def _estimate_rows(path: str) -> int:
    """Rows in the file, estimated from its size and the line length of its first megabyte."""
    if path == "-":
        return 0
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(1 << 20)
    except OSError:
        return 0
    lines = head.count(b"\n")
    if not lines:
        return 0
    return int(size / (len(head) / lines))


class _DryRun(Exception):
    pass


def _flush(store, batch, batch_keys, next_id, res, check_db, count_only, by=None) -> int:
    from asx.store import cases as case_store

    if check_db:
        existing = case_store.existing_keys(store, list(batch_keys))
        if existing:
            keep = [b for b in batch if b[0] not in existing]
            res.skipped += len(batch) - len(keep)
            batch = keep
    if count_only:
        res.added += len(batch)
        return next_id
    # the rows' values one after the other (case_store.bulk_insert writes them with multi-row VALUES)
    cases, events, slas = [], [], []
    c_add, c_ext, e_add, e_ext, s_add, s_ext = \
        cases.append, cases.extend, events.append, events.extend, slas.append, slas.extend
    cid = next_id
    for _, case, evs, sl in batch:
        c_add(cid)
        c_ext(case)
        if evs is not None:
            for e in evs:
                e_add(cid)
                e_ext(e)
        for s in sl:
            s_add(cid)
            s_ext(s)
        cid += 1
    # rows without lifecycle columns have just their opening event: written from the cases, in id
    # order as the tuples would be (one INSERT … SELECT instead of a tuple per case)
    lifecycle = not batch or batch[0][2] is not None
    opening = None if lifecycle else (next_id, cid)
    if not check_db:
        try:
            with store.tx():
                case_store.bulk_insert(store, cases, events, slas, lifecycle=lifecycle, opening=opening, by=by)
        except sqlite3.IntegrityError as exc:
            if "ext_key" not in str(exc):
                raise
            return _flush(store, batch, batch_keys, next_id, res, True, count_only, by)
    else:
        case_store.bulk_insert(store, cases, events, slas, lifecycle=lifecycle, opening=opening, by=by)
    res.added += len(batch)
    return cid
