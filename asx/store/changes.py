"""A cheap "has the database changed?" check for live screens (``asx desk``, issue 20).

:func:`watch` gives a :class:`ChangeWatch` on an open store; ``changed()`` says whether another
connection committed anything since the previous call, without reading any table:

* SQLite: ``PRAGMA data_version`` of the store's connection — it moves when *another* connection
  commits (this connection's own writes do not move it), read from the WAL index in shared memory;
* PostgreSQL: ``LISTEN asx_change`` on the store's connection; the statement-level triggers of
  migration 0150 ``pg_notify`` that channel from every transaction that writes a table a work
  screen shows (cases, their history, checklist and SLA rows, reviews, the ledger, handover notes,
  the roster). Polling reads what the server already sent (no round trip when nothing came);
  notifications from this connection's own transactions are ignored, as on SQLite.
"""

from __future__ import annotations

#: the notification channel of migration 0150 (PostgreSQL)
CHANNEL = "asx_change"


class ChangeWatch:
    """``changed()``: True when another connection committed since the previous call (the first
    call after :func:`watch` compares with the moment the watch was made)."""

    def __init__(self, store):
        self.store = store
        self.backend = store.backend
        if self.backend == "sqlite":
            self._last = self._version()
        else:
            self.store.conn.execute(f"LISTEN {CHANNEL}")
            self._pid = self.store.conn.info.backend_pid

    def _version(self) -> int:
        return self.store.conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        if self.backend == "sqlite":
            v = self._version()
            if v != self._last:
                self._last = v
                return True
            return False
        if self.store.in_transaction:  # never poll inside one of our own transactions
            return False
        seen = False
        for n in self.store.conn.notifies(timeout=0):
            if n.pid != self._pid:
                seen = True
        return seen

    def close(self) -> None:
        if self.backend != "sqlite":
            try:
                self.store.conn.execute(f"UNLISTEN {CHANNEL}")
            except Exception:  # the connection is closing anyway
                pass


def watch(store) -> ChangeWatch:
    """A :class:`ChangeWatch` on ``store`` (SQLite or PostgreSQL)."""
    return ChangeWatch(store)
