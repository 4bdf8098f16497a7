"""asx nightly: the cron entry point (KPI export, overdue list, review queue, refund audit, weekly pack)."""

from __future__ import annotations

import click

from asx.commands import _complete as complete


#: How far back `asx nightly --date` may go (a re-run of a missed night, up to a year ago).
MAX_DAYS_BACK = 366


@click.command(name="nightly")
@click.option("--date", "day", default=None, metavar="DAY", help="Run for this day (YYYY-MM-DD) [default: yesterday].")
@click.option("--only", multiple=True, shell_complete=complete.nightly_jobs, metavar="JOB", help="Run only this job (repeat) [default: setting nightly.jobs].")
@click.option("--list", "list_jobs", is_flag=True, help="List the registered jobs and exit.")
@click.pass_obj
def cli(app, day, only, list_jobs):
    """Run the nightly jobs for the previous day into exports/YYYY-MM-DD/.

    Atomic (a temp folder renamed into place), idempotent (a second run leaves the files
    byte-identical), never twice at once (lock exports/.nightly.lock: exit 2). One line per job
    on stderr; exit 1 if any job failed or reported problems (the others still run; e.g. an
    unreadable statement in inbox/ is reported and the others are audited). Crontab:
    15 0 * * * cd /srv/shop && /srv/asx/.venv/bin/asx nightly 2>>nightly.log
    """
    from datetime import timedelta

    from asx.jobs import nightly
    from asx.core.errors import CheckFailed

    if list_jobs:
        for order, name, fn in nightly.jobs(app.plugins):
            doc = (fn.__doc__ or "").strip().splitlines()
            click.echo(f"{order:>3}  {name:<14} {doc[0] if doc else ''}")
        return 0
    today = app.now().date()
    d = app.parse_time(day).date() if day else today - timedelta(days=1)
    if not today - timedelta(days=MAX_DAYS_BACK) <= d <= today:  # issue 21: a typo'd year ran anyway
        from asx.core.errors import UserError

        raise UserError(f"--date {d}: a nightly run is for a day from {today - timedelta(days=MAX_DAYS_BACK)} "
                        f"to today ({today})")
    results = nightly.run(app, d, only=list(only) or None)
    failed = [r.name for r in results if r.status == "failed"]
    if failed:
        raise CheckFailed(f"{len(failed)} of {len(results)} nightly job(s) failed: {', '.join(failed)}")
    troubled = [r.name for r in results if r.status == "problems"]
    if troubled:
        raise CheckFailed(f"{len(troubled)} of {len(results)} nightly job(s) reported problems: {', '.join(troubled)}")
    return 0
