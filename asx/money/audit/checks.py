"""The built-in refund-audit checks (R-FIN-2/3/4, R-ROS-9), registered by asx/plugins/money.py.

Each check is a plain function: ``fn(ctx, payout)`` for ``scope="payout"`` or ``fn(ctx)`` for
``scope="run"``, returning findings. Notes are shown through :func:`asx.io.masking.mask_text` so no
buyer phone, e-mail or card number reaches the output (R-SEC-1); counterparties are never shown.
"""

from __future__ import annotations

from operator import attrgetter

from asx.money.audit.model import Finding
from asx.core.money import yuan
from asx.io.masking import mask_text
from asx.money.notes import find_personal_data

NOTE_FORM = "<content>_<agent>, e.g. 删除中评_萌萌"
#: ledger reasons that are not money paid to a buyer (coupons, costs paid to couriers or suppliers)
NOT_PAID_TO_BUYER = frozenset({"coupon", "reship_cost", "reship", "exchange", "repair"})


def shown(note: str) -> str:
    return mask_text(note) if note else ""


# --- the note (R-FIN-2, R-FIN-4) ----------------------------------------------------------------
# Payout checks take all payouts at once (scope "payouts"): one loop each, no call per row.

def note_missing(ctx, payouts):
    blind = {i.path for i in ctx.statements if not i.has_notes}
    for p in payouts:
        if p.note_parse.form == "missing" and p.file not in blind:
            yield Finding.of_payout(p, "note-missing", "error", "payout without a note (R-FIN-2)",
                                    f"find who paid it and why; every payout must carry the note {NOTE_FORM}")


def note_malformed(ctx, payouts):
    for p in payouts:
        if p.note_parse.form == "malformed":
            why = "; ".join(p.note_parse.problems)
            yield Finding.of_payout(p, "note-malformed", "error",
                                    f"note {shown(p.note)!r} is not {NOTE_FORM}: {why}",
                                    "ask the payer to use the house form; record the content and agent in the ledger")


def note_spacing(ctx, payouts):
    for p in payouts:
        if p.note_parse.form in ("spaced", "fullwidth"):
            why = "; ".join(p.note_parse.problems)
            yield Finding.of_payout(p, "note-spacing", "warning", f"note {shown(p.note)!r}: {why}",
                                    "tolerated; remind the agent of the form <content>_<agent>")


def note_personal_data(ctx, payouts):
    memo: dict[str, list] = {}
    for p in payouts:
        if not p.note:
            continue
        kinds = memo.get(p.note)
        if kinds is None:
            kinds = memo[p.note] = find_personal_data(p.note)
        if kinds:
            yield Finding.of_payout(p, "note-personal-data", "error",
                                    f"buyer personal data ({', '.join(kinds)}) in the note {shown(p.note)!r} (R-FIN-4)",
                                    "never write buyer data into a payment note (PIPL); tell the agent, record it "
                                    "with the supervisor")


# --- the agent (R-FIN-2, R-ROS-9) ---------------------------------------------------------------

def agent_unknown(ctx, payouts):
    for p in payouts:
        np_ = p.note_parse
        if p.agent_rec is None and np_.agent and np_.well_formed:
            name = shown(np_.agent)
            yield Finding.of_payout(p, "agent-unknown", "error", f"agent {name!r} in the note is not a registered agent",
                                    "check the name against `asx agent list`; the note must carry the registered name")


def agent_retired(ctx, payouts):
    for p in payouts:
        a = p.agent_rec
        if a is None:
            continue
        left = a.get("left_on")
        if (not a["active"] and (left is None or left < p.day)) or (left is not None and left < p.day):
            yield Finding.of_payout(p, "agent-retired", "error",
                                    f"agent {a['name']!r} had left ({left or 'retired'}) before this payout on {p.day}",
                                    "find who really paid it; a retired agent's name must not sign payouts")


def agent_off_duty(ctx, payouts):
    for p in payouts:
        if p.on_duty is False:
            name = p.agent_rec["name"]
            shift = ctx.duty.rostered(p.day).get(name, "not rostered")
            hhmm = f"{p.minute // 60:02d}:{p.minute % 60:02d}"
            yield Finding.of_payout(p, "agent-off-duty", "error",
                                    f"{name} was not on duty at {p.day} {hhmm} ({shift}) (R-ROS-9)",
                                    "ask who used the account at that time; check the sub-account chat log")


def roster_missing(ctx, payouts):
    """No roster for the payout's day: say so rather than guess (one finding per day)."""
    days: dict[str, list] = {}
    for p in payouts:
        if p.agent_rec is not None and p.on_duty is None and not ctx.duty.day(p.day).known:
            days.setdefault(p.day, []).append(p)
    for day, ps in sorted(days.items()):
        who = sorted({p.agent_rec["name"] for p in ps})
        yield Finding.of_payout(ps[0], "roster-missing", "warning",
                                f"no roster for {day}: cannot tell whether {', '.join(who)} "
                                f"{'was' if len(who) == 1 else 'were'} on duty for {len(ps)} payout(s) (R-ROS-9)",
                                "publish the roster for that day (`asx roster`) and audit again", key=day)


# --- ledger matching (R-FIN-1, R-FIN-3) ---------------------------------------------------------

def no_ledger_entry(ctx, payouts):
    for p in payouts:
        if p.entry is not None:
            continue
        hint = "add it: `asx ledger add --amount {} --reason … --case N --txn {}`".format(yuan(p.amount_fen), p.txn_id)
        cases = (ctx.cases_by_order.get(p.order_no or "", [])
                 or ctx.cases_by_order.get("T200P" + (p.order_no or ""), []))
        if cases:
            c = cases[0]
            hint = (f"case #{c[0]} is on this order ({c[1] or 'unresolved'}); record the payout: "
                    f"`asx ledger add --case {c[0]} --amount {yuan(p.amount_fen)} --txn {p.txn_id}`")
        yield Finding.of_payout(p, "no-ledger-entry", "error",
                                f"payout of {yuan(p.amount_fen)} yuan has no ledger entry (by transaction id, order "
                                f"number, or amount within {ctx.settings.match_window_minutes} min)", hint)


def amount_mismatch(ctx, payouts):
    for p in payouts:
        if p.match == "order" and p.entry.amount_fen != p.amount_fen:
            yield Finding.of_payout(p, "amount-mismatch", "error",
                                    f"paid {yuan(p.amount_fen)} yuan but ledger entry #{p.entry.id} on the same order "
                                    f"says {yuan(p.entry.amount_fen)}",
                                    "correct the ledger (add an entry for the difference) or recover the excess")


def no_case(ctx, payouts):
    for p in payouts:
        e = p.entry
        if e is not None and e.case_id is None and e.review_id is None:
            yield Finding.of_payout(p, "no-case", "warning",
                                    f"ledger entry #{e.id} belongs to no case or review (R-FIN-3)",
                                    "link it: say which case or review the money was for")


def duplicate_payout(ctx, payouts):
    for p in payouts:
        d = p.dup_of
        if d is not None:
            yield Finding.of_payout(p, "duplicate-payout", "error",
                                    f"same payout as {d.where} ({d.txn_id}): same recipient, amount "
                                    f"{yuan(p.amount_fen)} and note within {ctx.settings.duplicate_days} days",
                                    "check whether the buyer was paid twice; recover the second payment")


def refund_over_paid(ctx, payouts):
    paid_of = ctx.orders_paid
    if not paid_of:
        return
    reason_of = ctx.reason_of
    refunds = [p for p in payouts if p.order_no in paid_of
               and (p.entry.reason if p.entry is not None else reason_of(p)) == "refund"]
    # only an order whose refunds add up to more than was paid can cross the paid amount
    totals: dict[str, int] = {}
    get = totals.get
    for p in refunds:
        totals[p.order_no] = get(p.order_no, 0) + p.amount_fen
    over = {o for o, fen in totals.items() if fen > paid_of[o]}
    if not over:
        return
    totals = {}
    for p in sorted((p for p in refunds if p.order_no in over), key=attrgetter("at")):
        paid = paid_of[p.order_no]
        before = totals.get(p.order_no, 0)
        totals[p.order_no] = now = before + p.amount_fen
        if now > paid >= before:
            yield Finding.of_payout(p, "refund-over-paid", "error",
                                    f"refunds on order {p.order_no} reach {yuan(now)} yuan, more than the "
                                    f"{yuan(paid)} yuan paid for it",
                                    "check the order; recover the excess or record the reason with the supervisor")


def over_limit(ctx, payouts):
    limits = {r: ctx.limit_fen(r) for r in ctx.settings.limits_yuan}
    if not limits:
        return
    low = min(v for v in limits.values() if v is not None)
    for p in payouts:
        if p.amount_fen <= low:
            continue
        reason = ctx.reason_of(p)
        limit = limits.get(reason)
        if limit is not None and p.amount_fen > limit:
            yield Finding.of_payout(p, "over-limit", "error",
                                    f"{yuan(p.amount_fen)} yuan is above the policy limit {yuan(limit)} for {reason}",
                                    "needs the supervisor's approval on record (setting audit.limits)")


# --- run-wide checks ----------------------------------------------------------------------------

def entry_no_payout(ctx):
    """Ledger entries of the period, in a channel the statements cover, that no payout matched."""
    out = []
    for e in ctx.entries:
        if e.matched or not (ctx.period_from <= e.at < ctx.period_to):
            continue
        if e.channel is not None and None not in ctx.channels and e.channel not in ctx.channels:
            continue
        if e.channel in ("coupon", "platform", "cash") or e.reason in NOT_PAID_TO_BUYER:
            continue
        out.append(Finding.of_entry(e, "entry-no-payout", "error",
                                    f"ledger entry #{e.id} ({e.reason}, {yuan(e.amount_fen)} yuan, "
                                    f"{_iso(ctx, e.at)}) has no payout in the statements",
                                    "was it paid? through which channel? correct or annotate the entry"))
    return out


def unsigned(ctx):
    """Entries of the period not signed off by finance after N days (R-FIN-1)."""
    limit = ctx.now - ctx.settings.signoff_days * 86400
    out = []
    for e in ctx.entries:
        if e.signed_at is None and e.at <= limit and (e.matched or ctx.period_from <= e.at < ctx.period_to):
            days = (ctx.now - e.at) // 86400
            out.append(Finding.of_entry(e, "unsigned", "error",
                                        f"ledger entry #{e.id} ({yuan(e.amount_fen)} yuan) not signed off after {days} "
                                        f"days (limit {ctx.settings.signoff_days})",
                                        f"a supervisor signs it: `asx ledger sign {e.id}`"))
    return out


def statement_rows_rejected(ctx):
    return [Finding("statement-row", "warning", f"row not read: {mask_text(reason)}",
                    "check the row in the statement; re-export the original if it was edited", file=file, line=line,
                    key=f"{file}:{line}")
            for file, line, reason in ctx.problems]


def statement_without_notes(ctx):
    """A layout without a note column cannot show the notes (R-FIN-2): say so once per file."""
    return [Finding("statement-no-notes", "warning",
                    f"the {i.layout} layout has no note column: the notes of its {i.payouts} payout(s) cannot be "
                    "checked (R-FIN-2)", "audit the merchant account ledger 账务明细 of the same period instead",
                    file=i.path, key=i.path)
            for i in ctx.statements if not i.has_notes and i.payouts]


def _iso(ctx, epoch: int) -> str:
    from asx.core.timeutil import iso

    return iso(epoch, ctx.tz)


#: (rule, fn, scope, severity, title, ref)
BUILTIN = [
    ("note-missing", note_missing, "payouts", "error", "payout without a note", "R-FIN-2"),
    ("note-malformed", note_malformed, "payouts", "error", "note not in the <content>_<agent> form", "R-FIN-2"),
    ("note-spacing", note_spacing, "payouts", "warning", "note with spaces or full-width underscore", "R-FIN-2"),
    ("note-personal-data", note_personal_data, "payouts", "error", "buyer personal data in a note", "R-FIN-4"),
    ("agent-unknown", agent_unknown, "payouts", "error", "agent in the note not registered", "R-FIN-2"),
    ("agent-retired", agent_retired, "payouts", "error", "agent in the note had left", "R-FIN-2"),
    ("agent-off-duty", agent_off_duty, "payouts", "error", "agent not on duty at the payout time", "R-ROS-9"),
    ("roster-missing", roster_missing, "payouts", "warning", "no roster for the payout's day", "R-ROS-9"),
    ("no-ledger-entry", no_ledger_entry, "payouts", "error", "payout with no ledger entry", "R-FIN-1"),
    ("amount-mismatch", amount_mismatch, "payouts", "error", "payout and ledger amounts differ", "R-FIN-3"),
    ("no-case", no_case, "payouts", "warning", "ledger entry without case or review", "R-FIN-3"),
    ("duplicate-payout", duplicate_payout, "payouts", "error", "the same payout twice", "R-FIN-3"),
    ("refund-over-paid", refund_over_paid, "payouts", "error", "refund above the order's paid amount", "R-FIN-3"),
    ("over-limit", over_limit, "payouts", "error", "amount above the policy limit for its reason", "R-FIN-3"),
    ("entry-no-payout", entry_no_payout, "run", "error", "ledger entry with no payout", "R-FIN-3"),
    ("unsigned", unsigned, "run", "error", "ledger entry not signed off after N days", "R-FIN-1"),
    ("statement-row", statement_rows_rejected, "run", "warning", "statement row the reader rejected", "R-FIN-3"),
    ("statement-no-notes", statement_without_notes, "run", "warning", "statement layout without notes", "R-FIN-2"),
]
