"""The after-sales money ledger (R-FIN-1): every refund, compensation, reship cost or coupon value,
who paid it, what it belongs to (a case or a review), its payment note (R-FIN-2) and the finance
sign-off. No click here; the SQL is in :mod:`asx.store.ledger`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asx.core.errors import UserError
from asx.core.money import parse_yuan

#: built-in reasons (labels in asx/plugins/money.py); plugins add more through register_labels
REASONS = ("refund", "compensation", "reship_cost", "coupon", "price_diff", "shipping", "other")
CHANNELS = ("alipay", "wechat", "bank", "platform", "cash", "coupon")
DIRECTIONS = ("out", "in")

#: case resolutions that move money (R-CASE-4) and the ledger reason they become
CASE_RESOLUTION_REASON = {
    "cash_compensation": "compensation",
    "refund_only": "refund",
    "return_refund": "refund",
    "coupon": "coupon",
    "reship": "reship_cost",
}
#: channel a resolution is usually paid through
REASON_CHANNEL = {"coupon": "coupon", "reship_cost": "platform"}


def normalize_order(order_no: str | None) -> str | None:
    """Taobao order numbers appear in Alipay as ``T200P<number>``: compare without the prefix."""
    if not order_no:
        return None
    s = order_no.strip()
    if s.upper().startswith("T200P"):
        s = s[5:]
    return s or None


@dataclass
class NewEntry:
    at: int
    amount_fen: int
    reason: str
    agent: str | None = None
    direction: str = "out"
    case_id: int | None = None
    review_id: int | None = None
    order_no: str | None = None
    channel: str | None = None
    txn_id: str | None = None
    note: str | None = None
    ext_key: str | None = None


def check_note(note: str | None) -> list[str]:
    """Problems of a payment note (R-FIN-2 form, R-FIN-4 personal data): warnings for the form,
    a UserError for personal data — it must never be stored in a payment note."""
    from asx.money.notes import find_personal_data, parse_note

    if not note:
        return []
    kinds = find_personal_data(note)
    if kinds:
        raise UserError(f"the note holds buyer personal data ({', '.join(kinds)}); payment notes must not "
                        "(R-FIN-4): write <content>_<agent> only")
    p = parse_note(note)
    return [] if p.form == "ok" else list(p.problems)


def add(store, entry: NewEntry, *, by: str | None, now: int) -> tuple[int, list[str]]:
    """Validate and insert one entry (caller holds the transaction); returns (id, warnings)."""
    from asx.store import agents as agents_store
    from asx.store import ledger as ledger_store

    if not entry.amount_fen or entry.amount_fen <= 0:
        raise UserError("a ledger entry needs an amount above 0.00 (R-FIN-1)")
    if entry.direction not in DIRECTIONS:
        raise UserError(f"direction must be out or in, not {entry.direction!r}")
    warnings = check_note(entry.note)
    if entry.agent and agents_store.get(store, entry.agent) is None:
        raise UserError(f"agent {entry.agent!r} is not registered (see `asx agent list`)")
    if entry.case_id is not None and not ledger_store.case_exists(store, entry.case_id):
        raise UserError(f"no case #{entry.case_id}")
    if entry.review_id is not None and not ledger_store.review_exists(store, entry.review_id):
        raise UserError(f"no review #{entry.review_id}")
    if entry.order_no is None:
        if entry.case_id is not None:
            entry.order_no = ledger_store.case_order(store, entry.case_id)
        elif entry.review_id is not None:
            entry.order_no = ledger_store.review_order(store, entry.review_id)
    if entry.case_id is None and entry.review_id is None:
        warnings.append("not linked to a case or review (--case/--review): the audit will ask which it belongs "
                        "to (R-FIN-3)")
    if entry.ext_key and ledger_store.by_ext_key(store, entry.ext_key):
        raise UserError(f"an entry with key {entry.ext_key!r} exists already")
    fields = {k: v for k, v in vars(entry).items() if v is not None}
    entry_id = ledger_store.add_entry(store, **fields, created_at=now, created_by=by)
    return entry_id, warnings


@dataclass
class SignResult:
    signed: list[int]
    already: list[dict]


def sign(store, ids: list[int], *, by: str, at: int) -> SignResult:
    """Finance sign-off of entries (R-FIN-1); append-only — a signed entry stays signed by its first
    signer. Unknown ids refuse the whole command (nothing signed)."""
    from asx.store import ledger as ledger_store

    ids = list(dict.fromkeys(ids))
    missing = sorted(set(ids) - ledger_store.existing_ids(store, ids))
    if missing:
        raise UserError(f"no ledger entry {', '.join('#' + str(i) for i in missing)}; nothing signed")
    res = SignResult([], [])
    for i in ids:
        prior = ledger_store.signoff(store, i)
        if prior is not None:
            res.already.append(prior)
            continue
        ledger_store.sign(store, i, by, at)
        res.signed.append(i)
    return res


def sync_from_cases_and_reviews(store, *, by: str | None, now: int) -> list[int]:
    """Create the entries of money resolutions (R-CASE-4) and review compensations (R-REV-7) that
    have none yet (idempotent: keyed ``case:<id>`` / ``review:<id>:<event>``)."""
    import json

    from asx.store import ledger as ledger_store

    created = []
    for c in list(ledger_store.cases_without_entry(store, CASE_RESOLUTION_REASON)):
        reason = CASE_RESOLUTION_REASON[c["resolution"]]
        at = c["resolved_at"] or c["opened_at"]
        created.append(ledger_store.add_entry(store, at=at, amount_fen=c["amount_fen"], reason=reason, agent=c["agent"],
                                    case_id=c["id"], order_no=c["order_no"],
                                    channel=REASON_CHANNEL.get(reason, "alipay"), ext_key=f"case:{c['id']}",
                                    created_at=now, created_by=by))
    for e in list(ledger_store.review_compensations_without_entry(store)):
        try:
            data = json.loads(e["data"] or "{}")
        except ValueError:
            data = {}
        fen = data.get("amount_fen")
        if fen is None and data.get("amount") is not None:
            fen = parse_yuan(data["amount"])
        if not fen:
            continue
        created.append(ledger_store.add_entry(store, at=e["at"], amount_fen=int(fen), reason="compensation",
                                    agent=data.get("agent") or e["by"], review_id=e["review_id"], order_no=e["tid"],
                                    channel=data.get("channel") or "alipay", note=data.get("note"),
                                    ext_key=f"review:{e['review_id']}:{e['event_id']}", created_at=now,
                                    created_by=by))
    return created


def when(dt: datetime) -> int:
    from asx.core.timeutil import to_epoch

    return to_epoch(dt)
