"""Built-in plugin: reports — the Monday meeting pack (seed 001 "每周一例会") as a nightly job."""

from __future__ import annotations

from asx import hookimpl


@hookimpl
def register_nightly_jobs(register):
    from asx.reports.weekly import nightly_weekly_pack

    register(90, "weekly-pack", nightly_weekly_pack)
