#!/usr/bin/env python3
"""Re-score a Curtois & Qu roster from its CSV alone — no asx code (issue 19 item 4: "re-scorable from
``--solution`` CSV").

    python benchmarks/nrp_score.py INSTANCE.txt SOLUTION.csv [INSTANCE.txt SOLUTION.csv ...]
    python benchmarks/nrp_score.py --dir /work/shared/fixtures/nrp --solutions 'out/{name}.csv' --instances 1-12

Reads the instance text (the format in the fixtures' README) and the solution CSV that
``benchmarks/nrp.py --solution`` writes (``staff,0,1,…``; a cell is a shift id or empty for off), then
checks every hard rule and sums the penalty straight from the format's definitions, independently of
``asx.roster.checker`` and of the CP-SAT model:

* hard: days off (SECTION_DAYS_OFF), one known shift a day, a shift not followed the next day by one it
  forbids, max shifts per type, min/max total minutes, max consecutive shifts, min consecutive shifts
  (a block touching the horizon's edge too: days outside count as off), min consecutive days off (a
  block touching the edge is not short: days outside are off), max weekends worked (Sat or Sun);
* penalty: weight of every unmet shift-on request, of every violated shift-off request, and per day and
  shift (under × under-weight + over × over-weight) against the cover requirement.

Prints per instance the penalty, the best known bound of nrp.yml beside it when found, the gap and
every hard violation; exit 1 when any roster breaks a hard rule, 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path


def sections(text: str) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    cur = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("SECTION_"):
            cur = out.setdefault(line, [])
            continue
        if cur is None:
            raise ValueError(f"data before any SECTION_: {line!r}")
        cur.append([c.strip() for c in line.split(",")])
    return out


def score(instance: str, solution: str) -> tuple[int, list[tuple[str, str | None, str]]]:
    """(penalty, hard violations as (rule, staff, text)) of the roster ``solution`` (CSV text) for ``instance``."""
    sec = sections(instance)
    n = int(sec["SECTION_HORIZON"][0][0])
    length = {r[0]: int(r[1]) for r in sec["SECTION_SHIFTS"]}
    forbid = {r[0]: set(filter(None, r[2].split("|"))) if len(r) > 2 else set() for r in sec["SECTION_SHIFTS"]}
    staff = {}
    for r in sec["SECTION_STAFF"]:
        maxs = {k: int(v) for k, v in (p.split("=") for p in r[1].split("|") if p)}
        staff[r[0]] = {"max": maxs, "max_min": int(r[2]), "min_min": int(r[3]), "max_cons": int(r[4]),
                       "min_cons": int(r[5]), "min_off": int(r[6]), "max_we": int(r[7])}
    rows = list(csv.reader(solution.splitlines()))
    if rows[0][:2] != ["staff", "0"] or len(rows[0]) != n + 1:
        raise ValueError(f"solution header must be staff,0..{n - 1}")
    plan = {r[0]: [c.strip() or None for c in r[1:]] for r in rows[1:]}
    hard: list[tuple[str, str | None, str]] = []
    if set(plan) != set(staff):
        hard.append(("staff", None, f"staff {sorted(set(plan) ^ set(staff))} differ from the instance's"))
    for s, days in plan.items():
        if len(days) != n:
            hard.append(("staff", s, f"{s}: {len(days)} days, horizon is {n}"))
    for r in sec.get("SECTION_DAYS_OFF", []):
        for d in r[1:]:
            if d and plan.get(r[0], [None] * n)[int(d)] is not None:
                hard.append(("days_off", r[0], f"{r[0]} works on day {d}, a day off"))
    for s, p in staff.items():
        days = plan.get(s, [None] * n)
        for i, v in enumerate(days):
            if v is not None and v not in length:
                hard.append(("unknown_shift", s, f"{s} day {i}: unknown shift {v!r}"))
        for i in range(n - 1):
            if days[i] and days[i + 1] and days[i + 1] in forbid.get(days[i], ()):
                hard.append(("forbidden_succession", s, f"{s} day {i + 1}: {days[i]} followed by {days[i + 1]}"))
        for t in length:
            k = sum(1 for v in days if v == t)
            if k > p["max"].get(t, n):
                hard.append(("max_shifts", s, f"{s}: {k} × {t}, maximum {p['max'].get(t)}"))
        minutes = sum(length.get(v, 0) for v in days if v)
        if not p["min_min"] <= minutes <= p["max_min"]:
            hard.append(("total_minutes", s, f"{s}: {minutes} minutes, allowed {p['min_min']}–{p['max_min']}"))
        # blocks of work and of rest; days outside the horizon count as off
        i = 0
        while i < n:
            j = i
            while j < n and (days[j] is not None) == (days[i] is not None):
                j += 1
            run, where = j - i, f"{s} days {i}–{j - 1}"
            if days[i] is not None:
                if run > p["max_cons"]:
                    hard.append(("max_consecutive", s, f"{where}: {run} shifts in a row, maximum {p['max_cons']}"))
                if run < p["min_cons"]:
                    hard.append(("min_consecutive", s, f"{where}: {run} shift(s) in a row, minimum {p['min_cons']}"))
            elif run < p["min_off"] and i > 0 and j < n:
                hard.append(("min_consecutive_off", s, f"{where}: {run} day(s) off in a row, minimum {p['min_off']}"))
            i = j
        weekends = sum(1 for w in range(n // 7) if days[7 * w + 5] is not None or days[7 * w + 6] is not None)
        if weekends > p["max_we"]:
            hard.append(("max_weekends", s, f"{s}: {weekends} weekends worked, maximum {p['max_we']}"))
    penalty = 0
    for r in sec.get("SECTION_SHIFT_ON_REQUESTS", []):
        if plan.get(r[0], [None] * n)[int(r[1])] != r[2]:
            penalty += int(r[3])
    for r in sec.get("SECTION_SHIFT_OFF_REQUESTS", []):
        if plan.get(r[0], [None] * n)[int(r[1])] == r[2]:
            penalty += int(r[3])
    for r in sec.get("SECTION_COVER", []):
        d, t, need, w_under, w_over = int(r[0]), r[1], int(r[2]), int(r[3]), int(r[4])
        have = sum(1 for days in plan.values() if days[d] == t)
        penalty += max(0, need - have) * w_under + max(0, have - need) * w_over
    return penalty, hard


def best_known(directory: Path) -> dict[str, int]:
    ub, name = {}, None
    path = directory / "nrp.yml"
    for line in path.read_text().splitlines() if path.exists() else []:
        m = re.search(r"name:\s*(\S+)", line)
        if m:
            name = m.group(1).removesuffix(".txt")
        m = re.search(r"\bub:\s*(\d+)", line)
        if m and name:
            ub[name] = int(m.group(1))
    return ub


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="*", help="INSTANCE.txt SOLUTION.csv, repeated")
    ap.add_argument("--dir", help="folder of the instances (and nrp.yml)")
    ap.add_argument("--solutions", help="solution CSV path with {name}, e.g. out/{name}.csv")
    ap.add_argument("--instances", default="1-12", help="with --dir: e.g. 1-12 or 1,3,5")
    args = ap.parse_args(argv)
    pairs = [(Path(a), Path(b)) for a, b in zip(args.pairs[::2], args.pairs[1::2])]
    if len(args.pairs) % 2:
        ap.error("give INSTANCE.txt SOLUTION.csv pairs")
    if args.dir:
        if not args.solutions:
            ap.error("--dir needs --solutions")
        ks: list[int] = []
        for part in args.instances.split(","):
            a, _, b = part.partition("-")
            ks += list(range(int(a), int(b or a) + 1))
        pairs += [(Path(args.dir) / f"Instance{k}.txt", Path(args.solutions.replace("{name}", f"Instance{k}")))
                  for k in ks]
    if not pairs:
        ap.error("nothing to score")
    worst = 0
    print(f"{'instance':<12}{'penalty':>9}{'best':>8}{'gap%':>8}{'hard':>6}")
    for inst, sol in pairs:
        name = inst.stem
        try:
            pen, hard = score(inst.read_text(encoding="utf-8"), sol.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, IndexError) as exc:
            print(f"{name:<12}{'-':>9}  cannot score {sol}: {exc}", file=sys.stderr)
            worst = 2
            continue
        ub = best_known(inst.parent).get(name)
        gap = f"{100 * (pen - ub) / ub:.2f}" if ub else "-"
        print(f"{name:<12}{pen:>9}{ub or '-':>8}{gap:>8}{len(hard):>6}")
        print(f"BENCH name=nrp_{name}_rescored_penalty value={pen} unit=points target=- baseline={ub or '-'}")
        print(f"BENCH name=nrp_{name}_rescored_hard value={len(hard)} unit=violations target=0 baseline=-")
        for h in hard[:20]:
            print(f"    hard ({h[0]}): {h[2]}")
        if hard:
            worst = max(worst, 1)
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
