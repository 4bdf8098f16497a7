"""Membership after-sales (seed 002) as plain functions: tiers and their service levels, members,
warranty of member products, out-of-warranty repair quotes, member acceptance, archive.

Seed 002 第五条/第六条: reply within 1 h, analysis within 2 h, start the solution within 3 h, a
general problem solved within 24 h, a complex one within 3 working days, feedback 1 h after
resolving; 验收反馈 (the member accepts before the case ends) and 案件归档 (archive).
"""

from __future__ import annotations

from datetime import date

from asx.api import UserError

#: per-tier targets (seed 002); a tier in ``plugins.membership.tiers`` may override any key
SEED_TARGETS = {"reply_minutes": 60, "analysis_minutes": 120, "start_minutes": 180, "general_minutes": 1440,
                "complex_working_days": 3, "feedback_minutes": 60}
DEFAULT_TIERS = {
    "regular": dict(SEED_TARGETS),
    "silver": dict(SEED_TARGETS),
    "gold": {"reply_minutes": 30, "analysis_minutes": 60, "start_minutes": 120, "general_minutes": 720,
             "complex_working_days": 2, "feedback_minutes": 30},
}
TIER_LABELS = {"regular": ("regular member", "普通会员"), "silver": ("silver member", "银卡会员"),
               "gold": ("gold member", "金卡会员"), "platinum": ("platinum member", "白金会员"),
               "diamond": ("diamond member", "钻石会员")}
#: which SLA target each tier key sets (core targets plus this plugin's ``start``)
KEY_TARGET = {"reply_minutes": "first_response", "analysis_minutes": "solution", "start_minutes": "start",
              "general_minutes": "resolution", "feedback_minutes": "feedback"}


def tiers(settings) -> dict[str, dict]:
    """Tier name -> its targets (seed values for keys a tier leaves out)."""
    raw = settings.get("plugins.membership.tiers") or DEFAULT_TIERS
    out = {}
    for name, vals in raw.items():
        if not isinstance(vals, dict):
            raise UserError(f"plugins.membership.tiers.{name} must be a table, e.g. {{reply_minutes = 30}}")
        unknown = set(vals) - set(SEED_TARGETS)
        if unknown:
            raise UserError(f"plugins.membership.tiers.{name}: unknown keys {sorted(unknown)}; "
                            f"use {', '.join(SEED_TARGETS)}")
        out[name] = {**SEED_TARGETS, **vals}
    return out


def register_targets(register, settings) -> None:
    """SLA rules for member cases: each tier's targets, conditional on the case attributes
    ``member = "yes"`` and ``member_tier`` (from :func:`attributes`). Two attribute keys make a
    tier rule as specific as the core's channel+severity rules, and later registration wins."""
    complex_cats = settings.get("plugins.membership.complex_categories")
    for tier, t in tiers(settings).items():
        when = {"member": "yes", "member_tier": tier}
        for key, target in KEY_TARGET.items():
            # R-SLA preamble: the 24 h general problem runs on the calendar clock; reply, analysis,
            # start and feedback (minutes, hours to respond) on the service clock
            register(target, minutes=t[key], when=when, **({"clock": "calendar"} if target == "resolution" else {}))
        register("resolution", working_days=t["complex_working_days"], when={**when, "category": complex_cats})


def attributes(store, case: dict) -> dict | None:
    from asx_membership import store as member_store

    m = member_store.member_of_buyer(store, case.get("buyer"))
    if m is None:
        return None
    return {"member": "yes", "member_tier": m["tier"], "member_id": m["member_id"]}


def _day(text: str, what: str) -> str:
    try:
        return date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise UserError(f"{what} {text!r} is not a date (YYYY-MM-DD)") from None


def check_tier(app, tier: str) -> str:
    known = tiers(app.config)
    if tier not in known:
        raise UserError(f"unknown tier {tier!r}; tiers (plugins.membership.tiers): {', '.join(known)}")
    return tier


def add_member(app, member_id: str, *, buyer: str, tier: str, joined: str | None = None,
               name: str | None = None) -> dict:
    from asx.api import to_epoch
    from asx_membership import store as member_store

    who = app.actor()
    check_tier(app, tier)
    joined = _day(joined, "--joined") if joined else app.now().date().isoformat()
    if not member_id.strip() or not buyer.strip():
        raise UserError("a member needs a member id and the buyer id their cases carry (--buyer)")
    with app.store.tx():
        if member_store.member(app.store, member_id) or member_store.member(app.store, buyer):
            raise UserError(f"member {member_id!r} or buyer {buyer!r} is registered already")
        member_store.add_member(app.store, {"member_id": member_id, "buyer": buyer, "name": name, "tier": tier,
                                  "joined_on": joined, "created_at": to_epoch(app.now()), "created_by": who["name"]})
        member_store.set_tier(app.store, member_id, tier, at=to_epoch(app.now()), by=who["name"], reason="joined",
                    from_tier=None)
    return member_store.member(app.store, member_id)


def require_member(app, key: str) -> dict:
    from asx_membership import store as member_store

    m = member_store.member(app.store, key)
    if m is None:
        raise UserError(f"no member {key!r} (asx member list)")
    return m


def change_tier(app, key: str, tier: str, reason: str | None) -> dict:
    from asx.api import to_epoch
    from asx_membership import store as member_store

    who = app.actor()
    m = require_member(app, key)
    check_tier(app, tier)
    if m["tier"] == tier:
        raise UserError(f"{m['member_id']} is {tier} already")
    with app.store.tx():
        member_store.set_tier(app.store, m["member_id"], tier, at=to_epoch(app.now()), by=who["name"], reason=reason,
                    from_tier=m["tier"])
        _recompute_live(app, m["buyer"])  # the member's open cases get the new tier's targets
    return member_store.member(app.store, m["member_id"])


def _recompute_live(app, buyer: str) -> None:
    """The member's open cases get the SLA targets of the member's tier now (R-SLA)."""
    from asx.api import cases_of_buyers, recompute_sla, to_epoch

    live = [c["id"] for c in cases_of_buyers(app, [buyer]) if c["status"] not in ("closed", "merged")]
    recompute_sla(app, live, now=to_epoch(app.now()))


def add_product(app, key: str, *, product: str, serial: str | None, purchased: str, warranty_until: str | None,
                warranty_months: int | None) -> dict:
    from asx_membership import store as member_store

    m = require_member(app, key)
    bought = date.fromisoformat(_day(purchased, "--purchased"))
    if warranty_until:
        until = date.fromisoformat(_day(warranty_until, "--warranty-until"))
    else:
        months = warranty_months if warranty_months is not None else app.config.get(
            "plugins.membership.warranty_months")
        until = _add_months(bought, int(months))
    if until < bought:
        raise UserError("the warranty cannot end before the purchase")
    with app.store.tx():
        pid = member_store.add_product(app.store, {"member_id": m["member_id"], "product": product, "serial": serial,
                                         "purchased_on": bought.isoformat(), "warranty_until": until.isoformat()})
    return app.store.one("SELECT * FROM member_products WHERE id = ?", (pid,))


def _add_months(d: date, months: int) -> date:
    """The day before the same date ``months`` later (a 12-month warranty from 2026-03-01 covers to 2027-02-28)."""
    from datetime import timedelta

    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    import calendar

    day = min(d.day, calendar.monthrange(y, m)[1])
    return date(y, m, day) - timedelta(days=1)


def in_warranty(product: dict, on: date) -> bool:
    return on <= date.fromisoformat(product["warranty_until"])


def member_case(app, case_id: int) -> tuple[dict, dict]:
    """(case, member) or a clear refusal when the case is not a member's."""
    from asx.api import require_case
    from asx_membership import store as member_store

    case = require_case(app, case_id)
    m = member_store.member_of_buyer(app.store, case["buyer"])
    if m is None:
        raise UserError(f"case #{case_id} is not a member's case (its buyer is no member: asx member add)")
    return case, member_store.member(app.store, m["member_id"])


def quote(app, case_id: int, *, product_key: str, amount_fen: int, note: str | None) -> dict:
    """Out-of-warranty repair at a quoted price (seed 002 第四条4); ticks the checklist step
    ``quote_given`` of a repair_out_of_warranty case. In warranty the repair is free: refused."""
    from asx.api import act_on_case, case_checks, from_epoch, to_epoch, yuan
    from asx_membership import store as member_store

    case, m = member_case(app, case_id)
    p = member_store.product(app.store, m["member_id"], product_key)
    if p is None:
        raise UserError(f"{m['member_id']} has no product {product_key!r} (asx member show {m['member_id']})")
    opened = from_epoch(case["opened_at"], app.tz).date()
    if in_warranty(p, opened):
        raise UserError(f"{p['product']} ({p['serial'] or p['id']}) is in warranty until {p['warranty_until']}: "
                        "the repair is free, no quote (seed 002 第四条4)")
    if amount_fen < 0:
        raise UserError("a quote cannot be negative")
    who = app.actor()
    with app.store.tx():
        qid = member_store.add_quote(app.store, {"case_id": case_id, "product_id": p["id"], "amount_fen": amount_fen,
                                       "note": note, "at": to_epoch(app.now()), "by": who["name"]})
        if case["category"] == "repair_out_of_warranty":
            if "quote_given" not in case_checks(app, case_id):
                act_on_case(app, case_id, "check", step="quote_given")
        else:
            act_on_case(app, case_id, "note", note=f"维修报价 {yuan(amount_fen)} 元 ({p['product']})")
    return app.store.one("SELECT * FROM member_quotes WHERE id = ?", (qid,))


def start(app, case_id: int, note: str | None = None) -> dict:
    """The solution is being carried out: meets the member ``start`` target (seed 002: 3 h)."""
    from asx.api import act_on_case

    member_case(app, case_id)
    return act_on_case(app, case_id, "start", note=note, meets=["start"])


def accept(app, case_id: int, *, score: int | None = None, note: str | None = None) -> dict:
    """验收反馈: the member accepts the resolved case (required before close); an optional score is
    the satisfaction rating (R-KPI-2)."""
    from asx.api import act_on_case, get_case

    case, m = member_case(app, case_id)
    with app.store.tx():
        act_on_case(app, case_id, "accept", note=note, data={"member_id": m["member_id"],
                                                             **({"score": score} if score else {})})
        if score is not None:
            act_on_case(app, case_id, "rate", score=score)
    return get_case(app, case_id)


def guard_close(app, case: dict, action: str) -> None:
    """No member case closes before the member accepted the resolution (seed 002 验收反馈)."""
    if action != "close":
        return
    from asx_membership import store as member_store

    if member_store.member_of_buyer(app.store, case.get("buyer")) is None:
        return
    if not accepted_since_resolve(app, case["id"]):
        raise UserError(f"case #{case['id']} is a member's: the member accepts first "
                        f"(asx member accept {case['id']}; seed 002 验收反馈)")


def archive(app, before: str) -> list[dict]:
    """案件归档: mark closed member cases closed before ``before`` archived; returns them."""
    from asx.api import to_epoch
    from asx_membership import store as member_store

    who = app.require_role("supervisor", action="archive member cases")
    cut = to_epoch(app.parse_time(before))
    with app.store.tx():
        rows = archivable(app, cut)
        member_store.archive(app.store, [r["id"] for r in rows], at=to_epoch(app.now()), by=who["name"])
    return rows


# --- member cases: asx's cases of the members' buyer ids ------------------------------------------

def member_rows(app, tier: str | None = None) -> list[dict]:
    """Members (optionally of one tier) with their number of cases and of products."""
    from collections import Counter

    from asx.api import cases_of_buyers
    from asx_membership import store as member_store

    rows = list(member_store.members(app.store, tier))
    n = Counter(c["of_buyer"] for c in cases_of_buyers(app, [r["buyer"] for r in rows]))
    return [{**{k: v for k, v in r.items() if k != "products"}, "cases": n[r["buyer"]], "products": r["products"]}
            for r in rows]


CASE_FIELDS = ("id", "status", "category", "severity", "buyer", "opened_at", "resolved_at", "closed_at", "resolution",
               "csat", "agent")


def member_cases(app, member_id: str | None = None, status: list[str] | None = None) -> list[dict]:
    """Cases of members (of one member) with tier, acceptance time (the last ``accept`` after the
    last ``resolve``) and archive time, by case id."""
    from asx.api import case_action_times, cases_of_buyers
    from asx_membership import store as member_store

    if member_id:
        m = member_store.member_by_id(app.store, member_id)
        by_buyer = {m["buyer"]: m} if m else {}
    else:
        by_buyer = {m["buyer"]: m for m in member_store.members(app.store)}
    cases = cases_of_buyers(app, by_buyer, status=status)
    ids = [c["id"] for c in cases]
    accepted = case_action_times(app, ids, "accept", since_action="resolve")
    archived = member_store.archived(app.store, ids)
    return [{**{k: c[k] for k in CASE_FIELDS}, "member_id": by_buyer[c["of_buyer"]]["member_id"],
             "tier": by_buyer[c["of_buyer"]]["tier"], "accepted_at": accepted.get(c["id"]),
             "archived_at": archived.get(c["id"])} for c in cases]


def accepted_since_resolve(app, case_id: int) -> bool:
    """The member accepted the case after it was last resolved (seed 002 验收反馈)."""
    from asx.api import case_action_times

    return case_id in case_action_times(app, [case_id], "accept", since_action="resolve")


def archivable(app, before: int) -> list[dict]:
    """Closed member cases closed before ``before`` (epoch) and not archived yet."""
    return [r for r in member_cases(app, status=["closed"]) if r["archived_at"] is None and r["closed_at"] < before]
