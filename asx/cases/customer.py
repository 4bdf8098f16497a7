"""The customer's file (issue 16 item 7): one buyer's cases, reviews, refunds and returns across
time — what an agent looks at before answering. Masked unless revealed (R-SEC-1, recorded)."""

from __future__ import annotations

from asx.core.errors import PermissionDenied, UserError


def reveal(app, buyer: str) -> None:
    """R-SEC-1: only a role that may reveal; the reveal is recorded in the access log."""
    from asx.io.masking import mask_name

    who = app.actor()
    if not app.reveal_allowed(who):
        raise PermissionDenied(f"{who['name']} is {who['role']}; revealing buyer data needs the supervisor role "
                               "(or a role in privacy.reveal_roles) (R-SEC-1)")
    app.log_access("reveal", f"customer:{mask_name(buyer)}", "asx customer show --reveal")


def history(app, buyer: str) -> list[dict]:
    """Every event of the buyer's file, oldest first: ``at, kind, ref, what, state, amount_fen, text``
    (``text`` is buyer-written and confidential: the caller masks it)."""
    from asx.store import returns as return_store

    buyer = (buyer or "").strip()
    if not buyer:
        raise UserError("which buyer? give the buyer id (旺旺 nick)")
    rows: list[dict] = []
    for c in return_store.cases_of_buyer(app.store, buyer):
        rows.append({"at": c["opened_at"], "kind": "case", "ref": f"#{c['id']}", "what": c["category"],
                     "state": c["status"] + (f" / {c['resolution']}" if c["resolution"] else ""),
                     "amount_fen": c["amount_fen"], "order_no": c["order_no"] or "", "text": c["summary"] or "",
                     "text_raw": c.get("summary_raw")})  # the text as written: a reveal shows it (issue 21)
    for r in return_store.reviews_of_buyer(app.store, buyer):
        rows.append({"at": r["created_at"], "kind": "review", "ref": f"R{r['id']}", "what": r["result"],
                     "state": r["progress"], "amount_fen": None, "order_no": r["tid"], "text": r["content"] or "",
                     "text_raw": r.get("content_raw")})
    for m in return_store.refunds_of_buyer(app.store, buyer):
        rows.append({"at": m["at"], "kind": "refund", "ref": f"L{m['id']}", "what": m["reason"],
                     "state": m["direction"], "amount_fen": m["amount_fen"], "order_no": m["order_no"] or "",
                     "text": ""})
    for x in return_store.for_buyer(app.store, buyer):
        state = x["policy_result"] + (f" ({x['policy_why']})" if x["policy_why"] else "")
        if x["received_at"]:
            state += ", received"
        if x["inspection"]:
            state += f", inspection {x['inspection']}"
        if x["closed_at"]:
            state += f", closed: {x['outcome']}"
        rows.append({"at": x["requested_at"], "kind": "return", "ref": f"#{x['case_id']}",
                     "what": x["reason"] + (f" {x['goods_category']}" if x["goods_category"] else ""),
                     "state": state, "amount_fen": None, "order_no": x["order_no"] or "",
                     "text": " ".join(p for p in (x["courier"], x["waybill"]) if p)})
    order = {"case": 0, "return": 1, "refund": 2, "review": 3}
    rows.sort(key=lambda r: (r["at"], order[r["kind"]], r["ref"]))
    return rows
