from datetime import date

import pytest

from asx.roster.model import AgentSpec, Problem, Roster

MONDAY = date(2026, 11, 30)


def grid_roster(problem: Problem, rows: dict[str, str]) -> Roster:
    """Roster from strings like "NNNNN-D": one char per day, '-' rest, 'L' leave."""
    r = Roster(problem.start, problem.days, tuple(rows))
    for name, text in rows.items():
        assert len(text) == problem.days, name
        for d, ch in zip(problem.dates, text):
            r.cells[(name, d)] = None if ch == "-" else ("LEAVE" if ch == "L" else ch)
    return r


@pytest.fixture
def house3():
    return Problem(start=MONDAY, days=21, agents=[AgentSpec(n) for n in "ABC"])
