"""benchmarks/nrp_score.py re-scores a benchmark roster from its CSV alone (issue 19 item 4): it and
asx.roster.checker are two implementations of the instance format's rules, so each checks the other.
On random rosters (which break the hard rules in every way) and on a solved one they must agree on the
penalty and on whether a hard rule is broken; a planted fault must be named."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from asx.roster.checker import check
from asx.roster.nrp import read_nrp, read_solution_csv, solution_csv
from asx.roster.solver import solve

from .test_engines_nrp import MINI

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "nrp"


#: the scorer's rule names → asx.roster.checker's families (NRP limits are R-ROS `limits`)
FAMILY = {"days_off": "leave", "unknown_shift": "shift_allowed", "forbidden_succession": "forbidden_succession",
          "max_shifts": "limits", "total_minutes": "limits", "max_weekends": "limits",
          "max_consecutive": "max_consecutive", "min_consecutive": "min_consecutive",
          "min_consecutive_off": "min_consecutive_off"}


def scorer():
    spec = importlib.util.spec_from_file_location("nrp_score", ROOT / "benchmarks" / "nrp_score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def random_csv(problem, rng: random.Random, p_off: float) -> str:
    ids = [s.id for s in problem.rules.shifts]
    lines = ["staff," + ",".join(str(i) for i in range(problem.days))]
    for a in problem.agents:
        lines.append(a.name + "," + ",".join("" if rng.random() < p_off else rng.choice(ids)
                                             for _ in range(problem.days)))
    return "\n".join(lines) + "\n"


def instances(tmp_path) -> list[Path]:
    mini = tmp_path / "Mini.txt"
    mini.write_text(MINI, encoding="utf-8")
    return [mini] + [FIXTURES / f"Instance{k}.txt" for k in (1, 2, 3) if (FIXTURES / f"Instance{k}.txt").exists()]


def test_scorer_and_checker_agree_on_random_rosters(tmp_path):
    mod = scorer()
    rng = random.Random(19)
    for path in instances(tmp_path):
        text = path.read_text(encoding="utf-8")
        p = read_nrp(path)
        broken = 0
        for k in range(12):
            sol = random_csv(p, rng, p_off=0.2 + 0.05 * k)
            pen, hard = mod.score(text, sol)
            rep = check(p, read_solution_csv(sol, p))
            assert pen == rep.penalty, (path.name, k)
            mine = {(FAMILY[f], who) for f, who, _ in hard}
            theirs = {(v.family, v.agent) for v in rep.violations if v.hard}
            assert mine == theirs, (path.name, k, mine ^ theirs)
            broken += bool(hard)
        assert broken > 0                          # the random rosters did break hard rules


def test_solved_roster_scores_clean_and_a_planted_fault_is_named(tmp_path):
    mod = scorer()
    path = tmp_path / "Mini.txt"
    path.write_text(MINI, encoding="utf-8")
    p = read_nrp(path)
    res = solve(p, time_limit=2.0)
    sol = solution_csv(res.roster)
    pen, hard = mod.score(MINI, sol)
    assert hard == [] and pen == res.objective == check(p, res.roster).penalty
    rows = [r.split(",") for r in sol.splitlines()]
    a = next(r for r in rows if r[0] == "A")
    a[1] = "E"                                     # A's day 0 is a day off (SECTION_DAYS_OFF)
    _, hard = mod.score(MINI, "\n".join(",".join(r) for r in rows))
    assert ("days_off", "A", "A works on day 0, a day off") in hard


def test_cli_exit_codes(tmp_path, capsys):
    mod = scorer()
    inst = tmp_path / "Mini.txt"
    inst.write_text(MINI, encoding="utf-8")
    p = read_nrp(inst)
    good = tmp_path / "good.csv"
    good.write_text(solution_csv(solve(p, time_limit=2.0).roster), encoding="utf-8")
    assert mod.main([str(inst), str(good)]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("staff,0,1,2,3,4,5,6\nA,E,E,E,E,E,E,E\n", encoding="utf-8")
    assert mod.main([str(inst), str(bad)]) == 1
    assert mod.main([str(inst), str(tmp_path / "missing.csv")]) == 2
    assert "Mini" in capsys.readouterr().out


@pytest.mark.skipif(not (FIXTURES / "Instance1.txt").exists(), reason="NRP fixtures not available")
def test_instance1_optimum_rescored():
    mod = scorer()
    path = FIXTURES / "Instance1.txt"
    p = read_nrp(path)
    res = solve(p, time_limit=10.0)
    pen, hard = mod.score(path.read_text(encoding="utf-8"), solution_csv(res.roster))
    assert (pen, hard) == (607, [])
