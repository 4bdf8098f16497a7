"""What a scheduled job receives and may raise — the contract between the nightly runner
(:mod:`asx.jobs.nightly`) and the jobs each domain's built-in plugin registers through
``register_nightly_jobs`` (``register(order, name, fn)``).

A job is ``fn(ctx)`` with a :class:`JobContext`; it writes with ``ctx.write_rows`` /
``ctx.write_text`` / ``ctx.write_json``, may raise :class:`JobSkipped` to say why it had nothing
to do, may report problems that did not stop it with ``ctx.problem(msg)`` (its files are kept,
the run exits 1), and returns an optional one-line summary. Every file carries the same generation time
(``ctx.generated_at``). Exports are masked (R-SEC-2): ``write_rows`` masks the columns that
declare a mask. Domain modules import this, never the runner.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any


class JobSkipped(Exception):
    """A job had nothing to do (e.g. no statements in the inbox): logged, not a failure."""


@dataclass
class JobContext:
    app: Any
    day: date
    outdir: Path
    generated_at: str
    job: str = ""
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def problem(self, message: str) -> None:
        """Report a problem that did not stop the job (e.g. one unreadable statement among good ones):
        the job's files are kept, each problem is logged on its own line, and ``asx nightly`` exits 1.
        ``message`` must carry no personal data (mask it: R-SEC-3)."""
        self.problems.append(message)

    @property
    def start(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, tzinfo=self.app.tz)

    @property
    def end(self) -> datetime:
        d = self.day + timedelta(days=1)
        return datetime(d.year, d.month, d.day, tzinfo=self.app.tz)

    def _path(self, name: str) -> Path:
        if "/" in name or name.startswith("."):
            raise ValueError(f"nightly file name {name!r} must be a plain file name")
        self.files.append(name)
        return self.outdir / name

    def write_text(self, name: str, text: str) -> Path:
        p = self._path(name)
        p.write_text(text, encoding="utf-8")
        return p

    def write_json(self, name: str, obj: Any) -> Path:
        return self.write_text(name, json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")

    def write_rows(self, name: str, rows, columns, meta: dict | None = None) -> int:
        """Rows as CSV (masked) with a side-car ``NAME.meta.json`` when ``meta`` is given."""
        from asx.io.output import OutputSpec, emit

        path = self._path(name)
        if meta:
            self.files.append(name + ".meta.json")
        meta = {**meta, "generated_at": self.generated_at} if meta else None
        fmt = "json" if name.endswith(".json") else "jsonl" if name.endswith(".jsonl") else "csv"
        bom = fmt == "csv" and bool(self.app.config.get("nightly.csv_bom"))  # Excel on Windows (issue 18)
        return emit(self.app, OutputSpec(format=fmt, output=str(path), bom=bom), rows, columns, meta=meta)


def inbox(app) -> Path:
    """The folder where payment statements are dropped for the nightly refund audit (setting
    ``nightly.inbox``, relative to the workspace)."""
    p = Path(os.path.expanduser(str(app.config.get("nightly.inbox") or "inbox")))
    return p if p.is_absolute() else app.root / p
