"""The nightly runner behind ``asx nightly``, the cron entry point (issue 7 §6).

Runs every registered nightly job (``register_nightly_jobs``: ``register(order, name, fn)``) for
one day (default: yesterday) and writes their files into ``<nightly.exports>/YYYY-MM-DD/``:

- **atomic**: the jobs write into a temporary folder beside it, which replaces the day's folder
  only when every job has run; a reader never sees a half-written day;
- **idempotent**: a file whose content is unchanged apart from the generation time keeps its
  old bytes, and when nothing changed the day's folder is left untouched (a second run the same
  night changes nothing);
- **exclusive**: ``fcntl.flock`` on ``<exports>/.nightly.lock``; a second run at the same time
  stops with one clear line (exit 2);
- **robust**: one line per job on stderr (``ok``, ``skipped: why``, ``FAILED: why``); a failing
  job does not stop the others, its files from an earlier run are kept, and the exit code is 1.
  A job that reported problems without failing (``ctx.problem``: e.g. one unreadable statement
  in the inbox while the others were audited, issue 21) logs ``PROBLEMS`` and one line per
  problem, keeps its new files, and the exit code is 1 too.

A job is ``fn(ctx)`` (the contract: :mod:`asx.core.job`). The runner knows no job: each
domain's built-in plugin registers its own (``asx/plugins/kpi.py`` the KPI export, ``cases.py``
the overdue list and auto-close, ``reviews.py`` the review queue, ``daily.py`` the SLA forecast,
``money.py`` the refund audit, ``reports.py`` the weekly pack). This module imports no click and
no command: ``asx nightly`` (asx/commands/nightly.py) is a thin shell over :func:`run`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from asx.core.errors import UserError
from asx.core.job import JobContext, JobSkipped

MANIFEST = "manifest.json"


@dataclass
class JobResult:
    name: str
    status: str           # ok | problems | skipped | failed
    message: str = ""
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def jobs(plugins) -> list[tuple[int, str, Callable]]:
    """Jobs registered with ``plugins`` (``app.plugins``) in (order, name) order; a name registered
    twice runs once — the earlier in that order, on a tie the one collected first (pluggy calls
    plugins registered later first)."""
    all_jobs = plugins.nightly_jobs()
    out, seen = [], set()
    for order, name, fn in all_jobs:
        if name in seen:
            continue
        seen.add(name)
        out.append((order, name, fn))
    return out


def exports_root(app) -> Path:
    p = Path(os.path.expanduser(str(app.config.get("nightly.exports") or "exports")))
    return p if p.is_absolute() else app.root / p


class _Lock:
    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def __enter__(self):
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise UserError(f"another `asx nightly` is running ({self.path} is locked); nothing was done")
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())
        return self

    def __exit__(self, *exc):
        import fcntl

        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)


def _strip_gen(data: bytes, gen: str | None) -> bytes:
    return data.replace(gen.encode("utf-8"), b"") if gen else data


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _log_line(app, day: date, name: str, res: "JobResult") -> str:
    """The job's line of the nightly log, in the workspace's language (issue 18 item 5; the manifest keeps
    the English message for scripts)."""
    lang = app.lang
    if lang == "zh":
        T = lambda code, **kw: app.labels.text(code, lang, **kw)  # noqa: E731
        line = T({"ok": "nl_ok", "problems": "nl_problems", "skipped": "nl_skipped", "failed": "nl_failed"}[res.status])
        extra = f"：{app.labels.translate(res.message, lang)}" if res.message else ""
        nfiles = T("nl_files", n=len(res.files)) if res.files else ""
        return f"asx nightly {day.isoformat()}：{name}：{line}{nfiles}{extra}"
    line = {"ok": "ok", "problems": "PROBLEMS", "skipped": "skipped", "failed": "FAILED"}[res.status]
    extra = f": {res.message}" if res.message else ""
    nfiles = f" ({len(res.files)} file{'s' if len(res.files) != 1 else ''})" if res.files else ""
    return f"asx nightly {day.isoformat()}: {name}: {line}{nfiles}{extra}"


def run(app, day: date, *, only: list[str] | None = None, log: Callable[[str], None] | None = None) -> list[JobResult]:
    """Run the jobs for ``day``; returns one result per job (see module doc)."""
    log = log or (lambda m: print(m, file=sys.stderr, flush=True))
    app.store  # outside a workspace this is the one-line error, before any folder or lock file exists (issue 21)
    root = exports_root(app)
    root.mkdir(parents=True, exist_ok=True)
    with _Lock(root / ".nightly.lock"), app.store.exclusive("nightly") as got:
        if not got:  # a team database (issue 10): another machine's nightly is running
            raise UserError("another `asx nightly` is running against this database; nothing was done")
        return _run_locked(app, day, root, only, log)


def _selected(app, only: list[str] | None) -> list[tuple[int, str, Callable]]:
    registered = jobs(app.plugins)
    names = [n for _, n, _ in registered]
    wanted = only or [str(x) for x in (app.config.get("nightly.jobs") or ["all"])]
    if "all" in wanted:
        return registered
    bad = [w for w in wanted if w not in names]
    if bad:
        raise UserError(f"unknown nightly job(s) {', '.join(bad)}; registered: {', '.join(names)}")
    return [j for j in registered if j[1] in wanted]


def _run_locked(app, day: date, root: Path, only, log) -> list[JobResult]:
    selected = _selected(app, only)
    final = root / day.isoformat()
    _clean_leftovers(root, final)
    tmp = root / f".{day.isoformat()}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(mode=0o750)
    old_manifest = _read_manifest(final)
    generated_at = app.iso(app.now())
    results: list[JobResult] = []
    try:
        for _, name, fn in selected:
            ctx = JobContext(app=app, day=day, outdir=tmp, generated_at=generated_at, job=name)
            t0 = time.perf_counter()
            try:
                msg = fn(ctx)
                res = JobResult(name, "problems" if ctx.problems else "ok", str(msg or ""), sorted(set(ctx.files)),
                                list(ctx.problems))
            except JobSkipped as exc:
                res = JobResult(name, "skipped", str(exc), [])
                for f in set(ctx.files):
                    (tmp / f).unlink(missing_ok=True)
            except Exception as exc:  # one failing job must not stop the others
                # a user error (what to do about it) reads as itself, anything else with its type
                why = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
                res = JobResult(name, "failed", why, [])
                for f in set(ctx.files):
                    (tmp / f).unlink(missing_ok=True)
                res.files = _carry_forward(old_manifest, name, final, tmp)
            res.seconds = time.perf_counter() - t0
            results.append(res)
            log(_log_line(app, day, name, res))
            sep = "：" if app.lang == "zh" else ": "
            for p in res.problems:  # each problem on its own line (a bad statement in the inbox, issue 21)
                log(f"asx nightly {day.isoformat()}{sep}{name}{sep}{app.labels.translate(p, app.lang)}")
        manifest = {
            "date": day.isoformat(),
            "generated_at": generated_at,
            "timezone": app.config.get("store.timezone"),
            "jobs": [{"name": r.name, "status": r.status, "message": r.message,
                      **({"problems": r.problems} if r.problems else {}),
                      "files": {f: _sha(tmp / f) for f in r.files}} for r in results],
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        unchanged = _keep_unchanged(tmp, final, old_manifest, generated_at)
        if unchanged:
            shutil.rmtree(tmp)
            sep = "：" if app.lang == "zh" else ": "
            log(f"asx nightly {day.isoformat()}{sep}" + app.labels.text("nl_unchanged", app.lang, path=final))
        else:
            _swap(tmp, final)
        _record(app, day, results)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def _clean_leftovers(root: Path, final: Path) -> None:
    """Remove what a killed run left behind (we hold the lock, so no other run is using it): its
    temporary folders, and an old folder set aside by a swap that was cut short — put back if the
    day's folder is missing (it was the complete one)."""
    for p in root.glob(f".{final.name}.old-*"):
        if not final.exists():
            os.replace(p, final)
        else:
            shutil.rmtree(p, ignore_errors=True)
    for p in root.glob(f".{final.name}.tmp-*"):
        shutil.rmtree(p, ignore_errors=True)


def _read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _carry_forward(old: dict | None, job: str, final: Path, tmp: Path) -> list[str]:
    """Keep the files an earlier run of a now-failing job wrote (marked in the manifest)."""
    if not old:
        return []
    kept = []
    for j in old.get("jobs", []):
        if j.get("name") == job:
            for f in j.get("files", {}):
                if (final / f).exists():
                    shutil.copy2(final / f, tmp / f)
                    kept.append(f)
    return kept


def _keep_unchanged(tmp: Path, final: Path, old_manifest: dict | None, gen: str) -> bool:
    """Put back old bytes of files equal but for the generation time; True if the folder is unchanged."""
    if old_manifest is None or not final.is_dir():
        return False
    old_gen = old_manifest.get("generated_at")
    new_files = {p.name for p in tmp.iterdir()}
    old_files = {p.name for p in final.iterdir()}
    all_same = new_files == old_files
    for name in sorted(new_files):
        if name == MANIFEST or name not in old_files:
            continue
        new_b, old_b = (tmp / name).read_bytes(), (final / name).read_bytes()
        if _strip_gen(new_b, gen) == _strip_gen(old_b, old_gen):
            shutil.copy2(final / name, tmp / name)
        else:
            all_same = False
    if all_same:
        new_m = json.loads((tmp / MANIFEST).read_text(encoding="utf-8"))
        new_m["generated_at"] = old_gen
        for j in new_m["jobs"]:
            j["files"] = {f: _sha(tmp / f) for f in j["files"]}
        old_cmp = {**old_manifest}
        if json.dumps(new_m, sort_keys=True) == json.dumps(old_cmp, sort_keys=True):
            return True
        all_same = False
    # the manifest records the kept files' checksums
    m = json.loads((tmp / MANIFEST).read_text(encoding="utf-8"))
    for j in m["jobs"]:
        j["files"] = {f: _sha(tmp / f) for f in j["files"]}
    (tmp / MANIFEST).write_text(json.dumps(m, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return False


def _swap(tmp: Path, final: Path) -> None:
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)


def _record(app, day: date, results: list[JobResult]) -> None:
    from asx.core.timeutil import to_epoch

    value = json.dumps({"date": day.isoformat(), "at": to_epoch(app.now()),
                        "jobs": {r.name: r.status for r in results}}, ensure_ascii=False)
    with app.store.tx():
        app.store.execute("INSERT INTO meta (key, value) VALUES ('nightly.last', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (value,))
