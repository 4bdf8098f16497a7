"""Daily records (R-KPI-1): what each agent and the order clerk hand in, and who has not.

An agent records per day the buyers served (count and 旺旺 ids), the buyers who ordered
(count and ids) and the amount they ordered; the order clerk records shipments and returns by
category and quantity. Records of a week (Monday–Sunday) are handed in by Friday 11:00 of the
following week (setting ``kpi.records_deadline``, weekday and time), when the supervisor
compiles them. ``missing()`` lists, per agent, the days of the week they worked (from the roster;
Monday–Saturday when they have no roster row for the day) without a record, and records
handed in after the deadline.

Buyer ids are personal data (R-SEC-1): they are stored for the supervisor's checks but never
exported by the KPI export, and listings mask them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from asx.core.errors import UserError
from asx.core.money import parse_yuan
from asx.core.timeutil import to_epoch

_SPLIT = re.compile(r"[;,|、，；\s]+")
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def parse_ids(text: str | None) -> list[str]:
    if not text:
        return []
    return [x for x in _SPLIT.split(text.strip()) if x]


def parse_items(kind: str, values: list[str] | str | None) -> list[dict]:
    """``["蛋糕=10", "面包=2"]`` or ``"蛋糕=10;面包=2"`` → item dicts (category, quantity)."""
    if not values:
        return []
    if isinstance(values, str):
        values = [v for v in re.split(r"[;；]", values) if v.strip()]
    out: dict[str, int] = {}
    for v in values:
        cat, sep, qty = v.replace("：", "=").replace(":", "=").partition("=")
        cat = cat.strip()
        try:
            n = int(qty.strip())
        except ValueError:
            n = -1
        if not sep or not cat or n < 0:
            raise UserError(f"bad {kind} {v!r}: use CATEGORY=QUANTITY, e.g. 蛋糕=10")
        out[cat] = out.get(cat, 0) + n
    return [{"kind": kind, "category": c, "quantity": q} for c, q in sorted(out.items())]


@dataclass
class Record:
    day: str
    agent: str
    served: int | None = None
    served_ids: list[str] = field(default_factory=list)
    ordered: int | None = None
    ordered_ids: list[str] = field(default_factory=list)
    order_fen: int = 0
    items: list[dict] = field(default_factory=list)
    note: str | None = None

    def check(self) -> "Record":
        try:
            date.fromisoformat(self.day)
        except ValueError:
            raise UserError(f"bad day {self.day!r}: use YYYY-MM-DD")
        if self.served is None:
            self.served = len(self.served_ids)
        if self.ordered is None:
            self.ordered = len(self.ordered_ids)
        if self.served < 0 or self.ordered < 0:
            raise UserError("counts cannot be negative")
        if self.served < len(self.served_ids):
            raise UserError(f"served {self.served} but {len(self.served_ids)} 旺旺 ids given")
        if self.ordered < len(self.ordered_ids):
            raise UserError(f"ordered {self.ordered} but {len(self.ordered_ids)} 旺旺 ids given")
        if self.ordered > self.served:
            raise UserError(f"buyers who ordered ({self.ordered}) cannot exceed buyers served ({self.served})")
        return self

    def row(self, *, at: int, by: str | None, source: str) -> dict:
        return {"day": self.day, "agent": self.agent, "served": self.served, "served_ids": self.served_ids,
                "ordered": self.ordered, "ordered_ids": self.ordered_ids, "order_fen": self.order_fen,
                "note": self.note, "submitted_at": at, "by": by, "source": source}


def save(store, rec: Record, *, at: int, by: str | None, source: str = "cli", replace: bool = False) -> str:
    """Store one record (caller holds the transaction): added | same | replaced; refuses a different one."""
    from asx.store import records as record_store

    rec.check()
    result = record_store.save(store, rec.row(at=at, by=by, source=source), rec.items, replace=replace)
    if result == "exists":
        raise UserError(f"{rec.agent} has a different record for {rec.day} already; pass --replace to overwrite it")
    return result


# --- import ------------------------------------------------------------------------------------

COLUMNS = ("day", "agent", "served", "served_ids", "ordered", "ordered_ids", "amount", "shipments", "returns",
           "note")


def read_file(path: Path) -> list[tuple[int, dict]]:
    """(line number, row) of a CSV file in UTF-8 (with or without BOM) or GB18030, after its header
    (found by content: the first row naming day and agent)."""
    from asx.io.tabular import Columns, clean_cell, open_rows

    columns = Columns({c: () for c in COLUMNS})
    source = open_rows(path, xlsx=False)
    try:
        found = source.find_header(lambda cells: {"day", "agent"} <= set(columns.names_of(cells)))
        if found is None:
            raise UserError(f"{path}: needs a header row with at least day, agent (columns: {', '.join(COLUMNS)})")
        names = [columns.name_of(h) or clean_cell(h) for h in found[1]]
        width = len(names)
        out = []
        for line, cells in source.rows():
            if not cells:
                continue
            row = {n: c.strip() for n, c in zip(names, cells) if n}
            for n in names[len(cells):]:
                if n:
                    row.setdefault(n, "")
            # cells beyond the header make the row bad, not a crash
            extra = [c for c in cells[width:] if c.strip()]
            if extra:
                row["_extra"] = str(len(cells) - width)
            out.append((line, row))
        return out
    finally:
        source.close()


def record_from_row(row: dict) -> Record:
    if row.get("_extra"):
        raise UserError(f"{row['_extra']} cell(s) more than the header has columns")
    def count(key: str) -> int | None:
        v = row.get(key, "")
        if v == "":
            return None
        try:
            return int(v)
        except ValueError:
            raise UserError(f"{key} {v!r} is not a whole number")

    return Record(day=row.get("day", ""), agent=row.get("agent", ""), served=count("served"),
                  served_ids=parse_ids(row.get("served_ids")), ordered=count("ordered"),
                  ordered_ids=parse_ids(row.get("ordered_ids")), order_fen=parse_yuan(row.get("amount")) or 0,
                  items=parse_items("shipment", row.get("shipments")) + parse_items("return", row.get("returns")),
                  note=row.get("note") or None).check()


def import_file(store, path: Path, *, at: int, by: str | None, replace: bool = False,
                skip_bad: bool = False, rejects: Path | None = None, progress=None) -> dict:
    """Import daily records; all-or-nothing unless ``skip_bad``; idempotent on (day, agent). Bad rows go to
    ``rejects`` (default ``FILE.rejects.csv`` beside the file). ``progress(fraction)``, when given, is told
    how far the rows are (a bar on a terminal, issue 18 item 9)."""
    rejects = rejects or path.with_name(path.name + ".rejects.csv")
    from asx.store import agents as agents_store

    rows = read_file(path)
    bad: list[tuple[int, str]] = []
    counts = {"read": len(rows), "added": 0, "same": 0, "replaced": 0, "bad": 0}
    known = {r["name"] for r in agents_store.list_agents(store, include_retired=True)}
    with store.tx():
        for i, (line, row) in enumerate(rows):
            if progress is not None and i % 200 == 0:
                progress(i / max(1, len(rows)))
            try:
                rec = record_from_row(row)
                if rec.agent not in known:
                    raise UserError(f"no agent named {rec.agent!r}")
                with store.tx():
                    counts[save(store, rec, at=at, by=by, source="import", replace=replace)] += 1
            except UserError as exc:
                from asx.io.freetext import mask_message

                # phones, cards, ID numbers and addresses in the cells a reason quotes are masked: it goes to
                # stderr / nightly.log (issue 21, R-SEC-1); agents' names stay (the row to fix names one)
                bad.append((line, mask_message(str(exc), names=False)))
        counts["bad"] = len(bad)
        if bad and not skip_bad:
            _write_rejects(path, bad, rejects)
            first = bad[0][1] if len(bad[0][1]) <= 160 else bad[0][1][:150] + "…"  # one line, not a huge cell
            raise UserError(f"{path}: {len(bad)} bad row(s), nothing imported (first: line {bad[0][0]}: "
                            f"{first}); see {rejects}, or pass --skip-bad")
        store.insert("imports", {"kind": "daily_records", "source": str(path), "started_at": at, "finished_at": at,
                                 "rows_read": counts["read"], "rows_added": counts["added"] + counts["replaced"],
                                 "rows_skipped": counts["same"], "rows_bad": counts["bad"], "status": "done",
                                 "by": by})
    if bad:
        _write_rejects(path, bad, rejects)
    counts["rejects"] = rejects.name if bad else ""
    return counts


def _write_rejects(path: Path, bad: list[tuple[int, str]], rejects: Path) -> None:
    from asx.io.tabular import Reject, RejectsWriter

    with RejectsWriter(rejects) as out:
        for line, why in bad:
            out.add(Reject(path.name, line, why))


# --- who has not handed in ----------------------------------------------------------------------

def deadline(app, week_monday: date) -> datetime:
    """When the records of the week starting ``week_monday`` are due (default Friday 11:00 after it)."""

    raw = str(app.config.get("kpi.records_deadline") or "fri 11:00").strip().lower()
    wd, _, hm = raw.partition(" ")
    if wd[:3] not in WEEKDAYS or not hm:
        raise UserError(f"kpi.records_deadline {raw!r}: use e.g. 'fri 11:00'")
    h, m = (int(x) for x in hm.split(":"))
    day = week_monday + timedelta(days=7 + WEEKDAYS[wd[:3]])
    return datetime(day.year, day.month, day.day, h, m, tzinfo=app.tz)


def missing(app, week_monday: date, *, now: datetime | None = None) -> list[dict]:
    """Days of the week each agent worked without a record, and records handed in late
    (as of ``now``, default the clock: ``asx me --at`` / ``asx today --at`` pass their time)."""
    from asx.store import records as record_store

    first, end = week_monday, week_monday + timedelta(days=7)
    a, b = first.isoformat(), end.isoformat()
    due = deadline(app, week_monday)
    due_epoch = to_epoch(due)
    now = now or app.now()
    today = now.date()
    subs = record_store.submissions(app.store, a, b)
    marks = record_store.roster_marks(app.store, a, b)
    out = []
    for person in record_store.expected_staff(app.store, a, b):
        name = person["name"]
        for i in range(7):
            d = first + timedelta(days=i)
            if d >= today:
                break
            mark = marks.get((name, d.isoformat()))
            worked = mark == "work" if mark is not None else d.weekday() < 6
            if not worked:
                continue
            sub = subs.get((name, d.isoformat()))
            if sub is None:
                status = "missing"
            elif sub > due_epoch:
                status = "late"
            else:
                continue
            out.append({"agent": name, "role": person["role"], "day": d.isoformat(), "status": status,
                        "due": app.iso(due_epoch), "overdue": now > due,
                        "submitted_at": app.iso(sub) if sub else ""})
    return out


def week_monday(app, week: str | None) -> date:
    """Monday of ``week`` (``2026-W46``, ``last-week`` …); default: last week."""
    from asx.core.timeutil import parse_period

    p = parse_period(week or "last-week", app.tz, now=app.now())
    if (p.end - p.start).days != 7 or p.start.weekday() != 0:
        raise UserError(f"--week {week}: give an ISO week such as 2026-W46 (or last-week, this-week)")
    return p.start.date()


def ids_of(value: str | None) -> list[str]:
    return json.loads(value) if value else []
