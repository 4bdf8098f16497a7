"""The change counter of live screens (issue 20 §4, asx/store/changes.py): another connection's
commit is seen, reading it is cheap and needs no table, our own writes and reads do not count."""

from __future__ import annotations

import time

from asx.store.changes import watch
from asx.testing import invoke, ws_store


def test_another_connections_commit_is_seen_once(sample):
    mine = ws_store(sample)
    other = ws_store(sample)
    try:
        w = watch(mine)
        assert not w.changed()
        list(mine.q("SELECT * FROM cases LIMIT 5"))               # reading changes nothing
        assert not w.changed()
        with other.tx():                                           # another connection writes a note (R-CASE-6)
            other.execute("INSERT INTO handover_notes (at, by, text) VALUES (?, ?, ?)", (1, "李主管", "x"))
        deadline = time.monotonic() + 10                           # PostgreSQL: the notification travels
        while not w.changed():
            assert time.monotonic() < deadline, "the change was never seen"
            time.sleep(0.05)
        assert not w.changed()                                     # seen once
        with mine.tx():                                            # our own write does not count
            mine.execute("INSERT INTO handover_notes (at, by, text) VALUES (?, ?, ?)", (2, "李主管", "y"))
        time.sleep(0.2)
        assert not w.changed()
        w.close()
    finally:
        mine.close()
        other.close()


def test_a_command_in_another_process_is_seen(sample):
    """An action through the CLI (what another agent does) moves the counter (R-CASE-9 reassign)."""
    st = ws_store(sample)
    try:
        w = watch(st)
        r = invoke(["--as", "李主管", "case", "assign", "311", "--to", "小雨", "--reason", "cover"])
        assert r.exit_code == 0, r
        deadline = time.monotonic() + 10
        while not w.changed():
            assert time.monotonic() < deadline, "the change was never seen"
            time.sleep(0.05)
    finally:
        st.close()
