"""Compute a KPI table: every registered indicator for one period, grouped (R-KPI-2).

``table(app, "2026-11", by="agent")`` returns a :class:`KpiTable` with one row per group, one
column per indicator column, and the metadata every export carries: period, timezone,
indicator versions, generation time and a checksum of the figures (the same period computed
again gives the same checksum).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from asx.core.errors import UserError
from asx.kpi.registry import Indicator, indicators
from asx.core.timeutil import to_epoch

GROUPS = ("agent", "team", "store", "category", "day")


@dataclass
class Query:
    """What a compute function gets: the store, the period and the grouping."""

    store: Any
    start: datetime
    end: datetime
    label: str
    by: str
    tz_name: str
    team: str = "team"
    settings: Callable[[str], Any] | None = None
    plugins: Any = None               # app.plugins: the registered indicators
    _memo: dict = field(default_factory=dict)

    @property
    def start_epoch(self) -> int:
        return to_epoch(self.start)

    @property
    def end_epoch(self) -> int:
        return to_epoch(self.end)

    @property
    def off(self) -> int:
        """UTC offset (seconds) of the store timezone at the period start (``day`` grouping)."""
        return int(self.start.utcoffset().total_seconds())

    @property
    def first_day(self) -> str:
        return self.start.date().isoformat()

    @property
    def end_day(self) -> str:
        """First day after the period (exclusive bound for YYYY-MM-DD columns)."""
        return self.end.date().isoformat()

    def cached(self, key: str, fn: Callable[[], Any]) -> Any:
        """Share one query between indicators (e.g. all case-cohort figures come from one SQL)."""
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def sql_args(self) -> tuple:
        return (self.store, self.start_epoch, self.end_epoch, self.by)

    def sql_kw(self) -> dict:
        return {"off": self.off, "team": self.team}


@dataclass
class KpiTable:
    by: str
    columns: list[tuple[str, Indicator | None]]   # (column key, indicator) — the group column first
    rows: list[dict]
    meta: dict


def _round(unit: str, v: Any) -> Any:
    if v is None:
        return None
    if unit == "ratio":
        return round(float(v), 4)
    if unit in ("minutes", "score"):
        return round(float(v), 1)
    if unit == "yuan":
        from asx.core.money import yuan

        return yuan(v) if isinstance(v, int) else f"{float(v):.2f}"
    if unit == "count":
        return int(v)
    return v


def make_query(app, period: str, by: str) -> Query:
    from asx.core.timeutil import parse_period

    if by not in GROUPS:
        raise UserError(f"--by {by}: choose one of {', '.join(GROUPS)}")
    p = parse_period(period, app.tz, now=app.now())
    return Query(store=app.store, start=p.start, end=p.end, label=p.label, by=by,
                 tz_name=app.config.get("store.timezone"), team=app.config.get("store.name") or "team",
                 settings=app.config.get, plugins=app.plugins)


def compute(q: Query, names: list[str] | None = None, *, staff: bool = True) -> tuple[list, list[dict]]:
    """(columns, rows) of the indicators (all, or ``names``) for the query."""
    from asx.store import kpi as kpi_store

    inds = indicators(q.plugins)
    if names:
        known = {i.name for i in inds}
        bad = [n for n in names if n not in known]
        if bad:
            raise UserError(f"unknown KPI {', '.join(bad)} (see `asx kpi list`)")
        inds = [i for i in inds if i.name in names]
    inds = [i for i in inds if q.by in i.groups]
    values: dict[str, dict[str, Any]] = {}
    columns: list[tuple[str, Indicator | None]] = [(q.by, None)]
    for ind in inds:
        result = ind.compute(q) or {}
        cols = list(ind.columns or ())
        for grp, v in result.items():
            cells = v if isinstance(v, dict) else {ind.name: v}
            row = values.setdefault(str(grp), {})
            for k, x in cells.items():
                row[k] = _round(ind.unit_of(k), x)
                if k not in cols:
                    cols.append(k)
        if ind.dynamic:
            fixed = [c for c in (ind.columns or ()) if c in cols]
            cols = fixed + sorted(c for c in cols if c not in fixed)
        columns.extend((c, ind) for c in cols)
    if staff and q.by == "agent":
        for name in kpi_store.staff_in_period(q.store, q.first_day, q.end_day):
            values.setdefault(name, {})
    rows = []
    for grp in sorted(values):
        row = {q.by: grp}
        for key, ind in columns[1:]:
            v = values[grp].get(key)
            if v is None and ind is not None and ind.unit_of(key) == "count":
                v = 0
            row[key] = v
        rows.append(row)
    return columns, rows


def figures_hash(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
                          .encode("utf-8")).hexdigest()


def table(app, period: str, by: str = "agent", names: list[str] | None = None) -> KpiTable:
    """The KPI table of ``period`` grouped ``by``, with the metadata of an export."""
    from asx import __version__

    q = make_query(app, period, by)
    columns, rows = compute(q, names)
    used = {ind.name: ind.version for _, ind in columns if ind is not None}
    meta = {
        "kind": "kpi",
        "period": q.label,
        "from": app.iso(q.start_epoch),
        "to": app.iso(q.end_epoch),
        "timezone": q.tz_name,
        "group_by": by,
        "indicators": dict(sorted(used.items())),
        "units": {key: ind.unit_of(key) for key, ind in columns if ind is not None},
        "store": app.config.get("store.name"),
        "asx_version": __version__,
        "figures_sha256": figures_hash(rows),
        "generated_at": app.iso(app.now()),
    }
    return KpiTable(by=by, columns=columns, rows=rows, meta=meta)
