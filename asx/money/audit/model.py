"""What the refund audit works on: payouts read from statements, ledger entries, findings (R-FIN-3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from asx.io.masking import mask_text

SEVERITIES = ("error", "warning", "info")


@dataclass(slots=True)
class Entry:
    """An outgoing ledger entry as the audit sees it (bulk-loaded, no personal data)."""

    id: int
    at: int
    amount_fen: int
    reason: str
    agent: str | None
    case_id: int | None
    review_id: int | None
    order_no: str | None          # normalised (no T200P prefix)
    channel: str | None
    txn_id: str | None
    note: str | None
    signed_at: int | None
    matched: bool = False

    @classmethod
    def from_rows(cls, rows) -> list["Entry"]:
        """Entries from ``audit_entries`` tuples; repeated texts (reason, agent, channel, note) are shared
        so 200,000 entries stay small."""
        pool: dict = {}
        share = pool.setdefault
        out: list[Entry] = []
        append = out.append
        for id_, at, fen, reason, agent, case_id, review_id, o, channel, txn, note, signed in rows:
            if o and o[:5] in ("T200P", "t200p"):
                o = o[5:] or None
            append(cls(id_, at, fen, share(reason, reason), agent and share(agent, agent), case_id, review_id, o,
                       channel and share(channel, channel), txn, note and share(note, note), signed))
        return out


@dataclass(slots=True)
class Payout:
    """One outgoing statement row kept for the checks: no counterparty name or account (R-SEC-1);
    ``party_key`` is a hash of the counterparty, used only within the run to spot duplicates."""

    file: str
    line: int
    txn_id: str
    biz_id: str
    order_no: str | None          # normalised (no T200P prefix)
    at: int
    day: str                      # YYYY-MM-DD in the store timezone
    minute: int                   # minute of that day
    amount_fen: int
    note: str
    biz_type: str
    channel: str | None           # alipay | wechat | None (generic layout)
    party_key: int
    note_parse: Any = None        # asx.money.notes.NoteParse
    agent_rec: dict | None = None  # the registered agent the note names (None: no such agent or no agent)
    on_duty: bool | None = None   # that agent on duty at the payout time; None: no roster that day / no agent
    entry: Entry | None = None
    match: str | None = None      # txn | order | amount_time
    dup_of: "Payout | None" = None

    @property
    def agent(self) -> str | None:
        return self.note_parse.agent if self.note_parse is not None and self.note_parse.agent else None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    action: str = ""
    file: str | None = None
    line: int | None = None
    txn_id: str | None = None
    ledger_id: int | None = None
    amount_fen: int | None = None
    order_no: str | None = None
    agent: str | None = None
    key: str | None = None        # what makes this finding the same from one run to the next

    @property
    def fingerprint(self) -> str:
        return f"{self.rule}:{self.key or self.txn_id or ''}:{self.ledger_id or ''}"

    def as_row(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "file": self.file, "line": self.line,
                "txn_id": self.txn_id, "ledger_id": self.ledger_id, "amount_fen": self.amount_fen,
                "order_no": self.order_no, "agent": self.agent, "message": self.message, "action": self.action,
                "fingerprint": self.fingerprint}

    @classmethod
    def of_payout(cls, p: Payout, rule: str, severity: str, message: str, action: str = "", **kw) -> "Finding":
        base = dict(file=p.file, line=p.line, txn_id=p.txn_id, amount_fen=p.amount_fen, order_no=p.order_no,
                    agent=p.agent, ledger_id=p.entry.id if p.entry else None)
        base.update(kw)
        base["agent"] = mask_text(base["agent"])     # the "agent" is whatever the payer wrote: R-SEC-1
        return cls(rule, severity, message, action, **base)

    @classmethod
    def of_entry(cls, e: Entry, rule: str, severity: str, message: str, action: str = "") -> "Finding":
        return cls(rule, severity, message, action, ledger_id=e.id, amount_fen=e.amount_fen, order_no=e.order_no,
                   agent=e.agent, txn_id=e.txn_id)


@dataclass
class Check:
    """A refund-audit check registered through ``register_audit_checks`` (R-FIN-3).

    ``scope="payout"``: ``fn(ctx, payout)`` is called for each payout; ``scope="payouts"``:
    ``fn(ctx, payouts)`` once with all of them (fast for big statements); ``scope="run"``: ``fn(ctx)``
    once. All run after matching; each returns an iterable of :class:`Finding` (or None).
    """

    rule: str
    fn: Callable[..., Iterable[Finding] | None]
    scope: str = "payout"
    severity: str = "error"
    title: str = ""
    ref: str = "R-FIN-3"
