"""Import a hand-edited roster CSV (a grid as ``asx roster show -f csv`` writes it, or long
rows ``day,agent,code``): checked like ``asx roster check``; published days cannot change
(R-ROS-5); leave must be recorded first (R-ROS-7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asx.core.errors import UserError
from asx.roster.cells import cell_value, parse_cell
from asx.roster.changes import Change, apply_writes, new_batch, now_epoch, plan_changes
from asx.roster.check_stored import CheckOutcome, check
from asx.roster.days import parse_day
from asx.roster.problem import leave_days, ruleset


@dataclass
class ImportOutcome:
    cells: dict
    changes: list[Change]
    check: CheckOutcome
    written: bool
    errors: list[str]


def read_csv(app, path: str) -> tuple[dict, list[str]]:
    """Cells from a grid CSV (``agent,YYYY-MM-DD,…`` as ``roster show -f csv`` writes it) or a long
    CSV (``day,agent,code`` / ``date,agent,shift``). Returns (cells, errors ``file:line: reason``)."""
    import csv

    rules = ruleset(app)
    from asx.store import agents as agents_store

    known = {r["name"] for r in agents_store.list_agents(app.store, include_retired=True)}
    cells, errors = {}, []
    import io

    from asx.io.tabular import read_text

    # the shared reader: UTF-8 (BOM or not) or GB18030/GBK as Excel saves it (issue 21)
    text, _encoding = read_text(path)
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as exc:
        raise UserError(f"{path}: not a readable CSV ({exc})") from None
    if not rows:
        raise UserError(f"{path}: empty file")
    head = [h.strip() for h in rows[0]]
    low = [h.lower() for h in head]

    def put(line: int, name: str, d: date, text: str) -> None:
        if name not in known:
            errors.append(f"{path}:{line}: unknown agent {name!r}")
            return
        try:
            cells[(name, d)] = parse_cell(text, rules)
        except UserError as exc:
            errors.append(f"{path}:{line}: {exc}")

    if low and low[0] in ("agent", "客服") and len(head) > 1:
        dates = []
        for h in head[1:]:
            try:
                dates.append(date.fromisoformat(h[:10]))
            except ValueError:
                errors.append(f"{path}:1: column {h!r} is not a date (YYYY-MM-DD)")
                dates.append(None)
        for ln, row in enumerate(rows[1:], start=2):
            if not row or not row[0].strip():
                continue
            name = row[0].strip()
            for d, v in zip(dates, row[1:]):
                if d is not None:
                    put(ln, name, d, v)
    else:
        try:
            di = next(low.index(k) for k in ("day", "date") if k in low)
            ai = low.index("agent")
            ci = next(low.index(k) for k in ("code", "shift", "mark") if k in low)
        except (StopIteration, ValueError):
            raise UserError(f"{path}:1: expected a grid (agent,YYYY-MM-DD,…) or columns day,agent,code")
        for ln, row in enumerate(rows[1:], start=2):
            if not row:
                continue
            try:
                d = date.fromisoformat(row[di].strip())
            except (ValueError, IndexError):
                errors.append(f"{path}:{ln}: bad day {row[di] if di < len(row) else ''!r}")
                continue
            put(ln, row[ai].strip(), d, row[ci] if ci < len(row) else "")
    return cells, errors


def import_csv(app, path: str, *, by: str | None = None, dry_run: bool = False, force: bool = False,
               reason: str | None = None) -> ImportOutcome:
    """Check a hand-edited roster and store it (source ``import``); published days cannot change."""
    from asx.roster.model import LEAVE
    from asx.store import roster as roster_store

    cells, errors = read_csv(app, path)
    if errors:
        return ImportOutcome(cells, [], None, False, errors)
    if not cells:
        raise UserError(f"{path}: no roster cells")
    days = sorted({d for _n, d in cells})
    existing = {(r["agent"], parse_day(r["day"])): r
                for r in roster_store.days_between(app.store, days[0].isoformat(), days[-1].isoformat())}
    moved = []
    for (n, d), v in cells.items():
        old = existing.get((n, d))
        if old and old["published"] and cell_value(old) != v:
            # a rest day on a holiday reads back as None either way
            moved.append(f"{n} {d}")
    if moved:
        raise UserError(f"{path}: changes published day(s) {', '.join(moved[:5])}"
                        + (f" and {len(moved) - 5} more" if len(moved) > 5 else "")
                        + "; published days are kept (use `asx roster set … --reason` for an override)")
    recorded = {n: set(ds) for n, ds in leave_days(app, days[0], days[-1]).items()}
    bad_leave = [f"{n} {d}" for (n, d), v in cells.items() if v == LEAVE and d not in recorded.get(n, ())]
    if bad_leave:
        errors.append(f"{path}: leave without recorded leave for {', '.join(bad_leave[:5])} "
                      "(record it with `asx roster leave`)")
        return ImportOutcome(cells, [], None, False, errors)
    chk = check(app, days[0], days[-1], override=cells)
    problem = chk.problem
    roster = chk.roster
    writes, changes = plan_changes(app, problem, roster, only=set(cells), kind="import")
    out = ImportOutcome(cells, changes, chk, False, [])
    if dry_run or (chk.hard and not force):
        return out
    with app.store.tx():
        apply_writes(app, writes, changes, plan_id=None, source="import", by=by, at=now_epoch(app),
                     reason=reason or f"imported from {path}", batch=new_batch("import"))
    out.written = True
    return out
