"""The issue's own command (issue 19 item 4): `python benchmarks/nrp.py … --solution 'out/{name}.csv'` from a
fresh clone, where out/ does not exist yet, writes the solution CSV that benchmarks/nrp_score.py re-scores
(it stopped with a FileNotFoundError traceback). Instance1 of the public benchmark (MIT, see
tests/fixtures/nrp/LICENSE-NurseScheduler-MIT.txt) with its best-known bound."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "nrp"


def test_solution_csv_goes_into_a_new_directory_and_rescores(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "nrp.py"), "--dir", str(FIXTURES), "--instances", "1",
                        "--time-limit", "10", "--workers", "1", "--solution", "out/{name}.csv"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    row = next(x for x in r.stdout.splitlines() if x.startswith("Instance1 "))
    assert row.split()[4:8] == ["607", "607", "0.00", "0"]          # penalty, best known, gap %, hard
    csv = tmp_path / "out" / "Instance1.csv"
    assert csv.read_text(encoding="utf-8").startswith("staff,")
    s = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "nrp_score.py"), str(FIXTURES / "Instance1.txt"),
                        str(csv)], capture_output=True, text=True, timeout=120)
    assert s.returncode == 0 and "607" in s.stdout, s


def test_instances_not_found_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "nrp.py"), "--dir", str(tmp_path), "--instances", "1-2"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no Instance1.txt, Instance2.txt; give --dir or ASX_NRP_DIR" in r.stderr
