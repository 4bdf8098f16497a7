#!/usr/bin/env python3
"""Free-text masking (R-SEC-1, issue 21): precision and recall on the labelled sentences, and the
write-time cost per note.

The labelled set (tests/privacy/data/free_text_labelled.jsonl): 200 after-sales sentences, each with
the buyer data it holds (``pii``: kind and text — names, 旺旺 nicks, phones, addresses, ID cards, bank
cards; 64 sentences hold none) and, for some, the record's own known fields (``known``).

Scoring is per item of buyer data: an item is *found* when masking changed at least one of its
characters (so it no longer shows in clear; a name keeps its first character by design). A *masked
run* (consecutive characters turned into ``*``) is a true positive when it overlaps an item, a false
positive otherwise. Precision = true-positive runs / all masked runs; recall = items found / items.

Modes: ``write`` — what every write does, interactive or a bulk import (known fields + patterns, no
segmenter); ``names`` — the nightly job ``mask-names`` (the same plus jieba person names, the
registered agents' names left out).

Cost: microseconds per note for each mode (the segmenter already loaded), the one-time load of the
segmenter (in a fresh process), and with ``--cli`` the wall time of ``asx case add --summary`` (a
whole process; the target is at most 250 ms).

Run: python benchmarks/masking.py [--cli] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # gen.bench, when run from elsewhere
DATA = Path(__file__).resolve().parents[1] / "tests" / "privacy" / "data" / "free_text_labelled.jsonl"


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _spans(text: str, item: str) -> list[tuple[int, int]]:
    out, i = [], text.find(item)
    while i >= 0:
        out.append((i, i + len(item)))
        i = text.find(item, i + 1)
    return out


def score(sentences: list[dict], mask) -> dict:
    """``mask(text, known) -> masked text`` (same length) scored as the module doc says."""
    items = found = runs = tp_runs = 0
    misses, false_pos = [], []
    for s in sentences:
        text = s["text"]
        out = mask(text, s.get("known"))
        assert len(out) == len(text), (text, out)
        hidden = [a != b and b == "*" for a, b in zip(text, out)]
        gold: list[tuple[int, int]] = []
        for kind, item in s["pii"]:
            spans = _spans(text, item)
            gold += spans
            items += 1
            if spans and all(any(hidden[a:b]) for a, b in spans):
                found += 1
            else:
                misses.append((kind, item, out))
        i = 0
        while i < len(text):
            if hidden[i]:
                j = i
                while j < len(text) and (hidden[j] or (text[j] in " -" and j + 1 < len(text) and hidden[j + 1])):
                    j += 1
                runs += 1
                if any(a < j and i < b for a, b in gold):
                    tp_runs += 1
                else:
                    false_pos.append((text[i:j], out))
                i = j
            else:
                i += 1
    return {"items": items, "found": found, "runs": runs, "true_runs": tp_runs,
            "precision": tp_runs / runs if runs else 1.0, "recall": found / items if items else 1.0,
            "misses": misses, "false_positives": false_pos}


#: the agents registered in the store the sentences come from (their names are not buyer data; the
#: nightly job passes the registered agents the same way)
STAFF = ("萌萌", "阿杰", "小雨", "李主管", "晓峰")


def modes():
    from asx.io.freetext import mask_free_text

    return {"write": lambda t, k: mask_free_text(t, k),
            "names": lambda t, k: mask_free_text(t, k, names=True, staff=STAFF)}


def _per_note_us(fn, sentences, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for s in sentences:
            fn(s["text"], s.get("known"))
        best = min(best, time.perf_counter() - t0)
    return best / len(sentences) * 1e6


def _segmenter_load_s() -> float:
    code = ("import time; t=time.perf_counter(); from asx.io.freetext import mask_names; mask_names('张伟说');"
            "print(time.perf_counter()-t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def _cli_case_add_ms(runs: int) -> dict[str, list[tuple[float, float]]]:
    """(wall ms, CPU ms) of ``asx case add`` processes with and without a summary, run alternately."""
    import os
    import resource
    import tempfile

    env = {**os.environ, "ASX_NOW": "2026-11-20T10:00:00+08:00", "ASX_AGENT": "李主管"}
    asx = [sys.executable, "-m", "asx"]
    out: dict[str, list[tuple[float, float]]] = {"with summary": [], "without": []}
    with tempfile.TemporaryDirectory() as d:
        ws = Path(d) / "ws"
        subprocess.run(asx + ["init", str(ws), "--me", "李主管"], env=env, check=True, capture_output=True)
        subprocess.run(asx + ["agent", "add", "李主管", "--role", "supervisor"], cwd=ws, env=env, check=True,
                       capture_output=True)
        for i in range(runs + 1):
            for kind in out:
                extra = ["--summary", "欧阳娜娜说寄到杭州市西湖区文三路100号的杯子破了，电话13912345678"] \
                    if kind == "with summary" else []
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run(asx + ["case", "add", "--category", "quality", "--order", f"39{len(kind)}0{i:05d}",
                                      "--buyer", "tb_欧阳娜娜", "--phone", "13912345678", *extra],
                               cwd=ws, env=env, check=True, capture_output=True)
                wall = (time.perf_counter() - t0) * 1000
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000
                if i:  # the first run writes bytecode
                    out[kind].append((wall, cpu))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", action="store_true", help="also time `asx case add --summary` (whole processes)")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--show", action="store_true", help="list misses and false positives")
    args = ap.parse_args()
    sentences = load()
    print(f"labelled sentences: {len(sentences)} ({sum(len(s['pii']) for s in sentences)} items of buyer data, "
          f"{sum(1 for s in sentences if not s['pii'])} sentences without any)")
    from gen import bench

    for name, fn in modes().items():
        r = score(sentences, fn)
        us = _per_note_us(fn, sentences)
        bench(f"masking_{name}_per_note", us / 1000, "ms")
        print(f"{name:6} precision {r['precision']:.3f} ({r['true_runs']}/{r['runs']} masked runs)  "
              f"recall {r['recall']:.3f} ({r['found']}/{r['items']} items)  cost {us:,.0f} µs/note")
        if args.show:
            for m in r["misses"]:
                print("   miss", m)
            for f in r["false_positives"]:
                print("   false positive", f)
    print(f"segmenter load (fresh process): {_segmenter_load_s():.2f} s")
    if args.cli:
        import os

        got = _cli_case_add_ms(args.runs)
        bench("case_add_summary_cpu", statistics.median(c for _, c in got["with summary"]), "ms", target=250,
              baseline=statistics.median(c for _, c in got["without"]))
        for kind, t in got.items():
            print(f"asx case add {kind:13}: median wall {statistics.median(w for w, _ in t):.0f} ms, "
                  f"median CPU {statistics.median(c for _, c in t):.0f} ms over {len(t)} processes "
                  f"(target ≤ 250 ms; load average {os.getloadavg()[0]:.1f})")

if __name__ == "__main__":
    main()
