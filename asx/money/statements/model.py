"""What a statement reader produces.

A :class:`Statement` is one file read in one layout: its rows (a list, or an
iterator when streaming) and the problems found.  A row that cannot be read
is never dropped silently: it becomes a :class:`Problem` with its physical
line number and a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from asx.core.timeutil import to_epoch

Direction = Literal["out", "in", "none"]

#: StatementRow fields holding buyer personal data (R-SEC-1): mask on output.
PII_FIELDS = ("counterparty", "counterparty_account")


@dataclass(slots=True)
class StatementRow:
    """One money movement, in canonical fields whatever the layout.

    ``amount_fen`` is never negative; ``direction`` says which way the money
    went ('out' = paid out by the account holder, e.g. a refund to a buyer).
    ``counterparty`` and ``counterparty_account`` are personal data (R-SEC-1)
    and, like ``raw``, left out of ``repr`` so they never reach a log (R-SEC-3).
    """

    file: str
    line: int
    txn_id: str
    time: datetime
    amount_fen: int
    direction: Direction
    biz_id: str = ""
    merchant_order_no: str = ""
    order_no: str = ""
    counterparty: str = field(default="", repr=False)
    counterparty_account: str = field(default="", repr=False)
    item: str = ""
    channel: str = ""
    biz_type: str = ""
    status: str = ""
    note: str = ""
    balance_fen: int | None = None
    raw: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def refund_of(self) -> str | None:
        """For an Alipay refund id ``<original>_<suffix>`` (in txn_id or, in the
        merchant ledger, biz_id), the original id; else None."""
        for value in (self.txn_id, self.biz_id):
            head, sep, tail = value.partition("_")
            if sep and head and tail:
                return head
        return None

    @property
    def signed_fen(self) -> int:
        """Amount with the sign of the money flow: out < 0 < in."""
        if self.direction == "out":
            return -self.amount_fen
        if self.direction == "in":
            return self.amount_fen
        return 0


#: Fields of a brief row (``TableReader.read_brief``), a plain tuple in this order: physical line,
#: epoch seconds, local date (``YYYY-MM-DD`` in the reader's timezone), minute of that day, amount in
#: fen (never negative), direction, txn_id, biz_id, merchant_order_no, order_no, note, biz_type, and
#: ``party``: ``hash((counterparty_account, counterparty))`` — the counterparty only as a hash
#: (R-SEC-1), to tell within one run whether two rows went to the same person.
BRIEF_FIELDS = ("line", "at", "day", "minute", "amount_fen", "direction", "txn_id", "biz_id",
                "merchant_order_no", "order_no", "note", "biz_type", "party")


def brief_of(row: StatementRow) -> tuple:
    """The brief tuple (:data:`BRIEF_FIELDS`) of a statement row."""
    local = row.time
    return (row.line, to_epoch(local), local.date().isoformat(), local.hour * 60 + local.minute,
            row.amount_fen, row.direction, row.txn_id, row.biz_id, row.merchant_order_no, row.order_no,
            row.note, row.biz_type, hash((row.counterparty_account, row.counterparty)))


@dataclass(frozen=True, slots=True)
class Problem:
    """A row (or line) that could not be taken as a statement row, and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(slots=True)
class Total:
    """A count and sum of amounts, as declared by a footer or as read."""

    count: int | None = None
    fen: int | None = None

    def add(self, fen: int) -> None:
        self.count = (self.count or 0) + 1
        self.fen = (self.fen or 0) + fen


@dataclass
class Statement:
    """A statement file read in one layout.

    ``rows`` is a list unless the file was read with ``stream=True``; then it is
    a one-shot iterator, and ``problems``, ``declared_totals`` and
    ``read_totals`` are complete only once it is exhausted (a footer mismatch
    is raised as UserError at the end of the iteration).

    ``declared_totals`` maps 'out'/'in'/'all' to what the file says about
    itself; ``read_totals`` to what was read (rows whose amount could be
    parsed, including rows rejected for another reason).  ``totals_checked``
    tells whether the layout's footer was verified against the rows.
    """

    path: Path
    layout: str
    encoding: str
    rows: list[StatementRow] | Iterator[StatementRow] = field(default_factory=list)
    declared_totals: dict[str, Total] = field(default_factory=dict)
    read_totals: dict[str, Total] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    totals_checked: bool = False
    complete: bool = True

    def __iter__(self) -> Iterator[StatementRow]:
        return iter(self.rows)

    def problem(self, line: int, reason: str) -> None:
        self.problems.append(Problem(line, reason))

    def materialize(self) -> Statement:
        """Read a streaming statement to the end (rows become a list)."""
        if not isinstance(self.rows, list):
            self.rows = list(self.rows)
        return self
